"""Cache of whole public pages for anonymous visitors.

A rendered page is kept for PAGE_CACHE_SECONDS under a key made of the
host, the full path and query string and the language, together with the
content generation (see home.cache) it was rendered in; it is served only
while that generation is current (both read in one cache round trip). A
response is cached only when it is a plain 200 for a GET from a visitor
without a session and sets no cookie.

Pages with forms that declare it (a course's sign-up form, see
home.cache.allow_cached_form) are cached too: while a page is rendered for
the cache, the CSRF token (and any other value registered with
home.cache.per_visitor) is written as a placeholder; every visitor, on a
miss or a hit, gets the page with its own token filled in, and
django.middleware.csrf.get_token makes CsrfViewMiddleware set the CSRF
cookie on that response exactly as a fresh render would. No JavaScript is
involved, so the form works on any browser.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.cache import has_vary_header, patch_response_headers
from django.utils.functional import lazy
from django.utils.translation import get_language

from courses.seat_marks import filled_page, generations_from
from home.cache import (
    DOMAIN_KEYS,
    GENERATION_KEY,
    PER_VISITOR,
    SEATS_KEY,
    fill_per_visitor,
    generation_from,
    per_visitor,
    per_visitor_value,
    placeholder,
    rendering_for_cache,
)


@per_visitor("csrf")
def _csrf_token(request):
    return get_token(request)


def csrf(request):
    """Context processor replacing Django's built-in `csrf_token`: the real
    token, or its placeholder in a page rendered for the cache."""
    return {"csrf_token": lazy(lambda: per_visitor_value("csrf", request), str)()}


SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/healthz")


# Calendar feeds (/<language>/feeds/...) keep their own cache (courses.feeds):
# they answer conditional requests from a small key and serve their body
# compressed or not by the client's Accept-Encoding. Kept here too, they
# would be a second copy answered 200 to every conditional request.
def _skipped(path):
    return path.startswith(SKIPPED_PREFIXES) or any(
        path.startswith(f"/{code}/feeds/") for code, _name in settings.LANGUAGES
    )


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not _skipped(request.path)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
        # The key does not name the encoding a client accepts.
        and not has_vary_header(response, "Accept-Encoding")
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        # One round trip for the generations and the page: the page is kept
        # with the content generation it was rendered in, and served only if
        # that is still the current one; its places (courses/seat_marks.py)
        # are filled for the seats generation, once per process.
        key = f"page:{request.get_host()}:{get_language()}:{request.get_full_path()}"
        found = cache.get_many([GENERATION_KEY, *DOMAIN_KEYS.values(), SEATS_KEY, key])
        generation = generation_from(found, *DOMAIN_KEYS)
        # The places are kept under what they depend on (courses/seat_marks.py).
        seats = generations_from(found)
        kept = found.get(key)
        if kept is not None and len(kept) == 3 and kept[0] == generation:
            _generation, cached, version = kept
            _fill_seats(cached, filled_page(version, seats, cached.content))
            _fill(cached, request)
            cached["X-Page-Cache"] = "hit"
            return cached
        with rendering_for_cache():
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        if _cacheable_response(request, response) and _forms_allow_caching(request, response):
            patch_response_headers(response, cache_timeout=0)
            response["Cache-Control"] = "no-cache"
            # With its placeholders, under the generation read before rendering:
            # a change made meanwhile leaves it stale on arrival, never served.
            version = uuid.uuid4().hex
            cache.set(key, (generation, response, version), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
            _fill_seats(response, filled_page(version, seats, response.content))
        _fill(response, request)
        return response


def _fill_seats(response, content):
    if content is not None:
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))


def _forms_allow_caching(request, response):
    """A page whose content holds per-visitor placeholders is cached only
    if its forms declared them all (home.cache.allow_cached_form)."""
    if getattr(request, "page_cache_forms_declared", False):
        return True
    return not any(placeholder(name).encode() in response.content for name in PER_VISITOR)


def _fill(response, request):
    """Fill the per-visitor placeholders of `response` for this visitor."""
    if response.streaming:
        return
    content, found = fill_per_visitor(response.content, request)
    if found:
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
