"""The site of a request is picked from the sites kept per structure
generation, by Wagtail's own rules, without a query; Wagtail's site root
paths are worked out from those sites and their home pages, kept too."""

import itertools

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from home.sites import all_sites, match_site, site_root_paths

from ..factories import StandardPageFactory

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


def wagtails_root_paths():
    Site.clear_site_root_paths_cache()  # (Wagtail's list, read again)
    return Site.wagtail_get_site_root_paths()


def published_page(parent, slug, **kwargs):
    page = StandardPageFactory(parent=parent, slug=slug, title=slug.title(), **kwargs)
    page.save_revision().publish()
    return page


def translation(page, locale):
    copy = page.copy_for_translation(locale)
    copy.save_revision().publish()
    return copy


# Sites besides the default one (testserver:80, the home page): (hostname,
# port, default?, root: "home" or "deep", a page two levels below it that
# has an English translation).
ROOT_LAYOUTS = [
    [],
    [("a.example.org", 8000, False, "home")],
    [("a.example.org", 80, False, "deep"), ("b.example.org", 443, False, "deep")],
    [("b.example.org", 80, True, "home"), ("a.example.org", 80, False, "home")],
    [("a.example.org", 80, True, "deep"), ("c.example.org", 80, False, "home")],
]


@pytest.mark.parametrize("layout", ROOT_LAYOUTS)
def test_the_same_site_root_paths_as_wagtail(home, english, layout):
    section = published_page(home, "sezione")
    deep = published_page(section, "profonda")
    translation(section, english)
    translation(deep, english)
    roots = {"home": home, "deep": deep}
    if any(default for _h, _p, default, _r in layout):
        Site.objects.update(is_default_site=False)
    for hostname, port, default, root in layout:
        Site.objects.create(
            hostname=hostname, port=port, root_page=roots[root], is_default_site=default
        )
    expected = wagtails_root_paths()
    cache.clear()
    assert site_root_paths() == expected
    assert len(expected) == 2 * (1 + len(layout))  # (every root in both languages)
    with CaptureQueriesContext(connection) as queries:
        assert site_root_paths() == expected  # kept
    assert len(queries) == 0


def test_a_deep_site_roots_new_translation_is_in_the_root_paths_at_once(home, english):
    """A site's root page below the pages whose every save bumps the
    structure generation (depth 3): its new translation bumps it too."""
    section = published_page(home, "sezione")
    deep = published_page(section, "profonda")
    translation(section, english)
    Site.objects.create(hostname="a.example.org", port=80, root_page=deep)
    before = site_root_paths()
    assert before == wagtails_root_paths()
    translation(deep, english)
    after = site_root_paths()
    assert after == wagtails_root_paths()
    assert len(after) == len(before) + 1
