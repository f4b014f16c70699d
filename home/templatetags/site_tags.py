import uuid

from django import template
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, cache, caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery
from django.urls import translate_url
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Locale, Page, Site

from home import home_lists, localize
from home.cache import (
    PER_VISITOR,
    allow_cached_form,
    content_generation,
    course_versions,
    fill_per_visitor,
    generation,
    is_rendering_for_cache,
    placeholder,
    rendering_for_cache,
    structure_generation,
)
from home.images import read_renditions
from home.models import SiteFooter
from home.routing import translations_of
from home.sites import kept_home_pages

register = template.Library()


def _home_page(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    known = translations_of(request, root)  # read with the route (home/routing.py)
    if known is None:  # not a page: the home pages, if kept (home/sites.py)
        homes = kept_home_pages()
        if homes is None:
            return root.localized
        known = [page for page in homes if page.translation_key == root.translation_key]
        known = [page for page in known if page.live]
    locale = Locale.get_active()
    # (as root.localized: the live translation in the active language, else the root)
    return next((page for page in known if page.locale_id == locale.pk), root)


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per site language: where the current page is in that language.

    A page links to its live translation; a language the page has not been
    translated into gets no link (url is None). Views that are not pages
    (search, forms) link to the same URL in the other language, or where
    their context's `language_urls` says (a view outside the language
    prefixes, as the donor's "manage" page). `switch_url`,
    for the switcher, keeps the query string too (the catalogue's filters
    mean the same in every language) and a page's own sub-address (a
    challenge's application form); `url` is the page alone (hreflang).
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    remembered = getattr(request, "_language_links", None)
    if remembered is not None and remembered[0] is page and remembered[1] == current:
        return remembered[2]  # the head and the switchers ask for the same links
    translations = {}
    if isinstance(page, Page):
        found = translations_of(request, page)  # read with the route (home/routing.py)
        if found is None:
            found = page.get_translations(inclusive=True).live().select_related("locale")
        for translation in found:
            translations[translation.locale.language_code] = translation
    # A page's own sub-address (a challenge's "apply/" form, its "sent/"
    # page): the switcher leads to the same one in the other language, not
    # back to the page. Routable pages answer the same sub-addresses in
    # every language.
    subpath = ""
    if current in translations:
        here = translations[current].get_url(request)
        if here and request.path.startswith(here):
            subpath = request.path[len(here) :]
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            target = translations.get(code)
            url = target.get_url(request) if target else None
            switch_url = f"{url}{subpath}" if url else url
            if switch_url and request.GET:
                switch_url = f"{switch_url}?{request.GET.urlencode()}"
        elif code in (context.get("language_urls") or {}):
            # A view outside the language prefixes names its own.
            url = switch_url = context["language_urls"][code]
        else:
            url = switch_url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "switch_url": switch_url,
                "current": code == current,
            }
        )
    request._language_links = (page, current, links)
    return links


def _link(page, translations, request):
    """`page` in the active language (``localized_page``), from `translations`
    ({translation key: the page in the active language})."""
    if page is None:
        return None
    localized = translations.get(page.translation_key, page)
    page = localized if localized.live else page
    return {"pk": page.pk, "title": page.title, "url": page.get_url(request)}


def _build_chrome(request):
    """The chrome in two queries: the footer, then in one query the menu (the
    home page's live public children shown in menus) and the footer's pages
    with their translations in the active language."""
    home = _home_page(request)
    if home is None:
        return {"home_url": "/", "menu": [], "footer": None, "privacy": None, "accessibility": None}
    footer = SiteFooter.load(request_or_site=request)
    locale = Locale.get_active()
    linked = [pk for pk in (footer.privacy_page_id, footer.accessibility_page_id) if pk]
    pages = Page.objects.all()
    in_menu = Q(depth=home.depth + 1, path__startswith=home.path, live=True, show_in_menus=True)
    in_menu &= ~pages.private_q()
    keys = Page.objects.filter(pk__in=linked).values("translation_key")
    wanted = in_menu | Q(pk__in=linked) | Q(translation_key__in=Subquery(keys), locale=locale)
    rows = list(
        pages.filter(wanted)
        .annotate(in_menu=ExpressionWrapper(in_menu, output_field=BooleanField()))
        .order_by("path")
    )
    by_pk = {row.pk: row for row in rows}
    translations = {row.translation_key: row for row in rows if row.locale_id == locale.pk}
    return {
        "home_url": home.get_url(request),
        "menu": [
            {"pk": p.pk, "title": p.title, "url": p.get_url(request)} for p in rows if p.in_menu
        ],
        "footer": {
            "contact_email": footer.contact_email,
            "contact_phone": footer.contact_phone,
            "address": footer.address,
        },
        "privacy": _link(by_pk.get(footer.privacy_page_id), translations, request),
        "accessibility": _link(by_pk.get(footer.accessibility_page_id), translations, request),
    }


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """What the header and footer of every page show (home link, menu,
    contacts, privacy and accessibility links), built once per language and
    structure generation (home/cache.py: bumped by every change to what it
    shows) and then read from the cache."""
    request = context["request"]
    key = f"chrome:{structure_generation()}:{request.get_host()}:{get_language()}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build_chrome(request)
        cache.set(key, chrome, 3600)
    return chrome


