"""Opportunity pages carry the enquiry form yet come from the whole-page
cache: each visitor gets the cached page with their own CSRF token and
"shown at" time filled in, and the minimum time before sending still holds."""

import datetime
import types

import pytest
from bs4 import BeautifulSoup

from django.core import signing
from django.test import Client
from django.utils import timezone

from home.models import SiteFooter
from partners import enquiries
from partners.enquiries import _SIGNING_SALT
from partners.models import Enquiry

from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .opportunity_factories import OpportunityPageFactory

pytestmark = pytest.mark.django_db

URL = "/it/rete/logistica/tirocinio/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    SiteFooter.load()  # created on first use, which counts as a change


class Clock:
    """The time the enquiry form reads (when it is shown and when it is sent)."""

    def __init__(self):
        self.moment = timezone.now()

    def now(self):
        return self.moment

    def tick(self, delta):
        self.moment += delta


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(enquiries, "timezone", types.SimpleNamespace(now=clock.now))
    return clock


@pytest.fixture
def opportunity(home):
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(
        parent=directory, title="Segrate Logistica", slug="logistica", email="hr@logistica.example"
    )
    return OpportunityPageFactory(parent=partner, title="Tirocinio", slug="tirocinio")


def hidden_fields(response):
    form = BeautifulSoup(response.content, "html.parser").select_one("form.enquiry-form")
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


def enquiry(hidden, **overrides):
    return {
        **hidden,
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "message": "Buongiorno, ho finito il corso di magazzino e vorrei candidarmi.",
        "privacy": "on",
        "website": "",
        **overrides,
    }


def shown_at(hidden):
    return signing.loads(hidden["shown_at"], salt=_SIGNING_SALT)


def test_a_new_visitor_sends_an_enquiry_from_a_cached_page(client, opportunity, clock):
    first = client.get(URL)
    assert first["X-Page-Cache"] == "miss"
    assert b"placeholder" not in first.content

    clock.tick(datetime.timedelta(seconds=60))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(URL)
    assert page["X-Page-Cache"] == "hit"
    assert b"placeholder" not in page.content
    assert "csrftoken" in page.cookies  # set as a fresh render would
    assert "Cookie" in page["Vary"]
    hidden = hidden_fields(page)
    assert hidden["csrfmiddlewaretoken"] != hidden_fields(first)["csrfmiddlewaretoken"]
    # The visitor's own time, not the time the page was cached.
    assert shown_at(hidden) == int(clock.now().timestamp())
    assert shown_at(hidden) - shown_at(hidden_fields(first)) == 60

    clock.tick(datetime.timedelta(seconds=30))
    response = visitor.post(URL, enquiry(hidden))
    assert response.status_code == 302, response.content[:500]
    assert Enquiry.objects.get().name == "Amina Diallo"

    # Without the CSRF token the same POST is refused, so the check is real.
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(URL, enquiry({"shown_at": hidden["shown_at"]}))
    assert refused.status_code == 403


def test_the_minimum_time_still_counts_from_the_visitors_own_view(client, opportunity, clock):
    client.get(URL)  # cached now
    clock.tick(datetime.timedelta(minutes=10))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(URL)
    assert page["X-Page-Cache"] == "hit"
    # Sent a second after this visitor got the page: too quick, although the
    # cached page is ten minutes old.
    clock.tick(datetime.timedelta(seconds=1))
    response = visitor.post(URL, enquiry(hidden_fields(page)))
    assert response.status_code == 400
    assert "Troppo veloce!" in response.text
    assert Enquiry.objects.count() == 0


def test_publishing_the_opportunity_makes_the_page_stale(client, opportunity):
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    opportunity.intro = "Sei mesi in magazzino"
    opportunity.save_revision().publish()
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Sei mesi in magazzino" in response.text
