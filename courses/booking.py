"""Seats and waiting lists.

Every path that gives, frees or moves a seat goes through this module:
sign-up (online and assisted), e-mail confirmation, cancellation, lapse,
release after a reminder, capacity change, moves from the waiting list and
promotion. Each runs in a transaction that first locks the session row
(`select_for_update`), so two requests can never count the same free seat.
On SQLite, where there are no row locks, the database is opened with
`BEGIN IMMEDIATE` (see settings), which serialises writers the same way.

E-mails are queued (django-tasks) when the transaction commits
(`courses.emails.queue_email`), so the row lock is held only for the
booking, a booking that rolls back sends nothing, and a failing e-mail
never undoes a stored one; the task reads the sign-up fresh, so the e-mail
describes what was actually stored.

Work that needs no lock (the series' first session, the participant) is
done before the session row is locked, inside the same transaction, so a
refused sign-up stores nothing.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy_site.date_articles import date_with_article
from home.cache import bump_domain_now_and_on_commit

from .choices import SessionStatus, SignupMode
from .models import (
    CoursePage,
    CourseSession,
    Participant,
    SessionAttendance,
    Signup,
    SignupReminder,
    SignupStatus,
)
from .models.bookings import ACTIVE_STATUSES, SEAT_STATUSES, Attendance, Channel


def confirmation_hours():
    return getattr(settings, "SIGNUP_CONFIRMATION_HOURS", 48)


def reminder_hours():
    return getattr(settings, "SIGNUP_REMINDER_HOURS", 24)


def retention_months():
    return getattr(settings, "SIGNUP_RETENTION_MONTHS", 12)


class BookingError(Exception):
    """A refusal the person can understand; `message` is translated."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass
class SignupResult:
    signup: Signup
    created: bool
    promoted: list = field(default_factory=list)


def _notify(signup, kind, session=None):
    from .emails import queue_email

    queue_email(signup, kind, session)


def _lock(session_id):
    return CourseSession.objects.select_for_update().get(pk=session_id)


def seats_taken(session):
    return Signup.objects.filter(session_id=session.pk, status__in=SEAT_STATUSES).count()


def _seat_counts(session, participant, now):
    """In one query (session locked): seats taken, unconfirmed sign-ups past
    their time (to lapse) and the participant's active sign-up, if any."""
    return Signup.objects.filter(session_id=session.pk).aggregate(
        taken=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        expired=Count("pk", filter=_expired(now)),
        existing=Min("pk", filter=Q(participant=participant, status__in=ACTIVE_STATUSES)),
    )


def _expired(now):
    """Unconfirmed sign-ups past their time to confirm."""
    return Q(
        status__in=[SignupStatus.RESERVED, SignupStatus.WAITLISTED],
        email_confirmed_at__isnull=True,
        expires_at__lte=now,
    )


def series_anchor(session, known_sessions=None):
    """The session that carries the sign-ups: itself, or for a course whose
    one sign-up covers the whole series, the course's first session
    (`known_sessions`: all the course's sessions in order, if at hand)."""
    page = session.page
    if page.signup_mode != SignupMode.SERIES:
        return session
    if known_sessions:
        return known_sessions[0]
    first = (
        CourseSession.objects.filter(page_id=session.page_id)
        .order_by("start", "sort_order")
        .first()
    )
    return first or session


def sessions_covered(signups, since=None):
    """(sign-up, session) for every session the sign-ups give a place at:
    each sign-up's own session and, for a course whose one sign-up covers
    the whole series (carried by its first session), the course's other
    sessions too, as the e-mails list them, in one query. A session with a
    sign-up of its own (from before the course took series sign-ups) keeps
    it. With `since`, sessions that ended before it are left out, each by
    its own date: a series whose first date is long past keeps its later
    ones."""
    series_pages = {
        s.session.page_id for s in signups if s.session.page.signup_mode == SignupMode.SERIES
    }
    by_page = {}
    if series_pages:
        for session in (
            CourseSession.objects.filter(page_id__in=series_pages)
            .select_related("page", "page__locale", "venue")
            .order_by("start", "sort_order")
        ):
            by_page.setdefault(session.page_id, []).append(session)
    # Each person's own seats (the reminders pass sign-ups of many people).
    own = {
        (signup.participant_id, signup.session_id)
        for signup in signups
        if signup.participant_id is not None
    }
    places = []
    for signup in signups:
        places.append((signup, signup.session))
        course = by_page.get(signup.session.page_id)
        if course and course[0].pk == signup.session_id:
            places.extend(
                (signup, session)
                for session in course[1:]
                if (signup.participant_id, session.pk) not in own
            )
    if since is not None:
        places = [(signup, session) for signup, session in places if session.end >= since]
    return places


