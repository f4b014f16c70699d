"""The citizen's side of sign-ups: the standalone form of a session, the
page after sending it, and the pages reached from e-mails. A link from an
e-mail never changes anything by being opened (mail scanners open them
all): it shows a page whose one button does it, by POST.
No JavaScript needed; no account; every link is signed.

The views that change a sign-up (the form's POST, confirm, cancel,
release, "still coming") are `non_atomic_requests`: their only writes are
the functions of `courses/booking.py`, each its own transaction, so the
session's row lock is released when the booking commits instead of being
held, under ATOMIC_REQUESTS, until the whole response is rendered (and
the e-mail queued on commit goes out as soon as the booking is stored).
The rate limits count on the cache, not in the database."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.localize import localized_specific

from . import booking, throttle
from .choices import SignupMode
from .emails import localized_course, series_sessions
from .models import CourseSession, Participant, Signup, SignupStatus
from .models.bookings import ACTIVE_STATUSES
from .signup_forms import SignupForm, started_token
from .signup_links import make_token, read_dated_token, read_participant_token, read_token


def public_session(uid):
    session = get_object_or_404(CourseSession.objects.select_related("page", "venue"), uid=uid)
    page = session.page
    if not page.live or page.get_view_restrictions().exists():
        raise Http404
    return session


def privacy_url(request):
    """The privacy notice's address, as the footer links it (cached with
    the header and footer)."""
    from home.templatetags.site_tags import site_chrome

    privacy = site_chrome({"request": request})["privacy"]
    return privacy["url"] if privacy else ""


def signup_context(request, session, form, known_sessions=None, course=None):
    """What the form needs; shared by the standalone page and the tag.

    The course page passes what it has already loaded: all the course's
    sessions (with seats, in order) and the course in the visitor's
    language, so the form costs no query of its own."""
    language = get_language()
    if known_sessions:
        session = booking.series_anchor(session, known_sessions)
        series = known_sessions if session.page.signup_mode == SignupMode.SERIES else [session]
    else:
        session = booking.series_anchor(session)
        series = series_sessions(session)
    return {
        "session": session,
        "sessions": series,
        "course": course or localized_course(session.page, language),
        "form": form,
        "closed_reason": booking.closed_reason(session),
        "privacy_url": privacy_url(request),
        "action": reverse("signups:session", args=[session.uid]),
    }


def new_form(session, data=None, auto_id="id_%s"):
    """The sign-up form of `session` (`auto_id`: its fields' ids, unique on
    a page with several forms)."""
    questions = list(session.page.signup_questions.all())
    return SignupForm(data, questions=questions, language=get_language(), auto_id=auto_id)


def message(request, title, text, status=400, **extra):
    return render(
        request,
        "courses/signup/message.html",
        {"title": title, "text": text, **extra},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def session_signup(request, uid):
    session = public_session(uid)
    anchor = booking.series_anchor(session)
    if anchor.pk != session.pk:
        return redirect("signups:session", uid=anchor.uid)
    if request.method == "GET":
        context = signup_context(request, session, new_form(session))
        return render(request, "courses/signup/signup_page.html", context)

    form = new_form(session, request.POST)
    status = 400
    if not throttle.hit("ip", throttle.client_ip(request)):
        form.add_error(None, _("Too many sign-ups from this connection. Please try again later."))
        status = 429
    elif form.is_valid():
        if not throttle.hit("email", form.cleaned_data["email"].lower()):
            form.add_error(
                None, _("Too many sign-ups for this e-mail address. Please try again later.")
            )
            status = 429
        else:
            try:
                result = booking.sign_up(
                    session,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    comune=form.cleaned_data["comune"],
                    answers=form.answers(),
                    future_courses_consent=form.cleaned_data["future_courses"],
                    language=get_language(),
                )
            except booking.BookingError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                url = reverse("signups:done", args=[make_token(result.signup, "done")])
                if not result.created:
                    url += "?again=1"
                return redirect(url)
    if form.has_error("started") and not form.has_error("started", "too_fast"):
        data = request.POST.copy()
        data["started"] = started_token()
        form.data = data
    context = signup_context(request, session, form)
    return render(request, "courses/signup/signup_page.html", context, status=status)


def _signup_from(token, action, max_age=None):
    return _signup(read_token(token, action, max_age=max_age))


def _signup(signup_id):
    if signup_id is None:
        return None
    return (
        Signup.objects.select_related("session__page", "session__venue", "participant")
        .filter(pk=signup_id)
        .first()
    )


def bad_link(request):
    return message(
        request,
        _("This link is not valid"),
        _(
            "The link may be incomplete or changed. Please open it again from the e-mail, "
            "or copy it whole into the browser."
        ),
        status=400,
    )


def result_context(signup):
    course = localized_course(signup.session.page, get_language())
    return {
        "signup": signup,
        "session": signup.session,
        "sessions": series_sessions(signup.session),
        "course": course,
        "position": signup.waitlist_position(),
    }


def done(request, token):
    signup = _signup_from(token, "done", max_age=7 * 24 * 3600)
    if signup is None:
        return bad_link(request)
    context = result_context(signup)
    context["again"] = request.GET.get("again") == "1"
    context["hours"] = booking.confirmation_hours()
    return render(request, "courses/signup/done.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def confirm(request, token):
    """The e-mail's "confirm" link: GET only shows the sign-up and a button,
    POST confirms. Mail scanners and link previews open every link of a
    message; were GET to confirm, anyone could sign up someone else's
    address and the scanner would confirm it (docs/decisions.md)."""
    signup = _signup_from(token, "confirm")
    if signup is None:
        return bad_link(request)
    if request.method == "POST":
        try:
            signup = booking.confirm_email(signup.pk)
        except booking.BookingError as error:
            return message(request, _("We could not confirm"), error.message, status=409)
    else:
        refusal = booking.confirmation_refused(signup)
        if refusal:
            return message(request, _("We could not confirm"), refusal.message, status=409)
    context = result_context(signup)
    context["mine_url"] = mine_url(signup)
    if signup.email_confirmed_at:
        return render(request, "courses/signup/confirmed.html", context)
    return render(request, "courses/signup/confirm.html", context)


def mine_url(signup):
    from .signup_links import participant_token

    if signup.participant_id is None:
        return ""
    return reverse("signups:mine", args=[participant_token(signup.participant)])


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def cancel(request, token, action="cancel"):
    signup = _signup_from(token, action)
    if signup is None:
        return bad_link(request)
    context = result_context(signup)
    context.update({"action": action, "mine_url": mine_url(signup)})
    if request.method == "POST":
        was_waiting = signup.status == SignupStatus.WAITLISTED
        try:
            if action == "release":
                result = booking.release(signup.pk)
            else:
                result = booking.cancel(signup.pk)
        except booking.BookingError as error:
            return message(request, _("Nothing to cancel"), error.message, status=409)
        context["signup"].refresh_from_db()
        # Say where the place went: to the next person waiting, back to the
        # free seats, or (from the waiting list) nowhere.
        context.update(done=True, passed_on=bool(result.promoted), was_waiting=was_waiting)
    elif not signup.is_active:
        return message(
            request, _("Nothing to cancel"), _("This sign-up was already cancelled."), status=409
        )
    else:
        # Say where the seat would go: to a person waiting, or back to the free ones.
        context["someone_waiting"] = (
            signup.holds_seat
            and Signup.objects.filter(
                session_id=signup.session_id, status=SignupStatus.WAITLISTED
            ).exists()
        )
    return render(request, "courses/signup/cancel.html", context)


@transaction.non_atomic_requests
def release(request, token):
    return cancel(request, token, action="release")


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def coming(request, token):
    """The reminder's "yes, I'm still coming": like confirm, GET asks and
    POST records the answer, for the date the link names (a series
    sign-up answers each date's reminder on its own; a link sent before
    links named a date answers for the one `booking.reminder_answered`
    picks). The page names that date."""
    signup_id, session_id = read_dated_token(token, "coming") or (None, None)
    signup = _signup(signup_id)
    if signup is None:
        return bad_link(request)
    if request.method == "POST":
        try:
            reminder = booking.still_coming(signup.pk, session_id)
        except booking.BookingError as error:
            return message(request, _("We could not record your answer"), error.message, status=409)
        signup = reminder.signup
    else:
        reminder = booking.reminder_answered(signup, session_id)
        refusal = booking.coming_refused(signup, reminder)
        if refusal:
            return message(
                request, _("We could not record your answer"), refusal.message, status=409
            )
    context = result_context(signup)
    context.update(mine_url=mine_url(signup), about=reminder.session, reminder=reminder)
    if reminder.still_coming_at:
        return render(request, "courses/signup/coming.html", context)
    return render(request, "courses/signup/coming_ask.html", context)


def mine(request, token):
    """The person's own sign-ups, reached from the link in every e-mail:
    each with every date it covers (a series sign-up covers the whole
    course) and its state, in a constant number of queries."""
    participant_id = read_participant_token(token)
    participant = Participant.objects.filter(pk=participant_id).first() if participant_id else None
    if participant is None:
        return bad_link(request)
    signups = list(
        participant.signups.select_related("session__page", "session__venue").order_by(
            "-session__start"
        )
    )
    covered = {}
    for signup, session in booking.sessions_covered(signups):
        covered.setdefault(signup.pk, []).append(session)
    positions = booking.waitlist_positions(signups)
    courses = localized_specific([signup.session.page for signup in signups])
    now = timezone.now()
    rows = []
    for signup in signups:
        sessions = covered[signup.pk]
        rows.append(
            {
                "signup": signup,
                "course": courses[signup.session.page_id],
                "sessions": sessions,
                "venue": common_venue(sessions),
                "all_cancelled": all(session.is_cancelled for session in sessions),
                "position": positions.get(signup.pk),
                "upcoming": any(session.end > now for session in sessions),
                "cancel_url": reverse("signups:cancel", args=[make_token(signup, "cancel")])
                if signup.status in ACTIVE_STATUSES
                else "",
            }
        )
    return render(
        request,
        "courses/signup/mine.html",
        {
            "participant": participant,
            "upcoming": sorted(
                (r for r in rows if r["upcoming"]), key=lambda r: next_date(r["sessions"], now)
            ),
            "past": [r for r in rows if not r["upcoming"]],
            "statuses": SignupStatus,
        },
    )


def next_date(sessions, now):
    """When a sign-up's next date starts (its first not ended), so what
    comes up soonest is listed first."""
    return min(session.start for session in sessions if session.end > now)


def common_venue(sessions):
    """The venue of every session, when they share one (named once rather
    than on every date), else None."""
    venues = {session.venue_id for session in sessions}
    return sessions[0].venue if len(venues) == 1 else None
