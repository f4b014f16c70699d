"""Reminders before each date a sign-up covers: a series sign-up (carried
by the course's first session) is reminded before every date, once each;
a single session's sign-up once, as before."""

import datetime
import importlib
import re
import threading

import pytest

from django.apps import apps
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from courses import booking
from courses.choices import SessionStatus, SignupMode
from courses.emails import still_applies
from courses.models import CourseSession, Signup, SignupReminder, SignupStatus
from home.models import HomePage

from .signup_factories import (
    SignupFactory,
    make_course,
    make_partner,
    press_the_button,
    remind_before,
)

pytestmark = pytest.mark.django_db

WITHIN = datetime.timedelta(hours=24)


@pytest.fixture
def series(home):
    """A six-date course (one date a day, a week from now), one seat."""
    _course, sessions = make_course(
        make_partner(home), capacity=1, signup_mode=SignupMode.SERIES, sessions=6
    )
    return sessions


def test_each_date_of_a_series_gets_its_reminder_once(series, committed):
    holder = SignupFactory(session=series[0])
    for number, session in enumerate(series, 1):
        assert remind_before(session, committed) == 1
        assert remind_before(session, committed) == 0  # the next run, minutes later
        assert len(mail.outbox) == number
        assert f"incontro {number} di 6" in mail.outbox[-1].subject
    assert {m.to[0] for m in mail.outbox} == {holder.email}
    assert set(SignupReminder.objects.values_list("session_id", flat=True)) == {
        s.pk for s in series
    }


def test_a_cancelled_date_gets_no_reminder_and_the_others_still_do(series, committed):
    SignupFactory(session=series[0])
    # Updated in place: the cancellation's own e-mail is not what is tested.
    cancelled = [series[0], series[2]]
    CourseSession.objects.filter(pk__in=[s.pk for s in cancelled]).update(
        status=SessionStatus.CANCELLED
    )
    assert [remind_before(s, committed) for s in series] == [0, 1, 0, 1, 1, 1]
    assert len(mail.outbox) == 4


def test_a_released_series_sign_up_gets_no_more_reminders(series, committed):
    holder = SignupFactory(session=series[0])
    waiting = SignupFactory(session=series[0], status=SignupStatus.WAITLISTED)
    assert remind_before(series[0], committed) == 1
    booking.release(holder.pk)
    mail.outbox.clear()
    # The seat went to the next person: only they are reminded now.
    assert remind_before(series[1], committed) == 1
    assert [m.to[0] for m in mail.outbox] == [waiting.email]


def test_only_confirmed_seats_with_an_address_are_reminded(series):
    for status in (SignupStatus.RESERVED, SignupStatus.WAITLISTED, SignupStatus.CANCELLED):
        SignupFactory(session=series[0], status=status)
    SignupFactory(session=series[0], participant=None, email="", phone="333 1234567")
    assert remind_before(series[3]) == 0


def test_a_run_that_read_the_due_reminders_before_another_committed_sends_nothing(
    series, monkeypatch
):
    """Two overlapping runs both see the same reminders due: the one whose
    claim is stored first sends them, the other finds them claimed."""
    SignupFactory(session=series[0])
    SignupFactory(session=series[0], status=SignupStatus.CONFIRMED)
    now = series[1].start - datetime.timedelta(hours=20)
    seen_by_both = booking._reminders_due(WITHIN, now)
    assert len(seen_by_both) == 2
    assert booking.send_reminders(within=WITHIN, now=now) == 2
    monkeypatch.setattr(booking, "_reminders_due", lambda within, now: seen_by_both)
    assert booking.send_reminders(within=WITHIN, now=now) == 0
    assert SignupReminder.objects.count() == 2


def test_a_person_with_a_seat_of_their_own_at_a_date_is_reminded_once(series):
    """A sign-up from before the course took series sign-ups keeps its own
    date: the person gets one reminder for it, not two."""
    carried = SignupFactory(session=series[0])
    SignupFactory(session=series[1], participant=carried.participant)
    assert remind_before(series[1]) == 1


def test_someone_elses_seat_of_their_own_at_a_date_leaves_the_series_reminder(series, committed):
    """Another person's own sign-up at the second date (from before the
    course took series sign-ups): each of the two gets a reminder."""
    CourseSession.objects.filter(pk=series[1].pk).update(capacity=2)
    carried = SignupFactory(session=series[0])
    other = SignupFactory(session=series[1])
    assert remind_before(series[1], committed) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([carried.email, other.email])


def test_reminders_already_sent_before_the_migration_are_not_sent_again(series):
    """The migration records each sign-up's earlier reminder against its own
    session: the first date is not reminded again, the later ones are."""
    migration = importlib.import_module("courses.migrations.0007_signup_reminder_per_session")
    reminded = SignupFactory(session=series[0], reminder_sent_at=timezone.now())
    SignupFactory(session=series[0], status=SignupStatus.CONFIRMED)  # not reminded yet
    migration.remember_reminders_already_sent(apps, None)
    assert list(SignupReminder.objects.values_list("signup_id", "session_id")) == [
        (reminded.pk, series[0].pk)
    ]
    assert remind_before(series[0]) == 1  # only the one never reminded
    assert remind_before(series[1]) == 2