def waitlist_positions(signups):
    """Waiting-list positions of the given sign-ups, in one query."""
    waiting = [s for s in signups if s.status == SignupStatus.WAITLISTED]
    if not waiting:
        return {}
    queue = Signup.objects.filter(
        session_id__in={s.session_id for s in waiting}, status=SignupStatus.WAITLISTED
    ).order_by("session_id", "id")
    positions, counters = {}, {}
    for session_id, signup_id in queue.values_list("session_id", "id"):
        counters[session_id] = counters.get(session_id, 0) + 1
        positions[signup_id] = counters[session_id]
    return positions


def closed_reason(session, now=None):
    """Why a session takes no sign-ups, or None when it is open."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session has been cancelled.")
    if session.start <= now:
        return _("This session has already started or taken place.")
    if session.signup_deadline and session.signup_deadline <= now:
        return _("Sign-ups for this session closed on %(date)s.") % {
            "date": date_with_article(
                timezone.localtime(session.signup_deadline).strftime("%d/%m/%Y %H:%M"), "il"
            )
        }
    return None


def _gives_seats(session, now):
    # After the sign-up deadline seats still pass on: the people waiting
    # signed up in time.
    return session.status == SessionStatus.SCHEDULED and session.start > now


def _promote(session, now):
    """Give free seats to the waiting list in arrival order (session locked)."""
    promoted = []
    if not _gives_seats(session, now):
        return promoted
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return promoted
    waiting = Signup.objects.filter(session_id=session.pk, status=SignupStatus.WAITLISTED).order_by(
        "id"
    )[:free]
    for signup in waiting:
        _give_seat(signup, now)
        promoted.append(signup)
        _notify(signup, "promoted")
    return promoted


def _give_seat(signup, now):
    if signup.email_confirmed_at or signup.channel == Channel.ASSISTED or not signup.email:
        signup.status = SignupStatus.CONFIRMED
        signup.expires_at = None
    else:
        signup.status = SignupStatus.RESERVED
        signup.expires_at = now + datetime.timedelta(hours=confirmation_hours())
    signup.save(update_fields=["status", "expires_at", "updated_at"])


def _lapse(session, now):
    """End unconfirmed sign-ups past their time (session locked)."""
    expired = list(Signup.objects.filter(_expired(now), session_id=session.pk))
    for signup in expired:
        signup.status = SignupStatus.LAPSED
        signup.ended_at = now
        signup.save(update_fields=["status", "ended_at", "updated_at"])
    return expired


def normalise_email(email):
    """Addresses are compared without regard to case."""
    return (email or "").strip().lower()


def sign_up(
    session,
    *,
    first_name,
    last_name,
    email="",
    phone="",
    comune,
    answers=None,
    future_courses_consent=False,
    language="it",
    channel=Channel.ONLINE,
    entered_by=None,
    now=None,
):
    """Reserve a seat, or a place on the waiting list, for one person.

    The same e-mail address never holds two places in a session: signing up
    again returns the existing sign-up (created=False) and sends its e-mail
    again."""
    now = now or timezone.now()
    email = normalise_email(email)
    anchor = series_anchor(session)
    if reason := closed_reason(anchor, now):  # checked again under the lock
        raise BookingError(reason, "closed")
    with transaction.atomic():
        # Before the lock: a participant is one person whatever the session
        # (the unique e-mail and get_or_create settle a race between two
        # first sign-ups of one address); it is stored only if the
        # sign-up is.
        if email:
            participant, _created = Participant.objects.get_or_create(
                email=email, defaults={"language": language}
            )
        else:
            participant = Participant.objects.create(email="", language=language)
        session = _lock(anchor.pk)
        reason = closed_reason(session, now)
        if reason:
            raise BookingError(reason, "closed")
        counts = _seat_counts(session, participant, now)
        if counts["expired"]:  # rare: lapse them, then count again
            _lapse(session, now)
            counts = _seat_counts(session, participant, now)
        if counts["existing"] is not None:
            existing = Signup.objects.get(pk=counts["existing"])
            _notify(existing, "confirm_address" if not existing.email_confirmed_at else "status")
            return SignupResult(existing, created=False)
        if email and participant.language != language:
            participant.language = language
            participant.save(update_fields=["language"])
        free = session.capacity - counts["taken"]
        has_seat = free > 0 and session.status == SessionStatus.SCHEDULED
        assisted = channel == Channel.ASSISTED
        if has_seat:
            status = SignupStatus.CONFIRMED if assisted else SignupStatus.RESERVED
        else:
            status = SignupStatus.WAITLISTED
        signup = Signup.objects.create(
            session=session,
            participant=participant,
            status=status,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            phone=phone.strip(),
            comune=comune,
            answers=answers or [],
            privacy_consent_at=now,
            future_courses_consent=future_courses_consent,
            language=language,
            channel=channel,
            entered_by=entered_by,
            expires_at=None if assisted else now + datetime.timedelta(hours=confirmation_hours()),
        )
        if assisted:
            _notify(signup, "confirmed" if has_seat else "waitlisted")
        else:
            _notify(signup, "confirm_address")
    return SignupResult(signup, created=True)


def _locked_signup(signup_id):
    """Lock the signup's session, then read the signup fresh."""
    session_id = Signup.objects.values_list("session_id", flat=True).get(pk=signup_id)
    session = _lock(session_id)
    return session, Signup.objects.select_related("session").get(pk=signup_id)


