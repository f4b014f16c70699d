"""Routing in few queries (home/routing.py) keeps what Wagtail's routing
and its view-restriction check do: private sections stay private, also
below an alias, and what a request saves it sees for the rest of it."""

import pytest
import wagtail_factories

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

from home.cache import bump_content_generation
from home.request_memo import RequestMemoMiddleware
from home.routing import _rows_key
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def private_section(home):
    section = StandardPageFactory(parent=home, title="Riservata", slug="riservata")
    page = StandardPageFactory(parent=section, title="Dentro", slug="dentro")
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="segreto"
    )
    return section, page


def test_a_page_below_a_private_section_asks_for_the_password(client, home):
    _section, page = private_section(home)
    response = client.get("/it/riservata/dentro/")
    assert response.status_code == 200
    assert "Dentro" not in response.content.decode()
    assert "authenticate_with_password" in response.content.decode()
    restriction = PageViewRestriction.objects.get()
    client.post(
        f"/it/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "segreto", "return_url": "/it/riservata/dentro/"},
    )
    assert "Dentro" in client.get("/it/riservata/dentro/").content.decode()


def test_a_public_page_beside_it_is_served(client, home):
    private_section(home)
    StandardPageFactory(parent=home, title="Aperta", slug="aperta")
    response = client.get("/it/aperta/")
    assert response.status_code == 200
    assert "Aperta" in response.content.decode()
    assert "authenticate_with_password" not in response.content.decode()


def test_a_page_below_an_alias_of_a_private_section_asks_for_the_password(client, home):
    section, _page = private_section(home)
    alias = section.create_alias(recursive=True, update_slug="specchio")
    # Wagtail copies the restriction to the alias; without it, the source's applies.
    PageViewRestriction.objects.filter(page=alias).delete()
    response = client.get("/it/specchio/dentro/")
    assert response.status_code == 200
    assert "authenticate_with_password" in response.content.decode()


def test_an_unknown_address_below_a_page_is_not_found(client, home):
    StandardPageFactory(parent=home, title="Aperta", slug="aperta")
    assert client.get("/it/aperta/nessuna/").status_code == 404
    assert client.get("/it/nessuna/aperta/").status_code == 404
    assert client.get("/en/aperta/nessuna/").status_code == 404


def test_a_restriction_saved_during_a_request_applies_to_the_rest_of_it(home):
    page = StandardPageFactory(parent=home, slug="presto-riservata")
    seen = []

    def view(request):
        seen.append(Page.objects.public().filter(pk=page.pk).exists())
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        seen.append(Page.objects.public().filter(pk=page.pk).exists())
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen == [True, False]


def test_an_english_page_is_found_below_the_english_home_page_in_one_lookup(client, home, english):
    """The pages along an English address are read below the English home
    page's own address, with their translations for the language links."""
    section = StandardPageFactory(parent=home, title="Sezione", slug="sezione")
    page = StandardPageFactory(parent=section, title="Pagina", slug="pagina")
    for original, slug in ((section, "section"), (page, "page")):
        translation = original.copy_for_translation(english)
        translation.title, translation.slug = f"{original.title} (en)", slug
        translation.save_revision().publish()
    response = client.get("/en/section/page/")
    assert response.status_code == 200
    assert "Pagina (en)" in response.content.decode()
    known = response.wsgi_request._route_translations
    assert {row.locale_id for row in known[page.translation_key]} == {home.locale_id, english.pk}


def page_queries(client, url):
    """The queries a render of `url` runs that read pages by address or
    by id (routing's own), and the response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    routing = [
        q["sql"] for q in queries if '"url_path"' in q["sql"] or '_page_ptr_id" =' in q["sql"]
    ]
    return routing, response


def test_a_page_rendered_again_is_routed_without_a_query(client, home):
    section = StandardPageFactory(parent=home, title="Sezione", slug="sezione")
    StandardPageFactory(parent=section, title="Pagina", slug="pagina")
    client.get("/it/sezione/pagina/")
    page_queries(client, "/it/sezione/pagina/")  # (the rows kept now)
    again, response = page_queries(client, "/it/sezione/pagina/")
    assert response.status_code == 200 and "Pagina" in response.content.decode()
    assert again == []
    bump_content_generation()
    after_a_change, _response = page_queries(client, "/it/sezione/pagina/")
    assert len(after_a_change) == 2  # the pages along the address, the page served


def test_the_images_a_page_shows_are_read_with_it(client, home):
    """Routing reads the page served with its images (its listing image, for
    link previews): one query, and none when it is rendered again."""
    image = wagtail_factories.ImageFactory()
    StandardPageFactory(parent=home, title="Pagina", slug="pagina", listing_image=image)
    client.get("/it/pagina/")
    for change in (bump_content_generation, lambda: None):
        change()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/it/pagina/")
        assert "og:image" in response.content.decode()
        assert not [q for q in queries if 'FROM "wagtailimages_image"' in q["sql"]]


def test_what_is_published_unpublished_or_moved_is_routed_at_once(client, home):
    section = StandardPageFactory(parent=home, title="Sezione", slug="sezione")
    other = StandardPageFactory(parent=home, title="Altra", slug="altra")
    page = StandardPageFactory(parent=section, title="Pagina", slug="pagina")
    for _ in range(2):
        assert "Pagina" in client.get("/it/sezione/pagina/").content.decode()
    page.title = "Pagina nuova"
    page.save_revision().publish()
    assert "Pagina nuova" in client.get("/it/sezione/pagina/").content.decode()
    page.refresh_from_db()
    page.move(other, pos="last-child")
    moved = client.get("/it/sezione/pagina/")  # Wagtail's redirect from the old address
    assert (moved.status_code, moved["Location"]) == (301, "/it/altra/pagina/")
    assert client.get("/it/altra/pagina/").status_code == 200
    Page.objects.get(pk=page.pk).unpublish()
    assert client.get("/it/altra/pagina/").status_code == 404


def test_made_up_addresses_add_nothing_to_the_cache(client, home):
    StandardPageFactory(parent=home, title="Pagina", slug="pagina")
    for url in ("/it/nessuna/", "/it/pagina/nessuna/", "/it/pagina/a/b/c/"):
        assert client.get(url).status_code == 404
        assert cache.get(rows_key(home, url)) is None
    client.get("/it/pagina/")
    assert cache.get(rows_key(home, "/it/pagina/")) is not None


def rows_key(home, url):
    components = [part for part in url.split("/") if part][1:]  # (without the language)
    return _rows_key(home, home.locale, components)
