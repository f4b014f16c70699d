"""Lookups Wagtail repeats many times while one page renders, answered once
per request.

Rendering a page asks for the active ``Locale`` (``Locale.get_active()``,
``page.localized``, ``get_default()``) and for the list of private sections
(every ``.public()`` queryset) again and again: one query each time, a dozen
or two on the home page. Both are the same for the whole request, so inside a
request (``RequestMemoMiddleware``) the first answer is kept and reused.
Outside a request (commands, tasks, the shell) nothing changes.

The memo lives for one request only, so an edit is seen by the next request
in every process; nothing is shared between requests or threads.
"""

import contextvars

from django.db.models import Q

_memo = contextvars.ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def _remembered(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remembered(key, compute):
    """`compute()`, asked once per request for `key` (each call outside a request)."""
    return _remembered(key, compute)


def install():
    """Wrap LocaleManager.get_for_language and PageQuerySet.private_q."""
    from wagtail.models.i18n import LocaleManager
    from wagtail.query import PageQuerySet

    if getattr(LocaleManager.get_for_language, "request_memo", False):
        return
    get_for_language = LocaleManager.get_for_language

    def memo_get_for_language(self, language_code):
        return _remembered(("locale", language_code), lambda: get_for_language(self, language_code))

    def memo_private_q(self):
        from wagtail.models import PageViewRestriction

        def private_paths():
            return list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())

        q = Q()
        for path in _remembered(("private-paths",), private_paths):
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])

    memo_get_for_language.request_memo = True
    LocaleManager.get_for_language = memo_get_for_language
    PageQuerySet.private_q = memo_private_q
