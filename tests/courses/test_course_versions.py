"""A change to one course moves the courses' generation and that course's
version, not the whole site's (home/cache.py): what shows only that course
and the site's content (its card, its page's facts and article) is kept per
its version, so the other courses' stay warm, and every list of courses
follows at once."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import booking, detail
from courses.templatetags import course_tags
from home.cache import content_generation, course_versions, generation
from home.demo import translate
from tests.donations.factories import DonationFactory, DonationPageFactory, PaymentFactory

from .conftest import local, publish
from .test_course_page import translate_section

pytestmark = pytest.mark.django_db


def _text(response, selector="main"):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(selector).get_text(" ")


@pytest.fixture
def facts_built():
    """Calls of `course_facts` (made only when a course page's facts are not kept)."""
    with mock.patch.object(detail, "course_facts", side_effect=detail.course_facts) as built:
        yield built


def _built_for(mocked):
    return [call.args[0].pk for call in mocked.call_args_list]


def test_a_course_change_leaves_the_other_courses_pages_warm(client, world, facts_built):
    for page in (world.sartoria, world.excel, world.saldatura):
        client.get(page.url)
    assert sorted(_built_for(facts_built)) == sorted(
        [world.sartoria.pk, world.excel.pk, world.saldatura.pk]
    )
    site = generation()
    facts_built.reset_mock()

    session = world.sartoria.sessions.last()
    session.note = "Portate ago e filo"
    session.save()

    assert generation() == site  # the site's content is as it was
    assert "Portate ago e filo" in _text(client.get(world.sartoria.url))
    client.get(world.excel.url)
    client.get(world.saldatura.url)
    assert _built_for(facts_built) == [world.sartoria.pk]


def test_a_publish_that_keeps_a_courses_links_reads_only_their_ids(client, world):
    """A course's topics, co-organisers and labour needs are the site's
    content, kept per the site's generation with the ids they were read for
    (`detail.localized_links`): a publish that leaves them as they were
    reads their ids alone; one that changes them shows the change."""
    world.saldatura.topics = [world.topic_sartoria]
    publish(world.saldatura)
    header = _text(client.get(world.saldatura.url), ".course-header")
    assert "Sartoria" in header and "Cooperativa Uno" in header

    world.saldatura.intro = "Si salda in coppia."
    publish(world.saldatura)
    with CaptureQueriesContext(connection) as queries:
        header = _text(client.get(world.saldatura.url), ".course-header")
    assert "Si salda in coppia." in header
    assert "Sartoria" in header and "Cooperativa Uno" in header
    assert not [query for query in queries if "is_linked" in query["sql"]]

    world.saldatura.topics = [world.topic_digitale]
    world.saldatura.co_organisers = []
    publish(world.saldatura)
    header = _text(client.get(world.saldatura.url), ".course-header")
    assert "Digitale" in header and "Sartoria" not in header
    assert "Cooperativa Uno" not in header


def test_a_course_change_shows_on_its_card_and_in_every_list(client, world, home):
    catalogue = client.get(world.catalogue.url)
    assert "Digitale" not in _card(catalogue, "Sartoria per ricominciare")
    client.get(home.url)

    world.sartoria.topics = [world.topic_digitale]
    world.sartoria.title = "Sartoria e cucito"
    publish(world.sartoria)

    catalogue = client.get(world.catalogue.url)
    assert "Digitale" in _card(catalogue, "Sartoria e cucito")
    assert "Sartoria per ricominciare" not in _text(catalogue)
    assert "Sartoria e cucito" in _text(client.get(home.url))
    assert "Sartoria e cucito" in _text(client.get(world.catalogue.url + "?topic=digitale"))


def _card(response, title):
    soup = BeautifulSoup(response.content, "html.parser")
    for card in soup.select(".course-card"):
        if title in card.h3.get_text():
            return card.get_text(" ")
    raise AssertionError(f"no card for {title}")


def test_an_unpublished_course_is_gone_at_once(client, world):
    assert client.get(world.excel.url).status_code == 200
    client.get(world.catalogue.url)
    world.excel.unpublish()
    assert client.get(world.excel.url).status_code == 404
    assert "Excel per il lavoro" not in _text(client.get(world.catalogue.url))


def test_a_date_changed_in_italian_shows_on_the_english_card_and_page(
    client, world, english, home_en, facts_built
):
    translate_section(world, english)
    english_excel = translate(world.excel, {"Excel per il lavoro": "Excel for work"}, english)
    client.get(english_excel.url)
    client.get("/en/courses/")
    facts_built.reset_mock()

    session = world.excel.sessions.get()
    moved = local(timezone.localdate() + datetime.timedelta(days=41), 18)
    session.start, session.end = moved, moved + datetime.timedelta(hours=2)
    session.save()

    shown = moved.isoformat()
    page = BeautifulSoup(client.get(english_excel.url).content, "html.parser")
    assert [t["datetime"] for t in page.select(".session-when time")] == [shown]
    card = BeautifulSoup(client.get("/en/courses/").content, "html.parser")
    assert shown in {t["datetime"] for t in card.select(".course-card time")}
    # Both translations' versions moved, so the English facts were built again.
    assert english_excel.pk in _built_for(facts_built)


def test_an_english_course_page_takes_its_italian_page_from_routing_after_a_change(
    client, world, english, home_en
):
    """After a change to a course, routing reads it with its translations as
    course pages with their images (home/routing.py): the English page's
    Italian original, which holds the dates, is not read again."""
    translate_section(world, english)
    english_excel = translate(world.excel, {"Excel per il lavoro": "Excel for work"}, english)
    client.get(english_excel.url)
    session = world.excel.sessions.get()
    session.note = "Portate il portatile"
    session.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(english_excel.url)
    assert "Portate il portatile" in _text(response, ".session-cards")
    pages = [
        query["sql"]
        for query in captured
        if '"wagtailcore_page"."translation_key"' in query["sql"].split(" FROM ")[0]
    ]
    assert len(pages) == 1 and '"wagtailcore_page"."url_path"' in pages[0]  # routing's


def test_the_partners_new_name_reaches_every_course_page_and_card(client, world, facts_built):
    client.get(world.excel.url)
    client.get(world.catalogue.url)
    facts_built.reset_mock()

    world.artisan.title = "Bottega Tre"
    world.artisan.save_revision().publish()

    assert "Bottega Tre" in _text(client.get(world.excel.url))
    assert "Bottega Tre" in _card(client.get(world.catalogue.url), "Excel per il lavoro")
    assert _built_for(facts_built) == [world.excel.pk]


def test_a_gift_leaves_every_course_cache_warm(client, world, home, facts_built):
    fund = publish(DonationPageFactory(parent=home))
    client.get(world.excel.url)
    client.get(world.catalogue.url)
    facts_built.reset_mock()
    courses, everything = generation("courses"), content_generation()

    PaymentFactory(donation=DonationFactory(page=fund))  # Stripe confirmed a gift

    assert content_generation() != everything  # the fund's progress is shown anew
    assert generation("courses") == courses
    with mock.patch.object(course_tags, "_render_card") as rendered:
        client.get(world.catalogue.url)
        client.get(world.excel.url)
    assert rendered.call_count == 0
    assert facts_built.call_count == 0


def test_a_change_inside_a_transaction_moves_the_versions_again_on_commit(
    world, django_capture_on_commit_callbacks
):
    before = course_versions([world.excel.pk])[world.excel.pk]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        booking.set_capacity(world.excel.sessions.get().pk, 40)
        during = course_versions([world.excel.pk])[world.excel.pk]
    after = course_versions([world.excel.pk])[world.excel.pk]
    assert before < during < after  # a render between the two saw the old data


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


def test_a_course_page_after_another_courses_change_costs_its_dates_alone(client, world):
    client.get(world.excel.url)
    rendered_again = _queries(client, world.excel.url)
    session = world.sartoria.sessions.last()
    session.note = "Portate ago e filo"
    session.save()
    # Routed, its facts and its article from the cache: the dates' query alone
    # (which works the session clock out too, as it is kept per the courses).
    [after] = _queries(client, world.excel.url)
    assert len(rendered_again) == 1
    assert 'FROM "courses_coursesession"' in after


def test_a_new_translation_shows_in_the_language_links_at_once(client, world, english, home_en):
    def english_link():
        soup = BeautifulSoup(client.get(world.excel.url).content, "html.parser")
        return soup.select_one('link[rel="alternate"][hreflang="en"]')

    translate_section(world, english)
    assert english_link() is None
    english_excel = translate(world.excel, {"Excel per il lavoro": "Excel for work"}, english)
    assert english_link()["href"].endswith(english_excel.url)


@pytest.mark.parametrize("reader", ["_read_rows", "_refreshed"])
def test_rows_read_while_a_course_changed_are_not_kept(client, world, reader):
    """Whether routing read every row (nothing kept yet) or only the
    course that changed since they were kept (`_refreshed`)."""
    from home import routing

    if reader == "_refreshed":
        client.get(world.excel.url)
        world.excel.sessions.get().save()  # the rows kept now name an older version
    read = getattr(routing, reader)

    def read_while_a_course_changes(*args):
        rows = read(*args)
        world.excel.sessions.get().save()  # another request's change, meanwhile
        return rows

    with mock.patch.object(routing, reader, side_effect=read_while_a_course_changes):
        client.get(world.excel.url)
    assert len(_queries(client, world.excel.url)) > 1  # routed again: nothing was kept
    assert len(_queries(client, world.excel.url)) == 1


def test_after_its_own_change_a_course_page_reads_its_rows_alone(client, world):
    """Routing's rows kept for a course's address (home/routing.py) are
    read again only for the course that changed, with its translations, as
    its specific pages: one query for the pages where there were two."""
    for course in (world.excel, world.sartoria):  # (the second with the first's SQL kept)
        client.get(course.url)
        course.intro = f"Nuova presentazione di {course.title}."
        publish(course)
        queries = _queries(client, course.url)
        pages = [sql for sql in queries if '"wagtailcore_page"."url_path"' in sql]
        assert len(pages) == 1 and 'FROM "courses_coursepage"' in pages[0]
        assert course.intro in _text(client.get(course.url))
        assert len(_queries(client, course.url)) == 1  # the rows read again were kept


def test_a_course_renamed_or_deleted_after_its_rows_were_kept_is_routed_as_it_is(client, world):
    old_url = world.excel.url
    client.get(old_url)
    world.excel.slug = "excel-base"
    publish(world.excel)
    world.excel.refresh_from_db()
    assert world.excel.url != old_url
    moved = client.get(old_url)  # not found, or Wagtail's redirect if it made one
    assert moved.status_code in (301, 404)
    assert moved.get("Location", world.excel.url) == world.excel.url
    assert "Excel per il lavoro" in _text(client.get(world.excel.url))
    world.excel.delete()
    assert client.get(world.excel.url).status_code == 404
