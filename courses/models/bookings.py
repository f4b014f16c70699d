"""Sign-ups: who holds a seat or a waiting-list place in a session.

Every change of status that gives, frees or moves a seat goes through
`courses.booking`; nothing here does seat arithmetic.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class SignupStatus(models.TextChoices):
    RESERVED = "reserved", _("Seat reserved, e-mail not confirmed yet")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Lapsed (e-mail never confirmed)")
    RELEASED = "released", _("Released (cannot come any more)")


# Statuses that hold a seat, and statuses that are still "in play".
SEAT_STATUSES = (SignupStatus.RESERVED, SignupStatus.CONFIRMED)
ACTIVE_STATUSES = (*SEAT_STATUSES, SignupStatus.WAITLISTED)


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    ASSISTED = "assisted", _("Assisted (phone or desk)")


RESIDENCE_OTHER = "other"


def residence_choices():
    from home.choices import Comune

    return [*Comune.choices, (RESIDENCE_OTHER, _("Another comune"))]


def new_token():
    return secrets.token_urlsafe(24)


class SessionQuerySet(models.QuerySet):
    def _fetch_all(self):
        # Seats counted in a request are kept for the page's seat marks
        # (courses/seat_marks.py), so showing them costs no second query.
        counted = self._result_cache is None and "seats_taken" in self.query.annotations
        if counted:
            from ..seat_marks import before_reading

            before_reading()
        super()._fetch_all()
        if counted and self._iterable_class is models.query.ModelIterable:
            from ..seat_marks import note_fresh

            note_fresh(self._result_cache)

    def with_seats(self):
        """Annotate `seats_taken` and `waiting` in the same query: each a
        count of the session's sign-ups in a subquery (an index lookup per
        session read). A join of the sign-ups grouped by session made
        PostgreSQL read and sort every sign-up of the site to count those
        of the 18 sessions the home page shows (9 ms at demo scale 20)."""

        def count(**filters):
            signups = (
                Signup.objects.filter(session=OuterRef("pk"), **filters)
                .order_by()
                .values("session")
                .annotate(count=Count("pk"))
                .values("count")
            )
            return Coalesce(Subquery(signups), 0, output_field=models.IntegerField())

        return self.annotate(
            seats_taken=count(status__in=SEAT_STATUSES),
            waiting=count(status=SignupStatus.WAITLISTED),
        )


class Participant(models.Model):
    """One person, known by e-mail address (or by phone for assisted
    sign-ups without e-mail). Holds the secret of their personal pages."""

    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, default="it")
    # Secret for the personal calendar feed; rotate to revoke the old URL.
    feed_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="unique_participant_email"
            )
        ]

    def __str__(self):
        return self.email or f"#{self.pk}"

    def rotate_feed_token(self):
        self.feed_token = new_token()
        self.save(update_fields=["feed_token"])


class Signup(models.Model):
    session = models.ForeignKey(
        "courses.CourseSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="signups",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signups",
    )
    status = models.CharField(_("status"), max_length=20, choices=SignupStatus.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    comune = models.CharField(_("comune of residence"), max_length=20)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted at"))
    future_courses_consent = models.BooleanField(_("wants news of future courses"), default=False)
    language = models.CharField(_("language"), max_length=10, default="it")
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("lapses at"), null=True, blank=True, help_text=_("Unless the e-mail is confirmed.")
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        # The waiting list is served in arrival order: ids are given inside
        # the lock on the session row, so they follow the order of arrival.
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(status__in=["reserved", "confirmed", "waitlisted"]),
                name="one_active_signup_per_participant_and_session",
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.get_status_display()})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def comune_label(self):
        return dict(residence_choices()).get(self.comune, self.comune)

    @property
    def holds_seat(self):
        return self.status in SEAT_STATUSES

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def waitlist_position(self):
        if self.status != SignupStatus.WAITLISTED:
            return None
        return (
            Signup.objects.filter(
                session_id=self.session_id, status=SignupStatus.WAITLISTED, id__lt=self.id
            ).count()
            + 1
        )


class SignupReminder(models.Model):
    """A reminder sent to a sign-up before one session: one row per
    sign-up and session, so a series sign-up is reminded before each of its
    dates, once. The unique pair is the claim: a run inserts the rows it is
    about to send (a concurrent run's insert of the same pair is ignored),
    then reads back the rows bearing its own `run`, and sends only those.
    The person's "yes, I'm still coming" answers this reminder, so it is
    kept here, for this date (`still_coming_at`)."""

    signup = models.ForeignKey(
        Signup, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="reminders"
    )
    session = models.ForeignKey(
        "courses.CourseSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("reminder sent at"))
    still_coming_at = models.DateTimeField(_("said still coming at"), null=True, blank=True)
    run = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "session"], name="one_reminder_per_signup_and_session"
            )
        ]
        indexes = [models.Index(fields=["run"])]

    def __str__(self):
        return f"{self.signup_id} / {self.session_id}"


class SessionAttendance(models.Model):
    """Whether a sign-up's person came to one session, marked by the
    partner once it started: the register of presences, one row per sign-up
    and date, so a series sign-up (one for every date of the course) is
    marked date by date. Marking again changes the row. Written only by
    `courses.booking.mark_attendance`."""

    signup = models.ForeignKey(
        Signup, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        "courses.CourseSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices)
    marked_at = models.DateTimeField(_("marked at"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance at a date")
        verbose_name_plural = _("attendance at dates")
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "session"], name="one_attendance_per_signup_and_session"
            )
        ]

    def __str__(self):
        return f"{self.signup_id} / {self.session_id}: {self.status}"


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Short answer")


class SignupQuestion(Orderable):
    """An optional question a partner asks people signing up for a course,
    e.g. "Do you need childcare?". Kept on the Italian page, like sessions."""

    page = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="signup_questions"
    )
    cache_domain = "courses"  # home/cache.py

    def cached_course_ids(self):
        from .pages import course_translation_ids

        return course_translation_ids(self.page_id)

    label = models.CharField(_("question (Italian)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of answer"),
        max_length=10,
        choices=QuestionKind.choices,
        default=QuestionKind.YES_NO,
    )
    required = models.BooleanField(_("answer required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("sign-up question")
        verbose_name_plural = _("sign-up questions")

    def __str__(self):
        return self.label

    def label_for(self, language):
        if language and not language.startswith("it") and self.label_en:
            return self.label_en
        return self.label


# --- Sessions changed in the editor --------------------------------------------
# A publish saves session rows; a raised capacity promotes the waiting list
# and a cancellation tells everyone signed up (both through courses.booking).
# A revision may be older than the seats given since (a workflow approved from
# the dashboard publishes it without the editor's form and its checks): its
# capacity never takes a session below the seats it holds.


@receiver(pre_save, sender="courses.CourseSession")
def _remember_stored_session(sender, instance, **kwargs):
    stored = None
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).values("status", "capacity").first()
    if stored is not None and instance.capacity < stored["capacity"]:
        from ..booking import seats_taken

        instance.capacity = max(instance.capacity, seats_taken(instance))
    instance._stored_for_signups = stored


@receiver(post_save, sender="courses.CourseSession")
def _session_saved(sender, instance, created, **kwargs):
    from courses import booking

    from ..choices import SessionStatus

    stored = getattr(instance, "_stored_for_signups", None)
    if created or stored is None:
        return
    if instance.status == SessionStatus.CANCELLED and stored["status"] != SessionStatus.CANCELLED:
        booking.session_cancelled(instance.pk)
    elif instance.capacity > stored["capacity"] or stored["status"] != instance.status:
        booking.seats_changed(instance.pk)
