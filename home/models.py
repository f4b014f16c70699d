from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from .blocks import AreaBlock, BodyBlock, HomeBlock
from .choices import ProjectArea
from .request_memo import in_request, restriction_ids_for
from .routing import pages_along, walk


def with_unix_line_breaks(page):
    """Browsers send a textarea's line breaks as CR LF: every save from the
    editor turned a plain text field's line feeds into CR LF. The text looked the
    same but was no longer the text wagtail-localize had translated, so the
    next sync of a course whose partner had only changed its introduction
    lost the English of "What you will learn" (one item per line), and the
    revisions' comparison showed every line as changed. Keep line feeds."""
    for field in page._meta.concrete_fields:
        if not isinstance(field, models.TextField) or isinstance(field, RichTextField):
            continue
        value = getattr(page, field.attname)
        if isinstance(value, str) and "\r" in value:
            setattr(page, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))


class BasePage(Page):
    """What every public page has: a summary and an image for listings and
    social sharing, on top of Wagtail's SEO title and search description."""

    listing_summary = models.TextField(
        _("summary for listings"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences shown in lists, search results and when shared."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image for listings and sharing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [*Page.search_fields, index.SearchField("listing_summary")]

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("listing_summary"), FieldPanel("listing_image")],
            heading=_("Listings and sharing"),
        ),
    ]

    class Meta:
        abstract = True

    @property
    def summary(self):
        return self.listing_summary or self.search_description

    def clean(self):
        super().clean()
        with_unix_line_breaks(self)

    def get_view_restrictions(self):
        """Wagtail's, answered in a request from the request's list of view
        restrictions (home/request_memo.py) when the ancestors are known, as
        they are after routing: no query for a public page (Wagtail reads
        the ancestors, then their restrictions)."""
        ids = restriction_ids_for(self) if in_request() else None
        if ids is None:
            return super().get_view_restrictions()
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)


class HomePage(BasePage):
    hero_title = models.CharField(_("title of the opening section"), max_length=120)
    hero_text = models.TextField(_("text of the opening section"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image of the opening section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("text alternative of the image"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for people who cannot see it; it is translated with "
            "the page. Left empty, the image's own description is read out (in the "
            "language it was written in)."
        ),
    )
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page the main button leads to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("label of the main button"), max_length=50, blank=True)
    areas_heading = models.CharField(
        _("heading of the project areas"),
        max_length=120,
        default=_("The four areas of the project"),
    )
    areas = StreamField(
        [("area", AreaBlock())],
        verbose_name=_("project areas"),
        blank=True,
        max_num=4,
        help_text=_("The four areas of the project, each with a short text and its page."),
    )
    body = StreamField(HomeBlock(), verbose_name=_("featured content"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_link"),
                FieldPanel("hero_link_label"),
            ],
            heading=_("Opening section"),
        ),
        FieldPanel("areas_heading"),
        FieldPanel("areas"),
        FieldPanel("body"),
    ]

    search_fields = [*BasePage.search_fields, index.SearchField("hero_text")]

    def route(self, request, path_components):
        """Find the page at a deep address in one query, where Wagtail asks
        two per level (the child by slug, then its specific page); see
        home/routing.py, which serves requests from the site's root."""
        return walk(self, request, path_components, pages_along(self, path_components))

    parent_page_types = ["wagtailcore.Page"]
    # Feature apps add their index pages here as they arrive.
    subpage_types = [
        "home.StandardPage",
        "partners.PartnerIndexPage",
        "partners.ObservatoryPage",
        "partners.OpportunityIndexPage",
        "donations.DonationPage",
        "courses.CourseIndexPage",
        "partners.ChallengeIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(BasePage):
    """A page of text: the project, its four areas, privacy, accessibility."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    area = models.CharField(
        _("project area"),
        max_length=20,
        choices=ProjectArea.choices,
        blank=True,
        help_text=_("If this page presents one of the four areas of the project, choose it here."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("area")]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("area"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "partners.ObservatoryPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="site")
class SiteFooter(BaseGenericSetting):
    """Contacts and links shown in the footer of every page."""

    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True, max_length=300)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("address"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
    ]

    class Meta:
        verbose_name = _("footer and contacts")
