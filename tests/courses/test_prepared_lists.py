"""SQL compiled once per process (home/prepared.py): the kept SQL gives the
rows a fresh queryset gives, at any time and whatever the data became; a
queryset with a parameter derived from the time is never kept; the home
page's lists are kept, and a new view restriction makes new SQL."""

import datetime
from unittest import mock

import pytest

from django.db.models import Q
from django.utils import timezone, translation

from wagtail.models import Locale, PageViewRestriction

from courses.catalogue import default_locale_id, next_sessions
from courses.models import CoursePage, CourseSession
from home import home_lists, prepared

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
