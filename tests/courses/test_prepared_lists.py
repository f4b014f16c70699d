"""SQL compiled once per process (home/prepared.py): the kept SQL gives the
rows a fresh queryset gives, at any time and whatever the data became; a
queryset with a parameter derived from the time is never kept; the home
page's lists are kept, and a new view restriction makes new SQL."""

import datetime
import uuid
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone, translation

from wagtail.models import Locale, Page, PageViewRestriction

from courses.catalogue import default_locale_id, next_sessions
from courses.models import CoursePage, CourseSession
from home import home_lists, prepared
from home.cache import bump_content_generation

from .conftest import publish
from .factories import CourseSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    prepared.forget()
    yield
    prepared.forget()


def _next(now):
    return next_sessions(default_locale_id(), now)


def _pks(rows):
    return [row.pk for row in rows]


def test_kept_sql_gives_what_the_queryset_gives_at_any_time(world):
    build = mock.Mock(side_effect=_next)
    now = timezone.now()
    shape = ("test", "next")
    assert _pks(prepared.rows(shape, build, now)) == _pks(_next(now))
    assert prepared.is_kept(shape)
    build.reset_mock()

    for days in (-40, 0, 21, 36, 41):
        at = now + datetime.timedelta(days=days)
        rows = prepared.rows(shape, build, at)
        assert _pks(rows) == _pks(_next(at)), days
    assert build.call_count == 0  # neither built nor compiled again
    assert [row.page.title for row in rows] == [row.page.title for row in _next(at)]  # joined


def test_kept_sql_reads_the_data_as_it_is_now(world):
    now = timezone.now()
    shape = ("test", "next")
    before = _pks(prepared.rows(shape, _next, now))
    added = CourseSessionFactory(page=world.excel, start=now + datetime.timedelta(days=1))
    world.saldatura.unpublish()
    after = _pks(prepared.rows(shape, _next, now))
    assert added.pk in after and added.pk not in before
    assert after == _pks(_next(now))
    assert not set(after) & set(world.saldatura.sessions.values_list("pk", flat=True))


def test_a_parameter_derived_from_the_time_is_never_kept(world):
    def derived(now):  # "from yesterday": not `now` itself
        return CourseSession.objects.filter(start__gte=now - datetime.timedelta(days=1))

    def dated(now):  # the date alone
        return CourseSession.objects.filter(Q(start__date__gte=now.date()))

    now = timezone.now()
    for name, build in (("derived", derived), ("dated", dated)):
        for days in (0, 30):
            at = now + datetime.timedelta(days=days)
            assert _pks(prepared.rows(("test", name), build, at)) == _pks(build(at))
        assert not prepared.is_kept(("test", name)), name


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_home_pages_lists_are_kept(client, world, english, home_en, language):
    with translation.override(language):
        locale = Locale.get_active()
        now = timezone.now()
        read = home_lists.read(locale, default_locale_id(), now)
        again = home_lists.read(locale, default_locale_id(), now + datetime.timedelta(hours=1))
    kept = [shape for shape in prepared._kept if shape[0] == "home-list"]
    assert {shape[1] for shape in kept} == {"sessions", "pages"}  # (with the clock known or not)
    assert all(prepared.is_kept(shape) for shape in kept), kept
    assert _pks(read["courses"]) == _pks(again["courses"])
    assert _pks(read["sessions"][0]) == _pks(again["sessions"][0])


