"""Course pages: content, sessions in both languages, JSON-LD, and the
English catalogue."""

import json

import pytest
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.catalogue import known_session_clock, session_clock
from courses.models import CoursePage, CourseSession
from home.cache import bump_content_generation
from home.demo import translate
from home.routing import _rows_key

from .conftest import publish
from .factories import CourseSessionFactory


def translate_section(world, english):
    """The English partner section (plain copies) and catalogue."""
    directory = world.coop.get_parent()
    directory.copy_for_translation(english).save_revision().publish()
    for partner in (world.coop, world.artisan):
        partner.copy_for_translation(english).save_revision().publish()
    catalogue = world.catalogue.copy_for_translation(english)
    catalogue.title, catalogue.slug = "Courses", "courses"
    publish(catalogue)


@pytest.fixture
def english_sartoria(world, english, home_en):
    translate_section(world, english)
    return translate(
        world.sartoria,
        {
            "Sartoria per ricominciare": "Tailoring for a new start",
            "sartoria": "tailoring",
            world.sartoria.intro: "A hands-on course to get back to work.",
        },
        english,
    )


def json_ld(response):
    soup = BeautifulSoup(response.content, "html.parser")
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.mark.django_db
def test_course_page_shows_sessions_partner_and_details(client, world):
    response = client.get(world.saldatura.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Saldatura a filo"
    cards = soup.select(".session-card")
    assert len(cards) == 1
    session = world.saldatura.sessions.get()
    assert cards[0]["id"] == f"session-{session.uid}"
    local = timezone.localtime(session.start)
    assert local.strftime("%H:%M") in cards[0].get_text()
    assert "Sala Rodano" in cards[0].get_text()
    assert soup.select_one(f"#signup-{session.uid}") is not None
    text = soup.get_text(" ")
    assert "Bottega Due" in text and "Cooperativa Uno" in text  # partner and co-organiser


@pytest.mark.django_db
def test_times_are_shown_in_italian_time(client, world):
    session = world.excel.sessions.get()
    response = client.get(world.excel.url)
    # 18:00 in Rome, whatever the offset from UTC on that day.
    assert f"{session.start.astimezone(timezone.get_default_timezone()):%H:%M}" == "18:00"
    assert (
        "18:00"
        in BeautifulSoup(response.content, "html.parser").select_one(".session-when").get_text()
    )


@pytest.mark.django_db
def test_json_ld_describes_the_course_its_sessions_and_provider(client, world):
    data = json_ld(client.get(world.saldatura.url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "Saldatura a filo"
    assert data["description"] == "Impara a saldare in officina."
    assert data["provider"] == {
        "@type": "Organization",
        "name": "Bottega Due",
        "url": "http://testserver/it/rete/bottega-due/",
    }
    [instance] = data["hasCourseInstance"]
    session = world.saldatura.sessions.get()
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "Blended"
    assert instance["startDate"] == timezone.localtime(session.start).isoformat()
    assert instance["endDate"] == timezone.localtime(session.end).isoformat()
    place, virtual = instance["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Rodano"
    assert virtual["@type"] == "VirtualLocation"
    online = json_ld(client.get(world.excel.url))["hasCourseInstance"][0]
    assert online["courseMode"] == "Online"
    assert online["location"]["@type"] == "VirtualLocation"


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of(client, world):
    world.saldatura.title = "Saldatura </script><script>alert(1)</script>"
    publish(world.saldatura)
    response = client.get(world.saldatura.get_url())
    assert b"<script>alert(1)" not in response.content
    assert json_ld(response)["name"] == world.saldatura.title


@pytest.mark.django_db
def test_translated_course_shows_english_text_and_the_same_sessions(
    client, world, english_sartoria
):
    assert not CourseSession.objects.filter(page=english_sartoria).exists()
    italian = BeautifulSoup(client.get(world.sartoria.url).content, "html.parser")
    response = client.get("/en/courses/")
    assert response.status_code == 200
    response = client.get(english_sartoria.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Tailoring for a new start"
    assert "A hands-on course to get back to work." in soup.get_text()
    ids = [card["id"] for card in soup.select(".session-card")]
    assert ids == [card["id"] for card in italian.select(".session-card")]
    assert len(ids) == 2
    assert soup.select_one(".badge--language") is None
    # Editing a session on the Italian page shows on the English one.
    CourseSessionFactory(page=world.sartoria, start=timezone.now() + timezone.timedelta(days=9))
    publish(world.sartoria)
    soup = BeautifulSoup(client.get(english_sartoria.url).content, "html.parser")
    assert len(soup.select(".session-card")) == 3


@pytest.mark.django_db
def test_session_texts_written_once_in_italian_are_marked_italian_on_the_english_page(
    client, world, english_sartoria
):
    """A session's note and its "how to join online" are written once, on
    the Italian page: the English page shows them as they are, marked as
    Italian so that screen readers pronounce them right."""
    session = world.sartoria.sessions.order_by("start").last()
    session.format, session.venue = "online", None
    session.online_notes, session.note = "Il link arriva per e-mail.", "Portare un quaderno."
    session.save()
    english = BeautifulSoup(client.get(english_sartoria.url).content, "html.parser")
    italian = BeautifulSoup(client.get(world.sartoria.url).content, "html.parser")
    for soup, lang in ((english, "it"), (italian, None)):
        card = soup.select_one(f"#session-{session.uid}")
        online = card.find("dd", string="Il link arriva per e-mail.")
        note = card.select_one(".session-note")
        assert (online.get("lang"), note.get("lang")) == (lang, lang)


@pytest.mark.django_db
def test_english_catalogue_marks_untranslated_courses_italian_only(client, world, english_sartoria):
    response = client.get("/en/courses/")
    soup = BeautifulSoup(response.content, "html.parser")
    cards = {
        card.select_one("h3 a").get_text(strip=True): card for card in soup.select(".course-card")
    }
    assert set(cards) == {"Tailoring for a new start", "Saldatura a filo", "Excel per il lavoro"}
    assert cards["Tailoring for a new start"].select_one(".badge--language") is None
    assert cards["Saldatura a filo"].select_one(".badge--language") is not None
    assert cards["Tailoring for a new start"].select_one("h3 a")["href"].startswith("/en/")
    # An Italian title among English ones is marked, so screen readers say it right.
    assert cards["Saldatura a filo"].select_one("h3 a").get("lang") == "it"
    assert cards["Tailoring for a new start"].select_one("h3 a").get("lang") is None
    # Filters work on both languages alike.
    response = client.get("/en/courses/?comune=pioltello")
    assert [
        a.get_text(strip=True)
        for a in BeautifulSoup(response.content, "html.parser").select(".course-card h3 a")
    ] == ["Tailoring for a new start"]


@pytest.mark.django_db
def test_course_page_shows_the_opportunities_that_list_it(client, world, english_sartoria):
    """ "After this course": open opportunities that name the course, in the
    reader's language; closed ones and other courses' stay out."""
    import datetime

    from partners.models import OpportunityRelatedPage
    from tests.partners.opportunity_factories import OpportunityPageFactory

    after = OpportunityPageFactory(parent=world.coop, title="Tirocinio in sartoria")
    OpportunityRelatedPage.objects.create(opportunity=after, page=world.sartoria)
    closed = OpportunityPageFactory(
        parent=world.coop,
        title="Borsa scaduta",
        deadline=timezone.now() - datetime.timedelta(days=1),
    )
    OpportunityRelatedPage.objects.create(opportunity=closed, page=world.sartoria)
    OpportunityPageFactory(parent=world.coop, title="Altro tirocinio")
    for page in (world.sartoria, english_sartoria):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        section = soup.select_one("#opportunities-for-page").find_parent("section")
        assert [a.get_text() for a in section.select(".opportunity-card h3 a")] == [
            "Tirocinio in sartoria"
        ]
        assert section.select_one("a")["href"].startswith(after.url)
    other = BeautifulSoup(client.get(world.saldatura.url).content, "html.parser")
    assert other.select_one("#opportunities-for-page") is None


def test_the_course_served_is_kept_for_routing_as_read_not_as_its_view_left_it(client, world, home):
    """Routing keeps the page it found per content generation (home/routing.py)
    before the page's view has run: what the view sets on it for one
    request (its Italian source, its listing image) never reaches the
    next visitor."""
    client.get(world.saldatura.url)
    components = world.saldatura.url.strip("/").split("/")[1:]
    _versions, rows = cache.get(_rows_key(home, home.locale, components))
    kept = next(row for row in rows if row.pk == world.saldatura.pk).__dict__["specific"]
    assert isinstance(kept, CoursePage)
    assert "source_page" not in kept.__dict__
    assert client.get(world.saldatura.url).status_code == 200


@pytest.mark.django_db
def test_after_a_change_the_session_clock_comes_with_the_sessions(client, world):
    """The course page reads its sessions at every render; when the session
    clock is not kept (after a change), it is worked out by the same query
    rather than by one of its own, and then kept."""
    client.get(world.sartoria.url)
    bump_content_generation()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(world.sartoria.url)
    assert response.status_code == 200
    sessions = [q["sql"] for q in queries if 'FROM "courses_coursesession"' in q["sql"]]
    assert len(sessions) == 1, sessions  # with the clock's subqueries, no aggregate apart
    now = timezone.now()
    assert known_session_clock(now) == session_clock(now)


@pytest.mark.django_db
def test_seats_are_called_posti_in_italian_not_luoghi(client, world):
    # The search page's group of venues is "Luoghi"; the seats of a session,
    # on the course page and on its card, are "Posti".
    for url in (world.saldatura.url, world.catalogue.url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        terms = {dt.get_text(strip=True) for dt in soup.select("dt")}
        assert "Posti" in terms and "Luoghi" not in terms, url
