"""Seat rules over time: lapses, reminders, promotions, cancellations by
the editor, retention, and the course editor's guards."""

import datetime
import io
import re

import pytest

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses import booking
from courses.choices import SessionStatus
from courses.models import CourseSession, Participant, Signup, SignupReminder, SignupStatus
from courses.models.bookings import Channel

from .signup_factories import SignupFactory, make_course, make_partner, press_the_button

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(home):
    _course, (session,) = make_course(make_partner(home), capacity=1)
    return session


def person(session, email, **kw):
    return booking.sign_up(
        session, first_name="P", last_name="Q", email=email, comune="other", **kw
    ).signup


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_unconfirmed_reservation_lapses_and_its_seat_passes_on(session, settings, committed):
    settings.SIGNUP_CONFIRMATION_HOURS = 2
    first = person(session, "a@example.org")
    second = person(session, "b@example.org")
    booking.confirm_email(second.pk)
    assert first.expires_at - timezone.now() < datetime.timedelta(hours=2, seconds=5)
    mail.outbox.clear()
    assert "Lapsed reservations: 0" in run("lapse_signups")
    Signup.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    assert "Lapsed reservations: 1" in committed(run, "lapse_signups")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == SignupStatus.LAPSED
    assert second.status == SignupStatus.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {"a@example.org", "b@example.org"}
    # The lapsed link no longer confirms.
    with pytest.raises(booking.BookingError):
        booking.confirm_email(first.pk)


def test_a_late_confirmation_does_not_revive_a_lapsed_seat(session, client, committed):
    first = committed(person, session, "a@example.org")
    person(session, "b@example.org")
    Signup.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    url = re.search(r"http://testserver(/\S+/signup/confirm/\S+/)", mail.outbox[0].body)[1]
    # Opening the link says so at once, without a button, and changes nothing.
    page = client.get(url)
    assert page.status_code == 409 and "<form" not in page.content.decode()
    assert Signup.objects.get(email="b@example.org").status == SignupStatus.WAITLISTED
    # Pressing a button kept open from before lapses it and passes the seat on.
    response = client.post(url)
    assert response.status_code == 409
    assert Signup.objects.get(pk=first.pk).status == SignupStatus.LAPSED
    assert Signup.objects.get(email="b@example.org").status == SignupStatus.RESERVED


def test_reminders_go_once_and_release_passes_the_seat(session, client, committed):
    holder = SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    SignupFactory(session=session, status=SignupStatus.CANCELLED)
    session.start = timezone.now() + datetime.timedelta(hours=20)
    session.end = session.start + datetime.timedelta(hours=2)
    session.save()
    assert "Reminders sent: 1" in committed(run, "send_reminders")
    assert "Reminders sent: 0" in committed(run, "send_reminders")
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [holder.email] and reminder.attachments
    html = reminder.alternatives[0][0]
    coming = re.search(r'href="http://testserver(/it/signup/coming/[^"]+)"', html)[1]
    release = re.search(r'href="http://testserver(/it/signup/release/[^"]+)"', html)[1]
    assert press_the_button(client, coming).status_code == 200
    assert SignupReminder.objects.get(signup=holder).still_coming_at is not None
    assert client.get(release).status_code == 200  # asks first
    assert Signup.objects.get(pk=holder.pk).status == SignupStatus.CONFIRMED
    client.post(release)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == SignupStatus.RELEASED
    assert waiting.status == SignupStatus.CONFIRMED
    # The promoted person gets the reminder on the next run, once.
    assert "Reminders sent: 1" in run("send_reminders")
    assert "Reminders sent: 0" in run("send_reminders")


def test_a_sign_up_e_mail_goes_once_after_the_commit(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = person(session, "a@example.org")
        assert mail.outbox == []  # nothing while the booking's transaction is open
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "Conferma" in mail.outbox[0].subject
    assert Signup.objects.get().pk == signup.pk


def test_a_booking_that_rolls_back_sends_no_e_mail(session, django_capture_on_commit_callbacks):
    class Refused(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused),
        transaction.atomic(),  # e.g. the request's transaction, failing later
    ):
        person(session, "a@example.org")
        booking.cancel(person(session, "b@example.org").pk)
        raise Refused
    assert mail.outbox == []
    assert not Signup.objects.exists() and not Participant.objects.exists()


def test_a_sign_up_refused_under_the_lock_stores_no_participant(session, committed):
    # Cancelled after the caller read the session: only the locked row says so.
    CourseSession.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    assert session.status == SessionStatus.SCHEDULED
    with pytest.raises(booking.BookingError) as refused:
        committed(person, session, "a@example.org")
    assert refused.value.code == "closed"
    assert not Participant.objects.exists() and mail.outbox == []


def test_sessions_further_away_get_no_reminder_yet(session):
    SignupFactory(session=session)
    assert "Reminders sent: 0" in run("send_reminders")
    assert "Reminders sent: 1" in run("send_reminders", "--hours", str(24 * 8))


