import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..choices import Format, SessionStatus
from .bookings import SessionQuerySet  # sign-ups: CourseSession.objects.with_seats()

# Changes to these fields change what a calendar shows: they bump `sequence`.
CALENDAR_FIELDS = ("start", "end", "venue_id", "status")


class CourseSession(Orderable):
    """One dated meeting of a course.

    Sessions exist only on the Italian (source) page of a course; its English
    translation shows the same rows, so seats are never split or doubled (see
    docs/architecture.md). They are edited inline and go through revisions, so
    nothing that must survive an old revision (seat counts, the calendar UID
    or sequence) is taken from the edited instance: `save` keeps `uid` and
    `sequence` from the stored row and bumps the sequence itself.
    """

    page = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="sessions")
    cache_domain = "courses"  # home/cache.py

    def cached_course_ids(self):
        from .pages import course_translation_ids

        return course_translation_ids(self.page_id)

    start = models.DateTimeField(_("starts at"), help_text=_("Date and time, Italian time."))
    end = models.DateTimeField(_("ends at"))
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.ForeignKey(
        "courses.Venue",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text=_(
            "Needed for sessions in person or blended. A place that is not in the list: "
            "add it yourself under 'New venue' in the window that opens."
        ),
    )
    online_notes = models.TextField(
        _("how to join online"),
        blank=True,
        max_length=1000,
        help_text=_(
            "For online or blended sessions: the platform, and when people get the link. "
            "Do not paste private meeting links here: this text is public."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), help_text=_("How many people can take part.")
    )
    signup_deadline = models.DateTimeField(
        _("sign-ups close at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept sign-ups until the session starts."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
        help_text=_("Cancel a session instead of deleting it, so people signed up are told."),
    )
    note = models.CharField(
        _("note"),
        max_length=250,
        blank=True,
        help_text=_("Shown next to the date, e.g. 'Bring a USB stick'."),
    )
    # The calendar identity of the session (iCalendar UID and SEQUENCE).
    uid = models.UUIDField(
        _("calendar identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SessionQuerySet.as_manager()  # sign-ups: seats taken and waiting

    panels = [
        # The end has a help text too, so both inputs sit on one line.
        FieldRowPanel(
            [FieldPanel("start"), FieldPanel("end", help_text=_("When it finishes, Italian time."))]
        ),
        FieldPanel("format"),
        FieldPanel("venue"),
        FieldPanel("online_notes"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("signup_deadline")]),
        FieldPanel("status"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_ends_after_start"
            )
        ]
        # The session clock (courses/catalogue.py) asks for the first start,
        # end and sign-up deadline from now: an index each, so each is one
        # row read, not every session.
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["end"]),
            models.Index(fields=["signup_deadline"]),
        ]

    def __str__(self):
        return f"{self.page.title}: {self.start:%Y-%m-%d %H:%M}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The session must end after it starts.")
        if self.pk is None and self.start and self.start < timezone.now():
            # Only new rows: sessions already held stay on the page, unchanged.
            errors["start"] = _(
                "This date has passed: a new session must start in the future. Check the year."
            )
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _(
                "A session needs at least one seat. To stop sign-ups, set its status to 'Full'."
            )
        if self.format in (Format.IN_PERSON, Format.BLENDED) and not self.venue_id:
            errors["venue"] = _("Choose where the session takes place.")
        if self.format in (Format.ONLINE, Format.BLENDED) and not self.online_notes.strip():
            errors["online_notes"] = _("Say how people will join online.")
        if self.signup_deadline and self.end and self.signup_deadline > self.end:
            errors["signup_deadline"] = _("Sign-ups must close before the session ends.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("uid", "sequence", *CALENDAR_FIELDS)
                .first()
            )
        if stored is not None:
            # A revision (possibly an old one) must not move the calendar
            # identity backwards: the stored row is the reference.
            self.uid = stored["uid"]
            changed = any(getattr(self, name) != stored[name] for name in CALENDAR_FIELDS)
            self.sequence = stored["sequence"] + (1 if changed else 0)
        elif self.pk is not None:
            # A deleted session brought back by an old revision: calendars
            # saw it go, so they must see it come back as a newer version.
            self.sequence += 1
        super().save(*args, **kwargs)

    @property
    def seats_left(self):
        """Free seats, when the queryset counted them (`with_seats()`)."""
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            return None
        return max(0, self.capacity - taken)

    @property
    def has_started(self):
        """Whether the session has begun: attendance is marked from then on."""
        return self.start <= timezone.now()

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

    @property
    def is_full(self):
        """No seat to give: marked full by the organiser, or every seat taken
        (when the queryset counted them, `with_seats()`)."""
        return self.status == SessionStatus.FULL or self.seats_left == 0

    @property
    def needs_venue(self):
        return self.format in (Format.IN_PERSON, Format.BLENDED)

    @property
    def is_online(self):
        return self.format in (Format.ONLINE, Format.BLENDED)