def test_single_sessions_are_reminded_once_without_a_number(home, committed):
    _course, sessions = make_course(make_partner(home), sessions=2)
    for session in sessions:
        SignupFactory(session=session)
    assert remind_before(sessions[0], committed) == 1
    assert remind_before(sessions[0], committed) == 0
    assert remind_before(sessions[1], committed) == 1
    assert [m.subject for m in mail.outbox] == [
        f"Promemoria: {sessions[0].page.title}, vieni ancora?"
    ] * 2
    assert "incontro" not in mail.outbox[0].body


def test_the_number_of_queries_does_not_grow_with_the_sign_ups(series, home):
    _single, (other,) = make_course(make_partner(home, "Bottega"), capacity=10)
    other.start = series[1].start
    other.end = series[1].end
    other.save()
    SignupFactory(session=other)
    for _ in range(2):
        SignupFactory(session=series[0], status=SignupStatus.CONFIRMED)
    with CaptureQueriesContext(connection) as few:
        assert remind_before(series[1]) == 3
    for _ in range(6):
        SignupFactory(session=series[0], status=SignupStatus.CONFIRMED)
        SignupFactory(session=other)
    CourseSession.objects.filter(pk=other.pk).update(start=series[2].start, end=series[2].end)
    with CaptureQueriesContext(connection) as many:
        # 8 series sign-ups; 6 new at the other session (moved, not a new date for the first)
        assert remind_before(series[2]) == 14
    assert len(many) == len(few)


def reminder_about_third_date(series, language, committed):
    for session in series[:2]:  # the first two dates are past
        session.start -= datetime.timedelta(days=30)
        session.end -= datetime.timedelta(days=30)
        session.save()
    SignupFactory(session=series[0], language=language)
    assert remind_before(series[2], committed) == 1
    (message,) = mail.outbox
    return message


def date_of(session, language):
    with translation.override(language):
        return date_format(timezone.localtime(session.start), "l j F Y")


def test_the_reminder_names_its_date_and_its_number_in_italian(series, committed, client):
    message = reminder_about_third_date(series, "it", committed)
    day = date_of(series[2], "it")
    assert message.subject.startswith(f"Promemoria: {series[0].page.title}, incontro 3 di 6, ")
    html = message.alternatives[0][0]
    intro = html.split("Quando e dove")[0]
    assert "si avvicina" in intro and "incontro 3 di 6" in intro and day in intro
    assert date_of(series[3], "it") not in intro
    assert "Rinuncio al mio posto" in html and "per tutti gli incontri rimanenti" in html
    assert "incontro 3 di 6" in message.body and day in message.body.split("Quando e dove")[0]
    # In the list of every date, the one it is about is marked.
    (marked,) = [line for line in message.body.splitlines() if "di questo promemoria" in line]
    assert day in marked
    # "Still coming" and "giving up the seat" act as they always did.
    coming = re.search(r'href="http://testserver(/it/signup/coming/[^"]+)"', html)[1]
    release = re.search(r'href="http://testserver(/it/signup/release/[^"]+)"', html)[1]
    assert press_the_button(client, coming).status_code == 200
    page = client.get(release)
    assert "per tutti gli incontri rimanenti" in page.content.decode()
    client.post(release)
    assert Signup.objects.get().status == SignupStatus.RELEASED


def test_the_reminder_names_its_date_and_its_number_in_english(series, committed):
    message = reminder_about_third_date(series, "en", committed)
    day = date_of(series[2], "en")
    assert message.subject.startswith("Reminder: ") and ", session 3 of 6, " in message.subject
    intro = message.alternatives[0][0].split("When and where")[0]
    assert "session 3 of 6 of" in intro and day in intro
    assert "giving up my seat" in intro and "all the remaining sessions" in intro
    assert "session 3 of 6" in message.body


def test_a_queued_reminder_for_a_date_cancelled_since_is_dropped(series):
    carried = SignupFactory(session=series[0])
    later = series[3]
    assert still_applies(carried, "reminder", session=later) is True
    later.status = SessionStatus.CANCELLED
    assert still_applies(carried, "reminder", session=later) is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_runs_send_each_reminder_once(site_after_flush):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrency: set DATABASE_URL=postgres://…")
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    _course, sessions = make_course(
        make_partner(home), capacity=20, signup_mode=SignupMode.SERIES, sessions=3
    )
    people = [SignupFactory(session=sessions[0]) for _ in range(10)]
    now = sessions[1].start - datetime.timedelta(hours=20)
    runs = 4
    barrier = threading.Barrier(runs)
    sent, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            sent.append(booking.send_reminders(within=WITHIN, now=now))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(sent) == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
