"""The catalogue, the home page and a course page answer in a number of
queries that does not grow with the number of courses or sessions."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import courses.demo
from courses.models import CoursePage, CourseSession
from home.demo import DemoContext

from .conftest import publish
from .factories import CourseSessionFactory, TopicFactory


def count_queries(client, url):
    client.get(url)  # renditions and caches are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


CATALOGUE_URLS = [
    "/it/corsi/",
    "/en/courses/",
    "/it/corsi/?free=on&comune=segrate",
    "/it/corsi/?when=month&sort=newest",
    "/it/corsi/?archive=1",
    "/it/corsi/?q=sartoria",
    "/it/corsi/export/csv/",
    "/it/",
    "/en/",
]


@pytest.fixture
def small_demo(home, home_en, monkeypatch):
    """The courses' demo loader on a few of its courses (the whole table
    takes long to build: every page save updates the search index)."""
    rows = courses.demo.COURSES
    monkeypatch.setattr(courses.demo, "COURSES", [*rows[:3], rows[-1]])
    context = DemoContext(scale=1)
    courses.demo.load(context)
    return context


@pytest.mark.django_db
def test_catalogue_and_home_queries_do_not_grow_with_the_demo_scale(client, small_demo):
    before = {url: count_queries(client, url) for url in CATALOGUE_URLS}
    course = CoursePage.objects.get(slug="sartoria-di-base", locale__language_code="it")
    course_url = course.url
    english_url = course.get_translation(small_demo.english).url
    course_before = (count_queries(client, course_url), count_queries(client, english_url))

    small_demo.scale = 3
    courses.demo.load(small_demo)
    assert CoursePage.objects.filter(locale__language_code="it").count() == 12

    after = {url: count_queries(client, url) for url in CATALOGUE_URLS}
    assert after == before
    assert (count_queries(client, course_url), count_queries(client, english_url)) == course_before

    # Running the loader again changes nothing.
    created, sessions = small_demo.created, CourseSession.objects.count()
    courses.demo.load(small_demo)
    assert (small_demo.created, CourseSession.objects.count()) == (created, sessions)
    statuses = set(CourseSession.objects.values_list("status", flat=True))
    assert statuses == {"scheduled", "full"}


@pytest.mark.django_db
def test_course_page_queries_do_not_grow_with_sessions_and_topics(client, world):
    url = world.saldatura.url
    before = count_queries(client, url)
    for days in range(40, 48):
        CourseSessionFactory(
            page=world.saldatura, start=timezone.now() + datetime.timedelta(days=days)
        )
    world.saldatura.topics = [TopicFactory(), TopicFactory(), TopicFactory()]
    world.saldatura.co_organisers = [world.coop, world.artisan]
    publish(world.saldatura)
    assert count_queries(client, url) == before
