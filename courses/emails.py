"""Sign-up e-mails: plain text plus HTML, in the person's language, sent by
a background task (django-tasks) so a slow mail server never blocks a
request.

An e-mail is queued when the booking transaction commits
(`transaction.on_commit`), never inside it: the session's row lock is held
only for the booking, a booking that rolls back sends nothing, and an
e-mail that fails cannot undo (or turn into an error page) a sign-up that
is already stored.

In production the task runs in the worker (`manage.py db_worker`), maybe
minutes later, after the person or the organiser changed the sign-up
again: the task reads the sign-up fresh and sends the e-mail only if it
still applies (`still_applies`), so a cancelled sign-up gets no
confirmation and a place on the waiting list that became a seat gets only
"a seat is free for you"."""

import contextvars

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from home.background import enqueue_on_commit
from home.links import public_page_url
from home.localize import in_language

from . import ical
from .signup_links import action_url, my_signups_url

SUBJECTS = {
    "confirm_address": _("Please confirm your e-mail address: %(course)s"),
    "status": _("Your sign-up: %(course)s"),
    "confirmed": _("You have a seat: %(course)s"),
    "waitlisted": _("You are on the waiting list: %(course)s"),
    "promoted": _("A seat is free for you: %(course)s"),
    "cancelled": _("Your sign-up is cancelled: %(course)s"),
    "cancelled_by_organiser": _("The organiser cancelled your sign-up: %(course)s"),
    "lapsed": _("Your reservation has lapsed: %(course)s"),
    "session_cancelled": _("Session cancelled: %(course)s"),
    "reminder": _("Reminder: %(course)s, are you still coming?"),
}
# The reminder before one date of a series names it.
SERIES_REMINDER_SUBJECT = _("Reminder: %(course)s, session %(number)s of %(total)s, %(date)s")
# Kinds whose e-mail carries the session as an .ics attachment.
WITH_CALENDAR = {"confirmed", "promoted", "reminder", "status", "session_cancelled"}


def localized_course(page, language):
    """The course page in `language` if translated and live, else the page."""
    return in_language(page, language)


def course_url(page):
    """The course's address on the public site (WAGTAILADMIN_BASE_URL)."""
    return public_page_url(page)


def series_sessions(session):
    from .choices import SignupMode
    from .models import CourseSession

    if session.page.signup_mode == SignupMode.SERIES:
        return list(
            CourseSession.objects.filter(page_id=session.page_id)
            .select_related("venue", "page")
            .order_by("start", "sort_order")
        )
    return [session]


_switched_off = contextvars.ContextVar("signup_emails_switched_off", default=False)


class no_signup_emails:
    """Context manager: no sign-up e-mail is queued for what happens inside
    it (the demo's sign-ups, made-up people at addresses that do not exist)."""

    def __enter__(self):
        self._token = _switched_off.set(True)

    def __exit__(self, *exc):
        _switched_off.reset(self._token)


def queue_email(signup, kind, session=None):
    """Queue the e-mail `kind` for `signup` once the current transaction
    commits (at once outside a transaction). `session`: the session the
    e-mail is about when it is not the sign-up's own (a cancelled date of
    a series, whose sign-ups the first session carries)."""
    if not signup.email or _switched_off.get():
        return
    about = () if session is None else (session.pk,)
    enqueue_on_commit(send_signup_email, signup.pk, kind, *about)


@task()
def send_signup_email(signup_id, kind, session_id=None):
    from .models import CourseSession, Signup

    signup = (
        Signup.objects.select_related("session__page", "session__venue", "participant")
        .filter(pk=signup_id)
        .first()
    )
    session = None
    if session_id is not None:
        session = CourseSession.objects.select_related("venue").filter(pk=session_id).first()
        if session is None:
            return
    if signup is None or not signup.email or not still_applies(signup, kind, session=session):
        return
    build_message(signup, kind, session).send()


