"""What the search learns about demand: queries that found nothing and
citizens' requests for courses that do not exist yet.

Neither model is page content: both are written with `update()` and
`bulk_create()`, which send no `post_save`, so a search or a request never
empties the whole-site page cache (home/cache.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from home.choices import Comune


class MissedQuery(models.Model):
    """A normalised query that found nothing, counted per language.

    Only the words are kept (lower case, spaces folded, no e-mail addresses
    or long numbers: see search.demand.normalise_for_log); never who typed
    them, nor when, beyond the first and last time."""

    query = models.CharField(_("query"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    count = models.PositiveIntegerField(_("times"), default=1)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(fields=["query", "language"], name="unique_missed_query")
        ]

    def __str__(self):
        return self.query


class CourseRequest(models.Model):
    """ "Ask for a course": what a citizen would like to learn, and where.

    The e-mail address is optional and personal data: only Academy staff see
    it, and it is erased once the person has been told about a course or
    when the retention period ends (search.demand.purge_personal_data)."""

    wish = models.CharField(_("what they would like to learn"), max_length=300)
    topic = models.ForeignKey(
        "courses.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comune = models.CharField(_("comune"), max_length=20, choices=Comune.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent to be written to"), null=True, blank=True)
    source = models.CharField(
        _("asked from"),
        max_length=20,
        choices=[("search", _("Search without results")), ("catalogue", _("Course catalogue"))],
        default="catalogue",
    )
    created_at = models.DateTimeField(_("asked on"), db_index=True)
    anonymised_at = models.DateTimeField(_("personal data erased on"), null=True, blank=True)
    notified_at = models.DateTimeField(_("told about a course on"), null=True, blank=True)
    notified_course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course they were told about"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("course request")
        verbose_name_plural = _("course requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.wish
