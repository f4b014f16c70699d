"""Finding the page at an address: one query for the pages, one for the page
served.

Wagtail routes a request from the site's root page: that page in the
visitor's language (a query), its specific page (another), then for every
level of the address the child by slug and its specific page (two more); its
check of view restrictions reads the ancestors again, and the language links
read the page's translations. Here one query reads the home page in every
language, every page along the address (by ``url_path``, below the home
page's address in the visitor's language) and every translation of each of
them; the page served is then made specific (one query). Those rows, with
the page served made specific, are kept per the site's part of the content
generation (any page saved or deleted starts a new one, but a course,
whose change moves its version: the versions of the courses among the rows
are kept with them and checked) for the addresses that end on a page,
as read, before the page's view has run: a page rendered again is routed
without a query, and a made-up address keeps nothing. After a course's
change only that course's rows are read again, with all its translations,
as specific pages with their images: one query (``_refreshed``). The home
page in every language (every site's, when there are several) is kept in the cache
per structure generation (``home.sites.home_pages``, which Wagtail's page
URLs are worked out from too), so the home page itself is routed without a
query for the pages, and every other page without reading the home pages
again. The rest is Wagtail's routing as it is: a page whose type routes on
its own (RoutablePageMixin: a course's sign-up pages, a challenge's form)
gets the rest of the address, a page that is not live is a 404, and an
address this lookup does not find ends in Wagtail's own routing (a 404, or
a page whose ``url_path`` is out of date).

``RoutingMiddleware`` runs it just before Wagtail's page view and leaves
the result where Wagtail keeps it (``request._wagtail_route_for_request``),
so ``wagtail.views.serve`` and everything else asking ``Page.route_for_request``
use it. Each page found knows its parent (as after Wagtail's routing), which
lets the view restrictions be checked without a query (home/request_memo.py);
the ancestors are the breadcrumbs (``request.route_ancestors``) and the
translations are what the language links show (``translations_of``).
"""

import hashlib

from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, Site

from . import prepared, sites
from .cache import course_versions, courses_mark, generation, versions_since
from .request_memo import in_request, locale_by_id, locales_known, remember_locales


def _relative_paths(components):
    return ["/".join(components[:n]) + "/" for n in range(1, len(components) + 1)]


def walk(home, request, components, found):
    """Route `components` down from `home` through `found` ({url_path:
    page}), as Page.route would, and note the ancestors for the breadcrumbs."""
    parent, ancestors = home, [home]
    for n, relative in enumerate(_relative_paths(components), start=1):
        page = found.get(home.url_path + relative)
        if page is None or page.path[: -Page.steplen] != parent.path:
            break  # (the path holds the depth: a page one level below `parent`)
        page._cached_parent_obj = parent
        remaining = components[n:]
        page_class = page.specific_class
        if not remaining or page_class is None or page_class.route is not Page.route:
            request.route_ancestors = ancestors  # for the breadcrumbs (site_tags)
            return with_images(page).route(request, remaining)
        parent = page
        ancestors.append(page)
    request.route_ancestors = ancestors[:1]
    if parent is home:  # the home page itself, or Wagtail's routing by slug (a 404)
        return Page.route(home.specific, request, components)
    return parent.specific.route(request, components[parent.depth - home.depth :])


def with_images(page):
    """`page.specific`, read as Wagtail reads it (``get_specific``: one
    query, the page's attributes copied over), with the images the page
    shows (its foreign keys to images: a listing image for link previews, a
    logo, a hero) joined, where each was one query more when the template
    asked for it. Kept with the routing rows, they cost nothing when the page
    is rendered again. The query's SQL is compiled once per process for
    each page type, with the page's id as its input (home/prepared.py)."""
    model = page.specific_class
    if "specific" in page.__dict__ or model is None or isinstance(page, model):
        return page.specific
    images = _image_fields(model)

    def build(now, pk):
        found = model._default_manager.filter(id=pk)
        return found.select_related(*images) if images else found

    # (its SQL compiled once per process for each page type)
    found = prepared.rows(("routing-specific", model._meta.label), build, timezone.now(), page.id)
    if not found:
        raise model.DoesNotExist(f"{model._meta.object_name} {page.id} is gone")
    specific = found[0]
    for name, value in page.__dict__.items():
        specific.__dict__.setdefault(name, value)  # as get_specific does
    page.__dict__["specific"] = specific
    return specific


