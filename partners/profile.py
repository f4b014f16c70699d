"""What a partner's profile lists of its section: for each kind of page
below it (courses, challenges, opportunities) the first few, the most useful
first, with how many there are in all and, when there are more, a link to
the listing that shows them all (the catalogue filtered by this partner, the
challenge index filtered by this partner, the opportunity index).

The profile's size and queries do not grow with the number of pages below
it: one query per kind (the first pages and the total), the cards' own
prefetches (`prepare_listing`; the images come with the pages), the
pictures' renditions with the profile's own (`card_renditions`) and, only
when a kind has more pages than it shows, the links, kept per content
generation (home/cache.py)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import Locale, Page, PageViewRestriction

from home.cache import generation
from home.index_pages import index_page
from home.request_memo import locales_by_code

CARDS_PER_KIND = 6
# The picture of partners/includes/child_card.html, for a kind without a
# card template of its own (`listing_card_image_spec` on the page type).
CHILD_CARD_IMAGE_SPEC = "fill-480x270"
LINKS_TIMEOUT = 3600


@dataclass
class Kind:
    """The pages of one kind below a partner: the first `pages`, `total` in all."""

    page_class: type
    pages: list
    total: int
    more_url: str = ""

    @property
    def label(self):
        return self.page_class._meta.label

    @property
    def hidden(self):
        return self.total - len(self.pages)


class Kinds(list):
    """The kinds of pages a profile lists; `more`: those it shows only in part."""

    @property
    def more(self):
        return [kind for kind in self if kind.more_url]


def public_child_q(parent):
    """What `.public()` checks for a child of `parent`, as a condition of the
    same query: no view restriction on the child, on `parent` or on any of
    its ancestors (where `.public()` first reads every restriction)."""
    steplen = Page.steplen
    ancestor_paths = [parent.path[:n] for n in range(steplen, len(parent.path) + 1, steplen)]
    restricted = PageViewRestriction.objects.filter(
        Q(page__path__in=ancestor_paths) | Q(page_id=OuterRef("pk"))
    )
    return ~Exists(restricted)


def _parent_path(path):
    return Substr(path, 1, Length(path) - Page.steplen)


def section_q(partner, page_class, default_id):
    """The pages of `page_class` in the partner's section as its profile
    lists them: the profile's children and, on a profile in another
    language than the default, the children of its default-language profile
    that have no live translation in that language, shown in the default
    language as the catalogue and the indexes show them (cards mark them).
    Public as `public_child_q` says, each under its own parent."""
    children = Q(path__startswith=partner.path, depth=partner.depth + 1) & public_child_q(partner)
    if partner.locale_id == default_id:
        return children
    source = Page.objects.filter(
        translation_key=partner.translation_key,
        locale_id=default_id,
        path=_parent_path(OuterRef("path")),
    )
    translated = page_class.objects.live().filter(
        locale_id=partner.locale_id, translation_key=OuterRef("translation_key")
    )
    # A restriction on the page or on any of its ancestors: the restricted
    # page's path starts the page's own.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    untranslated = (
        Q(locale_id=default_id, depth=partner.depth + 1)
        & Exists(source)
        & ~Exists(translated)
        & ~Exists(restricted)
    )
    return children | untranslated


def _ordered(page_class, queryset, now):
    """The most useful first: courses with the nearest date (then the most
    recent past ones), open calls and opportunities first."""
    label = page_class._meta.label
    if label == "courses.CoursePage":
        from courses.catalogue import annotate_dates, default_locale_id

        return annotate_dates(queryset, default_locale_id(), now).order_by(
            F("next_start").asc(nulls_last=True), F("last_end").desc(nulls_last=True), "path"
        )
    if label == "partners.ChallengePage":
        from .challenge_index import order_open_first

        return order_open_first(queryset, now)
    if label == "partners.OpportunityPage":
        from .opportunity_listing import open_q

        return queryset.annotate(
            closed=Case(
                When(open_q(now), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("closed", F("deadline").asc(nulls_last=True), "title", "pk")
    return queryset.order_by("path")


def child_kinds(partner, per_kind=CARDS_PER_KIND):
    """[Kind] for each kind of page the partner has below it, in the order of
    its `subpage_types`; each kind's cards prepared in bulk."""
    now = timezone.now()
    active = Locale.get_active()  # remembered for the request (home/request_memo.py)
    locales = {locale.pk: locale for locale in locales_by_code().values()}
    default_id = Locale.get_default().pk
    kinds = Kinds()
    source_pk = partner.pk if partner.locale_id == default_id else None
    # The tree allows only these types below a partner (`subpage_types`).
    for page_class in partner.specific_class.allowed_subpage_models():
        queryset = (
            page_class.objects.live()
            .filter(section_q(partner, page_class, default_id))
            .annotate(kind_total=Window(Count("pk")))
        )
        if source_pk is None:
            # The default-language profile, which the catalogue's partner
            # filter names (`more_links`), read with the pages.
            queryset = queryset.annotate(source_partner_pk=Subquery(_source(partner, default_id)))
        if any(f.name == "listing_image" for f in page_class._meta.get_fields()):
            queryset = queryset.select_related("listing_image")
        pages = list(_ordered(page_class, queryset, now)[:per_kind])
        if not pages:
            continue
        for page in pages:
            page.locale = locales[page.locale_id]  # cards mark pages in another language
        source_pk = source_pk or pages[0].source_partner_pk
        prepare = getattr(page_class, "prepare_listing", None)
        if prepare is not None:
            prepare(pages, partner)  # the image is already there: it adds what else cards show
        kinds.append(Kind(page_class, pages, pages[0].kind_total))
    if any(kind.hidden for kind in kinds):
        links = more_links(partner, active, source_pk)
        for kind in kinds:
            if kind.hidden:
                kind.more_url = links.get(kind.label, "")
    return kinds


