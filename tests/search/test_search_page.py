"""The search page: types, filters, languages, promotions, pages, bad input."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.demo import translate
from search.models import MissedQuery
from tests.courses.factories import CourseSessionFactory

from .conftest import publish

pytestmark = pytest.mark.django_db


def search(client, query, language="it", **params):
    with_language = reverse("search").replace("/it/", f"/{language}/", 1)
    return client.get(with_language, {"query": query, **params})


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def titles(response):
    return [h.get_text(" ", strip=True) for h in soup(response).select(".result h3")]


def test_results_are_grouped_by_type_with_counts_and_highlights(client, world):
    response = search(client, "sartoria")
    assert response.status_code == 200
    page = soup(response)
    groups = [h.get_text(" ", strip=True) for h in page.select(".search-group h2")]
    assert groups[0].startswith("Corsi")
    assert titles(response)[0] == "Sartoria per ricominciare"
    assert page.select_one(".result h3 mark").get_text() == "Sartoria"
    facets = {a.get_text(" ", strip=True) for a in page.select(".search-types a")}
    assert any(f.startswith("Corsi") for f in facets)
    # Drafts, private pages and past courses stay out of the course results.
    response = search(client, "bozza riservato")
    assert "Bozza" not in titles(response) and "Riservato" not in titles(response)


def test_course_results_take_the_catalogue_filters(client, world):
    # "sala": the venues' names are in the courses' index.
    names = titles(search(client, "sala", type="course"))
    assert set(names) == {"Sartoria per ricominciare", "Saldatura a filo"}
    response = search(client, "sala", type="course", comune="rodano")
    assert titles(response) == ["Saldatura a filo"]
    response = search(client, "sala", type="course", archive="1")
    assert titles(response) == ["Corso passato"]
    # A wrong filter value is reported, the others still apply: never a 500.
    response = search(client, "sala", type="course", comune="atlantide", format="online")
    assert response.status_code == 400
    assert titles(response) == []


def test_the_venues_group_is_luoghi(client, world):
    # "Places" in the search means venues ("Luoghi"); the courses' "Places"
    # (seats, "Posti") must not take that translation, nor give theirs.
    page = soup(search(client, "sala"))
    groups = [h.get_text(" ", strip=True) for h in page.select(".search-group h2")]
    assert any(group.startswith("Luoghi") for group in groups)


def test_pagination(client, world):
    for number in range(13):
        course = world.sartoria.__class__(
            title=f"Cucito numero {number}", slug=f"cucito-{number}", intro="Ago e filo."
        )
        world.coop.add_child(instance=course)
        CourseSessionFactory(page=course)
        publish(course)
    first = search(client, "cucito", type="course")
    assert len(titles(first)) == 10
    assert soup(first).select_one(".pagination a[rel=next]")
    second = search(client, "cucito", type="course", page=2)
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    # A page past the end, or not a number, shows a real page.
    assert search(client, "cucito", type="course", page=99).status_code == 200
    assert search(client, "cucito", type="course", page="x").status_code == 200


def test_each_language_finds_its_own_pages(client, world, english, home_en):
    world.catalogue.copy_for_translation(english).save_revision().publish()
    directory = world.coop.get_parent()
    directory.copy_for_translation(english).save_revision().publish()
    world.coop.copy_for_translation(english).save_revision().publish()
    translate(
        world.sartoria,
        {"Sartoria per ricominciare": "Tailoring to start again", "sartoria": "tailoring"},
        english,
    )
    italian = titles(search(client, "tailoring"))
    assert "Tailoring to start again" not in italian
    english_titles = titles(search(client, "tailoring", language="en"))
    assert english_titles[0] == "Tailoring to start again"
    assert "Sartoria per ricominciare" not in titles(search(client, "sartoria", language="en"))


def test_editors_promotions_come_first(client, world, home_en):
    query = Query.get("lavoro")
    SearchPromotion.objects.create(query=query, page=world.saldatura, description="Da non perdere")
    SearchPromotion.objects.create(query=query, page=home_en, description="English only")
    page = soup(search(client, "Lavoro"))
    promoted = page.select(".search-promotions .result")
    assert [p.h3.get_text(strip=True) for p in promoted] == ["Saldatura a filo"]
    assert "Da non perdere" in promoted[0].get_text()
    assert (
        page.select_one(".search-promotions").sourceline
        < page.select_one(".result-count").sourceline
    )


def test_index_follows_publish_and_unpublish(client, world):
    assert "Saldatura a filo" in titles(search(client, "saldatura"))
    world.saldatura.unpublish()
    assert "Saldatura a filo" not in titles(search(client, "saldatura"))
    saldatura = world.saldatura.__class__.objects.get(pk=world.saldatura.pk)
    saldatura.title = "Saldatura ad arco"
    publish(saldatura)
    assert titles(search(client, "arco"))[0] == "Saldatura ad arco"


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "cucito\x00",
        '"sartoria',
        "sartoria'",
        "' OR 1=1 --",
        "*",
        "(",
        "a:b & c | !d",
        "NEAR(a b)",
        "😀 ✂ ♨",
        "\u202e\u200b",
        "%",
        "_",
        "\\",
    ],
)
def test_bad_input_never_breaks_the_page(client, world, query):
    assert search(client, query).status_code == 200
    assert client.get(reverse("search_suggest"), {"query": query}).status_code == 200


def test_unknown_type_shows_everything(client, world):
    response = search(client, "sartoria", type="nonsense")
    assert response.status_code == 200
    assert soup(response).select(".search-group")


def test_spelling_suggestion(client, world):
    response = search(client, "saldattura")
    page = soup(response)
    assert "saldatura" in page.select_one(".search-correction").get_text()
    assert titles(response)[0] == "Saldatura a filo"


def test_nothing_found_helps_and_is_logged(client, world):
    response = search(client, "Astronomia  Quantistica")
    page = soup(response)
    assert page.select_one(".empty-result")
    assert page.select(".chip-list a")  # catalogue filters and popular topics
    assert (
        page.select_one("form.request-form input[name=wish]")["value"] == "Astronomia Quantistica"
    )
    search(client, "astronomia quantistica")
    search(client, "mario@example.org")
    logged = MissedQuery.objects.get()
    assert (logged.query, logged.language, logged.count) == ("astronomia quantistica", "it", 2)
    # Further pages and type views are not counted again.
    search(client, "astronomia quantistica", type="course")
    assert MissedQuery.objects.get().count == 2


def test_search_page_query_count_is_bounded(client, world):
    search(client, "sartoria")  # warm the chrome and vocabulary caches
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "sartoria")
    assert response.status_code == 200
    assert len(queries) <= 30, [q["sql"][:120] for q in queries]
    for number in range(8):
        course = world.sartoria.__class__(
            title=f"Sartoria {number}", slug=f"sartoria-{number}", intro="Ago e filo."
        )
        world.coop.add_child(instance=course)
        CourseSessionFactory(page=course)
        publish(course)
    search(client, "sartoria")
    with CaptureQueriesContext(connection) as more:
        search(client, "sartoria")
    assert len(more) <= len(queries) + 2


def test_autocomplete_endpoint_and_plain_form(client, world):
    data = client.get(reverse("search_suggest"), {"query": "sald"}).json()
    assert data["suggestions"][0]["title"] == "Saldatura a filo"
    assert data["suggestions"][0]["url"].endswith("/saldatura/")
    assert client.get(reverse("search_suggest"), {"query": "s"}).json()["suggestions"] == []
    page = soup(search(client, ""))
    form = page.select_one("form[role=search]")
    assert form["action"] == reverse("search") and form["method"] == "get"
    # The combobox comes from a static script; the CSP forbids inline ones.
    assert not [s for s in page.select("script") if not s.get("src")]
    assert page.select_one("script[src$='search-combobox.js']")
