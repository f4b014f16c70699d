"""Django's LocaleMiddleware, minus one redirect.

Django answers a 404 on a path without a language prefix by redirecting to
the same path under /it/ when that would match something; with Wagtail's
catch-all inside `i18n_patterns` it always would. That is right for a page
address typed without its prefix (/corsi/ → /it/corsi/), wrong for the
language-neutral URLs outside `i18n_patterns`: an API client asking for
/api/v2/courses/999/ must get a 404, not a redirect to an HTML page. So a 404
stays a 404 when a view outside `i18n_patterns` gave it (the URL resolved)
or when the path is under a language-neutral prefix (/api/, /donations/...)."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# The URLs outside `i18n_patterns` that are a tree of their own (urls.py).
NEUTRAL_PREFIXES = ("/api/", "/admin/", "/django-admin/", "/documents/", "/donations/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and (
            request.path_info.startswith(NEUTRAL_PREFIXES)
            or getattr(request, "resolver_match", None) is not None
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
