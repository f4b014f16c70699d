"""Which Wagtail Site answers a request, without a query per request.

Wagtail finds the site of every request with one query
(``get_site_for_hostname``: a CASE over the sites, ordered, with the root
page joined). Sites change almost never, and a saved site or root page
starts a new structure generation (``home.cache``), so the list of sites is
kept in the cache per structure generation, and each request picks its site from that
list in Python by Wagtail's own rules. The cache holds one entry per
generation, whatever Host headers visitors send.
"""

from django.core.cache import cache
from django.http.request import split_domain_port

from .cache import structure_generation


def all_sites():
    """Every Site with its root page, kept per structure generation."""
    from wagtail.models import Site

    key = f"sites:{structure_generation()}"
    sites = cache.get(key)
    if sites is None:
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
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


def install():
    from wagtail.models import Site

    Site._find_for_request = staticmethod(find_for_request)
