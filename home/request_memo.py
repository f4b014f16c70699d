"""Lookups Wagtail repeats many times while one page renders, answered once
per request.

Rendering a page asks for the active ``Locale`` (``Locale.get_active()``,
``page.localized``, ``get_default()``) and for the private sections (every
``.public()`` queryset, and Wagtail's view-restriction check before serving
a page) again and again: one query each time, a dozen or two on the home
page. Both are the same for the whole request, so inside a request
(``RequestMemoMiddleware``) they are read once: every ``Locale`` in one query
(there are as many as languages), every ``PageViewRestriction`` with its
page's path in another. Both lists are also kept in the cache under the
structure generation (home/cache.py), which every change to locales, view
restrictions or the paths of pages bumps, so most requests read neither.
Outside a request (commands, tasks, the shell) nothing changes: they are
read from the database each time.

The memo lives for one request only, so an edit is seen by the next request
in every process; nothing is shared between requests or threads except
through the structure generation. Saving or deleting a locale or a view
restriction inside a request, or anything else that bumps the structure
generation, forgets what was read (``forget``, ``forget_structure``), so
the rest of that request sees the change too.
"""

import contextvars

from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

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


def remember(key, value):
    """Keep `value` under `key` for the rest of the request (nothing outside one)."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def recall(key, default=None):
    """What the request remembered under `key` (`default` if nothing)."""
    memo = _memo.get()
    return default if memo is None else memo.get(key, default)


def is_remembered(key):
    memo = _memo.get()
    return memo is not None and key in memo


def in_request():
    """Whether a request's memo is active (RequestMemoMiddleware)."""
    return _memo.get() is not None


def forget(*keys):
    """Drop what the current request remembered under `keys`."""
    memo = _memo.get()
    if memo is not None:
        for key in keys:
            memo.pop(key, None)


def forget_structure():
    """Drop what the request read that the structure generation covers."""
    forget(("locales",), ("view-restrictions",))


def _kept_for_structure(name, compute):
    """`compute()`, kept in the cache under the structure generation."""
    from .cache import kept, structure_generation

    return kept(f"{name}:{structure_generation()}", compute)


def locales_by_code():
    """{language code: Locale} for every Locale, read once per request (and
    kept per structure generation)."""
    from wagtail.models import Locale

    def read():
        return {locale.language_code: locale for locale in Locale.objects.all()}

    if not in_request():
        return read()
    return _remembered(("locales",), lambda: _kept_for_structure("locales", read))


def remember_locales(locales):
    """Keep `locales` (every Locale) as the request's list (see locales_by_code),
    and in the cache for the structure generation, when they were read along
    with something else."""
    by_code = {locale.language_code: locale for locale in locales}
    remember(("locales",), by_code)
    _kept_for_structure("locales", lambda: by_code)


def locales_known():
    return is_remembered(("locales",))


def locale_by_id(locale_id):
    """The Locale with this id, from the request's list (None if unknown)."""
    return next((loc for loc in locales_by_code().values() if loc.pk == locale_id), None)


def view_restrictions():
    """Every PageViewRestriction, each with its page's path as `page_path`,
    read once per request (and kept per structure generation)."""
    from wagtail.models import PageViewRestriction

    def read():
        return list(PageViewRestriction.objects.annotate(page_path=F("page__path")))

    if not in_request():
        return read()
    return _remembered(
        ("view-restrictions",), lambda: _kept_for_structure("view-restrictions", read)
    )


def restriction_ids_for(page):
    """The ids of the view restrictions that apply to `page` (its own and its
    ancestors'), as Wagtail's Page.get_view_restrictions finds them, worked
    out from the request's list without a query; None when that cannot be
    done exactly: `page`'s ancestors are not all known (they are when
    routing loaded them, see home/routing.py) or one of them is an alias,
    whose source page's restriction would apply."""
    restrictions = view_restrictions()
    if not restrictions:
        return []
    ids, node = set(), page
    while node.depth > 1:
        if node.alias_of_id:
            return None
        ids.add(node.pk)
        if node.depth == 2:
            break
        node = getattr(node, "_cached_parent_obj", None)
        if node is None:
            return None
    root_path = page.path[: page.steplen]
    return [r.pk for r in restrictions if r.page_id in ids or r.page_path == root_path]


def _forget_locales(**kwargs):
    forget(("locales",))


def _forget_restrictions(**kwargs):
    forget(("view-restrictions",))


def install():
    """Wrap LocaleManager.get_for_language and PageQuerySet.private_q."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, PageViewRestriction
    from wagtail.models.i18n import LocaleManager
    from wagtail.query import PageQuerySet

    if getattr(LocaleManager.get_for_language, "request_memo", False):
        return
    get_for_language = LocaleManager.get_for_language

    def memo_get_for_language(self, language_code):
        if not in_request():
            return get_for_language(self, language_code)
        code = get_supported_content_language_variant(language_code)
        try:
            return locales_by_code()[code]
        except KeyError:
            raise Locale.DoesNotExist(f"No Locale for {code!r}") from None

    def memo_private_q(self):
        paths = sorted({r.page_path for r in view_restrictions()})
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])

    memo_get_for_language.request_memo = True
    LocaleManager.get_for_language = memo_get_for_language
    PageQuerySet.private_q = memo_private_q
    for model, receiver in ((Locale, _forget_locales), (PageViewRestriction, _forget_restrictions)):
        post_save.connect(receiver, sender=model, weak=False)
        post_delete.connect(receiver, sender=model, weak=False)