def still_applies(signup, kind, now=None, session=None):
    """Whether the e-mail `kind`, queued when the sign-up changed, still
    describes the sign-up as it is now. A later change queued its own
    e-mail (a promotion "promoted", a cancellation "cancelled", a lapse
    "lapsed"), so an e-mail overtaken by it is dropped, not corrected.
    `session`: the session the e-mail is about, if not the sign-up's own."""
    from .choices import SessionStatus
    from .models import SignupStatus

    now = now or timezone.now()
    status = signup.status
    if kind == "confirm_address":
        # Once confirmed, "confirmed" or "waitlisted" follows; once past its
        # time, the lapse sweep ends the sign-up and writes "lapsed".
        return (
            signup.is_active
            and not signup.email_confirmed_at
            and not (signup.expires_at and signup.expires_at <= now)
        )
    if kind == "status":
        return signup.is_active
    if kind in ("confirmed", "promoted"):
        return signup.holds_seat
    if kind == "waitlisted":
        return status == SignupStatus.WAITLISTED
    if kind in ("cancelled", "cancelled_by_organiser"):
        return status in (SignupStatus.CANCELLED, SignupStatus.RELEASED)
    if kind == "lapsed":
        return status == SignupStatus.LAPSED
    if kind == "session_cancelled":
        return (session or signup.session).status == SessionStatus.CANCELLED
    if kind == "reminder":
        # `session`: a later date of the series the sign-up covers.
        session = session or signup.session
        return (
            status == SignupStatus.CONFIRMED
            and session.status == SessionStatus.SCHEDULED
            and session.start > now
        )
    raise ValueError(f"unknown sign-up e-mail {kind!r}")


def build_message(signup, kind, about=None):
    """The e-mail `kind` for `signup`; `about`: the session it is about
    when not the sign-up's own (a cancelled date of a series)."""
    with translation.override(signup.language):
        session = signup.session
        course = localized_course(session.page, signup.language)
        sessions = series_sessions(session)
        context = {
            "kind": kind,
            "signup": signup,
            "session": session,
            "sessions": sessions,
            "course": course,
            "course_url": course_url(course),
            "venue": session.venue,
            "position": signup.waitlist_position(),
            "confirm_url": action_url(signup, "confirm"),
            "cancel_url": action_url(signup, "cancel"),
            "release_url": action_url(signup, "release"),
            "mine_url": my_signups_url(signup.participant) if signup.participant else "",
            "hours": _hours(signup),
            "site_name": _("Territorial Academy"),
        }
        about = about or session
        context.update(_date_in_series(about, sessions))
        # The reminder's "still coming" answers for the date it is about.
        context["coming_url"] = action_url(signup, "coming", session=about)
        subject = str(SUBJECTS[kind] % {"course": course.title})
        if kind == "reminder" and context["number"]:
            subject = str(
                SERIES_REMINDER_SUBJECT
                % {
                    "course": course.title,
                    "number": context["number"],
                    "total": context["total"],
                    "date": date_format(timezone.localtime(about.start), "j F"),
                }
            )
        text = render_to_string("courses/emails/signup.txt", context)
        html = render_to_string("courses/emails/signup.html", context)
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[signup.email]
        )
        message.attach_alternative(html, "text/html")
        if kind in WITH_CALENDAR and (signup.holds_seat or kind == "session_cancelled"):
            events = [
                ical.session_vevent(s, title=course.title, url=course_url(course)) for s in sessions
            ]
            cal = ical.calendar(events, name=course.title)
            # Django adds the charset of a text/* attachment itself.
            message.attach("session.ics", cal.to_ical(), "text/calendar")
    return message


def _date_in_series(about, sessions):
    """Which date of a series an e-mail is about ("3 of 6", counted on the
    dates the e-mail lists, cancelled ones included); none for a single
    session."""
    number = next((i for i, s in enumerate(sessions, 1) if s.pk == about.pk), None)
    if len(sessions) < 2 or number is None:
        return {"about": about, "number": None, "total": None}
    return {"about": about, "number": number, "total": len(sessions)}


def _hours(signup):
    if not signup.expires_at:
        return None
    delta = signup.expires_at - timezone.now()
    return max(1, round(delta.total_seconds() / 3600))
