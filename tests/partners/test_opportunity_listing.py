"""The opportunity index (filters, expiry, archive), the cards on partner
profiles and the template tags for the home page and related pages."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from home.demo import translate
from partners.choices import Audience, OpportunityKind
from partners.models import OpportunityRelatedPage
from partners.opportunity_listing import OpportunityFilterForm

from ..factories import StandardPageFactory
from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .opportunity_factories import OpportunityIndexPageFactory, OpportunityPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(home):
    directory = PartnerIndexPageFactory(parent=home)
    return PartnerPageFactory(parent=directory, title="Segrate Logistica", slug="logistica")


@pytest.fixture
def index(home):
    return OpportunityIndexPageFactory(parent=home)


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".opportunity-card h3 a")]


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def test_open_only_closing_soon_first_expired_in_archive(client, index, partner):
    OpportunityPageFactory(parent=partner, title="Tra un mese", deadline=days(30))
    OpportunityPageFactory(parent=partner, title="Domani", deadline=days(1))
    OpportunityPageFactory(parent=partner, title="Sempre aperta", deadline=None, ongoing=True)
    OpportunityPageFactory(parent=partner, title="Scaduta ieri", deadline=days(-1))
    OpportunityPageFactory(parent=partner, title="Scaduta da tempo", deadline=days(-90))
    draft = OpportunityPageFactory(parent=partner, title="Bozza", deadline=days(2))
    draft.unpublish()

    response = client.get("/it/opportunita/")
    assert response.status_code == 200
    assert titles(response) == ["Domani", "Tra un mese", "Sempre aperta"]
    assert "3 opportunità aperte" in response.text or "3 open" in response.text

    archive = client.get("/it/opportunita/?status=closed")
    assert titles(archive) == ["Scaduta ieri", "Scaduta da tempo"]
    assert 'content="noindex"' in archive.text

    # The expired page itself stays reachable and says it is closed, with no form.
    page = client.get("/it/rete/logistica/scaduta-ieri/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one(".notice--closed") is not None
    assert soup.select_one("form.enquiry-form") is None


def test_expiry_is_computed_at_request_time(client, index, partner):
    OpportunityPageFactory(
        parent=partner, title="Quasi chiusa", deadline=days(0) + datetime.timedelta(hours=1)
    )
    assert titles(client.get("/it/opportunita/")) == ["Quasi chiusa"]
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert titles(client.get("/it/opportunita/")) == []
        assert titles(client.get("/it/opportunita/?status=closed")) == ["Quasi chiusa"]


def test_filters_and_their_combinations(client, index, partner):
    OpportunityPageFactory(
        parent=partner,
        title="Tirocinio Segrate",
        kind=OpportunityKind.INTERNSHIP,
        comune="segrate",
        audiences=[Audience.NEET],
    )
    OpportunityPageFactory(
        parent=partner,
        title="Lavoro Pioltello",
        kind=OpportunityKind.JOB,
        comune="pioltello",
        audiences=[Audience.OVER_50],
    )
    OpportunityPageFactory(
        parent=partner,
        title="Contributo distretto",
        kind=OpportunityKind.FUNDING,
        comune="district",
        audiences=[Audience.EVERYONE],
    )
    OpportunityPageFactory(
        parent=partner,
        title="Lavoro scaduto",
        kind=OpportunityKind.JOB,
        comune="pioltello",
        audiences=[Audience.OVER_50],
        deadline=days(-3),
    )

    def listed(query):
        return sorted(titles(client.get(f"/it/opportunita/?{query}")))

    assert listed("kind=job") == ["Lavoro Pioltello"]
    # The whole district counts for every comune; "everyone" for every audience.
    assert listed("comune=segrate") == ["Contributo distretto", "Tirocinio Segrate"]
    assert listed("audience=over_50") == ["Contributo distretto", "Lavoro Pioltello"]
    assert listed("kind=job&comune=pioltello&audience=over_50") == ["Lavoro Pioltello"]
    assert listed("kind=job&comune=segrate") == []
    assert listed("kind=job&status=closed") == ["Lavoro scaduto"]
    assert listed("comune=pioltello&audience=over_50&status=closed") == ["Lavoro scaduto"]
    # Unknown values: a clear message, the whole open list, no error.
    response = client.get("/it/opportunita/?kind=bogus&comune=<script>")
    assert response.status_code == 200
    assert len(titles(response)) == 3
    assert "errorlist" in response.text


def test_index_query_count_is_constant_and_paginated(client, index, partner):
    OpportunityPageFactory(parent=partner)
    client.get("/it/opportunita/")  # warms the site and locale caches
    with CaptureQueriesContext(connection) as few:
        client.get("/it/opportunita/")
    for _n in range(14):
        OpportunityPageFactory(parent=partner)
    client.get("/it/opportunita/")  # the new pages invalidated the cached header and footer
    with CaptureQueriesContext(connection) as many:
        response = client.get("/it/opportunita/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(titles(response)) == 12
    assert len(titles(client.get("/it/opportunita/?page=2"))) == 3
    assert len(titles(client.get("/it/opportunita/?page=99"))) == 3


def test_english_index_shows_translations_and_untranslated_in_italian(
    client, index, partner, english
):
    translate(index, {"opportunita": "opportunities", "Opportunità": "Opportunities"}, english)
    translate(partner.get_parent(), {"rete": "network"}, english)
    translate(partner, {}, english)
    done = OpportunityPageFactory(parent=partner, title="Tirocinio", slug="tirocinio")
    OpportunityPageFactory(parent=partner, title="Solo in italiano")
    translate(done, {"Tirocinio": "Internship", "tirocinio": "internship"}, english)
    response = client.get("/en/opportunities/")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Internship", "Solo in italiano"]
    soup = BeautifulSoup(response.content, "html.parser")
    italian_card = [c for c in soup.select(".opportunity-card") if "Solo in italiano" in c.text][0]
    assert italian_card["lang"] == "it"
    page = client.get("/en/network/logistica/internship/")
    assert page.status_code == 200
    assert "Apply by" in page.text


def test_partner_profile_lists_its_opportunities_with_their_card(client, partner):
    OpportunityPageFactory(parent=partner, title="Tirocinio aperto", value="€ 500 al mese")
    OpportunityPageFactory(parent=partner, title="Bando chiuso", deadline=days(-5))
    soup = BeautifulSoup(client.get("/it/rete/logistica/").content, "html.parser")
    cards = {c.h3.get_text(strip=True): c for c in soup.select(".opportunity-card")}
    assert set(cards) == {"Tirocinio aperto", "Bando chiuso"}
    assert "€ 500 al mese" in cards["Tirocinio aperto"].text
    assert "opportunity-card--closed" in cards["Bando chiuso"]["class"]


def _render(template, **context):
    request = RequestFactory().get("/it/")
    return Template("{% load opportunity_tags %}" + template).render(
        Context({"request": request, **context})
    )


def test_home_page_shows_a_few_closing_soon(client, index, partner):
    for n in range(5):
        OpportunityPageFactory(parent=partner, title=f"Scade tra {n + 1}", deadline=days(n + 1))
    OpportunityPageFactory(parent=partner, title="Sempre", deadline=None, ongoing=True)
    OpportunityPageFactory(parent=partner, title="Scaduta", deadline=days(-1))
    soup = BeautifulSoup(client.get("/it/").content, "html.parser")
    teaser = soup.select_one(".opportunities-teaser")
    assert [a.get_text(strip=True) for a in teaser.select("h3 a")] == [
        "Scade tra 1",
        "Scade tra 2",
        "Scade tra 3",
    ]
    assert teaser.select_one('a[href="/it/opportunita/"]') is not None


def test_opportunities_for_a_related_page(client, home, index, partner, english):
    # Any page works: the tag only needs its translation key.
    course = StandardPageFactory(parent=home, title="Corso di magazzino")
    other = StandardPageFactory(parent=home, title="Altro corso")
    linked = OpportunityPageFactory(parent=partner, title="Dopo il corso")
    OpportunityRelatedPage.objects.create(opportunity=linked, page=course)
    closed = OpportunityPageFactory(parent=partner, title="Chiusa", deadline=days(-1))
    OpportunityRelatedPage.objects.create(opportunity=closed, page=course)
    OpportunityPageFactory(parent=partner, title="Non collegata")
    html = _render("{% opportunities_for page %}", page=course)
    assert "Dopo il corso" in html
    assert "Chiusa" not in html and "Non collegata" not in html
    assert _render("{% opportunities_for page %}", page=other).strip() == ""
    # The course's English translation finds the same opportunity.
    course_en = translate(course, {}, english)
    with translation.override("en"):
        assert "Dopo il corso" in _render("{% opportunities_for page %}", page=course_en)
    # Translating the opportunity keeps its related pages (synchronised), and
    # the English course then shows the English opportunity.
    translate(partner.get_parent(), {}, english)
    translate(partner, {}, english)
    linked_en = translate(linked, {"Dopo il corso": "After the course"}, english)
    assert [link.page_id for link in linked_en.related_pages.all()] == [course.pk]
    with translation.override("en"):
        html_en = _render("{% opportunities_for page %}", page=course_en)
    assert "After the course" in html_en and "Dopo il corso" not in html_en
    # The opportunity page links back to the related page.
    response_html = BeautifulSoup(client.get(linked.url).content, "html.parser")
    assert response_html.select_one(".related-list a").get_text() == "Corso di magazzino"


def test_empty_filtered_result_suggests_the_filter_to_remove(client, index, partner):
    """The shared listing (partners/listing.py) does for opportunities what
    it does for the partner directory."""
    OpportunityPageFactory(
        parent=partner, title="Tirocinio", kind=OpportunityKind.INTERNSHIP, comune="segrate"
    )
    response = client.get("/it/opportunita/?kind=job&comune=segrate")
    assert titles(response) == []
    soup = BeautifulSoup(response.content, "html.parser")
    notice = soup.select_one(".empty-result")
    assert "Nessuna opportunità" in notice.get_text()
    link = notice.select_one("li a")["href"]
    assert link == "/it/opportunita/?comune=segrate"
    assert titles(client.get(link)) == ["Tirocinio"]


def test_the_for_filter_tells_no_filter_from_the_everyone_audience(client, index):
    """The empty choice of "For" used to read "Everybody" ("Tutte le persone")
    beside the audience "Everyone" ("Tutti"): a visitor could not tell
    "no filter" from "only opportunities open to everyone"."""
    soup = BeautifulSoup(client.get("/it/opportunita/").content, "html.parser")
    labels = [o.get_text(strip=True) for o in soup.select("select[name=audience] option")]
    assert labels[0] == "Qualsiasi destinatario"
    assert "Tutti" in labels[1:]
    assert len({label.casefold() for label in labels}) == len(labels)
    with translation.override("en"):
        choices = dict(OpportunityFilterForm().fields["audience"].choices)
        assert (str(choices[""]), str(choices[Audience.EVERYONE])) == ("Any audience", "Everyone")