LAPSED_MESSAGE = _(
    "This reservation lapsed because it was not confirmed in time. You can sign up again."
)
NO_SEAT_MESSAGE = _("This sign-up no longer holds a seat.")


def confirmation_refused(signup, now=None):
    """Why the sign-up's address can no longer be confirmed, as the
    BookingError `confirm_email` would raise, or None. Reads only: the
    confirmation page asks before confirming (a reservation past its time
    is lapsed by `lapse_expired`, or by pressing the button)."""
    now = now or timezone.now()
    if not signup.is_active:
        if signup.status == SignupStatus.LAPSED:
            return BookingError(LAPSED_MESSAGE, "lapsed")
        return BookingError(_("This sign-up is no longer active."), "inactive")
    if not signup.email_confirmed_at and signup.expires_at and signup.expires_at <= now:
        return BookingError(LAPSED_MESSAGE, "lapsed")
    return None


def confirm_email(signup_id, now=None):
    """The button reached from the e-mail: the address is real. A reserved
    seat becomes confirmed; a waiting-list place stops lapsing."""
    now = now or timezone.now()
    with transaction.atomic():
        session, signup = _locked_signup(signup_id)
        if not signup.is_active:
            raise confirmation_refused(signup, now)
        if signup.email_confirmed_at:
            return signup
        # An expired reservation must not come back to life: lapse it and
        # pass its seat on (committed), then say so.
        expired = bool(signup.expires_at and signup.expires_at <= now)
        if expired:
            for lapsed in _lapse(session, now):
                _notify(lapsed, "lapsed")
            _promote(session, now)
        else:
            signup.email_confirmed_at = now
            signup.expires_at = None
            if signup.status == SignupStatus.RESERVED:
                signup.status = SignupStatus.CONFIRMED
            signup.save(update_fields=["email_confirmed_at", "expires_at", "status", "updated_at"])
            _notify(signup, "confirmed" if signup.holds_seat else "waitlisted")
    if expired:
        raise BookingError(LAPSED_MESSAGE, "lapsed")
    return signup


def cancel(signup_id, *, status=SignupStatus.CANCELLED, by_organiser=False, now=None):
    """End a sign-up (the person cancels, releases after a reminder, or the
    organiser cancels it); a freed seat goes to the waiting list at once."""
    now = now or timezone.now()
    with transaction.atomic():
        session, signup = _locked_signup(signup_id)
        if not signup.is_active:
            raise BookingError(_("This sign-up was already cancelled."), "inactive")
        signup.status = status
        signup.ended_at = now
        signup.save(update_fields=["status", "ended_at", "updated_at"])
        _notify(signup, "cancelled_by_organiser" if by_organiser else "cancelled")
        promoted = _promote(session, now)
    return SignupResult(signup, created=False, promoted=promoted)


def release(signup_id, now=None):
    """'I can't come any more', from the reminder."""
    return cancel(signup_id, status=SignupStatus.RELEASED, now=now)