def pages_along(home, components):
    """{url_path: page} for the pages along `components` below `home`."""
    urls = [home.url_path + relative for relative in _relative_paths(components)]
    if not urls:
        return {}
    pages = Page.objects.filter(url_path__in=urls, path__startswith=home.path)
    return {page.url_path: page for page in pages}


class RoutingMiddleware:
    """Route Wagtail's page requests here, before its view asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail import views as wagtail_views

        from . import views

        if view_func in (views.serve, wagtail_views.serve):
            route_for_request(request, view_args[0] if view_args else view_kwargs["path"])


def route_for_request(request, path):
    """Page.route_for_request, in two queries after the site's (see above)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            request._wagtail_route_for_request = _route(request, path)
        except Http404:
            request._wagtail_route_for_request = None
    return request._wagtail_route_for_request


def _route(request, path):
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    homes = sites.kept_home_pages()
    if homes is not None:
        homes = [row for row in homes if row.translation_key == root.translation_key]
    # (_home_urls reads the request's locales along, when they are still unread)
    home_urls = _home_urls(root) if homes is None else _urls_of(homes, root)
    locale = Locale.get_active()
    components = [component for component in path.split("/") if component]
    rows_key = _rows_key(root, locale, components)
    # (not kept when the site's root pages are not: the rows are read with them)
    rows, changed = (None, ()) if homes is None else _current(cache.get(rows_key))
    fresh = rows is None or bool(changed)
    if fresh:
        mark = courses_mark()
    if changed:
        rows = _refreshed(rows, changed)
    if rows is None:
        rows = _read_rows(root, homes, home_urls.get(locale.pk, root.url_path), components)
    translations = {}
    for row in rows:
        row.locale = locale_by_id(row.locale_id) or row.locale
        translations.setdefault(row.translation_key, []).append(row)
    request._route_translations = translations
    homes = {row.locale_id: row for row in translations.get(root.translation_key, [])}
    home = homes.get(locale.pk)
    if home is None or not home.live:
        home = homes.get(root.locale_id)
    if home is None:  # the site's root page is not where it should be
        return root.localized.specific.route(request, components)
    found = {row.url_path: row for row in rows if row.path.startswith(home.path)}
    routed = walk(home, request, components, found)
    if fresh and _is_page_at(routed, home.url_path + _relative(components)):
        # With the page served made specific (Page.specific, kept on its row),
        # before its view has touched it, and the versions of the courses
        # among the rows (unless a course changed while they were read).
        versions = versions_since(mark, _course_ids(rows))
        if versions is not None:
            cache.set(rows_key, (versions, rows), 3600)
    return routed


def _course_ids(rows):
    """The ids of the course pages among `rows` (home/cache.py: their changes
    move their versions, not the site's generation)."""
    return [
        row.pk for row in rows if getattr(row.specific_class, "cache_domain", None) == "courses"
    ]


def _current(kept):
    """The rows kept (None: none), and the ids of the courses among them
    that changed since they were read (their versions moved)."""
    if kept is None:
        return None, ()
    versions, rows = kept
    if not versions:
        return rows, ()
    now = course_versions(list(versions))
    return rows, {pk for pk, version in versions.items() if now.get(pk) != version}


