"""The index pages the home page's lists link to ("All courses", "All the
opportunities of the network", "All challenges"), read together.

Each list asked for its own index page in the visitor's language: one query
each, three on the home page. ``index_page`` reads every live, public page
of the three index types in the active and the default language in one
query, once per request (home/request_memo.py), as specific pages with only
the page fields read (``specific(defer=True)``): the lists only link to
them (``pageurl``, ``.url``). The home page reads them with its lists
(home/home_lists.py, ``remember_index_pages``), in the same query.
"""

from django.apps import apps

from wagtail.models import Locale, Page

from .request_memo import remember, remembered

INDEX_MODELS = (
    "courses.CourseIndexPage",
    "partners.OpportunityIndexPage",
    "partners.ChallengeIndexPage",
)


def index_pages(locale_ids):
    """The live, public index pages in `locale_ids`, as a queryset of pages."""
    from django.contrib.contenttypes.models import ContentType

    models = [apps.get_model(label) for label in INDEX_MODELS]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return (
        Page.objects.live()
        .public()
        .filter(content_type__in=list(types.values()), locale_id__in=locale_ids)
    )


def is_index_page(page):
    return page.specific_class in {apps.get_model(label) for label in INDEX_MODELS}


def _by_type(pages):
    found = {}
    for page in sorted(pages, key=lambda page: page.pk):
        found.setdefault((type(page), page.locale_id), page)  # the first, as `.first()`
    return found


def _read(locale_ids):
    return _by_type(index_pages(locale_ids).specific(defer=True))


def index_locale_ids(locale_id=None):
    """The locales whose index pages a request reads: the active one,
    `locale_id` and the default one (for `course_catalogue`'s fallback)."""
    from courses.catalogue import default_locale_id

    active_id = Locale.get_active().pk
    return tuple(sorted({active_id, locale_id or active_id, default_locale_id()}))


def remember_index_pages(locale_ids, pages):
    """Keep `pages` (every page of `index_pages(locale_ids)`, specific, only
    the page fields read) for this request's `index_page` calls, when they
    were read along with something else."""
    remember(("index-pages", locale_ids), _by_type(pages))


def index_page(model_label, locale_id=None):
    """The first live, public page of type `model_label` in the locale
    `locale_id` (the active one by default), or None; with its siblings, in
    one query per request (the default language is read along, for
    `course_catalogue`'s fallback)."""
    locale_id = locale_id or Locale.get_active().pk
    locale_ids = index_locale_ids(locale_id)
    found = remembered(("index-pages", locale_ids), lambda: _read(locale_ids))
    return found.get((apps.get_model(model_label), locale_id))
