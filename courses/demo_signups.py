"""Demo sign-ups on the demo sessions: some sessions full with a waiting
list, others half full, a few assisted sign-ups by phone.

`load(context)` is called from `courses/demo.py` after the demo courses
exist; it adds nothing when there are no upcoming sessions, and nothing a
second time. Sign-ups go through `courses.booking`, like real ones, with
their e-mails switched off (none is built or queued)."""

import itertools

from django.utils import timezone

from . import booking
from .emails import no_signup_emails
from .models import CourseSession, Signup
from .models.bookings import Channel

DEMO_DOMAIN = "esempio.invalid"
FIRST_NAMES = [
    "Giulia",
    "Marco",
    "Fatima",
    "Andrea",
    "Elena",
    "Ahmed",
    "Sara",
    "Luca",
    "Irina",
    "Paolo",
    "Chiara",
    "Omar",
    "Francesca",
    "Davide",
    "Aisha",
    "Roberto",
    "Marta",
]
LAST_NAMES = [
    "Rossi",
    "Bianchi",
    "Ferrari",
    "El Amrani",
    "Colombo",
    "Popescu",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Kovalenko",
    "Gallo",
    "Conti",
    "Esposito",
]
COMUNI = ["pioltello", "segrate", "vimodrone", "rodano", "other"]


def load(context):
    if Signup.objects.filter(email__endswith="@" + DEMO_DOMAIN).exists():
        return
    sessions = list(
        CourseSession.objects.filter(start__gt=timezone.now(), status="scheduled")
        .select_related("page")
        .order_by("start")
    )
    sessions = [s for s in sessions if booking.series_anchor(s).pk == s.pk]
    if not sessions:
        return
    names = itertools.cycle(itertools.product(FIRST_NAMES, LAST_NAMES))
    counter = itertools.count(1)
    created = 0
    with no_signup_emails():
        for index, session in enumerate(sessions):
            # Every third session full with a waiting list; the others half full.
            if index % 3 == 0:
                people = session.capacity + 3 * context.scale
            else:
                people = max(1, session.capacity // 2)
            for n in range(people):
                first, last = next(names)
                number = next(counter)
                assisted = n % 7 == 3
                result = booking.sign_up(
                    session,
                    first_name=first,
                    last_name=last,
                    email="" if assisted else f"persona{number}@{DEMO_DOMAIN}",
                    phone=f"333 000 {number:04d}" if assisted else "",
                    comune=COMUNI[number % len(COMUNI)],
                    future_courses_consent=number % 2 == 0,
                    language="en" if number % 5 == 0 else "it",
                    channel=Channel.ASSISTED if assisted else Channel.ONLINE,
                )
                created += 1
                # Most people confirm their address; a few leave it pending.
                if not assisted and number % 6:
                    booking.confirm_email(result.signup.pk)
    context.created += created
    context.log(f"Demo sign-ups: {created} on {len(sessions)} sessions.")
