"""The home page's lists read together (home/home_lists.py): the same pages
in the same order as each list's own query, never a draft or a restricted
page, the Italian fallbacks in English, and the session clock worked out
on the way."""

import datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import PageViewRestriction

from courses.catalogue import (
    known_session_clock,
    newest_with_dates,
    next_sessions,
    session_clock,
)
from courses.models import CourseSession
from donations.progress import fund_pages
from home import home_lists
from home.cache import bump_content_generation
from home.demo import translate
from partners.challenge_index import open_calls
from partners.opportunity_listing import closing_soon

from ..donations.factories import DonationPageFactory
from ..partners.challenge_factories import ChallengeIndexPageFactory, ChallengePageFactory
from ..partners.opportunity_factories import OpportunityIndexPageFactory, OpportunityPageFactory
from .conftest import publish
from .factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def restrict(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


@pytest.fixture
def lists(world, home):
    """Opportunities, challenges and funds on both sides of every condition."""
    OpportunityIndexPageFactory(parent=home)
    ChallengeIndexPageFactory(parent=home)
    partner = world.coop
    same_day = days(2)
    OpportunityPageFactory(parent=partner, title="Beta", slug="beta", deadline=same_day)
    OpportunityPageFactory(parent=partner, title="Alfa", slug="alfa", deadline=same_day)
    OpportunityPageFactory(parent=partner, title="Tra tre giorni", slug="tre", deadline=days(3))
    OpportunityPageFactory(parent=partner, title="Tra un mese", slug="mese", deadline=days(30))
    OpportunityPageFactory(
        parent=partner, title="Sempre", slug="sempre", deadline=None, ongoing=True
    )
    draft = OpportunityPageFactory(parent=partner, title="Bozza", slug="bozza-o", deadline=days(1))
    draft.unpublish()
    restrict(
        OpportunityPageFactory(parent=partner, title="Riservata", slug="ris-o", deadline=days(1))
    )
    for title, closes in (("Sfida cinque", 5), ("Sfida due", 2), ("Sfida otto", 8)):
        ChallengePageFactory(parent=partner, title=title, closes_at=days(closes))
    ChallengePageFactory(parent=partner, title="Sfida nove", closes_at=days(9))
    ChallengePageFactory(parent=partner, title="Non ancora", opens_at=days(1), closes_at=days(3))
    draft = ChallengePageFactory(parent=partner, title="Sfida bozza", closes_at=days(1))
    draft.unpublish()
    restrict(ChallengePageFactory(parent=partner, title="Sfida riservata", closes_at=days(1)))
    restrict(DonationPageFactory(parent=home, title="Fondo riservato", slug="fondo-riservato"))
    DonationPageFactory(parent=home, title="Fondo Solidale", slug="fondo-solidale")
    DonationPageFactory(parent=home, title="Secondo fondo", slug="secondo-fondo")
    return partner


def texts(soup, selector):
    return [element.get_text(strip=True) for element in soup.select(selector)]


def test_the_home_page_lists_only_live_public_pages_in_each_lists_order(client, lists):
    soup = BeautifulSoup(client.get("/it/").content, "html.parser")
    assert texts(soup, ".opportunities-teaser h3 a") == ["Alfa", "Beta", "Tra tre giorni"]
    assert texts(soup, ".open-challenges h3 a") == ["Sfida due", "Sfida cinque", "Sfida otto"]
    assert texts(soup, "#fund-teaser-heading") == ["Fondo Solidale"]
    assert texts(soup, ".featured .course-card h3 a") == [
        "Saldatura a filo",
        "Excel per il lavoro",
        "Sartoria per ricominciare",
    ]
    assert soup.select_one(".open-challenges a.button")["href"] == "/it/sfide/"
    assert soup.select_one('.opportunities-teaser a[href="/it/opportunita/"]') is not None


def test_the_lists_read_together_are_each_lists_own(lists, italian, english):
    """What `read` finds is what each tag reads alone, in both languages."""
    for locale in (italian, english):
        with translation.override(locale.language_code):
            now = timezone.now()
            found = home_lists.read(locale, italian.pk, now)
            assert found["opportunities"] == closing_soon(locale, 3)
            assert found["challenges"] == list(open_calls(locale, now)[:3])
            assert found["fund"] == list(fund_pages(locale)[:1])
            assert found["courses"] == list(newest_with_dates(locale, italian.pk, now)[:3])
            sessions, _translations = found["sessions"]
            assert sessions == list(next_sessions(italian.pk, now)[:6])
    assert found["fund"] == [] and found["challenges"] == []


def test_in_english_the_lists_fall_back_to_italian(client, world, lists, english):
    translate(world.coop.get_parent(), {"rete": "network"}, english)
    translate(world.coop, {}, english)
    translate(
        world.sartoria,
        {"Sartoria per ricominciare": "Tailoring to start again", "sartoria": "tailoring"},
        english,
    )
    translate(
        lists.get_children().get(slug="tre").specific, {"Tra tre giorni": "In three days"}, english
    )
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    sessions = {
        row.select_one("a").get_text(strip=True): row for row in soup.select(".session-row")
    }
    assert "Tailoring to start again" in sessions
    assert sessions["Tailoring to start again"].select_one(".badge--language") is None
    assert sessions["Excel per il lavoro"].select_one(".badge--language") is not None
    # The Italian title is marked as Italian, so screen readers say it right.
    assert sessions["Excel per il lavoro"].select_one("a").get("lang") == "it"
    assert sessions["Tailoring to start again"].select_one("a").get("lang") is None
    teaser = soup.select(".opportunities-teaser .opportunity-card")
    assert [card.h3.get_text(strip=True) for card in teaser] == ["Alfa", "Beta", "In three days"]
    assert [card.get("lang") for card in teaser] == ["it", "it", None]
    cards = {card.h3.get_text(strip=True): card for card in soup.select(".featured .course-card")}
    assert cards["Tailoring to start again"].select_one(".badge--language") is None
    assert cards["Excel per il lavoro"].select_one(".badge--language") is not None
    assert cards["Excel per il lavoro"].select_one("h3 a").get("lang") == "it"


def test_the_next_sessions_work_out_the_session_clock(client, world):
    client.get("/it/")
    bump_content_generation()
    client.get("/it/")
    now = timezone.now()
    kept = known_session_clock(now)
    cache.clear()
    assert kept is not None
    assert kept == session_clock(now)


def hero_href(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.select_one(".hero a.button")["href"]


def test_the_hero_links_to_its_pages_live_translation(client, world, home_en, english):
    """The hero's link, its translation and the image are read together;
    the link goes to the live translation in the visitor's language, else
    to the page chosen."""
    home_en.hero_image = wagtail_factories.ImageFactory()
    home_en.hero_link = world.sartoria
    home_en.save_revision().publish()
    assert hero_href(client, "/en/") == "/it/rete/coop-uno/sartoria/"
    translate(world.coop.get_parent(), {"rete": "network"}, english)
    translate(world.coop, {}, english)
    tailoring = translate(world.sartoria, {"sartoria": "tailoring"}, english)
    assert hero_href(client, "/en/") == "/en/network/coop-uno/tailoring/"
    tailoring.refresh_from_db()
    tailoring.unpublish()
    assert hero_href(client, "/en/") == "/it/rete/coop-uno/sartoria/"


def test_the_heros_translation_costs_no_query_of_its_own(client, world, home_en, english):
    """A link to an Italian page is read in English in the query that reads
    the link and the image: as many queries as a link to an English page."""
    translate(world.coop.get_parent(), {"rete": "network"}, english)
    translate(world.coop, {}, english)
    tailoring = translate(world.sartoria, {"sartoria": "tailoring"}, english)
    home_en.hero_image = wagtail_factories.ImageFactory()

    def queries_with_link(page):
        home_en.hero_link = page
        home_en.save_revision().publish()
        client.get("/en/")
        with CaptureQueriesContext(connection) as queries:
            assert hero_href(client, "/en/") == "/en/network/coop-uno/tailoring/"
        return len(queries)

    assert queries_with_link(world.sartoria) == queries_with_link(tailoring)


def test_sessions_starting_together_keep_one_order(world, italian, english):
    """Many courses starting at the same time: the next sessions are always
    the same ones, in a course's own order and then the oldest first, both
    read alone and with the home page's other lists, whatever order the
    database keeps the rows in."""
    start = days(3).replace(second=0, microsecond=0)
    together = []
    for number in range(8):
        course = CoursePageFactory(
            parent=world.coop, title=f"Insieme {number}", slug=f"insieme-{number}"
        )
        together.append(CourseSessionFactory(page=course, start=start))
        publish(course)
    # Rewrite the oldest rows, so that PostgreSQL keeps them last on disk.
    CourseSession.objects.filter(pk__in=[s.pk for s in together[:4]]).update(note="")
    expected = [session.pk for session in together[:6]]
    now = timezone.now()
    assert [s.pk for s in next_sessions(italian.pk, now)[:6]] == expected
    assert list(next_sessions(italian.pk, now).query.order_by)[-1] == "pk"
    for locale in (italian, english):
        sessions, _translations = home_lists.read(locale, italian.pk, now)["sessions"]
        assert [s.pk for s in sessions] == expected
