from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import AreaBlock, BodyBlock, HomeBlock
from .choices import ProjectArea


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
        two per level (the child by slug, then its specific page).

        Every page on the way is found by its url_path; a page whose type
        routes on its own (RoutablePageMixin: a course's sign-up pages, a
        challenge's form) gets the rest of the address as Wagtail would give
        it, and an unknown address ends in Wagtail's own routing (a 404)."""
        if len(path_components) < 2:
            request.route_ancestors = [self]  # for the breadcrumbs (site_tags)
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/"
            for n in range(1, len(path_components) + 1)
        ]
        found = {
            page.url_path: page
            for page in Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
        }
        parent, ancestors = self, [self]
        for n, url_path in enumerate(prefixes, start=1):
            page = found.get(url_path)
            if page is None or page.depth != parent.depth + 1 or page.path[:-4] != parent.path:
                break
            page._cached_parent_obj = parent
            remaining = path_components[n:]
            page_class = page.specific_class
            if not remaining or page_class is None or page_class.route is not Page.route:
                request.route_ancestors = ancestors  # for the breadcrumbs (site_tags)
                return page.specific.route(request, remaining)
            parent = page
            ancestors.append(page)
        if parent is self:
            return super().route(request, path_components)
        return parent.route(request, path_components[parent.depth - self.depth :])

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
