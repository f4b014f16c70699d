"""Which queued sign-up e-mails still apply when the worker runs them
(pure logic, no database)."""

import datetime

import pytest

from django.utils import timezone

from courses.choices import SessionStatus
from courses.emails import still_applies
from courses.models import CourseSession, Signup, SignupStatus

NOW = timezone.now()
LATER = NOW + datetime.timedelta(days=2)
EARLIER = NOW - datetime.timedelta(hours=1)


def signup(status, *, confirmed=False, expires=LATER, session_status=SessionStatus.SCHEDULED):
    session = CourseSession(status=session_status, start=LATER, end=LATER)
    return Signup(
        status=status,
        session=session,
        email_confirmed_at=NOW if confirmed else None,
        expires_at=None if confirmed else expires,
    )


@pytest.mark.parametrize(
    ("kind", "made", "applies"),
    [
        ("confirm_address", signup(SignupStatus.RESERVED), True),
        ("confirm_address", signup(SignupStatus.WAITLISTED), True),
        ("confirm_address", signup(SignupStatus.CANCELLED), False),
        ("confirm_address", signup(SignupStatus.CONFIRMED, confirmed=True), False),
        ("confirm_address", signup(SignupStatus.RESERVED, expires=EARLIER), False),
        ("status", signup(SignupStatus.WAITLISTED), True),
        ("status", signup(SignupStatus.LAPSED), False),
        ("confirmed", signup(SignupStatus.CONFIRMED, confirmed=True), True),
        ("confirmed", signup(SignupStatus.RELEASED), False),
        ("waitlisted", signup(SignupStatus.WAITLISTED), True),
        ("waitlisted", signup(SignupStatus.CONFIRMED, confirmed=True), False),
        ("promoted", signup(SignupStatus.RESERVED), True),
        ("promoted", signup(SignupStatus.CANCELLED), False),
        ("cancelled", signup(SignupStatus.RELEASED), True),
        ("cancelled", signup(SignupStatus.RESERVED), False),
        ("cancelled_by_organiser", signup(SignupStatus.CANCELLED), True),
        ("lapsed", signup(SignupStatus.LAPSED), True),
        ("lapsed", signup(SignupStatus.CONFIRMED, confirmed=True), False),
        (
            "session_cancelled",
            signup(SignupStatus.CONFIRMED, session_status=SessionStatus.CANCELLED),
            True,
        ),
        ("session_cancelled", signup(SignupStatus.CONFIRMED), False),
        ("reminder", signup(SignupStatus.CONFIRMED, confirmed=True), True),
        ("reminder", signup(SignupStatus.RELEASED), False),
        (
            "reminder",
            signup(SignupStatus.CONFIRMED, session_status=SessionStatus.CANCELLED),
            False,
        ),
    ],
)
def test_a_queued_email_applies_only_to_the_sign_up_as_it_is_now(kind, made, applies):
    assert still_applies(made, kind, now=NOW) is applies


def test_an_unknown_email_is_an_error():
    with pytest.raises(ValueError, match="unknown sign-up e-mail"):
        still_applies(signup(SignupStatus.CONFIRMED), "surprise", now=NOW)


def test_a_cancelled_date_of_a_series_is_judged_by_that_session():
    """A series sign-up hangs on the first session: the e-mail about a
    later date applies while that date, not the first, is cancelled."""
    carried = signup(SignupStatus.CONFIRMED)
    later = CourseSession(status=SessionStatus.CANCELLED, start=LATER, end=LATER)
    assert still_applies(carried, "session_cancelled", now=NOW, session=later) is True
    later.status = SessionStatus.SCHEDULED  # put back before the worker ran
    assert still_applies(carried, "session_cancelled", now=NOW, session=later) is False
