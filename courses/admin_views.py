"""The partner's side of sign-ups in the Wagtail admin.

Every queryset of personal data starts from `visible_sessions(user)`:
superusers and the "Academy staff" group see everything; a partner's users
see the sessions of courses living under the PartnerPage whose `group` is
one of theirs; anybody else sees nothing."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from academy_site.date_articles import date_with_article
from home.exports import CSV, XLSX, local_datetime, spreadsheet_response, yes_no

from . import booking
from .choices import SignupMode
from .models import (
    CourseSession,
    Participant,
    SessionAttendance,
    Signup,
    SignupReminder,
    SignupStatus,
)
from .models.bookings import Attendance, Channel
from .signup_forms import AssistedSignupForm, CapacityForm

STAFF_GROUP = "Academy staff"


def is_staff(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=STAFF_GROUP).exists())


def partner_paths(user):
    from partners.models import PartnerPage

    return list(
        PartnerPage.objects.filter(group__in=user.groups.all()).values_list("path", flat=True)
    )


def visible_sessions(user):
    sessions = CourseSession.objects.all()
    if is_staff(user):
        return sessions
    paths = partner_paths(user)
    if not paths:
        return sessions.none()
    condition = Q()
    for path in paths:
        condition |= Q(page__path__startswith=path)
    return sessions.filter(condition)


def visible_signups(user):
    return Signup.objects.filter(session__in=visible_sessions(user))


def can_see_signups(user):
    return is_staff(user) or bool(partner_paths(user))


class SignupFilterForm(forms.Form):
    course = forms.TypedChoiceField(
        label=gettext_lazy("Course"), required=False, coerce=int, empty_value=None
    )
    session = forms.TypedChoiceField(
        label=gettext_lazy("Session"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, data, sessions):
        super().__init__(data)
        sessions = list(sessions.select_related("page").order_by("-start"))
        self.sessions = {s.pk: s for s in sessions}
        courses = {s.page_id: s.page.title for s in sessions}
        self.fields["course"].choices = [
            ("", _("All courses")),
            *sorted(courses.items(), key=lambda c: c[1]),
        ]
        self.fields["session"].choices = [
            ("", _("All sessions")),
            *[
                (s.pk, f"{s.page.title} — {timezone.localtime(s.start):%d/%m/%Y %H:%M}")
                for s in sessions
            ],
        ]
        self.fields["status"].choices = [("", _("All statuses")), *SignupStatus.choices]

    def filter(self, signups):
        if not self.is_valid():
            return signups.none()
        data = self.cleaned_data
        if data["course"]:
            signups = signups.filter(session__page_id=data["course"])
        if data["session"]:
            signups = signups.filter(session_id__in=self._carriers(data["session"]))
        if data["status"]:
            signups = signups.filter(status=data["status"])
        return signups

    def _carriers(self, session_id):
        """The sessions whose sign-ups give a place at `session_id`: itself
        and, for a later date of a whole-course series, the course's first
        session (`booking.series_anchor`, from the sessions at hand)."""
        session = self.sessions[session_id]
        if session.page.signup_mode != SignupMode.SERIES:
            return {session_id}
        dates = [s for s in self.sessions.values() if s.page_id == session.page_id]
        return {session_id, booking.series_anchor(session, sorted(dates, key=_in_order)).pk}


def _in_order(session):
    return (session.start, session.sort_order)


def _filtered(request):
    sessions = visible_sessions(request.user)
    form = SignupFilterForm(request.GET or None, sessions)
    signups = visible_signups(request.user).select_related("session__page", "entered_by")
    if request.GET:
        signups = form.filter(signups)
    return form, signups.order_by("session__start", "session_id", "id")


def _require_access(request):
    if not can_see_signups(request.user):
        raise PermissionDenied


def with_series_seats(sessions):
    """`sessions` (with their seats) where a later date of a course whose one
    sign-up covers the whole series shows the places of the course's first
    session, which carries that series' sign-ups (`booking.series_anchor`):
    on its own it has none, and read "0 / 12". Such a date gets
    `carried_by`, the first session (others None). One more query, only
    when a series is listed."""
    for session in sessions:
        session.carried_by = None
    series = {s.page_id for s in sessions if s.page.signup_mode == SignupMode.SERIES}
    if not series:
        return sessions
    firsts = {}
    for first in (
        CourseSession.objects.with_seats()
        .filter(page_id__in=series)
        .order_by("page_id", "start", "sort_order")
    ):
        firsts.setdefault(first.page_id, first)
    for session in sessions:
        first = firsts.get(session.page_id)
        if first is not None and first.pk != session.pk:
            session.seats_taken, session.waiting = first.seats_taken, first.waiting
            session.capacity = first.capacity
            session.carried_by = first
    return sessions


def sessions_overview(request):
    _require_access(request)
    now = timezone.now()
    sessions = with_series_seats(
        list(
            visible_sessions(request.user)
            .with_seats()
            .select_related("page", "venue")
            .filter(end__gte=now - timezone.timedelta(days=30))
            .order_by("start")
        )
    )
    return render(
        request,
        "courses/signup/admin/sessions.html",
        {"sessions": sessions, "now": now, "is_staff": is_staff(request.user)},
    )


def _markable(signup, session):
    """`session`, if the attendance buttons show for `signup` at it: a seat,
    a date started and not cancelled (`booking.mark_attendance` checks again)."""
    if signup.holds_seat and session.has_started and not session.is_cancelled:
        return session
    return None


def signup_list(request):
    _require_access(request)
    form, signups = _filtered(request)
    page = Paginator(signups, 50).get_page(request.GET.get("p"))
    records = booking.attendance_records(page.object_list)
    for signup in page.object_list:
        signup.attendance_record = records[signup.pk]
        # A sign-up for one date is marked here; a series sign-up, at each
        # date's own page.
        one_date = signup.session.page.signup_mode != SignupMode.SERIES
        signup.mark_at = _markable(signup, signup.session) if one_date else None
    return render(
        request,
        "courses/signup/admin/signups.html",
        {
            "form": form,
            "page_obj": page,
            "query": request.GET.urlencode(),
            "next": request.get_full_path(),
        },
    )


EXPORT_COLUMNS = [
    ("course", gettext_lazy("Course")),
    ("session", gettext_lazy("Session")),
    ("status", gettext_lazy("Status")),
    ("position", gettext_lazy("Waiting-list position")),
    ("first_name", gettext_lazy("First name")),
    ("last_name", gettext_lazy("Last name")),
    ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")),
    ("comune", gettext_lazy("Comune")),
    ("answers", gettext_lazy("Answers")),
    ("future_courses", gettext_lazy("Wants news of future courses")),
    ("attendance", gettext_lazy("Attendance")),
    ("attendance_dates", gettext_lazy("Attendance per date")),
    ("channel", gettext_lazy("Channel")),
    ("entered_by", gettext_lazy("Entered by")),
    ("created_at", gettext_lazy("Signed up at")),
    ("still_coming", gettext_lazy("Still coming (from the reminder)")),
]


def export_rows(signups):
    signups = list(signups)
    records = booking.attendance_records(signups)
    positions = {}
    for signup in signups:
        position = None
        if signup.status == SignupStatus.WAITLISTED:
            positions[signup.session_id] = positions.get(signup.session_id, 0) + 1
            position = positions[signup.session_id]
        yield [
            signup.session.page.title,
            local_datetime(signup.session.start),
            signup.get_status_display(),
            position or "",
            signup.first_name,
            signup.last_name,
            signup.email,
            signup.phone,
            signup.comune,
            "; ".join(f"{a['question']}: {a['answer']}" for a in signup.answers),
            yes_no(signup.future_courses_consent),
            attendance_cell(records[signup.pk]),
            attendance_dates_cell(records[signup.pk]),
            signup.get_channel_display(),
            signup.entered_by.get_username() if signup.entered_by else "",
            local_datetime(signup.created_at),
            still_coming_cell(signup.reminders.all()),
        ]


def still_coming_cell(reminders):
    """Each date reminded and its answer, "10/12/2026 18:00: confirmed
    09/12/2026 09:12" (a series has one per date; none before any reminder)."""
    return "; ".join(
        f"{local_datetime(r.session.start)}: "
        + (
            _("confirmed %(date)s")
            % {"date": date_with_article(local_datetime(r.still_coming_at), "il")}
            if r.still_coming_at
            else _("no answer yet")
        )
        for r in reminders
    )


