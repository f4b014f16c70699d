from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import RICH_TEXT_FEATURES
from home.fields import ChoiceListField
from home.images import SHARED_IMAGE_SPEC, read_images, read_renditions
from home.models import BasePage

from ..choices import OPERATING_AREAS, PartnerType, Sector
from ..profile import card_renditions

# The logo on the profile (partners/partner_page.html).
LOGO_SPEC = "max-200x200"


class PartnerIndexPage(BasePage):
    """The network directory: every partner of the Academy."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["partners.PartnerPage"]

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")

    def get_context(self, request, *args, **kwargs):
        from ..directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(self, request))
        return context


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

    # Explicit, because wagtail-localize would otherwise offer the stored
    # form of comuni/sectors ("|pioltello|segrate|") as text to translate.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("listing_summary"),
        SynchronizedField("listing_image"),
        TranslatableField("short_description"),
        TranslatableField("description"),
        TranslatableField("address"),
        TranslatableField("accessibility_notes"),
        SynchronizedField("partner_type"),
        SynchronizedField("logo"),
        SynchronizedField("comuni", overridable=False),
        SynchronizedField("sectors", overridable=False),
        SynchronizedField("website"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("facebook_url"),
        SynchronizedField("instagram_url"),
        SynchronizedField("linkedin_url"),
    ]

    parent_page_types = ["partners.PartnerIndexPage"]
    # Feature apps add their page types here (courses, challenges...).
    subpage_types = ["courses.CoursePage", "partners.ChallengePage", "partners.OpportunityPage"]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def with_content_json(self, content):
        """The editors' group and the collection are the stored row's, never a
        revision's: a copied profile's revisions still name the partner it
        was copied from (see `onboarding.on_new_partner_page`)."""
        obj = super().with_content_json(content)
        obj.group_id = self.group_id
        obj.collection_id = self.collection_id
        return obj

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kinds"] = kinds = self.child_kinds()
        # Every picture the profile shows, read together: the logo and the
        # link preview's image in one query, then their renditions and the
        # cards' (home/images.py).
        read_images(self, "logo", "listing_image")
        read_renditions(
            [
                (self.logo, LOGO_SPEC),
                (self.listing_image, SHARED_IMAGE_SPEC),
                *card_renditions(kinds),
            ]
        )
        return context

    def child_kinds(self):
        """The live public pages of this partner's section (courses,
        challenges...) by kind: the first few of each, how many in all, and a
        link to the listing of them all (partners/profile.py). Each is
        rendered by its `listing_card_template` if it has one, else by
        partners/includes/child_card.html; a page type may gather what its
        cards need for all its pages at once (`prepare_listing(pages)`)."""
        from ..profile import child_kinds

        return child_kinds(self)

    @property
    def social_links(self):
        return [
            (label, url)
            for label, url in (
                ("Facebook", self.facebook_url),
                ("Instagram", self.instagram_url),
                ("LinkedIn", self.linkedin_url),
            )
            if url
        ]

    @property
    def comuni_labels(self):
        return self._meta.get_field("comuni").labels(self.comuni)

    @property
    def sectors_labels(self):
        return self._meta.get_field("sectors").labels(self.sectors)
