"""No overbooking under concurrent sign-ups (PostgreSQL row locks)."""

import threading

import pytest

from django.core import mail
from django.db import connection, connections

from courses import booking
from courses.models import Signup, SignupStatus
from home.models import HomePage

from .signup_factories import make_course, make_partner

CAPACITY = 3
PEOPLE = 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_never_overbook(site_after_flush):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL for real row locks under concurrency: set DATABASE_URL=postgres://…"
        )
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    _course, (session,) = make_course(make_partner(home), capacity=CAPACITY)
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def sign_up(n):
        try:
            barrier.wait(timeout=30)
            booking.sign_up(
                session,
                first_name=f"Persona{n}",
                last_name="Test",
                email=f"p{n}@example.org",
                comune="other",
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    signups = list(Signup.objects.filter(session=session).order_by("created_at", "id"))
    assert len(signups) == PEOPLE
    # Arrival order (the order the lock was granted) is the same by time and by id...
    assert [s.id for s in signups] == sorted(s.id for s in signups)
    # ...the first `capacity` to arrive hold the seats, everyone else waits in order.
    assert [s.status for s in signups] == [SignupStatus.RESERVED] * CAPACITY + [
        SignupStatus.WAITLISTED
    ] * (PEOPLE - CAPACITY)
    assert [s.waitlist_position() for s in signups[CAPACITY:]] == list(
        range(1, PEOPLE - CAPACITY + 1)
    )
    # Each booking committed for real, then its one e-mail went out.
    sent = sorted(m.to[0] for m in mail.outbox)
    assert sent == sorted(f"p{n}@example.org" for n in range(PEOPLE))