def test_a_cancelled_session_tells_everyone(session, committed):
    holder = SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    SignupFactory(session=session, status=SignupStatus.CANCELLED)
    session.status = SessionStatus.CANCELLED
    committed(session.save)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([holder.email, waiting.email])
    from icalendar import Calendar

    cal = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 1
    session.note = "changed"
    committed(session.save)
    assert len(mail.outbox) == 2  # told once


def test_capacity_raised_in_the_editor_promotes(session):
    SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    session.capacity = 2
    session.save()
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED


def test_lowering_capacity_below_seats_given_is_refused(session):
    SignupFactory(session=session)
    with pytest.raises(booking.BookingError):
        booking.set_capacity(session.pk, 0)


def test_assisted_signup_without_email(session, committed):
    signup = committed(person, session, "", channel=Channel.ASSISTED, phone="333")
    assert signup.status == SignupStatus.CONFIRMED and mail.outbox == []
    other = person(session, "", channel=Channel.ASSISTED, phone="334")
    assert other.status == SignupStatus.WAITLISTED


def test_purge_anonymises_old_signups_and_keeps_counts(session, settings):
    old_start = timezone.now() - datetime.timedelta(days=400)
    _course, (old,) = make_course(session.page.get_parent().specific, capacity=5)
    old.start, old.end = old_start, old_start + datetime.timedelta(hours=2)
    old.save()
    gone = SignupFactory(session=old, phone="333")
    kept = SignupFactory(session=session)
    assert "anonymised: 1" in run("purge_personal_data")
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.first_name == gone.email == gone.phone == "" and gone.anonymised_at
    assert gone.status == SignupStatus.CONFIRMED and gone.comune == "segrate"
    assert kept.first_name and kept.participant_id
    assert not Participant.objects.filter(email=gone.email or "x").exists()
    assert "anonymised: 0" in run("purge_personal_data")


def session_row(session):
    """The editor's row of `session` as the form sends it, with 1 seat."""
    return {
        "id": session.pk,
        "start": timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(session.end).strftime("%Y-%m-%d %H:%M"),
        "format": "in_person",
        "venue": session.venue_id,
        "online_notes": "",
        "capacity": "1",
        "signup_deadline": "",
        "status": "scheduled",
        "note": "",
    }


def test_editor_refuses_removing_a_session_with_signups(admin_client, session):
    from .test_editor import course_form_data

    SignupFactory(session=session)
    course = session.page
    row = session_row(session)
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [{**row, "DELETE": "1"}], initial=1)
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "non può essere tolto: annullalo invece" in response.content.decode()
    data = course_form_data(course, [{**row, "capacity": "0"}], initial=1)
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.capacity == 1
    assert Signup.objects.filter(session=session).count() == 1


def test_seats_below_those_given_are_refused_beside_that_sessions_seats(admin_client, session):
    """With many sessions, a refusal only at the top of the form left the
    partner looking for the row: the seats field of that session says it,
    with what was typed still in it, and nothing is saved."""
    from bs4 import BeautifulSoup

    from .test_editor import course_form_data

    CourseSession.objects.filter(pk=session.pk).update(capacity=3)
    SignupFactory(session=session)
    SignupFactory(session=session)
    course = session.page
    row = session_row(session)
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [row], initial=1)
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    seats = BeautifulSoup(response.content, "html.parser").find(id="id_sessions-0-capacity")
    assert seats["value"] == "1"
    field = " ".join(seats.find_parent(attrs={"data-field-wrapper": True}).get_text(" ").split())
    assert "ha già 2 posti assegnati: non può averne di meno" in field
    session.refresh_from_db()
    assert session.capacity == 3


def test_one_sign_up_takes_few_queries_under_the_lock(session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person(session, "a@example.org")
    fresh = CourseSession.objects.select_related("page").get(pk=session.pk)
    with CaptureQueriesContext(connection) as queries:
        person(fresh, "b@example.org")
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # Participant (read, then created), then under the lock: the session
    # row, one count of seats / lapses due / this person's place, the insert.
    assert len(sql) == 5, sql
    locked = next(i for i, q in enumerate(sql) if "courses_coursesession" in q)
    assert all("courses_participant" in q for q in sql[:locked])
    assert len(sql[locked:]) == 3


def test_publishing_an_older_revision_keeps_the_seats_given_since(session):
    """A partner submits the course; seats are then added in Sign-ups and
    given to the waiting list; staff approve the submitted revision from the
    dashboard (no editor form, no check): its older capacity left the
    session with more seats given than it has."""
    course = session.page
    revision = course.save_revision()
    SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    booking.set_capacity(session.pk, 2)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    revision.publish()
    session.refresh_from_db()
    assert session.capacity == 2
    # A revision made after the change keeps the new capacity.
    booking.set_capacity(session.pk, 5)
    course.save_revision().publish()
    session.refresh_from_db()
    assert session.capacity == 5
