from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.choices import Comune

from ..choices import TOPIC_SYMBOLS, TopicIcon


@register_snippet
class Topic(TranslatableMixin, index.Indexed, models.Model):
    """What a course is about (tailoring, welding, digital skills...).

    The slug is the same in every language, so a catalogue URL filtered by
    topic works whatever the visitor's language."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("short name for addresses"),
        max_length=80,
        help_text=_("Lowercase letters, digits and hyphens; used in catalogue links."),
    )
    icon = models.CharField(
        _("icon"), max_length=20, choices=TopicIcon.choices, default=TopicIcon.BOOK
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("icon")]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("icon"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_per_locale")
        ]

    def __str__(self):
        return self.name

    @property
    def symbol(self):
        return TOPIC_SYMBOLS.get(self.icon, "•")


class Venue(index.Indexed, models.Model):
    """A place where sessions happen; reused by every course held there.

    Venues are shared public places: any editor may choose any of them. A
    partner may add one, and change or delete those its own group added
    (`added_by_group`); venues added by staff or the demo have none and only
    staff change them (courses/venue_admin.py registers the snippet and its
    permission policy)."""

    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(
        _("address"), max_length=250, help_text=_("Street and number, postcode and town.")
    )
    comune = models.CharField(_("comune"), max_length=20, choices=Comune.choices)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Step-free entrance, lift, accessible toilet, nearest bus or metro stop, parking..."
        ),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Optional, for maps and calendars: e.g. 45.4977 (right-click in a map)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Optional: e.g. 9.2923."),
    )
    added_by_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The partner whose editors may change this venue: the one that added it, or "
            "the one the staff handed it to. The Academy staff change every venue."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("comune"),
        FieldPanel("accessibility"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Position on the map"),
        ),
        # Shown to the staff only (who may change every venue): they hand a
        # venue to the partner who runs it, or take it back (the form:
        # courses/venue_admin.py, VenueAdminForm).
        FieldPanel("added_by_group", permission="courses.change_venue"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("address")]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["comune", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_comune_display()})"

    def clean(self):
        """No second venue of the same name in the same comune: the venue
        chooser, which every editor shares, would list two identical
        entries ("Biblioteca civica (Pioltello)"). Names match whatever
        their capitals and spaces. Checked by the forms only: no database
        constraint, as venues that already share a name must still load
        (docs/architecture.md, "Venues")."""
        super().clean()
        if not self.name or not self.comune:
            return
        existing = self.same_name_in_comune().first()
        if existing is not None:
            raise ValidationError(
                {
                    "name": _(
                        'A venue called "%(name)s" in %(comune)s is already in the list: '
                        "choose that one for your sessions, or give this one a name that "
                        "tells them apart."
                    )
                    % {"name": existing.name, "comune": self.get_comune_display()}
                }
            )

    def same_name_in_comune(self):
        """The other venues of this comune whose name is this one's, but
        for capitals and spaces."""
        key = normalised_venue_name(self.name)
        others = Venue.objects.filter(comune=self.comune).exclude(pk=self.pk)
        return others.filter(
            pk__in=[
                pk
                for pk, name in others.values_list("pk", "name")
                if normalised_venue_name(name) == key
            ]
        )

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


def normalised_venue_name(name):
    """ "Biblioteca  Civica " and "biblioteca civica" are the same venue name."""
    return " ".join(name.split()).casefold()
