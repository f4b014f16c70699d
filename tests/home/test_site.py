"""The bilingual site: languages, switcher, SEO files and error pages."""

import re

import pytest
from bs4 import BeautifulSoup

from home.demo import translate
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("en-GB,en;q=0.9", "/en/"), ("it-IT,it;q=0.9", "/it/"), ("de-DE", "/it/"), ("", "/it/")],
)
def test_root_redirects_by_browser_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_home_page_in_both_languages(client):
    italian = client.get("/it/")
    english = client.get("/en/")
    assert italian.status_code == english.status_code == 200
    assert soup(italian).html["lang"] == "it"
    assert soup(english).html["lang"] == "en"
    assert soup(italian).h1.get_text(strip=True) == "Impara un mestiere"
    assert soup(english).h1.get_text(strip=True) == "Learn a trade"


def test_ui_strings_follow_the_language(client):
    italian = soup(client.get("/it/"))
    english = soup(client.get("/en/"))
    assert italian.select_one(".skip-link").get_text() == "Vai al contenuto"
    assert english.select_one(".skip-link").get_text() == "Skip to content"
    assert "Cerca" in italian.select_one(".nav-search").get_text()
    assert "Search" in english.select_one(".nav-search").get_text()


def test_language_switcher_links_a_page_to_its_translation(client, home, english):
    page = StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    translate(page, {"Il progetto": "The project", "il-progetto": "the-project"}, english)

    html = soup(client.get("/it/il-progetto/"))
    link = html.select_one('.language-switcher a[hreflang="en"]')
    assert link["href"] == "/en/the-project/"
    alternates = {tag["hreflang"]: tag["href"] for tag in html.select('link[rel="alternate"]')}
    assert alternates == {
        "it": "http://testserver/it/il-progetto/",
        "en": "http://testserver/en/the-project/",
    }

    back = soup(client.get("/en/the-project/")).select_one('.language-switcher a[hreflang="it"]')
    assert back["href"] == "/it/il-progetto/"


def test_language_switcher_keeps_the_query_string(client, home, english):
    page = StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    translated = page.copy_for_translation(english)
    translated.slug = "the-project"
    translated.save_revision().publish()

    html = soup(client.get("/it/il-progetto/?comune=rodano&q=sartoria"))
    link = html.select_one('.language-switcher a[hreflang="en"]')
    assert link["href"] == "/en/the-project/?comune=rodano&q=sartoria"
    # The hreflang alternates name the page alone.
    alternate = html.select_one('link[rel="alternate"][hreflang="en"]')
    assert alternate["href"] == "http://testserver/en/the-project/"


def test_language_switcher_hides_missing_translations(client, home):
    StandardPageFactory(parent=home, title="Solo italiano", slug="solo-italiano")
    html = soup(client.get("/it/solo-italiano/"))
    assert html.select('.language-switcher a[hreflang="en"]') == []
    assert not html.select('link[rel="alternate"][hreflang="en"]')
    # No empty item left where the link would be (header and footer): a
    # screen reader would announce a list of two with one blank.
    items = [li.get_text(strip=True) for li in html.select(".language-switcher li")]
    assert items and all(items), items


def test_draft_translation_is_not_linked(client, home, english):
    page = StandardPageFactory(parent=home, slug="bozza")
    draft = page.copy_for_translation(english)
    draft.live = False
    draft.save()
    html = soup(client.get("/it/bozza/"))
    assert html.select('.language-switcher a[hreflang="en"]') == []


def test_canonical_and_open_graph(client, home):
    StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    html = soup(client.get("/it/il-progetto/"))
    assert html.select_one('link[rel="canonical"]')["href"] == "http://testserver/it/il-progetto/"
    assert html.select_one('meta[property="og:title"]')["content"] == "Il progetto"
    assert html.select_one('meta[property="og:locale"]')["content"] == "it_IT"


def test_breadcrumbs_show_the_way_home(client, home):
    parent = StandardPageFactory(parent=home, title="Il progetto", slug="il-progetto")
    StandardPageFactory(parent=parent, title="Rete territoriale", slug="rete")
    crumbs = soup(client.get("/it/il-progetto/rete/")).select(".breadcrumbs li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Home", "Il progetto", "Rete territoriale"]


def test_main_menu_lists_pages_marked_for_menus(client, home):
    StandardPageFactory(parent=home, title="Il progetto", slug="p", show_in_menus=True)
    StandardPageFactory(parent=home, title="Nascosta", slug="n", show_in_menus=False)
    menu = soup(client.get("/it/")).select(".main-nav li a")
    assert [a.get_text(strip=True) for a in menu] == ["Il progetto", "Cerca"]


def test_sitemap_lists_live_pages_in_both_languages(client, home):
    StandardPageFactory(parent=home, slug="pubblica")
    draft = StandardPageFactory(parent=home, slug="bozza")
    draft.unpublish()
    body = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", body)
    assert "http://testserver/it/" in locations
    assert "http://testserver/en/" in locations
    assert "http://testserver/it/pubblica/" in locations
    assert not any("bozza" in loc for loc in locations)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "title"), [("it", "Pagina non trovata"), ("en", "Page not found")]
)
def test_not_found_page_speaks_the_visitors_language(client, prefix, title):
    response = client.get(f"/{prefix}/questa-pagina-non-esiste/")
    assert response.status_code == 404
    assert soup(response).h1.get_text() == title


def test_server_error_page_renders_without_a_database():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("500.html")
    assert "Something went wrong" in html
    with translation.override("it"):
        assert "Qualcosa è andato storto" in render_to_string("500.html")


def test_search_finds_pages_of_the_visitors_language(client, home, english):
    page = StandardPageFactory(parent=home, title="Sartoria per tutti", slug="sartoria")
    translated = page.copy_for_translation(english)
    translated.title = "Tailoring for everyone"
    translated.save_revision().publish()
    results = soup(client.get("/it/search/", {"query": "sartoria"})).select(".result h3")
    assert [r.get_text(" ", strip=True) for r in results] == ["Sartoria per tutti"]
    results = soup(client.get("/en/search/", {"query": "tailoring"})).select(".result h3")
    assert [r.get_text(" ", strip=True) for r in results] == ["Tailoring for everyone"]


@pytest.mark.parametrize("page", ["abc", "-1", "999"])
def test_search_survives_odd_page_numbers(client, page):
    assert client.get("/it/search/", {"query": "corso", "page": page}).status_code == 200


def test_sitemap_is_kept_until_a_page_is_published_or_unpublished(client, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def locations():
        return re.findall(r"<loc>(.*?)</loc>", client.get("/sitemap.xml").content.decode())

    first = locations()
    with CaptureQueriesContext(connection) as queries:
        assert locations() == first
    # From the cache: nothing but the request's own savepoint.
    assert [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]] == []
    page = StandardPageFactory(parent=home, slug="nuova")
    assert "http://testserver/it/nuova/" in locations()
    page.unpublish()
    assert "http://testserver/it/nuova/" not in locations()
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
