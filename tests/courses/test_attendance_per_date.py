"""Attendance is marked per date: a register of presences, one mark for each
sign-up and session. A six-date course's sign-up used to hold one mark, so
nobody could tell who came to which date, or who reached the 80% a
certificate asks."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import booking
from courses.choices import SessionStatus, SignupMode
from courses.models import CourseSession, SessionAttendance, SignupStatus
from courses.models.bookings import Attendance
from home.cache import content_generation
from home.exports import local_datetime
from home.models import HomePage

from .signup_factories import SignupFactory, make_course, make_partner

pytestmark = pytest.mark.django_db


def move(session, start):
    CourseSession.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )
    session.refresh_from_db()


@pytest.fixture
def series(home):
    """A four-date course whose one sign-up covers every date: dates 1 and
    2 took place, date 3 starts in an hour, date 4 next week."""
    _course, sessions = make_course(
        make_partner(home), capacity=5, signup_mode=SignupMode.SERIES, sessions=4
    )
    now = timezone.now()
    move(sessions[0], now - datetime.timedelta(days=7))
    move(sessions[1], now - datetime.timedelta(hours=1))
    move(sessions[2], now + datetime.timedelta(hours=1))
    return sessions


@pytest.fixture
def anna(series):
    return SignupFactory(session=series[0], first_name="Anna")


@pytest.fixture
def partner(client, django_user_model, series):
    user = django_user_model.objects.create_user("alfa", password="pw")
    user.groups.add(Group.objects.get(name="Editors Cooperativa Alfa"))
    client.force_login(user)
    client.user = user
    return client


def marks(signup):
    """{session id: status} of the sign-up's attendance."""
    return dict(SessionAttendance.objects.filter(signup=signup).values_list("session_id", "status"))


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def row(response, signup):
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one(f"tr.signup-row[data-signup='{signup.pk}']")


def buttons(response, signup):
    """(action, session posted) of the row's attendance buttons."""
    return [
        (
            form["action"].rstrip("/").rsplit("/", 1)[-1],
            form.find("input", {"name": "session"})["value"],
        )
        for form in row(response, signup).select("form")
        if form.find("input", {"name": "session"})
    ]


def press(client, signup, action, session, next_url):
    url = reverse("course_signups:action", args=[signup.pk, action])
    return client.post(url, {"session": session.pk, "next": next_url})


def test_a_series_sign_up_is_marked_date_by_date(partner, series, anna):
    date_two = reverse("course_signups:session", args=[series[1].pk])
    page = partner.get(date_two)
    # Date 2's page marks date 2, and says the mark is not recorded yet.
    assert buttons(page, anna) == [("attended", str(series[1].pk)), ("absent", str(series[1].pk))]
    assert "Non registrata" in row(page, anna).get_text()

    assert press(partner, anna, "attended", series[0], date_two)["Location"] == date_two
    response = press(partner, anna, "absent", series[1], date_two)
    assert response.status_code == 302 and response["Location"] == date_two
    assert marks(anna) == {series[0].pk: Attendance.ATTENDED, series[1].pk: Attendance.ABSENT}
    page = partner.get(date_two)
    assert "Assente" in row(page, anna).get_text()
    first = partner.get(reverse("course_signups:session", args=[series[0].pk]))
    assert "Presente" in row(first, anna).select("td")[4].get_text()

    # Date 3 has not started: no buttons, and a press is refused.
    date_three = reverse("course_signups:session", args=[series[2].pk])
    assert buttons(partner.get(date_three), anna) == []
    refused = press(partner, anna, "attended", series[2], date_three)
    assert "Le presenze si possono segnare solo dopo l'inizio dell'incontro." in page_text(
        partner.get(refused["Location"])
    )
    assert series[2].pk not in marks(anna)

    # Marking again changes the mark, and says who and when.
    press(partner, anna, "attended", series[1], date_two)
    mark = SessionAttendance.objects.get(signup=anna, session=series[1])
    assert mark.status == Attendance.ATTENDED and mark.marked_by == partner.user
    assert SessionAttendance.objects.filter(signup=anna).count() == 2


