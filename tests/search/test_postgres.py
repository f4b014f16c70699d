"""PostgreSQL: each language's stemming, and accents folded (search/backends)."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from courses.models import Venue
from home.demo import translate
from tests.courses.factories import CourseSessionFactory, VenueFactory

from .conftest import publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL text search: set DATABASE_URL=postgres://…")


def found(query, language="it"):
    with translation.override(language):
        locale = Locale.objects.get(language_code=language)
        return [page.title for page in Page.objects.live().filter(locale=locale).search(query)]


def course(world, title, intro="Ago e filo."):
    page = world.sartoria.__class__(title=title, slug=title.lower().replace(" ", "-"), intro=intro)
    world.coop.add_child(instance=page)
    CourseSessionFactory(page=page)
    return publish(page)


def test_italian_stemming_and_word_families(client, world):
    course(world, "Laboratorio delle sartorie")
    for query in ("sartoria", "sartorie"):
        assert "Laboratorio delle sartorie" in found(query), query
    # "sarta" has another stem ("sart"): the site's words starting the same
    # way bring the families together on the search page.
    for query in ("sarta", "sartoria", "sartorie"):
        response = client.get(reverse("search"), {"query": query, "type": "course"})
        text = BeautifulSoup(response.content, "html.parser").get_text(" ")
        assert "Laboratorio delle sartorie" in " ".join(text.split()), query


def test_accents_do_not_matter(client, world):
    course(world, "Città e perché", intro="Caffè e attività")
    for query in ("citta", "CITTÀ", "perche", "caffe", "attivita"):
        assert "Città e perché" in found(query), query


def test_english_pages_use_english_stemming(client, world, english, home_en):
    world.catalogue.copy_for_translation(english).save_revision().publish()
    world.coop.get_parent().copy_for_translation(english).save_revision().publish()
    world.coop.copy_for_translation(english).save_revision().publish()
    translate(
        world.sartoria,
        {
            "Sartoria per ricominciare": "Tailoring for a new start",
            "sartoria": "tailoring-for-a-new-start",
        },
        english,
    )
    assert "Tailoring for a new start" in found("tailors", language="en")
    assert "Tailoring for a new start" not in found("tailors", language="it")


def test_places_are_found_by_their_italian_names_in_either_language(world):
    """Venues have no language: indexed with the Italian configuration, they
    are searched with it whatever the visitor's (the English stemmer keeps
    "sartoria" whole, the Italian one makes it `sartor`)."""
    VenueFactory(name="Sartoria sociale")
    for language in ("it", "en"):
        with translation.override(language):
            names = [v.name for v in get_search_backend().search("sartoria", Venue.objects.all())]
        assert names == ["Sartoria sociale"], language