def _refreshed(rows, changed):
    """`rows` with the courses among them that changed (`changed`: their
    ids) read again, each with all its translations, as their specific
    pages with their images (`with_images`): one query, where reading every
    row again and then the page served was two. None when they are not all
    pages of one type (read every row again)."""
    stale = [row for row in rows if row.pk in changed]
    model = stale[0].specific_class if stale else None
    if model is None or any(row.specific_class is not model for row in stale):
        return None
    images = _image_fields(model)

    def build(now, *ids):
        keys = Page.objects.filter(pk__in=ids).values("translation_key")
        found = model._default_manager.filter(translation_key__in=keys)
        return found.select_related(*images) if images else found

    # (its SQL compiled once per process for each model and number of ids:
    # compiling it took longer than the two queries it replaces)
    ids = sorted(row.pk for row in stale)
    shape = ("routing-refresh", model._meta.label, len(ids))
    found = prepared.rows(shape, build, timezone.now(), *ids)
    keys = {row.translation_key for row in stale} | {row.translation_key for row in found}
    return sorted([row for row in rows if row.translation_key not in keys] + found, key=_path)


def _read_rows(root, homes, home_url, components):
    """The rows of Page routing needs (see above): the site's root page in
    every language (with every site's home pages, read here when `homes`
    are not kept), every page along `components` below `home_url`, and
    their translations, by path."""
    # Every site's home pages, when not kept (kept for Wagtail's URLs too)
    root_keys = sites.root_translation_keys() if homes is None else set()
    wanted = Q(translation_key__in=root_keys) if homes is None else Q(pk__in=[])
    if components:
        urls = [home_url + relative for relative in _relative_paths(components)]
        keys = Page.objects.filter(url_path__in=urls).values("translation_key")
        wanted |= Q(url_path__in=urls) | Q(translation_key__in=Subquery(keys))
    rows = list(Page.objects.filter(wanted)) if homes is None or components else []
    if homes is None:
        sites.keep_home_pages([row for row in rows if row.translation_key in root_keys])
        return rows
    known = {row.pk for row in homes}
    return sorted(homes + [row for row in rows if row.pk not in known], key=_path)


def _image_fields(model):
    """The names of `model`'s foreign keys to images."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and issubclass(field.related_model, AbstractImage)
    ]


def _relative(components):
    return "".join(f"{component}/" for component in components)


def _is_page_at(routed, url_path):
    """Whether routing ended on the page at `url_path` itself (not on a page
    above it routing the rest on its own, nor nowhere)."""
    return routed is not None and routed[0].url_path == url_path


def _rows_key(root, locale, components):
    """The rows read for an address, kept per the site's generation (any
    saved or deleted page but a course starts a new one; the courses among
    the rows are checked against their versions, `_current`) under a digest of the address: only
    addresses that end on a page are kept, so made-up addresses add
    nothing to the cache."""
    digest = hashlib.blake2b(_relative(components).encode(), digest_size=16).hexdigest()
    return f"routing:rows:{generation()}:{root.pk}:{locale.pk}:{digest}"


def _path(page):
    return page.path


def _urls_of(homes, root):
    """{locale id: url_path} of the live pages among `homes`, and the root
    page's own."""
    urls = {home.locale_id: home.url_path for home in homes if home.live}
    urls[root.locale_id] = root.url_path
    return urls


def _home_urls(root):
    """{locale id: url_path} of the live translations of the site's root page
    (Page.localized), read when the site's root pages are not kept: with
    them the pages along an address are asked for by their plain
    `url_path`. When the request has not read its locales yet, both are
    read in one query (every Locale with the root page's address in it)."""
    homes = Page.objects.filter(translation_key=root.translation_key, live=True)
    if in_request() and not locales_known():
        here = homes.filter(locale=OuterRef("pk")).values("url_path")[:1]
        locales = list(Locale.objects.annotate(home_url=Subquery(here)))
        urls = {loc.pk: loc.__dict__.pop("home_url") for loc in locales}
        urls = {pk: url for pk, url in urls.items() if url is not None}
        remember_locales(locales)  # home/request_memo.py: for Locale.get_active() and the rest
    else:
        urls = dict(homes.values_list("locale_id", "url_path"))
    urls[root.locale_id] = root.url_path
    return urls


def translations_of(request, page):
    """The live translations of `page` (itself included) that routing read,
    each with its locale; None when routing did not read them."""
    known = getattr(request, "_route_translations", None)
    if not known or page.translation_key not in known:
        return None
    return [row for row in known[page.translation_key] if row.live]
