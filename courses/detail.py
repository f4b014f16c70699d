"""What a course page shows, gathered in a fixed number of queries.

Two kinds of data. What is the same for every visitor until someone changes
content (the Italian source page with its sign-up questions, the partner,
the topics, co-organisers and labour needs in the visitor's language, the
image) is kept per the site's generation and the course's version
(home/cache.py; a change to another course leaves it): a page rendered
again costs none of those queries. After a change to the course itself, its
topics, co-organisers and labour needs, which are the site's content, come
from the cache when its links are as they were (`localized_links`). The
sessions and their seats are read at every render (one query, its SQL
compiled once per process: `course_sessions`), so seats and the split
between dates to come and past dates are exact whatever the cache holds. A
preview neither reads nor fills the cache: its draft is not what visitors
see.
"""

from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from wagtail.models import Locale, Page

from home import prepared
from home.cache import course_versions, generation, kept
from home.images import SHARED_IMAGE_SPEC, image_with_renditions, read_renditions
from home.routing import translations_of
from partners.models import LabourNeed, PartnerPage

from .catalogue import (
    clock_key,
    clock_read,
    default_locale_id,
    with_session_clock,
)
from .choices import SessionStatus
from .models import CoursePage, CourseSession, Topic
from .structured_data import as_script, course_json_ld

SOURCE_FIELDS = ("id", "translation_key", "locale_id", "signup_mode")
# The page's picture (courses/course_page.html) and its link preview's.
IMAGE_SPECS = ("fill-960x540|format-webp", SHARED_IMAGE_SPEC)


def localized_related(linked, model, locale, fallback_id=None):
    """The objects of `model` linked (`linked`: their ids, or a subquery of
    them), each replaced by its translation in `locale` where there is one
    (else, with `fallback_id`, in that locale), for pages live and public
    ones only, in the order of the linked objects' own model, in one query;
    with the ids of the linked objects found."""
    if not isinstance(linked, QuerySet) and not linked:
        return [], []
    locales = {locale.pk} if fallback_id is None else {locale.pk, fallback_id}
    found = model.objects.filter(
        Q(pk__in=linked)
        | Q(
            locale_id__in=locales,
            translation_key__in=model.objects.filter(pk__in=linked).values("translation_key"),
        )
    ).annotate(is_linked=ExpressionWrapper(Q(pk__in=linked), output_field=BooleanField()))
    if issubclass(model, Page):
        found = found.live().public()
    found = list(found)
    translated = {obj.translation_key: obj for obj in found if obj.locale_id == fallback_id}
    translated.update({obj.translation_key: obj for obj in found if obj.locale_id == locale.pk})
    linked_found = [obj for obj in found if obj.is_linked]
    return (
        sorted(obj.pk for obj in linked_found),
        [translated.get(obj.translation_key, obj) for obj in linked_found],
    )


# What a course page shows of the content a course links to.
LINKS = {"topics": Topic, "co_organisers": PartnerPage, "labour_needs": LabourNeed}
# Shown in Italian where there is no translation in the visitor's language.
ITALIAN_FALLBACK = {"topics"}


def linked_ids(course):
    """{relation: ids} of what `course` links to (`LINKS`), in one query (a
    row per combination: a course links to a handful of each)."""
    found = {name: set() for name in LINKS}
    for row in CoursePage.objects.filter(pk=course.pk).values_list(*LINKS):
        for name, pk in zip(LINKS, row, strict=True):
            if pk is not None:
                found[name].add(pk)
    return {name: sorted(ids) for name, ids in found.items()}


def localized_links(course, locale, default_id, preview=False):
    """{relation: objects} of what `course` links to (`LINKS`), in `locale`.

    The objects are the site's content, not the course's: they are kept per
    the site's generation, with the ids they were read for. Read again
    after a change to the course (its version moved, so its facts are
    cold), the links' ids are read (one query) and, if they are the same,
    the objects kept are shown: a publish that leaves a course's
    topics, co-organisers and labour needs as they were costs no more
    queries for them. Found cold (the site's content changed, or the cache
    was emptied), each relation is read with its ids' subquery (one query
    each), as without the cache. A preview reads its draft's links, kept in
    memory, and neither reads nor fills the cache."""

    def read(linked):
        ids, links = {}, {}
        for name, model in LINKS.items():
            fallback_id = default_id if name in ITALIAN_FALLBACK else None
            ids[name], links[name] = localized_related(linked[name], model, locale, fallback_id)
        return ids, links

    if preview:
        return read({name: [obj.pk for obj in getattr(course, name).all()] for name in LINKS})[1]
    key = f"course:links:{generation()}:{course.pk}:{locale.pk}"
    kept = cache.get(key)
    if kept is None:
        ids, links = read({name: getattr(course, name).all().values("pk") for name in LINKS})
    else:
        ids = linked_ids(course)
        if ids == kept[0]:
            return kept[1]
        links = read(ids)[1]
    cache.set(key, (ids, links), 3600)
    return links


