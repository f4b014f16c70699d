"""A partner's profile shows the first few pages of each kind below it and
links to the listing of them all, so its size does not grow with them."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.cache import bump_content_generation
from partners.profile import CARDS_PER_KIND
from tests.courses.factories import CourseIndexPageFactory
from tests.courses.signup_factories import make_course

from .challenge_factories import ChallengeIndexPageFactory, ChallengePageFactory
from .factories import PartnerIndexPageFactory, PartnerPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(home):
    CourseIndexPageFactory(parent=home)
    ChallengeIndexPageFactory(parent=home)
    directory = PartnerIndexPageFactory(parent=home)
    return PartnerPageFactory(parent=directory, title="Sartoria Fili", slug="fili")


def cards(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, [a.get_text(strip=True) for a in soup.select(".subpages .card h3 a")]


def test_a_partner_with_many_courses_shows_the_first_and_links_to_the_catalogue(client, partner):
    for n in range(CARDS_PER_KIND + 3):
        course, _sessions = make_course(partner, sessions=1)
        course.title = f"Corso {n}"
        course.save_revision().publish()
    ChallengePageFactory(parent=partner, title="Sfida del riuso")
    soup, titles = cards(client.get(partner.url))
    assert len([t for t in titles if t.startswith("Corso")]) == CARDS_PER_KIND
    assert "Sfida del riuso" in titles
    more = soup.select(".profile-more a")
    assert len(more) == 1  # the challenges are all shown
    assert more[0].get_text(strip=True) == f"Vedi tutti i {CARDS_PER_KIND + 3} corsi nel catalogo"
    assert more[0]["href"].endswith(f"?partner={partner.pk}")
    catalogue = client.get(more[0]["href"])
    assert catalogue.status_code == 200


def test_a_partner_with_few_pages_shows_them_all_without_links(client, partner):
    make_course(partner, sessions=1)
    soup, titles = cards(client.get(partner.url))
    assert len(titles) == 1
    assert soup.select(".profile-more") == []


def queries_after_a_change(client, url):
    client.get(url)
    bump_content_generation()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_links_to_the_listings_cost_one_query_however_many(client, partner):
    """The listings' index pages are read together (home/index_pages.py),
    where each was one query."""
    make_course(partner, sessions=1)
    ChallengePageFactory(parent=partner, title="Sfida", slug="sfida")
    without_links = queries_after_a_change(client, partner.url)
    for n in range(CARDS_PER_KIND):
        make_course(partner, sessions=1)
        ChallengePageFactory(parent=partner, title=f"Sfida {n}", slug=f"sfida-{n}")
    soup, _titles = cards(client.get(partner.url))
    assert len(soup.select(".profile-more a")) == 2
    assert queries_after_a_change(client, partner.url) == without_links + 1


def test_the_english_profile_lists_the_courses_not_translated_yet(client, home, home_en, english):
    """As the English catalogue and indexes do: a page of the partner's
    section without a live English translation is listed in Italian, marked;
    a translated one once, in English; drafts and private pages never."""
    from wagtail.models import PageViewRestriction

    from home.demo import translate

    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory, title="Sartoria Fili", slug="fili")
    translated, _sessions = make_course(partner, title="Orli e cuciture", slug="orli")
    italian_only, _sessions = make_course(partner, title="Solo in italiano", slug="solo")
    draft, _sessions = make_course(partner, title="Bozza", slug="bozza", live=False)
    private, _sessions = make_course(partner, title="Riservato", slug="riservato")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    challenge = ChallengePageFactory(parent=partner, title="Sfida del riuso", slug="sfida")
    translate(directory, {}, english)
    partner_en = translate(partner, {"Sartoria Fili": "Fili Tailoring"}, english)
    translate(translated, {"Orli e cuciture": "Hems and seams"}, english)

    soup, titles = cards(client.get(partner_en.url))
    assert sorted(titles) == ["Hems and seams", "Sfida del riuso", "Solo in italiano"]
    card = next(c for c in soup.select(".course-card") if "Solo in italiano" in c.get_text())
    assert "Italian only" in card.get_text()
    assert card.select_one("h3 a")["href"] == italian_only.url
    assert "Fili Tailoring" in card.get_text()  # the profile in the visitor's language
    english_card = next(c for c in soup.select(".course-card") if "Hems" in c.get_text())
    assert "Italian only" not in english_card.get_text()
    challenge_link = soup.find("a", string="Sfida del riuso")
    assert challenge_link["href"] == challenge.url and challenge_link["lang"] == "it"
    # The Italian profile is unchanged: its own pages, in Italian.
    _soup, titles = cards(client.get(partner.url))
    assert sorted(titles) == ["Orli e cuciture", "Sfida del riuso", "Solo in italiano"]
    assert draft.title not in titles


def test_the_english_profile_links_to_the_catalogue_of_the_italian_one_without_a_query(
    client, home, home_en, english
):
    """More Italian-only courses than a profile shows: the link to the
    catalogue names the Italian profile (its partner filter), found with the
    courses, so the English profile costs what the Italian one does."""
    from django.core.cache import cache

    from home.demo import translate

    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory, title="Sartoria Fili", slug="fili")
    for n in range(CARDS_PER_KIND + 1):
        make_course(partner, title=f"Corso {n}", slug=f"corso-{n}")
    CourseIndexPageFactory(parent=home)
    translate(directory, {}, english)
    partner_en = translate(partner, {"Sartoria Fili": "Fili Tailoring"}, english)

    soup, _titles = cards(client.get(partner_en.url))
    [more] = soup.select(".profile-more a")
    assert more["href"].endswith(f"?partner={partner.pk}")
    assert queries_after_a_change(client, partner_en.url) == queries_after_a_change(
        client, partner.url
    )

    def queries_with_the_cache_empty(url):
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with_the_cache_empty(partner_en.url) == queries_with_the_cache_empty(partner.url)