def attendance_cell(record):
    """Dates attended of those held so far, "3/4" (none before the first)."""
    return f"{record.attended}/{record.held}" if record.held else ""


ATTENDANCE_WORDS = {
    Attendance.ATTENDED: gettext_lazy("present"),
    Attendance.ABSENT: gettext_lazy("absent"),
    None: gettext_lazy("not recorded"),
}


def attendance_dates_cell(record):
    """Each date held so far and its mark, "10/12/2026 18:00: present", as
    the "still coming" column writes its dates."""
    return "; ".join(
        f"{local_datetime(session.start)}: {ATTENDANCE_WORDS[mark]}"
        for session, mark in record.dates
    )


def export(request, fmt):
    _require_access(request)
    if fmt not in (CSV, XLSX):
        raise Http404
    _form, signups = _filtered(request)
    signups = signups.prefetch_related(
        Prefetch(
            "reminders",
            queryset=SignupReminder.objects.select_related("session").order_by("session__start"),
        )
    )
    header = [str(label) for _name, label in EXPORT_COLUMNS]
    return spreadsheet_response(
        header, export_rows(signups), file_format=fmt, name="signups", sheet_title=_("Sign-ups")
    )


def _back(request, default):
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return redirect(target)


def _posted_session(request):
    try:
        return int(request.POST.get("session", ""))
    except ValueError:
        return None