def reminder_answered(signup, session_id=None, now=None):
    """The reminder a "still coming" link answers for, with its session, or
    None: the one of the date the link names. A link sent before links
    named a date (`session_id` None) answers for the sign-up's reminded
    date that has not ended yet, the soonest (the reminder that carried the
    link, unless the next one went out since), else its latest reminder."""
    reminders = SignupReminder.objects.filter(signup_id=signup.pk).select_related("session")
    if session_id is not None:
        return reminders.filter(session_id=session_id).first()
    now = now or timezone.now()
    ahead = reminders.filter(session__end__gt=now).order_by("session__start").first()
    return ahead or reminders.order_by("-session__start").first()


def coming_refused(signup, reminder, now=None):
    """Why "still coming" cannot be recorded for this reminder's date, as
    the BookingError `still_coming` would raise, or None. Reads only (the
    page asks first). An answer already given is no refusal: the page
    shows it."""
    now = now or timezone.now()
    if not signup.holds_seat:
        return BookingError(NO_SEAT_MESSAGE, "inactive")
    if reminder is None:
        return BookingError(_("No reminder was sent for this date."), "no_reminder")
    if reminder.still_coming_at:
        return None
    if reminder.session.status == SessionStatus.CANCELLED:
        return BookingError(_("This date was cancelled."), "cancelled")
    if reminder.session.end <= now:
        return BookingError(_("This date is over: there is nothing to answer."), "past")
    return None


def still_coming(signup_id, session_id=None, now=None):
    """The reminder's "yes, I'm still coming", for the date its link names
    (`reminder_answered`): recorded once on that date's reminder, so a
    series sign-up answers each date's reminder on its own. Returns the
    reminder, its `signup` the sign-up as stored."""
    now = now or timezone.now()
    with transaction.atomic():
        _session, signup = _locked_signup(signup_id)
        reminder = reminder_answered(signup, session_id, now)
        refusal = coming_refused(signup, reminder, now)
        if refusal:
            raise refusal
        reminder.signup = signup
        if reminder.still_coming_at is None:
            reminder.still_coming_at = now
            reminder.save(update_fields=["still_coming_at"])
            if signup.status == SignupStatus.RESERVED:
                # Answering the reminder proves the address works.
                signup.status = SignupStatus.CONFIRMED
                signup.email_confirmed_at = signup.email_confirmed_at or now
                signup.expires_at = None
                signup.save()
    return reminder


def lapse_expired(now=None):
    """End every unconfirmed sign-up past its time; free seats pass on."""
    now = now or timezone.now()
    session_ids = set(Signup.objects.filter(_expired(now)).values_list("session_id", flat=True))
    lapsed = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = _lock(session_id)
            expired = _lapse(session, now)
            for signup in expired:
                _notify(signup, "lapsed")
            lapsed += len(expired)
            _promote(session, now)
    return lapsed


def set_capacity(session_id, capacity, now=None):
    """Change the number of seats: never below the seats already given;
    a raise promotes the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session_id)
        taken = seats_taken(session)
        if capacity < taken:
            raise BookingError(
                _("%(taken)s seats are already given: the session cannot have fewer seats.")
                % {"taken": taken},
                "below_taken",
            )
        CourseSession.objects.filter(pk=session.pk).update(capacity=capacity, modified_at=now)
        _capacity_changed(session)  # update() sends no post_save
        session.capacity = capacity
        return _promote(session, now)


def _capacity_changed(session):
    """What a save of `session` would have moved in the caches (home/cache.py)."""
    bump_domain_now_and_on_commit(session.cache_domain, session.cached_course_ids)


def seats_changed(session_id, now=None):
    """After an editor changed a session (capacity, status): promote if seats
    are free now."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session_id)
        return _promote(session, now)


def move_to_seat(signup_id, now=None):
    """The organiser gives a seat to someone on the waiting list. With no
    free seat the session gets one more seat, so nobody loses theirs."""
    now = now or timezone.now()
    with transaction.atomic():
        session, signup = _locked_signup(signup_id)
        if signup.status != SignupStatus.WAITLISTED:
            raise BookingError(_("This person is not on the waiting list."), "not_waiting")
        if session.capacity - seats_taken(session) <= 0:
            session.capacity += 1
            CourseSession.objects.filter(pk=session.pk).update(
                capacity=session.capacity, modified_at=now
            )
            _capacity_changed(session)
        _give_seat(signup, now)
        _notify(signup, "promoted")
    return signup


