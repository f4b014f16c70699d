"""The home page's four fragments (home/home_page.html, `home_fragments`):
each kept per what it shows, and what the cold ones show read together, so
that after a course's change the home page reads its course lists alone."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import home_lists, localize
from home.templatetags import site_tags
from tests.donations.factories import DonationPageFactory
from tests.factories import StandardPageFactory, furnish_home

from .conftest import publish

pytestmark = pytest.mark.django_db


def _text(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ")


@pytest.fixture
def furnished(world, home):
    """The home page as the demo's: areas and featured pages (a standard
    page and a course), a hero linking to the standard page, a fund."""
    project = StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    publish(DonationPageFactory(parent=home))
    furnish_home(home, [project, world.saldatura])
    return home


@pytest.fixture
def reads():
    """What the home page reads: its lists, its chosen pages and its hero."""
    with (
        mock.patch.object(home_lists, "read", side_effect=home_lists.read) as lists,
        mock.patch.object(
            localize, "localize_chosen_ids", side_effect=localize.localize_chosen_ids
        ) as chosen,
        mock.patch.object(site_tags, "read_hero", side_effect=site_tags.read_hero) as hero,
    ):
        yield {"lists": lists, "chosen": chosen, "hero": hero}


def _names(mocked):
    return [set(call.args[3]) for call in mocked.call_args_list]


def test_after_a_course_change_the_home_page_reads_its_course_lists_alone(
    client, world, furnished, reads
):
    client.get(furnished.url)
    assert _names(reads["lists"]) == [set(home_lists.NAMES)]  # every fragment cold: all at once
    assert reads["hero"].call_count == reads["chosen"].call_count == 1
    for mocked in reads.values():
        mocked.reset_mock()

    world.sartoria.title = "Sartoria e cucito"
    publish(world.sartoria)

    with CaptureQueriesContext(connection) as queries:
        page = _text(client.get(furnished.url))
    assert "Sartoria e cucito" in page and "Sartoria per ricominciare" not in page
    assert _names(reads["lists"]) == [{"sessions", "courses"}]
    assert reads["hero"].call_count == reads["chosen"].call_count == 0
    # the lists (two queries), the changed card's dates and topics
    assert len(queries) == 4, [q["sql"][:80] for q in queries]
    assert "Il progetto" in page and "Per cominciare" in page  # the warm fragments
    # The card rendered again names its partner, kept per the site's part
    # (not read again with the lists).
    soup = BeautifulSoup(client.get(furnished.url).content, "html.parser")
    card = next(c for c in soup.select(".course-card") if "Sartoria e cucito" in c.get_text())
    assert "Cooperativa Uno" in card.get_text(" ")


def test_a_course_chosen_on_the_home_page_shows_its_change_there(client, world, furnished, reads):
    client.get(furnished.url)
    for mocked in reads.values():
        mocked.reset_mock()

    world.saldatura.title = "Saldatura a filo continuo"
    publish(world.saldatura)

    soup = BeautifulSoup(client.get(furnished.url).content, "html.parser")
    featured = soup.select_one(".featured").get_text(" ")
    assert "Saldatura a filo continuo" in featured
    # The featured pages' fragment and the areas' went cold with it (the
    # course is chosen in both), the fund's did not.
    assert _names(reads["lists"]) == [{"sessions", "courses", "opportunities", "challenges"}]
    assert reads["chosen"].call_count == 1


def test_another_course_change_leaves_the_chosen_pages_fragments_warm(
    client, world, furnished, reads
):
    client.get(furnished.url)
    for mocked in reads.values():
        mocked.reset_mock()

    world.excel.title = "Excel avanzato"
    publish(world.excel)

    assert "Excel avanzato" in _text(client.get(furnished.url))
    assert _names(reads["lists"]) == [{"sessions", "courses"}]
    assert reads["chosen"].call_count == 0


def test_a_fragment_gone_after_the_look_renders_with_its_own_reads(client, world, furnished):
    """A fragment that leaves the cache between `home_fragments`' look and
    its own tag (evicted, expired) is rendered anyway: its tags read what
    they were not given."""
    expected = _text(client.get(furnished.url))
    cache.clear()
    everything = mock.MagicMock(get_many=lambda keys: dict.fromkeys(keys, "kept"))
    with mock.patch.object(site_tags, "_fragment_cache", return_value=everything):
        assert _text(client.get(furnished.url)) == expected
