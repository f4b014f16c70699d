"""Challenge calls posed by partners, and the applications they receive.

A ChallengePage lives in its partner's section (under the PartnerPage), so
the partner's group permissions scope who edits it. Applications always
belong to the source-language (Italian) challenge, whatever language the
applicant used: one call, one list of applications."""

import os
import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import RICH_TEXT_FEATURES, DocumentListBlock, FAQBlock
from home.fields import ChoiceListField
from home.models import BasePage

from ..choices import (
    OPERATING_AREAS,
    ApplicantType,
    ApplicationStatus,
    CallState,
    Eligibility,
    Offer,
    Sector,
)
from ..page_forms import DeadlinePageForm
from ..private_storage import private_storage
from .deadlines import DeadlineSequenceMixin

COURSE_PAGE_TYPE = "courses.CoursePage"


def course_page_type():
    """ "courses.CoursePage" once the courses app defines it, else None
    (partners never imports courses)."""
    try:
        apps.get_model(COURSE_PAGE_TYPE)
    except LookupError:
        return None
    return COURSE_PAGE_TYPE


class CourseChooserPanel(PageChooserPanel):
    """A page chooser restricted to courses, resolved when the form is built."""

    def get_form_options(self):
        self.page_type = course_page_type()
        return super().get_form_options()


class ChallengeIndexPage(BasePage):
    """Every challenge call of the network: open ones first, then closed."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "partners/challenges/challenge_index_page.html"

    class Meta:
        verbose_name = _("challenge index")
        verbose_name_plural = _("challenge indexes")

    def get_context(self, request, *args, **kwargs):
        from ..challenge_index import challenge_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(challenge_index_context(self, request))
        return context


class ChallengePage(RoutablePageMixin, DeadlineSequenceMixin, BasePage):
    """A challenge call: a problem a partner poses, what it offers, who may
    apply and until when."""

    problem = RichTextField(
        _("the problem"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What you need, in plain words: the challenge people will work on."),
    )
    context = RichTextField(
        _("context"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Background: who is affected, what has been tried, figures you can share."),
    )
    offers = ChoiceListField(_("what you offer"), item_choices=Offer.choices)
    offer_details = RichTextField(
        _("details of the offer"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("The amount of a prize, the length of mentoring, which space..."),
    )
    eligibility = ChoiceListField(_("who may apply"), item_choices=Eligibility.choices, blank=False)
    eligibility_notes = RichTextField(
        _("conditions for applying"), features=RICH_TEXT_FEATURES, blank=True
    )
    evaluation_criteria = RichTextField(
        _("evaluation criteria"), features=RICH_TEXT_FEATURES, blank=True
    )
    timeline = RichTextField(
        _("timeline"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What happens after the deadline: shortlist, interviews, results, start."),
    )
    opens_at = models.DateTimeField(
        _("applications open"), help_text=_("Date and time, Italian time.")
    )
    closes_at = models.DateTimeField(
        _("deadline"),
        help_text=_("Date and time, Italian time. No application is accepted after it."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    comuni = ChoiceListField(
        _("where"),
        item_choices=OPERATING_AREAS,
        help_text=_("The comuni the challenge concerns, or 'Whole district'."),
    )
    documents = StreamField(
        [("documents", DocumentListBlock())],
        verbose_name=_("documents"),
        blank=True,
        max_num=3,
        help_text=_("The full call, forms to fill in, data sets..."),
    )
    faq = StreamField(
        [("faq", FAQBlock())], verbose_name=_("frequently asked questions"), blank=True, max_num=1
    )

    deadline_field_name = "closes_at"
    base_form_class = DeadlinePageForm  # a deadline typed in the past is refused

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("problem"),
        FieldPanel("context"),
        MultiFieldPanel(
            [FieldPanel("offers"), FieldPanel("offer_details")], heading=_("What you offer")
        ),
        MultiFieldPanel(
            [FieldPanel("eligibility"), FieldPanel("eligibility_notes")],
            heading=_("Who may apply"),
        ),
        FieldPanel("evaluation_criteria"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("timeline"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("sector"), FieldPanel("comuni")], heading=_("Sector and place")
        ),
        InlinePanel(
            "questions",
            label=_("Questions for applicants"),
            heading=_("Questions for applicants"),
            help_text=_(
                "Every application answers these, besides the contact details and a free "
                "description of the idea."
            ),
        ),
        FieldPanel("documents"),
        FieldPanel("faq"),
        InlinePanel("course_links", label=_("Course that helps to prepare"), heading=_("Courses")),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("problem"),
        index.SearchField("context"),
        index.SearchField("offer_details"),
        index.SearchField("evaluation_criteria"),
        index.SearchField("faq"),
        index.FilterField("sector"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("listing_summary"),
        SynchronizedField("listing_image"),
        TranslatableField("problem"),
        TranslatableField("context"),
        SynchronizedField("offers", overridable=False),
        TranslatableField("offer_details"),
        SynchronizedField("eligibility", overridable=False),
        TranslatableField("eligibility_notes"),
        TranslatableField("evaluation_criteria"),
        TranslatableField("timeline"),
        SynchronizedField("opens_at"),
        SynchronizedField("closes_at"),
        SynchronizedField("sector"),
        SynchronizedField("comuni", overridable=False),
        TranslatableField("documents"),
        TranslatableField("faq"),
        TranslatableField("questions"),
        SynchronizedField("course_links"),
    ]

    parent_page_types = ["partners.PartnerPage"]
    subpage_types = []

    template = "partners/challenges/challenge_page.html"
    listing_card_template = "partners/challenges/includes/challenge_card.html"
    listing_card_image_spec = "fill-480x270"  # the picture of the card template

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The deadline must come after the opening.")})

    # --- the call's state, always from the server's clock ------------------
    def call_state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        if now >= self.closes_at:
            return CallState.CLOSED
        return CallState.OPEN

    @property
    def is_open(self):
        return self.call_state() == CallState.OPEN

    @property
    def state(self):
        return self.call_state()

    def get_call_state_display(self):
        return CallState(self.call_state()).label

    @property
    def offers_labels(self):
        return self._meta.get_field("offers").labels(self.offers)

    @property
    def eligibility_labels(self):
        return self._meta.get_field("eligibility").labels(self.eligibility)

    @property
    def comuni_labels(self):
        return self._meta.get_field("comuni").labels(self.comuni)

    @property
    def partner(self):
        return self.get_parent().specific

    def source(self):
        """The default-language challenge, which holds the applications."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return self.get_translation_or_none(default) or self

    def preparation_courses(self):
        """The linked courses that are live and public, in this page's language
        where translated."""
        ids = [link.course_id for link in self.course_links.all()]
        if not ids:
            return []
        pages = {
            page.pk: page for page in Page.objects.filter(pk__in=ids).live().public().specific()
        }
        courses = []
        for pk in ids:
            page = pages.get(pk)
            if page is None:
                continue
            localized = page.localized
            courses.append(localized if localized.live else page)
        return courses

    # --- routes: the call, its application form, the confirmation ---------
    @path("")
    def challenge_view(self, request):
        from ..challenge_views import challenge_page

        return challenge_page(self, request)

    @path("apply/")
    def apply_view(self, request):
        from ..challenge_views import apply

        return apply(self, request)

    @path("sent/")
    def sent_view(self, request):
        from ..challenge_views import sent

        return sent(self, request)