def mark_attendance(signup_id, session_id, attendance, *, by=None, now=None):
    """Mark someone holding a seat as present or absent at one date, once it
    has started (before, nobody can know): the sign-up's own session or,
    for a series sign-up, any date of the course it covers
    (`sessions_covered`), unless that date was cancelled. Marking again
    changes the mark. Returns the `SessionAttendance`."""
    now = now or timezone.now()
    with transaction.atomic():
        _carrier, signup = _locked_signup(signup_id)
        if not signup.holds_seat:
            raise BookingError(_("Only people holding a seat can be marked."), "inactive")
        covered = {session.pk: session for _s, session in sessions_covered([signup])}
        session = covered.get(session_id)
        if session is None:
            raise BookingError(_("This sign-up has no place at that date."), "not_covered")
        if session.status == SessionStatus.CANCELLED:
            raise BookingError(_("This date was cancelled."), "cancelled")
        if session.start > now:
            raise BookingError(
                _("Attendance can be marked only once the session has started."), "not_started"
            )
        if attendance not in Attendance.values:
            raise BookingError(_("Unknown attendance value."), "bad_value")
        mark, _created = SessionAttendance.objects.update_or_create(
            signup=signup,
            session=session,
            defaults={"status": attendance, "marked_at": now, "marked_by": by},
        )
    return mark


@dataclass
class AttendanceRecord:
    """A sign-up's register: `dates`, (session, mark or None) for each of
    its dates held so far (started, not cancelled), in order; `attended` of
    them marked present."""

    dates: list

    @property
    def held(self):
        return len(self.dates)

    @property
    def attended(self):
        return sum(1 for _session, mark in self.dates if mark == Attendance.ATTENDED)

    @property
    def marked(self):
        return any(mark is not None for _session, mark in self.dates)


def attendance_records(signups, now=None):
    """{sign-up id: AttendanceRecord} in two queries however many sign-ups
    (the course dates of series, the marks); the sign-ups come with
    `session__page`."""
    now = now or timezone.now()
    signups = list(signups)
    marks = {
        (signup_id, session_id): status
        for signup_id, session_id, status in SessionAttendance.objects.filter(
            signup__in=signups
        ).values_list("signup_id", "session_id", "status")
    }
    records = {signup.pk: AttendanceRecord([]) for signup in signups}
    for signup, session in sessions_covered(signups):
        if session.start <= now and session.status != SessionStatus.CANCELLED:
            records[signup.pk].dates.append((session, marks.get((signup.pk, session.pk))))
    for record in records.values():
        record.dates.sort(key=lambda date: (date[0].start, date[0].sort_order))
    return records


def session_cancelled(session_id):
    """Tell everyone with a place at the session that it is cancelled: its
    own sign-ups and, for a course whose one sign-up covers the whole
    series, the sign-ups its first session carries (the e-mail names the
    cancelled date, so they know which one)."""
    session = CourseSession.objects.select_related("page").get(pk=session_id)
    carriers = {session.pk, series_anchor(session).pk}
    signups = Signup.objects.filter(session_id__in=carriers, status__in=ACTIVE_STATUSES)
    for signup in signups:
        _notify(signup, "session_cancelled", session)


# --- Personal data ----------------------------------------------------------


ANONYMISED = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "answers": [],
    "participant": None,
}


def purge_personal_data(now=None):
    """Anonymise sign-ups of sessions that ended more than the retention
    period ago; counts, statuses and comune stay for statistics."""
    now = now or timezone.now()
    months = retention_months()
    cutoff = now - datetime.timedelta(days=round(months * 30.44))
    signups = Signup.objects.filter(session__end__lt=cutoff, anonymised_at__isnull=True)
    with transaction.atomic():
        count = signups.update(anonymised_at=now, **ANONYMISED)
        Participant.objects.filter(signups__isnull=True).delete()
    return count


def erase_person(participant, now=None):
    """GDPR art. 17: free the person's seats, then remove their data."""
    now = now or timezone.now()
    for signup_id in participant.signups.filter(status__in=ACTIVE_STATUSES).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            session, signup = _locked_signup(signup_id)
            signup.status = SignupStatus.CANCELLED
            signup.ended_at = now
            signup.save(update_fields=["status", "ended_at", "updated_at"])
            _promote(session, now)
    with transaction.atomic():
        count = Signup.objects.filter(participant=participant).update(
            anonymised_at=now, **ANONYMISED
        )
        participant.delete()
    return count