def test_a_cancelled_date_and_a_date_not_covered_are_refused(partner, series, anna):
    CourseSession.objects.filter(pk=series[1].pk).update(status=SessionStatus.CANCELLED)
    date_two = reverse("course_signups:session", args=[series[1].pk])
    assert buttons(partner.get(date_two), anna) == []
    refused = press(partner, anna, "attended", series[1], date_two)
    assert "Questo incontro è stato annullato." in page_text(partner.get(refused["Location"]))
    with pytest.raises(booking.BookingError) as error:
        booking.mark_attendance(anna.pk, series[1].pk, Attendance.ATTENDED)
    assert error.value.code == "cancelled"

    # A session of a course taking sign-ups date by date: its sign-up gives
    # a place at its own date only.
    _course, (own, other) = make_course(series[0].page.get_parent().specific, sessions=2)
    move(own, timezone.now() - datetime.timedelta(days=2))
    move(other, timezone.now() - datetime.timedelta(days=1))
    bruno = SignupFactory(session=own, first_name="Bruno")
    for session in (other, series[0]):
        with pytest.raises(booking.BookingError) as error:
            booking.mark_attendance(bruno.pk, session.pk, Attendance.ATTENDED)
        assert error.value.code == "not_covered"
    # Anna's series sign-up has no place at another course's date either.
    refused = press(partner, anna, "attended", own, date_two)
    assert "Questa iscrizione non dà un posto a quell'incontro." in page_text(
        partner.get(refused["Location"])
    )
    assert marks(anna) == {} and marks(bruno) == {}
    booking.mark_attendance(bruno.pk, own.pk, Attendance.ABSENT)
    assert marks(bruno) == {own.pk: Attendance.ABSENT}


def test_only_those_who_see_the_sign_up_mark_it(client, django_user_model, home, series, anna):
    outsider = django_user_model.objects.create_user("beta", password="pw")
    outsider.groups.add(make_partner(home, "Officina Beta").group)
    client.force_login(outsider)
    url = reverse("course_signups:action", args=[anna.pk, "attended"])
    assert client.post(url, {"session": series[0].pk}, follow=True).status_code == 404
    assert marks(anna) == {}


def test_a_waiting_list_place_is_not_marked(series):
    waiting = SignupFactory(session=series[0], status=SignupStatus.WAITLISTED)
    with pytest.raises(booking.BookingError) as error:
        booking.mark_attendance(waiting.pk, series[0].pk, Attendance.ATTENDED)
    assert error.value.code == "inactive"


@pytest.fixture
def register(series, anna):
    """Anna came to date 1 and missed date 2; Bruno was not marked; date 3
    (cancelled, already begun) is not a date held; a one-date course's
    sign-up, Carla, came."""
    start = timezone.now() - datetime.timedelta(minutes=30)
    CourseSession.objects.filter(pk=series[2].pk).update(
        start=start, end=start + datetime.timedelta(hours=3), status=SessionStatus.CANCELLED
    )
    bruno = SignupFactory(session=series[0], first_name="Bruno")
    booking.mark_attendance(anna.pk, series[0].pk, Attendance.ATTENDED)
    booking.mark_attendance(anna.pk, series[1].pk, Attendance.ABSENT)
    _course, (single,) = make_course(series[0].page.get_parent().specific, title="Cucina")
    move(single, timezone.now() - datetime.timedelta(days=3))
    carla = SignupFactory(session=single, first_name="Carla")
    booking.mark_attendance(carla.pk, single.pk, Attendance.ATTENDED)
    return {"anna": anna, "bruno": bruno, "carla": carla, "single": single}


def test_the_list_says_how_many_dates_each_sign_up_attended(partner, series, register):
    page = partner.get(reverse("course_signups:list"))
    cell = {
        name: " ".join(row(page, register[name]).select("td")[4].get_text().split())
        for name in ("anna", "bruno", "carla")
    }
    assert cell == {
        "anna": "Presente a 1 di 2 incontri svolti finora",
        "bruno": "Presente a 0 di 2 incontri svolti finora",
        "carla": "Presente a 1 di 1 incontro svolto finora",
    }
    # A one-date sign-up is marked from the list too; a series, at each date.
    assert buttons(page, register["carla"]) == [
        ("attended", str(register["single"].pk)),
        ("absent", str(register["single"].pk)),
    ]
    assert buttons(page, register["anna"]) == []


