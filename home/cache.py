"""A whole-site content generation for caches of rendered pages.

Any change to content that public pages show (a page published, a session
edited, a seat taken, a gift confirmed, a snippet or setting saved) bumps one
counter in the cache; cached pages are keyed by it, so they all go stale at
once. Coarse, but always correct, and cheap: a busy day has a few hundred
changes against tens of thousands of page views.
"""

from django.core.cache import cache
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


@receiver(post_save)
@receiver(post_delete)
def _content_changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None or (meta.app_label, meta.model_name) in IGNORED_MODELS:
        return
    bump_content_generation()
