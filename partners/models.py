from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import RICH_TEXT_FEATURES, BodyBlock
from home.choices import Comune
from home.fields import ChoiceListField
from home.models import BasePage

from .choices import OPERATING_AREAS, NeedSource, PartnerType, Sector


class PartnerIndexPage(BasePage):
    """The network directory: every partner of the Academy."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["partners.PartnerPage"]

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")


class PartnerPage(BasePage):
    """A partner's profile; its courses and challenges live below it, so the
    partner's Wagtail group permissions on this subtree scope what it edits."""

    partner_type = models.CharField(
        _("type of partner"), max_length=30, choices=PartnerType.choices
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    short_description = models.TextField(
        _("short description"),
        max_length=300,
        help_text=_("One or two sentences: who you are and what you offer."),
    )
    description = RichTextField(_("about us"), blank=True, features=RICH_TEXT_FEATURES)
    comuni = ChoiceListField(
        _("where you operate"),
        item_choices=OPERATING_AREAS,
        help_text=_("Tick the comuni where you work, or 'Whole district'."),
    )
    sectors = ChoiceListField(_("sectors"), item_choices=Sector.choices, max_length=400)
    address = models.TextField(_("address"), blank=True, max_length=300)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    accessibility_notes = models.TextField(
        _("accessibility of your venues"),
        blank=True,
        max_length=1000,
        help_text=_("Steps, lifts, accessible toilets, public transport nearby..."),
    )
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram profile"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    # Set by onboarding (partners/onboarding.py): the Wagtail group whose
    # members edit this section, and the collection of its images/documents.
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="partner_pages",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("image and document collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("partner_type"),
        FieldPanel("logo"),
        FieldPanel("short_description"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("comuni"), FieldPanel("sectors")], heading=_("Where and what")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("website"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Contacts and venues"),
        ),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("instagram_url"), FieldPanel("linkedin_url")],
            heading=_("Social media"),
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("short_description"),
        index.SearchField("description"),
        index.FilterField("partner_type"),
    ]

    parent_page_types = ["partners.PartnerIndexPage"]
    # Feature apps add their page types here (courses, challenges...).
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    @property
    def comuni_labels(self):
        return self._meta.get_field("comuni").labels(self.comuni)

    @property
    def sectors_labels(self):
        return self._meta.get_field("sectors").labels(self.sectors)


@register_snippet
class LabourNeed(TranslatableMixin, index.Indexed, models.Model):
    """A need of the local labour market found by an observatory."""

    title = models.CharField(_("need"), max_length=200)
    comune = models.CharField(_("comune"), max_length=20, choices=Comune.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    expressed_by = models.CharField(_("expressed by"), max_length=20, choices=NeedSource.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    noted_on = models.DateField(_("date"), help_text=_("When the observatory recorded it."))

    panels = [
        FieldPanel("title"),
        FieldPanel("comune"),
        FieldPanel("sector"),
        FieldPanel("expressed_by"),
        FieldPanel("description"),
        FieldPanel("noted_on"),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.FilterField("comune"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("labour need")
        verbose_name_plural = _("labour needs")
        ordering = ["comune", "-noted_on"]

    def __str__(self):
        return f"{self.title} ({self.get_comune_display()})"


class ObservatoryPage(BasePage):
    """An Osservatorio Civico sul Lavoro: one per comune."""

    comune = models.CharField(_("comune"), max_length=20, choices=Comune.choices)
    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    findings = StreamField(
        BodyBlock(),
        verbose_name=_("findings"),
        blank=True,
        help_text=_("What the observatory found: text, figures, charts, reports to download."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("comune"),
        FieldPanel("intro"),
        FieldPanel("findings"),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("findings"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("observatory")
        verbose_name_plural = _("observatories")

    def labour_needs(self):
        return LabourNeed.objects.filter(comune=self.comune, locale=self.locale)

    def needs_with_courses(self):
        """This comune's needs split into those that live courses answer,
        as [(need, [courses])], and those no course answers yet.

        Courses are reached only through the reverse relation `courses`
        (courses.CoursePage.labour_needs), matched by translation key, and
        shown in the page's language when they have been translated."""
        needs = list(self.labour_needs())
        course_model = LabourNeed._meta.get_field("courses").related_model
        default_locale_id = Locale.get_default().pk
        courses = (
            course_model.objects.live()
            .public()
            .filter(locale_id__in={self.locale_id, default_locale_id})
            .order_by("title")
        )
        linked = LabourNeed.objects.filter(
            translation_key__in=[need.translation_key for need in needs]
        ).prefetch_related(models.Prefetch("courses", queryset=courses))
        by_need = {}
        for need in linked:
            for course in need.courses.all():
                chosen = by_need.setdefault(need.translation_key, {})
                current = chosen.get(course.translation_key)
                if current is None or course.locale_id == self.locale_id:
                    chosen[course.translation_key] = course
        answered, unanswered = [], []
        for need in needs:
            found = sorted(by_need.get(need.translation_key, {}).values(), key=lambda c: c.title)
            if found:
                answered.append((need, found))
            else:
                unanswered.append(need)
        return {"answered": answered, "unanswered": unanswered}


__all__ = [
    "LabourNeed",
    "ObservatoryPage",
    "PartnerIndexPage",
    "PartnerPage",
]
