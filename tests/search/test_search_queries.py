"""What search reads after a change, and that reading less changed nothing:
the vocabulary, the popular topics and the catalogue's topics come from one
read of the topics; the vocabulary's words are those of its parts read
apart; a result shows no partner nor image, so none is read."""

import pytest

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, Page, PageViewRestriction

from courses import catalogue
from courses.models import CoursePage, Topic
from courses.search_text import WORDS
from home.cache import bump_content_generation
from home.choices import Comune
from partners.models import ChallengePage, LabourNeed, OpportunityPage, PartnerPage
from search import engine, vocabulary
from search.views import popular_topics
from tests.courses.factories import TopicFactory
from tests.partners.factories import LabourNeedFactory

from .conftest import publish

pytestmark = pytest.mark.django_db


def first_get_after_a_change(client, url):
    client.get(url)
    bump_content_generation()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_after_a_change_search_reads_the_topics_once_and_no_image(client, world):
    response, queries = first_get_after_a_change(client, "/it/search/?query=sartoria")
    assert "Sartoria" in response.content.decode()
    assert len([q for q in queries if q.startswith('SELECT "courses_topic".')]) == 1, queries
    assert not [q for q in queries if "wagtailimages_rendition" in q]
    assert response.context["outcome"].filter_form is None  # shown in the course view only


def test_nothing_found_after_a_change_reads_the_catalogue_page_once(client, world):
    response, queries = first_get_after_a_change(client, "/it/search/?query=zzqxwv")
    assert response.context["catalogue"].pk == world.catalogue.pk
    catalogue_reads = [q for q in queries if 'FROM "courses_courseindexpage"' in q]
    assert len(catalogue_reads) == 1, catalogue_reads
    with CaptureQueriesContext(connection) as again:
        client.get("/it/search/?query=zzqxwv")
    assert not [q["sql"] for q in again if 'FROM "courses_courseindexpage"' in q["sql"]]


def test_the_course_view_keeps_its_filter_form(client, world):
    response = client.get("/it/search/", {"query": "sartoria", "type": "course", "partner": "x"})
    assert response.status_code == 400
    assert response.context["outcome"].filter_form.errors


def old_texts(locale):
    """The vocabulary's texts as they were read before: each part apart."""
    models = (CoursePage, PartnerPage, ChallengePage, OpportunityPage)
    pages = Page.objects.live().public().filter(locale=locale).type(*models)
    titles = {}
    for content_type_id, title in pages.values_list("content_type_id", "title"):
        titles.setdefault(content_type_id, []).append(title)
    for model in models:
        yield from titles.get(ContentType.objects.get_for_model(model).pk, [])
    yield from Topic.objects.filter(locale=locale).values_list("name", flat=True)
    yield from LabourNeed.objects.filter(locale=locale).values_list("title", flat=True)
    yield from Comune.labels
    yield from WORDS.get(locale.language_code, {}).values()


def test_the_vocabulary_reads_the_same_words_in_the_same_order(world, english):
    LabourNeedFactory(title="Sarte esperte", comune="pioltello")
    LabourNeedFactory(title="Magazzinieri", comune="segrate")
    TopicFactory(name="Zootecnia", slug="zootecnia")
    for locale in Locale.objects.all():
        assert list(vocabulary._texts(locale)) == list(old_texts(locale))


def old_popular_topics(locale, limit=6):
    default_id = catalogue.default_locale_id()
    topics_by_key = catalogue.localized_topics(locale, default_id)
    counts = (
        CoursePage.objects.live()
        .public()
        .filter(locale_id=default_id, topics__isnull=False)
        .values("topics__translation_key")
        .annotate(n=Count("pk"))
        .order_by("-n", "topics__translation_key")[:limit]
    )
    return [
        topics_by_key[entry["topics__translation_key"]]
        for entry in counts
        if entry["topics__translation_key"] in topics_by_key
    ]


def test_popular_topics_are_those_live_public_courses_name_most(world):
    """Drafts and restricted courses do not count; ties go by key."""
    extra = [TopicFactory(name=f"Tema {n}", slug=f"tema-{n}") for n in range(7)]
    world.sartoria.topics = [world.topic_sartoria, *extra[:3]]
    publish(world.sartoria)
    world.excel.topics = [world.topic_digitale, *extra[2:6]]
    publish(world.excel)
    draft = world.draft
    draft.topics = [extra[6]]
    draft.save()
    private = world.private
    private.topics = [extra[6], extra[5]]
    publish(private)
    assert PageViewRestriction.objects.filter(page=private).exists()
    bump_content_generation()
    italian = Locale.get_default()
    expected = old_popular_topics(italian)
    assert [t.pk for t in popular_topics(italian)] == [t.pk for t in expected]
    assert expected and extra[6] not in expected


def test_the_finder_reads_its_hits_as_values_not_as_pages(world):
    """Kinds, ids and titles as the full pages give them, in the backend's
    order, without making a Page of each hit (~500 at scale 20); and the
    same from a backend that answers with pages (Elasticsearch)."""
    italian = Locale.get_default()
    pages = Page.objects.live().public().filter(locale=italian)
    kinds = engine.page_kind_by_content_type()
    made = []

    def count(sender, **kwargs):
        if issubclass(sender, Page):
            made.append(sender)

    for query, autocomplete, kinds_found in (
        ("cooperativa", False, {"course", "partner"}),
        ("sa", True, {"course"}),
    ):
        found = pages.autocomplete(query) if autocomplete else pages.search(query)
        expected = [(page.pk, page.content_type_id, page.title) for page in found]
        ids = {}
        for pk, content_type_id, _title in expected:
            ids.setdefault(kinds.get(content_type_id, "page"), []).append(pk)
        assert set(ids) == kinds_found and len(expected) > 1, (query, ids)
        post_init.connect(count)
        try:
            finder = engine.Finder(italian, query, autocomplete=autocomplete)
        finally:
            post_init.disconnect(count)
        assert not made, (query, made)
        assert {key: pks for key, pks in finder.ids.items() if pks} == ids
        assert finder.titles == {pk: title for pk, _ct, title in expected}
        assert list(engine.hit_rows(list(found))) == expected