class ChallengeQuestion(TranslatableMixin, Orderable):
    """A question the proposer asks every applicant of this challenge."""

    challenge = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=250)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=True)
    long_answer = models.BooleanField(
        _("long answer"), default=True, help_text=_("Untick for a one-line answer.")
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("long_answer")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question for applicants")
        verbose_name_plural = _("questions for applicants")

    def __str__(self):
        return self.label


class ChallengeCourse(Orderable):
    """A course that helps applicants prepare (partners learn about courses
    only by page reference, never by import)."""

    challenge = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [CourseChooserPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("preparation course")
        verbose_name_plural = _("preparation courses")

    def clean(self):
        super().clean()
        page_type = course_page_type()
        if page_type and self.course_id:
            course_model = apps.get_model(page_type)
            if not issubclass(self.course.specific_class or Page, course_model):
                raise ValidationError({"course": _("Choose a course page.")})


class ChallengeApplication(models.Model):
    """One application to a challenge, made without an account."""

    challenge = models.ForeignKey(
        ChallengePage,
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default="it")
    applicant_type = models.CharField(
        _("applying as"), max_length=20, choices=ApplicantType.choices
    )
    name = models.CharField(_("name of the applicant or team lead"), max_length=160)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("team or business name"), max_length=160, blank=True)
    team_members = models.TextField(_("team members"), blank=True, max_length=2000)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    idea = models.TextField(_("the idea"), max_length=6000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    status_note = models.TextField(
        _("note to the applicant"),
        blank=True,
        max_length=2000,
        help_text=_("Sent with the status change e-mail."),
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))
    sharing_consent_at = models.DateTimeField(_("consent to share with the proposer"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge application")
        verbose_name_plural = _("challenge applications")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.reference} — {self.name}"

    @property
    def withdrawn(self):
        return self.status == ApplicationStatus.WITHDRAWN


class ApplicationAttachment(models.Model):
    """A file sent with an application, kept in private storage."""

    application = models.ForeignKey(
        ChallengeApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="challenges/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self):
        """The name a reviewer's download is saved under: the applicant's
        name for the file with the extension of what the file is (the
        stored name's, from its content). "offerta.hta" holding a PDF is
        saved as "offerta.pdf", so a double click opens a PDF reader, never
        the program the sent name would pick."""
        stem = os.path.splitext(self.original_name)[0].strip(" .") or gettext("attachment")
        return stem + os.path.splitext(self.file.name)[1]
