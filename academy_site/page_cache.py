"""Cache of whole public pages for anonymous visitors.

A rendered page is kept for PAGE_CACHE_SECONDS under a key made of the
content generation (see home.cache), the host, the full path and query
string and the language. A response is cached only when it is a plain 200
for a GET from a visitor without a session, sets no cookie and did not use
the CSRF token (a form page is rendered fresh for each visitor).
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_response_headers
from django.utils.translation import get_language

from home.cache import content_generation

SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/healthz")


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
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
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        generation, host = content_generation(), request.get_host()
        key = f"page:{generation}:{host}:{get_language()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            patch_response_headers(response, cache_timeout=0)
            response["Cache-Control"] = "no-cache"
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