def card_renditions(kinds):
    """(image, spec) of each card picture `kinds` show, for
    ``home.images.read_renditions``."""
    return [
        (
            page.listing_image,
            getattr(kind.page_class, "listing_card_image_spec", CHILD_CARD_IMAGE_SPEC),
        )
        for kind in kinds
        for page in kind.pages
        if getattr(page, "listing_image_id", None)
    ]


# The listing that shows all the pages of a kind, and its filter for one partner.
LISTINGS = {
    "courses.CoursePage": ("courses.CourseIndexPage", "partner", "source_pk"),
    "partners.ChallengePage": ("partners.ChallengeIndexPage", "partner", "translation_key"),
    "partners.OpportunityPage": ("partners.OpportunityIndexPage", None, None),
}


def _source(partner, default_id):
    return Page.objects.filter(
        translation_key=partner.translation_key, locale_id=default_id
    ).values("pk")[:1]


def more_links(partner, locale, source_pk=None):
    """{page type label: URL of the listing of all its pages for `partner`},
    in the visitor's language (else Italian); kept per content generation.
    `source_pk`: the partner's default-language profile, when known."""
    key = f"partners:profile-links:{generation('courses')}:{partner.pk}:{locale.pk}"
    links = cache.get(key)
    if links is None:
        links = _build_more_links(partner, locale, source_pk)
        cache.set(key, links, LINKS_TIMEOUT)
    return links


def _build_more_links(partner, locale, source_pk=None):
    default = Locale.get_default()
    if source_pk is None:
        source = partner
        if partner.locale_id != default.pk:
            source = partner.get_translation_or_none(default) or partner
        source_pk = source.pk
    values = {"source_pk": source_pk, "translation_key": str(partner.translation_key)}
    links = {}
    for label, (index_label, parameter, value) in LISTINGS.items():
        # The three index pages in one query (home/index_pages.py), were one each.
        index = index_page(index_label, locale.pk) or index_page(index_label, default.pk)
        if index is None:
            continue
        url = index.get_url()
        if parameter:
            url += f"?{parameter}={values[value]}"
        links[label] = url
    return links
