"""A search that finds every kind of result stays within the budget of
public pages (tests/courses/test_query_budget.py: at most 15 queries) on
the first render after a structural change, in both languages, and in
English with every cache emptied too, and editors' picks follow
their changes although the query strings that have some are kept per
content generation (search/vocabulary.py)."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.cache import bump_structure_generation
from tests.courses.factories import CourseSessionFactory, VenueFactory
from tests.courses.test_query_budget import empty_every_cache, translated
from tests.factories import StandardPageFactory
from tests.partners.factories import LabourNeedFactory

from .conftest import publish

pytestmark = pytest.mark.django_db

TARGET = 15


@pytest.fixture
def every_kind(world, home):
    """A search for "sartoria" finds courses, another page, a labour need
    and a place where a course meets."""
    venue = VenueFactory(name="Sartoria sociale")
    CourseSessionFactory(page=world.sartoria, venue=venue)
    publish(world.sartoria)
    LabourNeedFactory(title="Sarte per la sartoria")
    StandardPageFactory(parent=home, title="La sartoria del quartiere", slug="quartiere")
    return "/it/search/?query=sartoria"


def kinds(html):
    page = BeautifulSoup(html, "html.parser")
    return [h.get_text(" ", strip=True) for h in page.select(".search-group h2")]


def searched_after(client, url, change):
    """The kinds of results the search at `url` shows on its first render
    after `change`, and its queries (without the test's SAVEPOINTs), once
    the place found was checked to name the course that meets there."""
    client.get(url)
    change()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    places = BeautifulSoup(html, "html.parser").select(".result")
    place = next(p for p in places if "sociale" in p.get_text())
    assert "Sartoria per ricominciare" in place.get_text()  # (its English page in English)
    return kinds(html), [q["sql"][:100] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_a_search_finding_every_kind_stays_within_budget_after_a_structural_change(
    client, every_kind
):
    found, counted = searched_after(client, every_kind, bump_structure_generation)
    assert len(found) == 4, found  # courses, places, needs, other pages
    assert len(counted) <= TARGET, "\n".join(counted)


@pytest.fixture
def every_kind_in_english(every_kind, world, home_en, english):
    """The same search in English: the course (its partner and the
    directory too), the labour need and another page translated."""
    translated(world.sartoria, english)
    need = LabourNeedFactory(title="Sarte per la sartoria")
    need_en = need.copy_for_translation(english)
    need_en.title = "Tailors for the sartoria"
    need_en.save()
    StandardPageFactory(
        parent=home_en, locale=english, title="The neighbourhood's sartoria", slug="sartoria"
    )
    return "/en/search/?query=sartoria"


@pytest.mark.parametrize(
    "change", [bump_structure_generation, empty_every_cache], ids=["structure", "empty cache"]
)
def test_an_english_search_finding_every_kind_stays_within_budget(
    client, every_kind_in_english, change
):
    found, counted = searched_after(client, every_kind_in_english, change)
    for kind in ("Courses", "Places", "Needs found by the observatories", "Other pages"):
        assert any(heading.startswith(kind) for heading in found), found
    assert len(counted) <= TARGET, "\n".join(counted)


def picks(client, query):
    page = BeautifulSoup(client.get(f"/it/search/?query={query}").content, "html.parser")
    return [p.h3.get_text(strip=True) for p in page.select(".search-promotions .result")]


def test_editors_picks_follow_their_changes(client, world):
    assert picks(client, "lavoro") == []  # the promoted query strings kept
    pick = SearchPromotion.objects.create(query=Query.get("lavoro"), page=world.saldatura)
    assert picks(client, "lavoro") == ["Saldatura a filo"]
    pick.query = Query.get("cucito")
    pick.save()
    assert picks(client, "lavoro") == []
    assert picks(client, "cucito") == ["Saldatura a filo"]
    pick.delete()
    assert picks(client, "cucito") == []
