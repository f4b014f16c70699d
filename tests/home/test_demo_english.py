"""The English demo site reads in English wherever the demo translates a
page: every string of every translation the loaders make has its English
text, as wagtail-localize offers it (`home.demo.as_segments`)."""

import re

import pytest
from bs4 import BeautifulSoup

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from wagtail_localize.models import Translation

from courses.demo import english_slug
from courses.models import CoursePage
from home.demo import DemoContext, as_segments
from home.models import HomePage

from ..courses.factories import CoursePageFactory
from ..partners.factories import PartnerIndexPageFactory, PartnerPageFactory


def test_rich_text_is_keyed_paragraph_by_paragraph_and_plain_text_escaped():
    segments = as_segments(
        {
            "<p>Primo &amp; unico.</p><ul><li>Uno</li><li>Due</li></ul>": (
                "<p>First &amp; only.</p><ul><li>One</li><li>Two</li></ul>"
            ),
            "Righe & righe\nAltra riga": "Lines & lines\nAnother line",
            "Titolo": "Title",
        }
    )
    assert segments["Primo &amp; unico."] == "First &amp; only."
    assert (segments["Uno"], segments["Due"]) == ("One", "Two")
    assert segments["Righe &amp; righe<br/>Altra riga"] == "Lines &amp; lines<br/>Another line"
    assert segments["Titolo"] == "Title"
    with pytest.raises(ValueError, match="paragraphs"):
        as_segments({"<p>Uno</p><p>Due</p>": "<p>One and two</p>"})


def home_type():
    return ContentType.objects.get_for_model(HomePage)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return " ".join(soup.main.get_text(" ").split())


@pytest.mark.django_db
def test_the_english_demo_pages_are_english(demo_site, client):
    untranslated = {}
    # Not the home page: the tests' own (tests/conftest.py), made before the demo.
    translations = Translation.objects.exclude(source__specific_content_type=home_type())
    for translation in translations.select_related("source"):
        missing = [entry.msgid for entry in translation.export_po() if not entry.msgstr]
        if missing:
            untranslated[str(translation.source.get_source_instance())] = missing
    assert untranslated == {}

    # The project's pages: rich text, paragraph by paragraph.
    project = text(client, "/en/the-project/")
    assert "is a two-year project against unemployment" in project
    assert "progetto biennale" not in project and "è promosso" not in project
    privacy = text(client, "/en/privacy/")
    assert "The data you give us when you sign up" in privacy
    assert "I dati che ci lasci" not in privacy
    accessibility = text(client, "/en/accessibility/")
    assert "The site follows the WCAG 2.1 level AA guidelines" in accessibility
    assert "Il sito segue" not in accessibility

    # A course: its description (a StreamField paragraph) and what you learn
    # (a text of several lines).
    course = text(
        client,
        "/en/network/sartoria-fili-di-rodano/basic-tailoring-from-pattern-to-finished-garment/",
    )
    assert "Find out about the course, its dates and how to sign up." in course
    assert "The basics of the trade Tools and safety How to present yourself" in course
    for italian in ("Scopri il corso", "Le basi del mestiere", "Come presentarsi"):
        assert italian not in course

    # Courses with an English title are translated, their partners too.
    for url, title in (
        ("/en/network/studio-digitale-milano-est/excel-from-scratch/", "Excel from scratch"),
        ("/en/network/forno-di-segrate/haccp-food-hygiene-for-food-workers/", "HACCP food hygiene"),
    ):
        page = text(client, url)
        assert title in page and "A hands-on course with" in page
        assert "Un percorso pratico" not in page
    welding = text(client, "/en/network/officina-brambilla/wire-and-stick-welding/")
    assert "Wire and stick welding" in welding
    assert "Welder wanted" in welding  # the opportunity after the course
    partner = text(client, "/en/network/officina-brambilla/")
    assert "Metalwork and welding workshop in Vimodrone since 1978." in partner
    assert "Officina di carpenteria" not in partner
    feed = client.get("/en/feeds/academy.ics").content.decode().replace("\r\n ", "")
    summaries = set(re.findall(r"^SUMMARY:(.*)\r$", feed, flags=re.MULTILINE))
    assert {"Excel from scratch", "CV and job interview"} <= summaries
    assert not {"Excel da zero", "Curriculum e colloquio di lavoro"} & summaries

    # Their addresses read in English too: each English course's slug is
    # made from its English title, none is the Italian one with "-en".
    english_courses = CoursePage.objects.filter(locale__language_code="en")
    assert english_courses.count() >= 10
    assert [c.url_path for c in english_courses if c.slug != slugify(c.title)] == []

    # The challenges' FAQ and the fund's story, as before.
    challenge = text(client, "/en/network/comune-di-pioltello/anziani-soli/")
    assert "Can I apply if I am unemployed?" in challenge
    assert "Feasibility, local impact" in challenge
    fund = text(client, "/en/solidarity-fund/")
    assert "It started with 40,000 euros" in fund


@pytest.mark.django_db
def test_an_english_course_slug_is_free_among_its_siblings(home, english):
    """Another page under the English partner page may have the slug the
    English title makes (a challenge, an opportunity, a course)."""
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory, slug="studio")
    directory.copy_for_translation(english).save_revision().publish()
    partner_en = partner.copy_for_translation(english)
    partner_en.save_revision().publish()
    course = CoursePageFactory(parent=partner, slug="excel-da-zero")
    context = DemoContext()
    assert english_slug(course, "Excel from scratch", context) == "excel-from-scratch"
    CoursePageFactory(parent=partner_en, slug="excel-from-scratch", locale=english)
    assert english_slug(course, "Excel from scratch", context) == "excel-from-scratch-1"