@require_POST
def signup_action(request, signup_id, action):
    _require_access(request)
    signup = get_object_or_404(visible_signups(request.user), pk=signup_id)
    try:
        if action in ("attended", "absent"):
            # The date comes with the buttons: a series sign-up is marked
            # at each date of the course (`booking.mark_attendance` checks
            # the sign-up covers it).
            booking.mark_attendance(
                signup.pk,
                _posted_session(request),
                Attendance.ATTENDED if action == "attended" else Attendance.ABSENT,
                by=request.user,
            )
        elif action == "seat":
            booking.move_to_seat(signup.pk)
            messages.success(request, _("%(name)s now has a seat.") % {"name": signup.full_name})
        elif action == "cancel":
            result = booking.cancel(signup.pk, by_organiser=True)
            text = _("Sign-up of %(name)s cancelled.") % {"name": signup.full_name}
            if result.promoted:
                text += " " + _("Seat given to %(names)s from the waiting list.") % {
                    "names": ", ".join(p.full_name for p in result.promoted)
                }
            messages.success(request, text)
        else:
            raise PermissionDenied
    except booking.BookingError as error:
        messages.error(request, error.message)
    return _back(request, reverse("course_signups:list"))


def session_detail(request, session_id):
    _require_access(request)
    session = get_object_or_404(
        visible_sessions(request.user).with_seats().select_related("page", "venue"),
        pk=session_id,
    )
    # A later date of a series: its places, sign-ups and seats are those of
    # the course's first session (`carried_by`), and so is its capacity.
    with_series_seats([session])
    places = session.carried_by or session
    questions = list(session.page.signup_questions.all())
    capacity_form = CapacityForm(initial={"capacity": session.capacity})
    assisted_form = AssistedSignupForm(questions=questions, language="it")
    if request.method == "POST" and "capacity" in request.POST:
        capacity_form = CapacityForm(request.POST)
        if capacity_form.is_valid():
            try:
                promoted = booking.set_capacity(places.pk, capacity_form.cleaned_data["capacity"])
            except booking.BookingError as error:
                capacity_form.add_error("capacity", error.message)
            else:
                text = _("Seats changed.")
                if promoted:
                    text += " " + _("Seat given to %(names)s from the waiting list.") % {
                        "names": ", ".join(p.full_name for p in promoted)
                    }
                messages.success(request, text)
                return redirect("course_signups:session", session_id=session.pk)
    elif request.method == "POST":
        assisted_form = AssistedSignupForm(request.POST, questions=questions, language="it")
        if assisted_form.is_valid():
            data = assisted_form.cleaned_data
            try:
                result = booking.sign_up(
                    session,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    comune=data["comune"],
                    answers=assisted_form.answers(),
                    future_courses_consent=data["future_courses"],
                    language=data["language"],
                    channel=Channel.ASSISTED,
                    entered_by=request.user,
                )
            except booking.BookingError as error:
                assisted_form.add_error(None, error.message)
            else:
                signup = result.signup
                if not result.created:
                    messages.warning(
                        request,
                        _("%(name)s was already signed up: nothing changed.")
                        % {"name": signup.full_name},
                    )
                elif signup.holds_seat:
                    messages.success(
                        request, _("%(name)s has a seat.") % {"name": signup.full_name}
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The session is full: %(name)s is on the waiting list, "
                            "position %(position)s."
                        )
                        % {"name": signup.full_name, "position": signup.waitlist_position()},
                    )
                return redirect("course_signups:session", session_id=session.pk)
    signups = list(
        visible_signups(request.user)
        .filter(session_id__in={session.pk, places.pk})
        .select_related("session__page", "entered_by")
        .order_by("id")
    )
    # This date's reminder and its "still coming" answer, in one query.
    reminders = dict(
        SignupReminder.objects.filter(session=session, signup__in=signups).values_list(
            "signup_id", "still_coming_at"
        )
    )
    # This date's marks, in one query.
    marks = dict(
        SessionAttendance.objects.filter(session=session, signup__in=signups).values_list(
            "signup_id", "status"
        )
    )
    for signup in signups:
        signup.reminded = signup.pk in reminders
        signup.still_coming_at = reminders.get(signup.pk)
        signup.date_mark = Attendance(marks[signup.pk]).label if signup.pk in marks else None
        signup.mark_at = _markable(signup, session)
    return render(
        request,
        "courses/signup/admin/session.html",
        {
            "session": session,
            "date": session,
            "signups": signups,
            "capacity_form": capacity_form,
            "assisted_form": assisted_form,
            "closed_reason": booking.closed_reason(session),
            "next": request.get_full_path(),
        },
        status=400 if request.method == "POST" else 200,
    )


def person(request):
    """GDPR articles 15 and 17: staff export or erase one person's data."""
    if not is_staff(request.user):
        raise PermissionDenied
    email = (request.POST.get("email") or request.GET.get("email") or "").strip().lower()
    participant = Participant.objects.filter(email=email).first() if email else None
    if request.method == "POST" and participant is not None:
        if request.POST.get("action") == "export":
            data = json.dumps(booking.person_data(participant), indent=2, ensure_ascii=False)
            response = HttpResponse(data, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        if request.POST.get("action") == "erase":
            count = booking.erase_person(participant)
            messages.success(
                request,
                _("The personal data of %(email)s were erased from %(count)s sign-ups.")
                % {"email": email, "count": count},
            )
            return redirect("course_signups:person")
    signups = (
        participant.signups.select_related("session__page").order_by("-session__start")
        if participant
        else []
    )
    return render(
        request,
        "courses/signup/admin/person.html",
        {"email": email, "participant": participant, "signups": signups},
    )