@register.simple_tag(takes_context=True)
def fragment_key(context, page, *more, shows=None, course=None):
    """A key for a fragment of `page` cached with `{% cache %}`: the content
    generation, host, language and page (and `more`, what else the fragment
    depends on); unique (never reused) in a preview, whose draft content is
    not what the cache holds.

    A fragment that shows less than everything says so, and a change
    elsewhere leaves it warm (home/cache.py): `shows` names the content
    domains it shows besides the site's ("" for none, "courses"), `course`
    the one course it shows (its version keys it; other courses' changes
    leave it)."""
    courses = None if course is None else [course.pk]
    return page_fragment_key(context["request"], page, *more, shows=shows, courses=courses)


def page_fragment_key(request, page, *more, shows=None, courses=None):
    """`fragment_key`, with `courses` the ids of the pages whose course
    versions key it (the pages a fragment shows: those that are not courses
    have a version that never moves)."""
    if getattr(request, "is_preview", False):
        return uuid.uuid4().hex
    if shows is None and courses is None:
        content = content_generation()
    else:
        content = generation(*(shows or "").split())
        courses = [pk for pk in dict.fromkeys(courses or ()) if pk is not None]
        if courses:
            versions = course_versions(courses)
            content = ":".join([content, *(str(version) for version in versions.values())])
    return ":".join(
        str(part) for part in (content, request.get_host(), get_language(), page.pk, *more)
    )


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, timeout, key):
        self.nodelist, self.timeout, self.key = nodelist, timeout, key

    def render(self, context):
        request = context["request"]
        if getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        cache_key = f"shared-fragment:{self.key.resolve(context)}"
        cached = cache.get(cache_key)
        if cached is None:
            declared_before = getattr(request, "page_cache_forms_declared", False)
            request.page_cache_forms_declared = False
            with rendering_for_cache():
                content = self.nodelist.render(context)
            declared = request.page_cache_forms_declared
            request.page_cache_forms_declared = declared_before or declared
            has_placeholders = any(placeholder(name) in content for name in PER_VISITOR)
            if declared or not has_placeholders:
                cache.set(cache_key, (content, declared), self.timeout)
        else:
            content, declared = cached
            if declared:
                allow_cached_form(request)
        if is_rendering_for_cache():  # the whole page goes to the page cache: it fills them
            return content
        filled, _found = fill_per_visitor(content.encode(), request)
        return mark_safe(filled.decode())  # noqa: S308 (the fragment's own rendered HTML)


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment 3600 key %}...{% endshared_fragment %}`: like
    `{% cache %}`, for a fragment that holds forms. It is rendered with the
    per-visitor values (CSRF token, a form's start time) as placeholders,
    as for the page cache (home/cache.py), kept under `key` and filled for
    each visitor; whether its forms allowed the page to be cached is kept
    with it. A fragment with placeholders that no form declared is never
    kept. Not kept in a preview. `key` must name everything the fragment
    shows (`fragment_key` and, for dates, the session clock)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a timeout and a key")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, int(bits[1]), parser.compile_filter(bits[2]))


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """The ancestors of the page below the tree root (home first)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    known = getattr(context.get("request"), "route_ancestors", None)  # HomePage.route
    if known and len(known) == page.depth - 2 and known[-1].path == page.path[: -Page.steplen]:
        return known
    return list(page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "locale"))


@register.filter
def localized_page(page):
    """A page in the active language, when it has a live translation (read
    with the others by `localize_chosen_pages` when it was)."""
    if page is None:
        return None
    localized = localize.localized(page)
    return localized if localized.live else page


@register.filter
def localized_specific_page(page):
    """`page.specific.localized`, read with the others by
    `localize_chosen_pages` when it was."""
    if page is None:
        return None
    return localize.localized(page, lambda: page.specific.localized)


@register.simple_tag
def localize_chosen_pages(*stream_values):
    """Read the pages chosen in the blocks of `stream_values`, and them in the
    active language, in two queries (home/localize.py), for the
    `localized_page` and `localized_specific_page` filters of their templates
    and for their page choosers (home.blocks.ReadPageChooserBlock), from the
    streams' raw data. Renders nothing."""
    localize.localize_chosen_ids(localize.chosen_page_ids(*stream_values))
    return ""


@register.simple_tag
def read_hero(page):
    """Read the home page's hero link, its live translation in the visitor's
    language (for the `localized_page` filter) and the hero image in one
    query (were one each). Renders nothing; a preview whose choices differ
    from the saved page reads them as before, one at a time."""
    fields = [
        name
        for name in ("hero_link", "hero_image")
        if getattr(page, f"{name}_id", None)
        and not type(page)._meta.get_field(name).is_cached(page)
    ]
    if "hero_link" not in fields or page.pk is None:
        return ""
    saved = (
        localize.with_localized_link(type(page).objects.filter(pk=page.pk), "hero_link")
        .select_related(*fields)
        .first()
    )
    for name in fields:
        if saved is not None and getattr(saved, f"{name}_id") == getattr(page, f"{name}_id"):
            field = type(page)._meta.get_field(name)
            field.set_cached_value(page, getattr(saved, name))
            if name == "hero_link":
                localize.remember_localized_link(saved, name, page.hero_link)
    return ""


# The renditions the home page shows besides its lists' cards (the specs of
# home/home_page.html and blocks/featured_pages_block.html).
HERO_IMAGE_SPEC = "fill-720x480|format-webp"
FEATURED_IMAGE_SPEC = "fill-480x270|format-webp"


# The home page's fragments (home/home_page.html), each with what it shows:
# the content domains besides the site's (`fragment_key`'s `shows`), the
# lists it shows (home/home_lists.py) and whether its key holds the course
# versions of the pages chosen in it (`_chosen_ids`).
HOME_FRAGMENTS = {
    "intro": {"shows": "", "lists": set(), "chosen": True},  # hero, areas
    "courses": {"shows": "courses", "lists": {"sessions", "courses"}, "chosen": False},
    "fund": {"shows": "fund", "lists": {"fund"}, "chosen": False},
    # opportunities, challenges, the featured pages and the rest of the body
    "network": {"shows": "", "lists": {"opportunities", "challenges"}, "chosen": True},
}


def _chosen_ids(page, name):
    """The ids of the pages chosen in the blocks of the home page's fragment
    `name` (read by `localize_chosen_ids`)."""
    if name == "intro":
        return localize.chosen_page_ids(page.areas)
    if name == "network":
        return localize.chosen_page_ids(page.body)
    return []


def _shown_ids(page, name):
    """The ids of the pages the home page's fragment `name` shows: those
    chosen in its blocks, and the hero's link in the hero's."""
    hero = [page.hero_link_id] if name == "intro" and page.hero_link_id else []
    return [*hero, *_chosen_ids(page, name)]


@register.simple_tag(takes_context=True)
def home_fragments(context, page):
    """The keys of the home page's fragments ({name: key}, for its
    `{% cache %}` tags, named "home_<name>"), and, for the fragments the
    cache lacks, what they show read together (`read_home`): after a
    course's change only the course lists are read, where the hero, the
    chosen pages, the opportunities, the challenges and the fund were read
    again too; with every fragment cold, what all of them show is read in
    as many queries as before.

    A fragment that goes from the cache between this look and its own
    `{% cache %}` tag renders anyway: each tag reads what it was not given."""
    request = context["request"]
    keys = {
        name: page_fragment_key(
            request,
            page,
            shows=spec["shows"],
            courses=_shown_ids(page, name) if spec["chosen"] else None,
        )
        for name, spec in HOME_FRAGMENTS.items()
    }
    fragment_keys = {
        name: make_template_fragment_key(f"home_{name}", [key]) for name, key in keys.items()
    }
    kept = _fragment_cache().get_many(list(fragment_keys.values()))
    read_home(page, [name for name, key in fragment_keys.items() if key not in kept])
    return keys


def _fragment_cache():
    """The cache the `{% cache %}` tag keeps fragments in."""
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


def read_home(page, fragments=tuple(HOME_FRAGMENTS)):
    """Read what the home page's `fragments` show: the hero (`read_hero`), the
    pages chosen in its areas and featured blocks (`localize_chosen_pages`),
    its lists (home/home_lists.py, for the tags that show them), and then the
    renditions of every image among them together (home/images.py: one
    query with an empty cache, where each image was one). The fund's
    progress, cold alone, reads its page itself."""
    from courses.catalogue import default_locale_id

    fragments = set(fragments)
    if "intro" in fragments:
        read_hero(page)
    chosen = [pk for name in fragments for pk in _chosen_ids(page, name)]
    shown = localize.localize_chosen_ids(chosen) if chosen else {}
    names = {name for fragment in fragments for name in HOME_FRAGMENTS[fragment]["lists"]}
    lists = {}
    if names - {"fund"}:
        # The new courses' partners are kept per the site's part of the
        # content generation, as the hero's and the network's fragments are:
        # read along when those are cold (the site's part moved, or every
        # cache is empty), left to the cache after a course's change.
        partners = bool(fragments & {"intro", "network"})
        lists = home_lists.read(
            Locale.get_active(), default_locale_id(), timezone.now(), names, partners
        )
    featured = (
        localize.chosen_page_ids(page.body, block_type="featured_pages")
        if "network" in fragments
        else []
    )
    read_renditions(
        [
            *([(page.hero_image, HERO_IMAGE_SPEC)] if "intro" in fragments else []),
            *((shown[pk].listing_image, FEATURED_IMAGE_SPEC) for pk in featured if pk in shown),
            *home_lists.card_renditions(lists),
        ]
    )
