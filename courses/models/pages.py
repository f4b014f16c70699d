from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock
from home.choices import ProjectArea
from home.fields import ChoiceListField
from home.models import BasePage
from partners.choices import Audience

from ..choices import Certificate, Level, SignupMode, TaughtLanguage
from ..forms import CoursePageForm
from ..serializers import ChoiceListSerializerField, PartnerField, SessionsField, SlugsField

# Lists to tick, like "who it is for": a multiple-choice box needed Ctrl+click,
# and a plain click on a second topic silently dropped the first.
TICK_BOXES = forms.CheckboxSelectMultiple


class CourseIndexPage(RoutablePageMixin, BasePage):
    """The catalogue: every live course of the site in the visitor's language,
    whatever partner section it lives in. Its filters are plain GET
    parameters; `export/csv/` and `export/json/` below it give the same
    selection as open data."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    empty_text = models.TextField(
        _("text when nothing is found"),
        blank=True,
        max_length=500,
        help_text=_("Shown under the filters when no course matches, e.g. whom to call."),
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("empty_text")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        context["export_csv_url"] = self.url + self.reverse_subpage("export", args=["csv"])
        context["export_json_url"] = self.url + self.reverse_subpage("export", args=["json"])
        return context

    @path("")
    def catalogue(self, request):
        response = self.render(request)
        if response.context_data.get("filters_invalid"):
            # The page still shows, with the errors next to the filters.
            response.status_code = 400
        return response

    @re_path(r"^export/(csv|json)/$", name="export")
    def export(self, request, file_format):
        from ..export import export_response

        return export_response(request, file_format)


def course_translation_ids(page_id):
    """The ids of the course page `page_id` and of its translations."""
    return CoursePage.objects.filter(
        translation_key__in=CoursePage.objects.filter(pk=page_id).values("translation_key")
    ).values_list("pk", flat=True)


class CoursePage(BasePage):
    """A course offered by a partner; it lives in the partner's section."""

    # A save moves the courses' generation and this course's version, not
    # the whole site's content generation (home/cache.py).
    cache_domain = "courses"

    def cached_course_ids(self):
        return CoursePage.objects.filter(translation_key=self.translation_key).values_list(
            "pk", flat=True
        )

    intro = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("Two or three sentences: what the course is and why it is useful."),
    )
    description = StreamField(
        BodyBlock(),
        verbose_name=_("description"),
        blank=True,
        help_text=_("Programme, methods, teachers: as much as people need to decide."),
    )
    learning_outcomes = models.TextField(
        _("what you will learn"),
        blank=True,
        max_length=2000,
        help_text=_("One item per line; each line becomes a point in a list."),
    )
    audiences = ChoiceListField(
        _("who it is for"),
        item_choices=Audience.choices,
        help_text=_("Tick everyone the course is meant for."),
    )
    prerequisites = models.TextField(
        _("what you need before starting"),
        blank=True,
        max_length=1000,
        help_text=_("E.g. 'Basic Italian (A2)', 'None'. Leave empty if there are none."),
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER
    )
    languages = ChoiceListField(
        _("taught in"),
        item_choices=TaughtLanguage.choices,
        default=["it"],
        help_text=_("The language or languages the teachers speak in class."),
    )
    hours = models.DecimalField(
        _("total hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("All sessions together, e.g. 24."),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    price = models.DecimalField(
        _("price in euro"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only if the course is not free."),
    )
    price_note = models.CharField(
        _("reductions"),
        max_length=250,
        blank=True,
        help_text=_("E.g. 'Free for people registered at the job centre'."),
    )
    certificate = models.CharField(
        _("certificate"), max_length=20, choices=Certificate.choices, default=Certificate.NONE
    )
    certificate_note = models.CharField(
        _("about the certificate"),
        max_length=250,
        blank=True,
        help_text=_("E.g. 'With at least 80% attendance', or who issues it."),
    )
    topics = ParentalManyToManyField(
        "courses.Topic", verbose_name=_("topics"), related_name="courses", blank=True
    )
    area = models.CharField(
        _("project area"),
        max_length=20,
        choices=ProjectArea.choices,
        default=ProjectArea.WORK_DESIGN,
        help_text=_(
            'The part of the project "Cittadinanza al Lavoro" the course belongs to. Most '
            'courses, open to everyone, belong to "Work-design labs and Academy": if you are '
            "not sure, leave it, the Academy staff check it before publishing."
        ),
    )
    labour_needs = ParentalManyToManyField(
        "partners.LabourNeed",
        verbose_name=_("labour needs it answers"),
        related_name="courses",
        blank=True,
        help_text=_(
            "Tick what your course helps with: workers and skills that local businesses cannot "
            "find, or that people looking for a job asked for. The project collects them town "
            "by town (the Civic Labour Observatories)."
        ),
    )
    co_organisers = ParentalManyToManyField(
        "partners.PartnerPage",
        verbose_name=_("organised together with"),
        related_name="co_organised_courses",
        blank=True,
        help_text=_("Other partners of the network who run the course with you."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    accessibility_notes = models.TextField(
        _("accessibility"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Anything people with disabilities or young children should know: the venue's "
            "own notes are shown too."
        ),
    )
    documents = StreamField(
        [("document", DocumentChooserBlock(label=_("Document")))],
        verbose_name=_("documents"),
        blank=True,
        help_text=_("Syllabus, timetable, leaflet to download."),
    )
    signup_mode = models.CharField(
        _("how people sign up"),
        max_length=20,
        choices=SignupMode.choices,
        default=SignupMode.SERIES,
    )

    listing_card_template = "courses/includes/course_card.html"
    listing_card_image_spec = "fill-480x270|format-webp"  # the picture of the card template

    @classmethod
    def prepare_listing(cls, pages, parent=None):
        """Cards for `pages`, children of `parent` (on a partner's profile;
        in another language, maybe children of its default-language
        profile, partners.profile.section_q) in a few queries, `parent`
        their partner; their pictures are read with the profile's others
        (partners.profile.card_renditions)."""
        from ..catalogue import attach_cards

        partners = None
        if parent is not None:
            partners = {page.path[: -Page.steplen]: parent for page in pages}
        attach_cards(pages, partners=partners)

    base_form_class = CoursePageForm

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("listing_image", heading=_("Image")),
        MultiFieldPanel(
            [
                FieldPanel("description"),
                FieldPanel("learning_outcomes"),
                FieldPanel("topics", widget=TICK_BOXES),
                FieldPanel("area"),
                FieldPanel("level"),
                FieldPanel("hours"),
                FieldPanel("languages"),
            ],
            heading=_("What"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signup_mode"),
                InlinePanel("sessions", label=_("Session")),
                # Sign-ups (courses/models/bookings.py): the partner's optional questions.
                InlinePanel("signup_questions", label=_("Question for people signing up")),
            ],
            heading=_("When and where (on the Italian page only)"),
            help_text=_(
                "Add one row per meeting. Sessions are written on the Italian page; the "
                "English page shows the same ones."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("prerequisites"),
                FieldPanel("labour_needs", widget=TICK_BOXES),
            ],
            heading=_("Who it is for"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
                FieldPanel("price_note"),
                FieldRowPanel([FieldPanel("certificate"), FieldPanel("certificate_note")]),
            ],
            heading=_("Cost and certificate"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("co_organisers", widget=TICK_BOXES),
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("accessibility_notes"),
                FieldPanel("documents"),
            ],
            heading=_("Extras"),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("listing_summary")]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("learning_outcomes"),
        # Partner, topics, comuni, time of day, "free", audiences: courses/search_text.py
        index.SearchField("search_keywords"),
        index.FilterField("area"),
        index.FilterField("is_free"),
        index.FilterField("locale_id"),
    ]

    # Sessions belong to the Italian page only (docs/architecture.md):
    # never copied into a translation, never synchronised.
    exclude_fields_in_copy = ["sessions", "signup_questions"]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("listing_summary"),
        SynchronizedField("listing_image"),
        SynchronizedField("show_in_menus"),
        TranslatableField("intro"),
        TranslatableField("description"),
        TranslatableField("learning_outcomes"),
        TranslatableField("prerequisites"),
        TranslatableField("price_note"),
        TranslatableField("certificate_note"),
        TranslatableField("accessibility_notes"),
        TranslatableField("documents"),
        SynchronizedField("audiences", overridable=False),
        SynchronizedField("level"),
        SynchronizedField("languages", overridable=False),
        SynchronizedField("hours"),
        SynchronizedField("is_free"),
        SynchronizedField("price"),
        SynchronizedField("certificate"),
        SynchronizedField("topics"),
        SynchronizedField("area"),
        SynchronizedField("labour_needs"),
        SynchronizedField("co_organisers"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("signup_mode"),
    ]

    api_fields = [
        APIField("intro"),
        APIField("description"),
        APIField("learning_outcomes"),
        APIField("audiences", serializer=ChoiceListSerializerField()),
        APIField("prerequisites"),
        APIField("level"),
        APIField("languages", serializer=ChoiceListSerializerField()),
        APIField("hours"),
        APIField("is_free"),
        APIField("price"),
        APIField("price_note"),
        APIField("certificate"),
        APIField("certificate_note"),
        APIField("topics", serializer=SlugsField()),
        APIField("area"),
        APIField("signup_mode"),
        APIField("contact_name"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("accessibility_notes"),
        APIField("partner", serializer=PartnerField()),
        APIField("sessions", serializer=SessionsField()),
    ]

    parent_page_types = ["partners.PartnerPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        errors = {}
        if not self.is_free and self.price is None:
            errors["price"] = _("Write the price, or tick 'free of charge'.")
        elif self.is_free and self.price:
            # "Free of charge" is ticked by default: a price typed without
            # unticking it was published as a free course.
            errors["price"] = _(
                "The course is ticked 'free of charge': untick it, or remove the price."
            )
        elif not self.is_free and self.price <= 0:
            errors["price"] = _(
                "The price must be more than 0 euro; for a free course tick 'free of charge'."
            )
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _(
                "Write the hours of all sessions together, more than 0; or leave it empty."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def summary(self):
        return self.listing_summary or self.intro

    def search_keywords(self):
        from ..search_text import course_keywords

        return course_keywords(self)

    def get_context(self, request, *args, **kwargs):
        from ..detail import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(self, request))
        return context

    @property
    def is_source(self):
        """True on the Italian page, the one that holds the sessions."""
        from ..catalogue import default_locale_id

        return self.locale_id == default_locale_id()

    @cached_property
    def source_page(self):
        """The page whose sessions this course shows: itself in Italian, the
        Italian original for a translation (None if that is gone)."""
        from ..catalogue import default_locale_id
        from ..detail import source_page

        return source_page(self, default_locale_id())

    def get_sessions(self):
        """The sessions of this course, in any language, ordered by start."""
        from .sessions import CourseSession

        source = self.source_page
        if source is None:
            return CourseSession.objects.none()
        return (
            CourseSession.objects.with_seats()
            .filter(page_id=source.pk)
            .select_related("venue")
            .order_by("start", "sort_order")
        )

    @property
    def partner(self):
        """The partner whose section holds the course."""
        return self.get_parent().specific

    @property
    def audiences_labels(self):
        return self._meta.get_field("audiences").labels(self.audiences)

    @property
    def languages_labels(self):
        return self._meta.get_field("languages").labels(self.languages)

    @property
    def learning_outcomes_list(self):
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]
