"""Routing in few queries (home/routing.py) keeps what Wagtail's routing
and its view-restriction check do: private sections stay private, also
below an alias, and what a request saves it sees for the rest of it."""

import pytest

from django.http import HttpResponse
from django.test import RequestFactory

from wagtail.models import Page, PageViewRestriction

from home.request_memo import RequestMemoMiddleware
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