def test_a_view_restriction_added_makes_new_sql(client, world, home):
    locale = Locale.get_active()
    now = timezone.now()
    titles = [page.title for page in home_lists.read(locale, default_locale_id(), now)["courses"]]
    assert "Excel per il lavoro" in titles
    PageViewRestriction.objects.create(
        page=world.artisan, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    titles = [page.title for page in home_lists.read(locale, default_locale_id(), now)["courses"]]
    assert "Excel per il lavoro" not in titles and "Saldatura a filo" not in titles
    assert "Sartoria per ricominciare" in titles


def test_a_course_published_later_is_among_the_kept_lists_rows(client, world, home):
    locale = Locale.get_active()
    now = timezone.now()
    home_lists.read(locale, default_locale_id(), now)
    world.past.title = "Corso ripreso"
    CourseSessionFactory(page=world.past, start=now + datetime.timedelta(hours=2))
    publish(world.past)
    read = home_lists.read(locale, default_locale_id(), now)
    assert read["courses"][0].title == "Corso ripreso"  # published last: the newest
    assert read["sessions"][0][0].page_id == world.past.pk  # its date is the next
    assert isinstance(read["courses"][0], CoursePage)


FILTERS = [
    "",
    "?free=on",
    "?comune=pioltello",
    "?topic=digitale&sort=newest",
    "?format=online&audience=everyone",
    "?when=week",  # dates from today: built each time
    "?q=saldatura",  # a text search: never kept
    "?archive=on",
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_catalogue_finds_with_kept_sql_what_it_finds_without(client, world, query):
    def titles():
        soup = BeautifulSoup(client.get(world.catalogue.url + query).content, "html.parser")
        return [card.h3.get_text(" ", strip=True) for card in soup.select(".course-card")]

    with mock.patch.object(
        prepared, "rows", side_effect=lambda s, build, now, *ids: list(build(now, *ids))
    ):
        expected = titles()
    assert expected or query == "?q=saldatura" or query == "?archive=on"
    for _change in range(2):  # the SQL kept, then run again after a change
        world.excel.title = world.excel.title + "!"
        publish(world.excel)
        renamed = {"Excel per il lavoro": world.excel.title}
        assert titles() == [renamed.get(title, title) for title in expected]
    kept = [shape for shape in prepared._kept if shape[0] == "catalogue"]
    if "when=" in query:
        assert kept and not any(prepared.is_kept(shape) for shape in kept)
    elif "q=" in query:
        assert kept == []
    else:
        assert len(kept) == 1 and prepared.is_kept(kept[0])


def test_each_set_of_filters_has_sql_of_its_own(client, world):
    def titles(query):
        soup = BeautifulSoup(client.get(world.catalogue.url + query).content, "html.parser")
        return [card.h3.get_text(" ", strip=True) for card in soup.select(".course-card")]

    with mock.patch.object(
        prepared, "rows", side_effect=lambda s, build, now, *ids: list(build(now, *ids))
    ):
        expected = {query: titles(query) for query in FILTERS}
    assert len({tuple(found) for found in expected.values()}) >= 4  # the filters differ
    for _round in range(2):
        for query in FILTERS:
            world.sartoria.save_revision().publish()  # the results not kept: read again
            assert titles(query) == expected[query], query


def test_the_partner_filter_is_kept_per_partner_not_per_id(client, world):
    """An id the SQL does not hold (the partner's translation key is) is
    not enough to tell two partners apart: SQLite gives a deleted page's id
    to the next page."""
    url = f"{world.catalogue.url}?partner={world.coop.pk}"

    def titles():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return {card.h3.get_text(" ", strip=True) for card in soup.select(".course-card")}

    assert "Sartoria per ricominciare" in titles()
    # The id now names a partner with another translation key.
    Page.objects.filter(pk=world.coop.pk).update(translation_key=uuid.uuid4())
    bump_content_generation()
    assert "Sartoria per ricominciare" in titles()


def test_a_process_keeps_the_last_shapes_only(world, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_KEPT", 2)
    now = timezone.now()
    for name in ("a", "b", "c"):
        assert _pks(prepared.rows(("test", name), _next, now)) == _pks(_next(now))
    assert list(prepared._kept) == [("test", "b"), ("test", "c")]


def _sessions_of(now, page_id):
    return CourseSession.objects.with_seats().filter(page_id=page_id).order_by("start", "pk")


def test_kept_sql_takes_ids_as_inputs(world):
    build = mock.Mock(side_effect=_sessions_of)
    now = timezone.now()
    shape = ("test", "sessions-of")
    courses = [world.excel, world.saldatura, world.sartoria]
    for course in courses:
        rows = prepared.rows(shape, build, now, course.pk)
        assert _pks(rows) == _pks(course.sessions.order_by("start", "pk")), course
        assert all(row.page_id == course.pk for row in rows)
    assert prepared.is_kept(shape)
    assert build.call_count == 2  # the first call's two builds only
    assert [row.seats_taken for row in rows] == [
        row.seats_taken for row in _sessions_of(now, world.sartoria.pk)
    ]


def test_two_ids_of_the_same_value_are_told_apart(world):
    def either(now, first, second):
        return CourseSession.objects.filter(Q(page_id=first) | Q(page_id=second)).order_by("pk")

    now = timezone.now()
    excel, sartoria = world.excel.pk, world.sartoria.pk
    assert _pks(prepared.rows(("test", "either"), either, now, excel, excel)) == _pks(
        either(now, excel, excel)
    )
    assert prepared.is_kept(("test", "either"))
    rows = prepared.rows(("test", "either"), either, now, excel, sartoria)
    assert _pks(rows) == _pks(either(now, excel, sartoria))
    assert {row.page_id for row in rows} == {excel, sartoria}


def test_a_parameter_derived_from_an_id_is_never_kept(world):
    def up_to(now, page_id):  # below the next id: not the id itself
        return CourseSession.objects.filter(page_id__lt=page_id + 1).order_by("pk")

    now = timezone.now()
    courses = sorted([world.excel, world.saldatura, world.sartoria], key=lambda page: page.pk)
    for course in courses:
        rows = prepared.rows(("test", "up-to"), up_to, now, course.pk)
        assert _pks(rows) == _pks(up_to(now, course.pk))
    assert len({len(up_to(now, course.pk)) for course in courses}) > 1  # (the ids tell)
    assert not prepared.is_kept(("test", "up-to"))
    with pytest.raises(TypeError):
        prepared.rows(("test", "up-to"), up_to, now, str(world.excel.pk))


def test_course_pages_read_their_dates_with_kept_sql(client, world):
    now = timezone.now()
    for course in (world.excel, world.sartoria, world.excel):
        cache.clear()  # the page's dates read again, with the session clock
        soup = BeautifulSoup(client.get(course.url).content, "html.parser")
        shown = {card["id"] for card in soup.select(".session-card")}
        ahead = course.sessions.filter(end__gte=now)
        assert shown == {f"session-{uid}" for uid in ahead.values_list("uid", flat=True)}
        assert shown, course
    kept = [shape for shape in prepared._kept if shape[0] == "course-sessions"]
    assert kept and all(prepared.is_kept(shape) for shape in kept)


def test_a_changed_courses_card_is_read_with_kept_sql_of_its_own(client, world):
    """After a change to a course the catalogue shows, its card alone is
    read again (its page, its dates), with SQL kept per number of cards."""

    def cards():
        soup = BeautifulSoup(client.get(world.catalogue.url).content, "html.parser")
        return {
            card.h3.get_text(" ", strip=True): {t["datetime"] for t in card.select("time")}
            for card in soup.select(".course-card")
        }

    before = cards()
    for course in (world.excel, world.sartoria):
        old_title = course.title
        course.title = f"{old_title} (nuova edizione)"
        publish(course)
        shown = cards()
        assert old_title not in shown and len(shown) == len(before)
        assert shown[course.title] == before[old_title], course.title  # its own dates
    assert prepared.is_kept(("card-pages", 1)) and prepared.is_kept(("card-sessions", 1))


def test_a_long_list_of_ids_is_built_at_every_call(world, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_IDS", 2)
    ids = sorted(CourseSession.objects.values_list("page_id", flat=True).distinct())[:3]

    def sessions_of(now, *ids):
        return CourseSession.objects.filter(page_id__in=ids).order_by("pk")

    now = timezone.now()
    rows = prepared.rows(("test", "long"), sessions_of, now, *ids)
    assert _pks(rows) == _pks(sessions_of(now, *ids)) and len(ids) == 3
    assert ("test", "long") not in prepared._kept


def _prepared_statements():
    """{statement: (generic plans, custom plans)} of this connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {sql: (generic, custom) for sql, generic, custom in cursor.fetchall()}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def test_kept_sql_runs_as_a_statement_planned_once_on_postgresql(postgresql, world):
    """On PostgreSQL the kept SQL is a prepared statement with one plan for
    any time (academy_site/settings/base.py): neither compiled nor planned
    again, and the rows are still the queryset's."""
    now = timezone.now()
    before = _prepared_statements()
    for days in (0, 21, 41):
        at = now + datetime.timedelta(days=days)
        assert _pks(prepared.rows(("test", "prepared"), _next, at)) == _pks(_next(at)), days
    ran = {
        statement: tuple(a - b for a, b in zip(plans, before.get(statement, (0, 0)), strict=True))
        for statement, plans in _prepared_statements().items()
        if plans != before.get(statement)
    }
    assert len(ran) == 1, ran
    ((statement, plans),) = ran.items()
    assert '"courses_coursesession"' in statement and "$1" in statement
    assert plans == (3, 0)  # three runs, each with the generic plan


def test_kept_sql_runs_unprepared_when_prepared_statements_are_off(postgresql, world, settings):
    settings.PREPARED_STATEMENTS = False
    now = timezone.now()
    before = _prepared_statements()
    for days in (0, 21):
        at = now + datetime.timedelta(days=days)
        assert _pks(prepared.rows(("test", "unprepared"), _next, at)) == _pks(_next(at))
    assert prepared.is_kept(("test", "unprepared"))
    assert _prepared_statements() == before
