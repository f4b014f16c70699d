"""Template tags the courses app offers to other templates (the home page,
partner profiles), so that no other app needs to import it."""

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Locale

from home import home_lists, prepared
from home.cache import course_versions, generation
from home.images import read_renditions

from .. import seat_marks
from ..catalogue import (
    CARD_IMAGE_SPEC,
    attach_cards,
    card_queryset,
    clock_key,
    default_locale_id,
    newest_with_dates,
    next_sessions,
)
from ..models import CoursePage

register = template.Library()


@register.simple_tag
def seats(variant, sessions):
    """What sign-ups change about `sessions` (courses/seat_marks.py): a mark
    filled in as the page is served, so no cache keeps it."""
    return seat_marks.mark(variant, sessions)


@register.simple_tag
def course_card(course):
    """The card data of a course: attached by the catalogue, or gathered
    here for a course shown alone (e.g. on its partner's profile)."""
    card = getattr(course, "card", None)
    if card is None:
        attach_cards([course])
        card = course.card
    return card


CARD_TEMPLATE = "courses/includes/course_card.html"


def card_cache_keys(request, ids, clock):
    """{id: key} for the cards of the courses `ids`: a card shows its course
    and the site's content (its partner, topics' names, venues, picture),
    never another course, so it is kept per the site's generation and its
    course's version (home/cache.py): a change to one course leaves the
    other courses' cards warm."""
    site, versions = generation(), course_versions(ids)
    prefix = f"course-card:{site}:{request.get_host()}:{get_language()}:{clock}"
    return {pk: f"{prefix}:{pk}:{versions[pk]}" for pk in ids}


@register.simple_tag(takes_context=True)
def course_cards(context, courses):
    """The cards of `courses` (course pages or their ids), in order.

    A card is the same for every visitor until its course or the site's
    content changes or one of the sessions it counts ends, so each is kept
    per those (`card_cache_keys`), host, language and session clock
    (`catalogue.clock_key`): two cache round trips for all (the versions,
    the cards), and only the cards not kept yet are gathered
    (`attach_cards`) and rendered. A preview renders them afresh."""
    request = context["request"]
    courses = list(courses)
    if not courses:
        return ""
    template = get_template(CARD_TEMPLATE)
    if getattr(request, "is_preview", False):
        pages = _card_pages(courses)
        return mark_safe("".join(_render_card(template, pages[_pk(c)], request) for c in courses))  # noqa: S308
    clock = clock_key()
    keys = card_cache_keys(request, [_pk(course) for course in courses], clock)
    found = cache.get_many(list(keys.values()))
    missing = [course for course in courses if keys[_pk(course)] not in found]
    if missing:
        pages = _card_pages(missing)
        rendered = {keys[pk]: _render_card(template, page, request) for pk, page in pages.items()}
        cache.set_many(rendered, 3600)
        found.update(rendered)
    # Cards are the card template's own output (escaped there).
    return mark_safe("".join(found.get(keys[_pk(course)], "") for course in courses))  # noqa: S308


def _pk(course):
    return course if isinstance(course, int) else course.pk


def _card_pages(courses):
    """{id: course page with its card attached} for `courses` (pages or ids).
    The pictures' renditions of the pages read here come from Wagtail's
    rendition cache (a query only for those it lacks): after a course's
    change its card alone is rendered again, and its picture is as it was."""
    pages = [course for course in courses if not isinstance(course, int)]
    ids = [course for course in courses if isinstance(course, int)]
    if ids:
        # (its SQL compiled once per process for each number of pages)
        ids = sorted(ids)
        read = prepared.rows(("card-pages", len(ids)), _pages_by_id, timezone.now(), *ids)
        read_renditions([(page.listing_image, CARD_IMAGE_SPEC) for page in read])
        pages += read
    attach_cards(pages)
    return {page.pk: page for page in pages}


def _pages_by_id(now, *ids):
    return CoursePage.objects.filter(pk__in=ids).select_related("listing_image")


def _render_card(template, course, request):
    return template.render({"page": course, "request": request})


@register.simple_tag(takes_context=True)
def course_catalogue(context):
    """The catalogue page in the visitor's language (or the Italian one),
    read once per request (the home page's lists each link to it)."""
    from home.index_pages import index_page

    return index_page("courses.CourseIndexPage") or index_page(
        "courses.CourseIndexPage", default_locale_id()
    )


@register.inclusion_tag("courses/includes/upcoming_sessions.html", takes_context=True)
def upcoming_sessions(context, limit=6):
    """The next sessions of any live course, shown with the course in the
    visitor's language when it has been translated (read with the home
    page's other lists, home/home_lists.py, when they were)."""
    locale = Locale.get_active()
    default_id = default_locale_id()
    read = home_lists.recall_list("sessions", locale, limit)
    if read is None:
        sessions = list(next_sessions(default_id).with_seats()[:limit])
        courses = _translations(sessions, locale, default_id)
    else:
        sessions, courses = read
    rows = [
        {
            "session": session,
            "course": courses.get(session.page.translation_key, session.page),
            "italian_only": session.page.translation_key not in courses and locale.pk != default_id,
        }
        for session in sessions
    ]
    return {
        "rows": rows,
        "catalogue": course_catalogue(context),
        "request": context.get("request"),
    }


def _translations(sessions, locale, default_id):
    """{translation key: the live, public course page in `locale`} for the
    courses of `sessions` (none in the default language)."""
    if locale.pk == default_id:
        return {}
    keys = {session.page.translation_key for session in sessions}
    return {
        page.translation_key: page
        for page in CoursePage.objects.live()
        .public()
        .filter(translation_key__in=keys, locale_id=locale.pk)
    }


@register.inclusion_tag("courses/includes/featured_courses.html", takes_context=True)
def featured_courses(context, limit=3):
    """The newest courses that still have dates ahead (their ids, kept per
    content generation, language and session clock; `course_cards` renders
    them)."""
    locale = Locale.get_active()
    default_id = default_locale_id()
    key = f"featured-courses:{generation('courses')}:{locale.pk}:{clock_key()}:{limit}"
    courses = cache.get(key)
    if courses is None:
        # The pages themselves, ready for their cards (`course_cards` reads
        # nothing more for them): read with the home page's other lists
        # when they were, else in one query. The ids are kept.
        courses = home_lists.recall_list("courses", locale, limit)
        if courses is None:
            courses = list(card_queryset(newest_with_dates(locale, default_id)[:limit]))
        cache.set(key, [course.pk for course in courses], 3600)
    return {
        "courses": courses,
        "catalogue": course_catalogue(context),
        "request": context.get("request"),
    }
