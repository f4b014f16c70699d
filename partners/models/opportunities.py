"""The network's opportunities (funding, internships, jobs, mentoring, free
services, calls), their index, and the enquiries sent through the portal's
contact form."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import RICH_TEXT_FEATURES
from home.fields import ChoiceListField
from home.models import BasePage

from ..choices import DISTRICT, OPERATING_AREAS, ApplyMethod, Audience, OpportunityKind
from ..page_forms import DeadlinePageForm
from .deadlines import DeadlineSequenceMixin

# Pages an opportunity may point to ("completing this course qualifies you").
# Named by string: partners never imports courses.
RELATED_PAGE_TYPES = ["courses.CoursePage", "partners.ChallengePage"]


def related_page_models():
    """The related page types installed in this project."""
    found = []
    for name in RELATED_PAGE_TYPES:
        try:
            found.append(apps.get_model(name))
        except LookupError:
            continue
    return found


class RelatedPageChooserPanel(PageChooserPanel):
    """A page chooser limited to the related page types that exist (resolved
    when the form is built, so a missing app never breaks the editor)."""

    def get_form_options(self):
        opts = super().get_form_options()
        opts.setdefault("widgets", {})[self.field_name] = AdminPageChooser(
            target_models=related_page_models() or None
        )
        return opts


class OpportunityIndexPage(BasePage):
    """Every open opportunity of the network, with filters; closed ones in
    the archive."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "partners/opportunities/opportunity_index_page.html"

    class Meta:
        verbose_name = _("opportunity index")
        verbose_name_plural = _("opportunity indexes")

    def get_context(self, request, *args, **kwargs):
        from ..opportunity_listing import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class OpportunityPage(DeadlineSequenceMixin, BasePage):
    """An opportunity offered by a partner; it lives in the partner's section,
    so the partner's permissions and the staff approval apply."""

    kind = models.CharField(_("kind of opportunity"), max_length=20, choices=OpportunityKind)
    intro = models.TextField(
        _("in a few words"),
        max_length=400,
        help_text=_("What it is and why it matters, in one or two plain sentences."),
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    audiences = ChoiceListField(
        _("who it is for"),
        item_choices=Audience.choices,
        blank=False,
        help_text=_("Tick every group of people this opportunity is meant for."),
    )
    comune = models.CharField(
        _("where"),
        max_length=20,
        choices=OPERATING_AREAS,
        default=DISTRICT,
        help_text=_("The comune where it takes place, or 'Whole district'."),
    )
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The last day and time to apply (Italian time)."),
    )
    ongoing = models.BooleanField(
        _("ongoing, no deadline"),
        default=False,
        help_text=_("Tick this if people can apply at any time."),
    )
    value = models.CharField(
        _("amount or value"),
        max_length=120,
        blank=True,
        help_text=_("Where it applies, e.g. “up to € 2,000”, “€ 500 a month”, “free”."),
    )
    requirements = RichTextField(
        _("requirements"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What people need to apply: documents, age, residence, a course..."),
    )
    apply_method = models.CharField(
        _("how to apply"), max_length=10, choices=ApplyMethod, default=ApplyMethod.FORM
    )
    apply_url = models.URLField(_("link to apply"), blank=True)
    apply_email = models.EmailField(_("e-mail to apply"), blank=True)
    apply_instructions = models.TextField(
        _("instructions for applying"),
        blank=True,
        max_length=600,
        help_text=_("Optional: what to write or attach, who to ask for."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("deadline"), FieldPanel("ongoing")], heading=_("Until when")),
        MultiFieldPanel(
            [FieldPanel("comune"), FieldPanel("audiences")], heading=_("Where and for whom")
        ),
        FieldPanel("value"),
        FieldPanel("requirements"),
        MultiFieldPanel(
            [
                FieldPanel("apply_method"),
                FieldPanel("apply_url"),
                FieldPanel("apply_email"),
                FieldPanel("apply_instructions"),
            ],
            heading=_("How to apply"),
        ),
        InlinePanel(
            "related_pages",
            label=_("Related course or challenge"),
            heading=_("Related courses and challenges"),
            help_text=_("For example, the course that qualifies people for this internship."),
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("requirements"),
        index.SearchField("value"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("comune"),
        index.FilterField("deadline"),
        index.FilterField("ongoing"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("listing_summary"),
        SynchronizedField("listing_image"),
        TranslatableField("intro"),
        TranslatableField("description"),
        TranslatableField("value"),
        TranslatableField("requirements"),
        TranslatableField("apply_instructions"),
        SynchronizedField("kind"),
        SynchronizedField("audiences", overridable=False),
        SynchronizedField("comune"),
        SynchronizedField("deadline"),
        SynchronizedField("ongoing"),
        SynchronizedField("apply_method"),
        SynchronizedField("apply_url"),
        SynchronizedField("apply_email"),
        SynchronizedField("related_pages"),
    ]

    parent_page_types = ["partners.PartnerPage"]
    subpage_types = []

    template = "partners/opportunities/opportunity_page.html"
    listing_card_template = "partners/opportunities/opportunity_card.html"
    base_form_class = DeadlinePageForm  # a deadline typed in the past is refused

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def clean(self):
        super().clean()
        errors = {}
        if self.ongoing and self.deadline:
            errors["ongoing"] = _("Either give a deadline or tick “ongoing”, not both.")
        elif not self.ongoing and not self.deadline:
            errors["deadline"] = _("Give a deadline, or tick “ongoing” if there is none.")
        if self.apply_method == ApplyMethod.LINK and not self.apply_url:
            errors["apply_url"] = _("Give the link where people apply.")
        if self.apply_method == ApplyMethod.EMAIL and not self.apply_email:
            errors["apply_email"] = _("Give the e-mail address where people apply.")
        if errors:
            raise ValidationError(errors)

    def is_open(self, now=None):
        if self.ongoing or self.deadline is None:
            return True
        return self.deadline >= (now or timezone.now())

    @property
    def audiences_labels(self):
        return self._meta.get_field("audiences").labels(self.audiences)

    @property
    def uses_contact_form(self):
        return self.apply_method == ApplyMethod.FORM

    def serve(self, request, *args, **kwargs):
        from ..opportunity_views import opportunity_page_view

        return opportunity_page_view(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["is_open"] = self.is_open()
        page_ids = [link.page_id for link in self.related_pages.all() if link.page_id]
        context["related"] = (
            Page.objects.filter(pk__in=page_ids).live().public().specific() if page_ids else []
        )
        return context


class OpportunityRelatedPage(Orderable):
    """A course or challenge linked to an opportunity."""

    opportunity = ParentalKey(
        OpportunityPage, on_delete=models.CASCADE, related_name="related_pages"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course or challenge"),
        on_delete=models.CASCADE,
        related_name="opportunity_links",
    )

    panels = [RelatedPageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related course or challenge")
        verbose_name_plural = _("related courses and challenges")

    def clean(self):
        super().clean()
        allowed = related_page_models()
        if allowed and self.page_id:
            page_class = self.page.specific_class
            if page_class is None or not issubclass(page_class, tuple(allowed)):
                raise ValidationError({"page": _("Choose a course or a challenge.")})


class Enquiry(models.Model):
    """A message sent through an opportunity's contact form: delivered to the
    partner's contact address and kept for the partner and the staff."""

    opportunity = models.ForeignKey(
        OpportunityPage,
        verbose_name=_("opportunity"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
    )
    opportunity_title = models.CharField(_("opportunity"), max_length=255)
    # The partner in the source language: its group decides who may read it.
    partner = models.ForeignKey(
        "partners.PartnerPage",
        verbose_name=_("partner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), max_length=3000)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now, db_index=True)
    delivered_to = models.EmailField(_("delivered to"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.opportunity_title} — {self.name or '…'}"
