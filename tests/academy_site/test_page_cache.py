"""Whole pages are cached for anonymous visitors and go stale on any change."""

import pytest

from django.contrib.auth import get_user_model

from home.models import SiteFooter
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    SiteFooter.load()  # created on first use, which counts as a change


def test_second_view_is_served_from_the_cache_without_queries(
    client, home, django_assert_num_queries
):
    StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    assert client.get("/it/il-progetto/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/it/il-progetto/")
    assert response["X-Page-Cache"] == "hit"
    assert b"Il progetto" in response.content


def test_publishing_a_change_invalidates_cached_pages(client, home):
    page = StandardPageFactory(parent=home, title="Prima", slug="pagina")
    client.get("/it/pagina/")
    client.get("/it/")
    page.title = "Dopo"
    page.save_revision().publish()
    response = client.get("/it/pagina/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Dopo" in response.content
    assert client.get("/it/")["X-Page-Cache"] == "miss"


def test_languages_and_query_strings_are_cached_apart(client, home):
    # Both searches find the page: a search that finds nothing shows the
    # "ask for a course" form (CSRF) and is logged, so it is never cached.
    StandardPageFactory(parent=home, slug="pagina", title="Sartoria ed Excel")
    client.get("/it/search/", {"query": "sartoria"})
    assert client.get("/it/search/", {"query": "excel"})["X-Page-Cache"] == "miss"
    assert client.get("/en/")["X-Page-Cache"] == "miss"


def test_logged_in_editors_always_get_a_fresh_page(client, home):
    StandardPageFactory(parent=home, slug="pagina")
    client.get("/it/pagina/")
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    response = client.get("/it/pagina/")
    assert "X-Page-Cache" not in response


def test_errors_are_not_cached(client):
    client.get("/it/non-esiste/")
    assert "X-Page-Cache" not in client.get("/it/non-esiste/")


def test_a_form_page_that_did_not_declare_its_values_is_never_cached(client, home, settings):
    """The donation form carries a one-off attempt id besides the CSRF
    token: two visitors must never share it, so the page stays uncached;
    its CSRF token is still real."""
    from bs4 import BeautifulSoup

    from tests.donations.factories import DonationPageFactory

    settings.STRIPE_SECRET_KEY = "sk_test_not_called"  # the form shows; nothing is sent
    settings.STRIPE_WEBHOOK_SECRET = "whsec_not_called"
    page = DonationPageFactory(parent=home)

    def form_values(response):
        html = BeautifulSoup(response.content, "html.parser")
        return {i["name"]: i.get("value") for i in html.select("form input[type=hidden]")}

    first, second = client.get(page.url), client.get(page.url)
    assert "X-Page-Cache" not in second
    assert b"placeholder" not in first.content and b"placeholder" not in second.content
    assert form_values(first)["attempt"] != form_values(second)["attempt"]
    assert len(form_values(second)["csrfmiddlewaretoken"]) == 64


def test_answers_that_vary_on_the_encoding_are_not_cached(rf):
    """The key names the path and the language, not the Accept-Encoding a
    gzip-compressed answer depends on."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.utils.cache import patch_vary_headers

    from academy_site.page_cache import PageCacheMiddleware

    def view(request):
        response = HttpResponse(b"compressed or not")
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/it/varia/", HTTP_ACCEPT_ENCODING="gzip")
        request.user = AnonymousUser()
        assert "X-Page-Cache" not in middleware(request)