def source_page(course, default_id, routed=()):
    """The Italian page holding the sessions (None if it is gone): among
    `routed` (the course's translations routing read, home/routing.py) when
    it was read there as a course page with its image, as after a change
    to the course."""
    if course.locale_id == default_id:
        return course
    image = CoursePage.listing_image.field
    for row in routed:
        if (
            row.locale_id == default_id
            and isinstance(row, CoursePage)
            and (row.listing_image_id is None or image.is_cached(row))
        ):
            return row
    return (
        CoursePage.objects.filter(translation_key=course.translation_key, locale_id=default_id)
        .only(*SOURCE_FIELDS, "listing_image")
        .select_related("listing_image")  # most often the translation's image too
        .first()
    )


def course_facts(course, locale, default_id, preview=False, routed=()):
    """What the page shows besides its sessions, the same for every visitor
    (`routed`: the course's translations routing read)."""
    parent = getattr(course, "_cached_parent_obj", None)  # found by HomePage.route
    if parent is None or parent.path != course.path[: -Page.steplen]:
        parent = Page.objects.filter(path=course.path[: -Page.steplen]).first()
    links = localized_links(course, locale, default_id, preview)
    source = source_page(course, default_id, routed)
    questions = None
    if source is not None:
        prefetch_related_objects([source], "signup_questions")
        questions = source._prefetched_objects_cache["signup_questions"]
    if (
        source is not None
        and source is not course
        and source.listing_image_id == course.listing_image_id
    ):
        image = source.listing_image  # read with the source page
        read_renditions([(image, spec) for spec in IMAGE_SPECS])
    elif course.listing_image_id:
        image = image_with_renditions(course.listing_image_id, *IMAGE_SPECS)
    else:
        image = None
    return {
        "source": None if source is course else source,
        "questions": questions,  # for the sign-up form (a queryset with its results)
        "partner": parent if parent is not None and parent.specific_class is PartnerPage else None,
        "topics": links["topics"],
        "co_organisers": links["co_organisers"],
        "labour_needs": links["labour_needs"],
        "image": image,
    }


def cached_course_facts(course, request, locale, default_id):
    """`course_facts`, kept per the site's generation and the course's
    version: what they show of other pages (the partner, co-organisers,
    topics, labour needs, the picture) is the site's content, so a change to
    another course leaves them warm (home/cache.py)."""
    if getattr(request, "is_preview", False):
        return course_facts(course, locale, default_id, preview=True)
    version = course_versions([course.pk])[course.pk]
    return kept(
        f"course:facts:{generation()}:{course.pk}:{version}:{locale.pk}",
        lambda: course_facts(
            course, locale, default_id, routed=translations_of(request, course) or ()
        ),
    )


def course_sessions(source, now):
    """The sessions of the course whose Italian page is `source` (None: gone)
    with their seats, in order (`CoursePage.get_sessions`), as a list; the
    session clock worked out by the same query when it is not kept. Read at
    every render of a course page: its SQL is compiled once per process,
    with the course's id as an input (home/prepared.py), where building and
    compiling the queryset took about four times as long as the database
    took to answer it."""
    if source is None:
        return []

    def read(clock_known):
        def build(now, page_id):
            sessions = (
                CourseSession.objects.with_seats()
                .filter(page_id=page_id)
                .select_related("venue")
                .order_by("start", "sort_order")
            )
            return sessions if clock_known else with_session_clock(sessions, now)

        return prepared.rows(("course-sessions", clock_known), build, now, source.pk)

    return clock_read(read, now)


def course_page_context(course, request):
    active = Locale.get_active()  # remembered for the request (home/request_memo.py)
    locale = active if active.pk == course.locale_id else course.locale
    default_id = default_locale_id()
    facts = cached_course_facts(course, request, locale, default_id)
    if course.locale_id != default_id:
        course.__dict__["source_page"] = facts["source"]  # CoursePage.source_page, known
    source = course.source_page
    if source is not None and facts["questions"] is not None:
        source.__dict__.setdefault("_prefetched_objects_cache", {})
        source._prefetched_objects_cache["signup_questions"] = facts["questions"]
    if facts["image"] is not None and facts["image"].pk == course.listing_image_id:
        CoursePage.listing_image.field.set_cached_value(course, facts["image"])
    now = timezone.now()
    sessions = course_sessions(source, now)  # seats exact at every render
    for session in sessions:
        session.page = source  # read by the sign-up form (signup_tags), loaded once
    partner = facts["partner"]
    upcoming = [s for s in sessions if s.end >= now]
    past = [s for s in sessions if s.end < now]
    venues = {s.venue_id: s.venue for s in sessions if s.venue_id and s.venue.accessibility}
    return {
        "sessions": sessions,
        "upcoming_sessions": upcoming,
        "past_sessions": past,
        "open_sessions": [s for s in upcoming if s.status == SessionStatus.SCHEDULED],
        "partner": partner,
        "topics": facts["topics"],
        "co_organisers": facts["co_organisers"],
        "labour_needs": facts["labour_needs"],
        "venues_with_access_notes": list(venues.values()),
        "italian_only": course.locale_id != active.pk,
        # What the dates shown depend on besides content (courses/catalogue.py).
        "clock": clock_key(now),
        "json_ld": as_script(course_json_ld(course, sessions, partner, request, facts["topics"])),
    }
