"""The site of a request is picked from the sites kept per structure
generation, by Wagtail's own rules, without a query."""

import itertools

import pytest

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from home.sites import all_sites, match_site

pytestmark = pytest.mark.django_db

HOSTS = ["testserver", "a.example.org", "b.example.org"]
PORTS = [80, 443, 8000]
# Sites besides the default one (testserver:80): (hostname, port, default?)
LAYOUTS = [
    [],
    [("a.example.org", 80, False)],
    [("a.example.org", 80, False), ("a.example.org", 8000, False)],
    [("a.example.org", 443, False), ("b.example.org", 80, False)],
    [("a.example.org", 8000, True)],
    [("a.example.org", 80, True), ("a.example.org", 443, False)],
    [("testserver", 8000, False), ("a.example.org", 8000, False), ("a.example.org", 80, False)],
]


def wagtail_choice(hostname, port):
    try:
        return get_site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        return None


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("keep_default", [True, False])
def test_the_same_site_as_wagtail_for_every_host_and_port(home, layout, keep_default):
    if not keep_default or any(default for _h, _p, default in layout):
        Site.objects.update(is_default_site=False)
    for hostname, port, default in layout:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=default)
    sites = all_sites()
    for hostname, port in itertools.product(HOSTS, PORTS):
        chosen = match_site(sites, hostname, port)
        assert (chosen and chosen.pk) == wagtail_choice(hostname, port), (hostname, port)


def test_a_request_finds_its_site_without_a_query_once_the_sites_are_kept(home):
    other = Site.objects.create(hostname="a.example.org", port=80, root_page=home)
    factory = RequestFactory()
    Site.find_for_request(factory.get("/", HTTP_HOST="a.example.org"))  # keeps the sites
    with CaptureQueriesContext(connection) as queries:
        found = Site.find_for_request(factory.get("/", HTTP_HOST="a.example.org"))
        default = Site.find_for_request(factory.get("/", HTTP_HOST="testserver"))
    assert len(queries) == 0
    assert found.pk == other.pk
    assert default.is_default_site
    assert found.root_page.pk == home.pk


def test_a_saved_site_is_seen_by_the_next_request(home):
    factory = RequestFactory()
    assert Site.find_for_request(factory.get("/", HTTP_HOST="a.example.org")).is_default_site
    other = Site.objects.create(hostname="a.example.org", port=80, root_page=home)
    assert Site.find_for_request(factory.get("/", HTTP_HOST="a.example.org")).pk == other.pk