def person_data(participant):
    """GDPR art. 15: everything stored about the person."""
    return {
        "email": participant.email,
        "language": participant.language,
        "created_at": participant.created_at.isoformat(),
        "signups": [
            {
                "course": s.session.page.title,
                "session_start": timezone.localtime(s.session.start).isoformat(),
                "status": s.status,
                "first_name": s.first_name,
                "last_name": s.last_name,
                "email": s.email,
                "phone": s.phone,
                "comune": s.comune,
                "answers": s.answers,
                "privacy_consent_at": s.privacy_consent_at.isoformat(),
                "future_courses_consent": s.future_courses_consent,
                "language": s.language,
                "channel": s.channel,
                "email_confirmed_at": s.email_confirmed_at and s.email_confirmed_at.isoformat(),
                "reminder_sent_at": s.reminder_sent_at and s.reminder_sent_at.isoformat(),
                "reminders": [
                    {
                        "session_start": timezone.localtime(r.session.start).isoformat(),
                        "sent_at": r.sent_at.isoformat(),
                        "still_coming_at": r.still_coming_at and r.still_coming_at.isoformat(),
                    }
                    for r in s.reminders.all()
                ],
                "attendance": [
                    {
                        "session_start": timezone.localtime(a.session.start).isoformat(),
                        "status": a.status,
                        "marked_at": a.marked_at.isoformat(),
                    }
                    for a in sorted(s.attendances.all(), key=lambda a: a.session.start)
                ],
                "created_at": s.created_at.isoformat(),
            }
            for s in participant.signups.select_related("session__page")
            .prefetch_related("reminders__session", "attendances__session")
            .order_by("id")
        ],
    }


# --- Reminders --------------------------------------------------------------------


def _reminders_due(within, now):
    """(sign-up, session) for every reminder due: each confirmed seat whose
    session, or for a series sign-up each date of the course, starts within
    `within`, is not cancelled and was not reminded yet. In five queries,
    however many sign-ups and dates."""
    due_sessions = set(
        CourseSession.objects.filter(
            status=SessionStatus.SCHEDULED, start__gt=now, start__lte=now + within
        ).values_list("pk", flat=True)
    )
    if not due_sessions:
        return []
    # A series sign-up hangs on the course's first session (whatever its
    # date or state): the first sessions of the series with a date due.
    first_of = {}
    for page_id, session_id in (
        CourseSession.objects.filter(
            page__in=CoursePage.objects.filter(
                signup_mode=SignupMode.SERIES, sessions__in=due_sessions
            )
        )
        .order_by("start", "sort_order")
        .values_list("page_id", "pk")
    ):
        first_of.setdefault(page_id, session_id)
    signups = list(
        Signup.objects.filter(
            status=SignupStatus.CONFIRMED,
            session_id__in={*due_sessions, *first_of.values()},
        )
        .exclude(email="")
        .select_related("session__page")
    )
    sent = set(
        SignupReminder.objects.filter(signup__in=signups, session_id__in=due_sessions).values_list(
            "signup_id", "session_id"
        )
    )
    return [
        (signup, session)
        for signup, session in sessions_covered(signups)
        if session.pk in due_sessions and (signup.pk, session.pk) not in sent
    ]


def send_reminders(within, now=None):
    """Queue one reminder per confirmed seat and date starting within
    `within`: a single session's sign-up once, a series sign-up once before
    each of its dates. Each (sign-up, session) is claimed by inserting its
    `SignupReminder` before the e-mail is queued (sent when the insert
    commits); a concurrent run's insert of the same pair is ignored, and
    each run sends only the rows bearing its own run id, so overlapping runs
    never send twice. A bounded number of queries, however many sign-ups."""
    now = now or timezone.now()
    run = uuid.uuid4()
    with transaction.atomic():
        places = _reminders_due(within, now)
        if not places:
            return 0
        SignupReminder.objects.bulk_create(
            [
                SignupReminder(signup=signup, session=session, sent_at=now, run=run)
                for signup, session in places
            ],
            ignore_conflicts=True,
        )
        claimed = set(SignupReminder.objects.filter(run=run).values_list("signup_id", "session_id"))
        places = [(g, s) for g, s in places if (g.pk, s.pk) in claimed]
        if not places:
            return 0
        # The sign-up keeps the time of its latest reminder (shown to staff).
        Signup.objects.filter(pk__in={signup.pk for signup, _s in places}).update(
            reminder_sent_at=now
        )
        for signup, session in places:
            _notify(signup, "reminder", None if session.pk == signup.session_id else session)
    return len(places)
