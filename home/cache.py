"""A whole-site content generation for caches of rendered pages.

Any change to content that public pages show (a page published, a session
edited, a seat taken, a gift confirmed, a snippet or setting saved) bumps one
counter in the cache; cached pages are keyed by it, so they all go stale at
once. Coarse, but always correct, and cheap: a busy day has a few hundred
changes against tens of thousands of page views.
"""

import contextvars

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

GENERATION_KEY = "content-generation"

# Saves that change nothing the public sees.
IGNORED_MODELS = {
    ("sessions", "session"),
    ("admin", "logentry"),
    ("auth", "user"),
    ("wagtailcore", "pagelogentry"),
    ("wagtailcore", "modellogentry"),
    ("wagtailcore", "revision"),
    ("wagtailcore", "pagesubscription"),
    ("wagtailcore", "workflowstate"),
    ("wagtailcore", "taskstate"),
    ("wagtailsearch", "indexentry"),
    ("wagtailsearch", "query"),
    ("wagtailsearch", "querydailyhits"),
    ("wagtailimages", "rendition"),
    ("wagtailcore", "referenceindex"),
    ("wagtailadmin", "editingsession"),
    ("wagtailusers", "userprofile"),
    # Queued background tasks (django-tasks-db): queued, claimed, finished.
    ("django_tasks_database", "dbtaskresult"),
}


def content_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_content_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _bump_on_commit():
    bump_content_generation()


def bump_content_generation_now_and_on_commit():
    """Bump at once and, inside a transaction, once more when it commits: a
    page rendered by another request between the change and the commit saw
    the old data and must not stay cached under the new generation."""
    pending = _bumps_held.get()
    if pending is not None:
        pending.append(True)
        return
    bump_content_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is _bump_on_commit for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump_on_commit)


_bumps_held = contextvars.ContextVar("content_generation_bumps_held", default=None)


class bumps_held_back:
    """Context manager for bulk changes (the demo loader): the changes made
    inside it bump the generation once, when it ends, instead of at every
    save."""

    def __enter__(self):
        self._token = _bumps_held.set([])

    def __exit__(self, *exc):
        pending = _bumps_held.get()
        _bumps_held.reset(self._token)
        if pending:
            bump_content_generation_now_and_on_commit()


# Values that differ for every visitor (the CSRF token, a form's start time)
# in pages otherwise shared through the whole-page cache: while a page is
# rendered for the cache they are written as placeholders, and each visitor
# gets them filled in when the page is served (academy_site/page_cache.py).
# A page with such placeholders is cached only when its form declared it
# safe (allow_cached_form).
PER_VISITOR = {}  # name -> function(request) giving the value
_rendering_for_cache = contextvars.ContextVar("rendering_for_page_cache", default=False)


def per_visitor(name):
    """Register `function(request)` as the maker of the per-visitor value `name`."""

    def register(function):
        PER_VISITOR[name] = function
        return function

    return register


def placeholder(name):
    return f"per-visitor-{name}-placeholder"


def per_visitor_value(name, request=None):
    """The value `name` for this visitor, or its placeholder in a page being
    rendered for the shared cache."""
    if _rendering_for_cache.get():
        return placeholder(name)
    return PER_VISITOR[name](request)


def is_rendering_for_cache():
    return _rendering_for_cache.get()


class rendering_for_cache:
    """Context manager: what renders inside it goes to the shared cache."""

    def __enter__(self):
        self._token = _rendering_for_cache.set(True)

    def __exit__(self, *exc):
        _rendering_for_cache.reset(self._token)


def allow_cached_form(request):
    """Declare that the forms on this page differ between visitors only by
    registered per-visitor values, so the page may be cached. Pages with
    a CSRF placeholder that nobody declared (a form with its own one-off
    values, e.g. the donation form's attempt id) are never cached."""
    request.page_cache_forms_declared = True


def fill_per_visitor(content, request):
    """`content` (bytes) with its placeholders filled for this visitor, and
    the names found."""
    found = []
    for name, make in PER_VISITOR.items():
        marker = placeholder(name).encode()
        if marker in content:
            found.append(name)
            content = content.replace(marker, str(make(request)).encode())
    return content, found


@receiver(post_save)
@receiver(post_delete)
def _content_changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None or (meta.app_label, meta.model_name) in IGNORED_MODELS:
        return
    bump_content_generation_now_and_on_commit()
