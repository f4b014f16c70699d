"""Which Wagtail Site answers a request, and where every site's home page
is in each language, without a query per request.

Wagtail finds the site of every request with one query
(``get_site_for_hostname``: a CASE over the sites, ordered, with the root
page joined). Sites change almost never, and a saved site or root page
starts a new structure generation (``home.cache``), so the list of sites is
kept in the cache per structure generation, and each request picks its
site from that list in Python by Wagtail's own rules. The cache holds one
entry per generation, whatever Host headers visitors send.

Wagtail's page URLs start from the sites' root paths
(``Site.get_site_root_paths``: every site with its root page in every
language), which it keeps in the cache under a key of its own, forgets
when a site or a site's root page is saved, and reads again with two
queries (the sites, each root page's translations) when the cache has lost
it: after a deploy with a new, empty cache, on every page. Here that list,
kept under Wagtail's key, is built from the sites kept above and the home
pages in every language (``home_pages``), kept per structure generation
too: routing reads those with the pages along the address
(home/routing.py), so a page rendered on an empty cache builds the list
without a query; a view that is not a page (search, the sitemap, feeds)
reads the home pages in one query, and the header's home link reuses them.
"""

from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port

from .cache import structure_generation
from .request_memo import locales_by_code


def all_sites():
    """Every Site with its root page, kept per structure generation, in the
    order of Wagtail's root paths (the most specific root first)."""
    from wagtail.models import Site

    key = f"sites:{structure_generation()}"
    sites = cache.get(key)
    if sites is None:
        sites = list(
            Site.objects.select_related("root_page").order_by(
                "-root_page__url_path", "-is_default_site", "hostname"
            )
        )
        cache.set(key, sites, 3600)
    return sites


def match_site(sites, hostname, port):
    """The site Wagtail's ``get_site_for_hostname(hostname, port)`` returns,
    chosen from `sites`, or None where it raises Site.DoesNotExist: an exact
    hostname and port first, then the hostname on the default site, then the
    only site with the hostname (when one alone has it), then the default."""
    same_host = [site for site in sites if site.hostname == hostname]
    default = next((site for site in sites if site.is_default_site), None)
    for site in same_host:
        if site.port == port:
            return site
    if default is not None and default.hostname == hostname:
        return default
    if len(same_host) == 1:
        return same_host[0]
    return default


def find_for_request(request):
    """Replacement for Wagtail's ``Site._find_for_request``."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return match_site(all_sites(), hostname, request.get_port())


def _homes_key():
    return f"homes:{structure_generation()}"


def root_translation_keys():
    """The translation keys of the sites' root pages."""
    return {site.root_page.translation_key for site in all_sites()}


def kept_home_pages():
    """Every site's root page in every language (live or not, as rows of
    Page, in tree order), when kept for this structure generation; else
    None. Every change to them bumps it (pages of depth 3 or less, a site's
    root page or its translations at any depth: home/structure.py)."""
    return cache.get(_homes_key())


def keep_home_pages(homes):
    """Keep `homes` (the rows of every site's root page in every language,
    read along with something else) for this structure generation."""
    cache.set(_homes_key(), sorted(homes, key=_path), 3600)


def home_pages():
    """Every site's root page in every language (see kept_home_pages), read
    in one query when not kept."""
    homes = kept_home_pages()
    if homes is None:
        from wagtail.models import Page

        homes = list(Page.objects.filter(translation_key__in=root_translation_keys()))
        keep_home_pages(homes)
    return homes


def _path(page):
    return page.path


def site_root_paths():
    """Replacement for Wagtail's ``Site.get_site_root_paths``: the same list,
    kept where Wagtail keeps it (so its own invalidation applies), built
    when missing from the sites and home pages kept per structure
    generation."""
    from wagtail.models.sites import (
        SITE_ROOT_PATHS_CACHE_KEY,
        SITE_ROOT_PATHS_CACHE_VERSION,
        SiteRootPath,
    )

    paths = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    if paths is None:
        paths = _root_paths()
        cache.set(SITE_ROOT_PATHS_CACHE_KEY, paths, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    # (kept as plain tuples, as Wagtail keeps them: a cache may store no named tuples)
    return [SiteRootPath(*path) for path in paths]


def _root_paths():
    """(site id, root path, root URL, language code) for every site and each
    language of its root page, as Wagtail lists them: the sites most
    specific first, each site's root pages in tree order."""
    translated = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    homes = home_pages() if translated else []
    codes = {locale.pk: locale.language_code for locale in locales_by_code().values()}
    paths = []
    for site in all_sites():
        root = site.root_page
        roots = [home for home in homes if home.translation_key == root.translation_key]
        paths += [
            (site.id, page.url_path, site.root_url, codes[page.locale_id])
            for page in (roots if translated else [root])
        ]
    return paths


def install():
    from wagtail.models import Site

    Site._find_for_request = staticmethod(find_for_request)
    if Site.get_site_root_paths is not site_root_paths:
        # Wagtail's own, for the tests that compare the two
        Site.wagtail_get_site_root_paths = staticmethod(Site.get_site_root_paths)
        Site.get_site_root_paths = staticmethod(site_root_paths)
