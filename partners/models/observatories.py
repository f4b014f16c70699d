from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import BodyBlock
from home.choices import Comune
from home.models import BasePage

from ..choices import NeedSource, Sector


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

    # The demo puts the four observatories under the area page "Osservatori
    # Civici sul Lavoro"; they may also sit directly under the home page.
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("observatory")
        verbose_name_plural = _("observatories")

    def labour_needs(self):
        """This comune's needs in the page's language; needs not translated
        yet are shown in the default language rather than hidden."""
        needs = LabourNeed.objects.filter(comune=self.comune)
        default_locale = Locale.get_default()
        in_this_language = Q(locale=self.locale_id)
        if self.locale_id != default_locale.pk:
            translated = needs.filter(locale=self.locale_id).values("translation_key")
            in_this_language |= Q(locale=default_locale) & ~Q(translation_key__in=translated)
        return needs.filter(in_this_language).select_related("locale").order_by("-noted_on", "pk")

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
            # A course is a link here: its title and what its address needs.
            .only("title", "url_path", "locale_id", "translation_key", "path", "depth")
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
