"""Malformed input thrown at every public URL never makes the site fail.

The URLs are collected from the live pages of the demo site, so every page
type that a feature adds is covered without touching this file.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail.models import Page

pytestmark = pytest.mark.django_db

NASTY_VALUES = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    # Full-text syntax the databases reject when it reaches them raw
    # (SQLite FTS5, PostgreSQL tsquery): quotes, operators, a backslash.
    '"',
    'corso "sartoria',
    "corso* NEAR(a b) AND -x ^y",
    "a\\",
    "%00",
    "\x00",
    "\ud800",
    "😀" * 50,
    "a" * 5000,
    "Pioltello\u0301",
]
PARAMETERS = [
    "page",
    "query",
    "q",
    "topic",
    "area",
    "partner",
    "partner_type",
    "comune",
    "format",
    "free",
    "date",
    "from",
    "to",
    "sort",
    "type",
    "sector",
    "status",
    "archive",
    "audience",
    "language",
]
ODD_METHODS = ["put", "patch", "delete", "options", "head"]


@pytest.fixture
def public_urls(demo_site):
    """One live page of each page type in each language, and the other views."""
    seen, urls = set(), []
    for page in Page.objects.live().public().filter(depth__gte=2).order_by("path"):
        key = (page.content_type_id, page.locale_id)
        if key not in seen:
            seen.add(key)
            urls.append(page.url)
    return [*urls, "/it/search/", "/en/search/", "/sitemap.xml", "/robots.txt"]


def _safe(value):
    # The test client cannot send lone surrogates; send their replacement.
    return value.encode("utf-8", "replace").decode("utf-8")


def test_nasty_query_strings_never_fail(client, public_urls):
    failures = []
    for url in public_urls:
        for value in NASTY_VALUES:
            response = client.get(url, dict.fromkeys(PARAMETERS, _safe(value)))
            if response.status_code >= 500:
                failures.append((url, value[:20], response.status_code))
        response = client.get(url, {parameter: ["a", "b"] for parameter in PARAMETERS})
        if response.status_code >= 500:
            failures.append((url, "repeated", response.status_code))
    assert failures == []


def test_odd_methods_and_empty_posts_never_fail(client, public_urls):
    failures = []
    for url in public_urls:
        for method in ODD_METHODS:
            status = getattr(client, method)(url).status_code
            if status >= 500:
                failures.append((method, url, status))
        for data in ({}, {"x" * 300: "y" * 10000}, {"email": "not-an-email"}):
            status = client.post(url, data).status_code
            if status >= 500:
                failures.append(("post", url, status))
    assert failures == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=60
    ),
    query=st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80),
        max_size=4,
    ),
)
def test_random_paths_and_queries_never_fail(client, path, query):
    for prefix in ("/it/", "/en/"):
        response = client.get(prefix + path, query)
        assert response.status_code < 500, (prefix + path, query)


def test_public_pages_need_no_inline_script_or_style(client, public_urls):
    """The Content-Security-Policy forbids inline scripts and styles: a page
    that used them would break in browsers."""
    from bs4 import BeautifulSoup

    offenders = []
    for url in public_urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        html = BeautifulSoup(response.content, "html.parser")
        for script in html.find_all("script"):
            if not script.get("src") and script.get("type") != "application/ld+json":
                offenders.append((url, "inline script"))
        for tag in html.find_all(style=True):
            offenders.append((url, f"style attribute on <{tag.name}>"))
        if html.find_all("style"):
            offenders.append((url, "<style> element"))
    assert offenders == []
