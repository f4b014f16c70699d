"""Course cards, the catalogue's list of matches and its filter form are
kept in the cache (courses/templatetags/course_tags.py, courses/catalogue.py):
they must follow content changes, the passing of time and the visitor's
query, and never show a stale date."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.utils import timezone

from courses.catalogue import session_clock
from courses.templatetags import course_tags
from home.cache import content_generation

from .conftest import local, publish
from .factories import CoursePageFactory, CourseSessionFactory

URL = "/it/corsi/"


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def cards(response):
    """{title: datetime of the card's next date} on a catalogue or home page."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        card.h3.get_text(strip=True): card.find("time")["datetime"]
        for card in soup.select(".course-card")
    }


@pytest.fixture
def day():
    """Tomorrow, so that every session below is ahead when the test starts."""
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def courses(world, day):
    """One course with a morning session and one ten days later; another whose
    only session is that morning."""
    two = CoursePageFactory(parent=world.coop, title="Due date", slug="due-date")
    CourseSessionFactory(page=two, start=local(day, 9), end=local(day, 11))
    later = day + datetime.timedelta(days=10)
    CourseSessionFactory(page=two, start=local(later, 9), end=local(later, 11))
    publish(two)
    one = CoursePageFactory(parent=world.coop, title="Una mattina", slug="una-mattina")
    CourseSessionFactory(page=one, start=local(day, 9), end=local(day, 11))
    publish(one)
    return two, one


@pytest.mark.django_db
def test_a_card_follows_the_clock_without_any_content_change(client, courses, day):
    two, _one = courses
    with at(local(day, 10)):
        before = cards(client.get(URL))
        generation = content_generation()
    with at(local(day, 12)):
        after = cards(client.get(URL))
        assert content_generation() == generation  # only time has passed
    assert before["Due date"] == local(day, 9).isoformat()
    assert after["Due date"] == local(day + datetime.timedelta(days=10), 9).isoformat()


@pytest.mark.django_db
def test_the_list_of_matches_follows_the_clock(client, courses, day):
    with at(local(day, 10)):
        assert "Una mattina" in cards(client.get(URL))
    with at(local(day, 12)):
        assert "Una mattina" not in cards(client.get(URL))
        assert "Una mattina" in cards(client.get(URL + "?archive=1"))


@pytest.mark.django_db
def test_a_course_change_renders_its_own_card_again_and_no_other(client, courses, day, world):
    render = course_tags._render_card
    with mock.patch.object(course_tags, "_render_card", side_effect=render) as rendered:
        shown = len(cards(client.get(URL)))
        assert rendered.call_count == shown > 1
        client.get(URL)
        assert rendered.call_count == shown  # all from the cache
        two, _one = courses
        two.title = "Due date, nuovo titolo"
        publish(two)
        response = client.get(URL)
        assert "Due date, nuovo titolo" in cards(response)
        assert rendered.call_count == shown + 1  # its card alone
        # The partner's name is on every card of its courses: all are new.
        world.coop.title = "Cooperativa rinominata"
        world.coop.save_revision().publish()
        response = client.get(URL)
    assert rendered.call_count == 2 * shown + 1
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Cooperativa rinominata" in soup.select_one(".course-card").get_text()


@pytest.mark.django_db
def test_a_card_shows_a_session_marked_full_at_once(client, courses):
    two, _one = courses
    client.get(URL)
    for session in two.sessions.all():
        session.status = "full"
        session.save()
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    card = next(c for c in soup.select(".course-card") if "Due date" in c.h3.get_text())
    assert "course-card--full" in card["class"]


@pytest.mark.django_db
def test_the_filter_form_shows_each_visitors_own_query_and_errors(client, world):
    soup = BeautifulSoup(client.get(URL + "?q=sartoria").content, "html.parser")
    assert soup.select_one("input[name=q]")["value"] == "sartoria"
    soup = BeautifulSoup(client.get(URL + "?q=excel").content, "html.parser")
    assert soup.select_one("input[name=q]")["value"] == "excel"
    soup = BeautifulSoup(client.get(URL + "?date_from=bad").content, "html.parser")
    assert soup.select_one(".catalogue-filters .notice--error")
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    assert not soup.select_one(".catalogue-filters .notice--error")
    assert soup.select_one("input[name=q]")["value"] == ""


@pytest.mark.django_db
def test_the_session_clock_is_never_read_back_for_an_earlier_time(courses, day):
    """A process whose clock lags another's must not take the later state."""
    assert session_clock(local(day, 12)) > local(day, 11)
    assert session_clock(local(day, 10)) == local(day, 11)
    assert session_clock(local(day, 10, 30)) == local(day, 11)


@pytest.mark.django_db
def test_the_session_clock_is_the_next_start_end_or_sign_up_deadline(world):
    """The first start, end or sign-up deadline at or after now of any
    session (an index each, read on one session row), and no end ahead
    when there is no session at all."""
    from django.core.cache import cache

    from courses.catalogue import NO_END_AHEAD
    from courses.models import CourseSession

    now = timezone.now()
    instants = [
        instant
        for session in CourseSession.objects.all()
        for instant in (session.start, session.end, session.signup_deadline)
        if instant and instant >= now
    ]
    assert session_clock(now) == min(instants)

    soon = now + datetime.timedelta(minutes=5)
    CourseSessionFactory(
        page=world.excel,
        start=now + datetime.timedelta(days=3),
        signup_deadline=soon,
    )
    assert session_clock(now) == soon

    CourseSession.objects.all().delete()
    cache.clear()
    assert session_clock(now) == NO_END_AHEAD