def test_the_export_has_the_count_and_each_dates_mark(partner, series, register):
    response = partner.get(reverse("course_signups:export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    count, dates = rows[0].index("Presenza"), rows[0].index("Presenze per incontro")
    cells = {row[4]: (row[count], row[dates]) for row in rows[1:]}
    one, two = (local_datetime(s.start) for s in series[:2])
    assert cells == {
        "Anna": ("1/2", f"{one}: presente; {two}: assente"),
        "Bruno": ("0/2", f"{one}: non registrata; {two}: non registrata"),
        "Carla": ("1/1", f"{local_datetime(register['single'].start)}: presente"),
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_and_the_export_query_the_same_however_many_sign_ups(partner, series, anna):
    booking.mark_attendance(anna.pk, series[1].pk, Attendance.ATTENDED)
    urls = [
        reverse("course_signups:list"),
        reverse("course_signups:export", args=["csv"]),
        reverse("course_signups:session", args=[series[1].pk]),
    ]
    for url in urls:  # warm the caches (the locales) once
        partner.get(url)
    few = [count_queries(partner, url) for url in urls]
    for _ in range(4):
        more = SignupFactory(session=series[0])
        booking.mark_attendance(more.pk, series[0].pk, Attendance.ATTENDED)
        booking.mark_attendance(more.pk, series[1].pk, Attendance.ABSENT)
    assert [count_queries(partner, url) for url in urls] == few


def test_the_persons_data_list_each_dates_mark(series, anna):
    booking.mark_attendance(anna.pk, series[1].pk, Attendance.ABSENT)
    booking.mark_attendance(anna.pk, series[0].pk, Attendance.ATTENDED)
    data = booking.person_data(anna.participant)["signups"][0]["attendance"]
    assert [(m["session_start"], m["status"]) for m in data] == [
        (timezone.localtime(series[0].start).isoformat(), "attended"),
        (timezone.localtime(series[1].start).isoformat(), "absent"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_mark_to_the_sign_ups_session(site_after_flush):
    """Migration 0010: a sign-up's one mark becomes the mark for its own
    session; back, the mark for its own session returns to the sign-up."""
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    _course, series = make_course(
        make_partner(home), capacity=5, signup_mode=SignupMode.SERIES, sessions=3
    )
    people = {name: SignupFactory(session=series[0], first_name=name) for name in "ABC"}
    before = ("courses", "0009_still_coming_per_reminder")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_signup = executor.loader.project_state([before]).apps.get_model("courses", "Signup")
    old_signup.objects.filter(pk=people["A"].pk).update(attendance="attended")
    old_signup.objects.filter(pk=people["B"].pk).update(attendance="absent")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = {signup.pk: name for name, signup in people.items()}
    moved = {
        (names[m.signup_id], series.index(m.session), m.status)
        for m in SessionAttendance.objects.select_related("session")
    }
    assert moved == {("A", 0, "attended"), ("B", 0, "absent")}

    # Back again: date 1's mark returns to the sign-up; a later date's has
    # no place there.
    SessionAttendance.objects.create(
        signup=people["C"], session=series[1], status="attended", marked_at=timezone.now()
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_signup = executor.loader.project_state([before]).apps.get_model("courses", "Signup")
    back = dict(old_signup.objects.values_list("first_name", "attendance"))
    assert back == {"A": "attended", "B": "absent", "C": ""}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_mark_leaves_the_public_pages_cached(series, anna):
    """Attendance shows on no public page: marking a date does not make
    every cached page and fragment of the site stale."""
    generation = content_generation()
    booking.mark_attendance(anna.pk, series[0].pk, Attendance.ATTENDED)
    booking.mark_attendance(anna.pk, series[0].pk, Attendance.ABSENT)
    assert content_generation() == generation
    assert marks(anna) == {series[0].pk: Attendance.ABSENT}
