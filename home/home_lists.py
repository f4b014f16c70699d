"""What the home page's lists show, read together after a content change.

The lists (next sessions, new courses, the fund, opportunities closing
soon, open challenges) and the three index pages they link to were read one
query at a time, with the session clock and the new courses' sessions and
partners for their cards: ten queries in Italian, eleven in English (the
courses of the next sessions in the visitor's language). ``read`` asks for
them in two:

- the next sessions and every session of the new courses (for their cards,
  ``catalogue.remember_card_sessions``), with the session clock worked out
  in the same query (``catalogue.with_session_clock``) when it is not kept;
- every page the lists show, in one query: each list keeps its own
  conditions as a subquery of ids (its app's queryset, so ``.live()
  .public()``, the visitor's language and what "open" means are decided in
  one place), the rows come specific (each page type's table joined, as
  ``search.engine.specific_pages`` does), and one ORDER BY holds each list's
  own order (`_order`: the keys of one list are NULL on the rows of the
  others). The new courses' partners come along (kept for their cards,
  ``catalogue.keep_many``), and so do the index pages
  (``index_pages.remember_index_pages``) and, in another language than
  Italian, the translations of the next sessions' courses.

The cards' pictures (`card_renditions`) are read by the home page with its
other images (``home.images.read_renditions``).

The cards' topics are still read by the cards (``catalogue.attach_cards``).
The request remembers each list (home/request_memo.py) for the tag that
shows it; a tag whose list was not read (another limit) reads it alone, as
before.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Q,
    When,
)

from wagtail.models import Page

from .index_pages import index_locale_ids, index_pages, is_index_page, remember_index_pages
from .request_memo import recall, remember

SESSIONS = 6
OPPORTUNITIES = 3
CHALLENGES = 3
NEW_COURSES = 3


def _key(name, locale, limit=None):
    return ("home-list", name, locale.pk, limit)


def recall_list(name, locale, limit=None):
    """The list `name` as `read` found it for `locale` in this request, or
    None when it was not read (or not for `limit` items)."""
    return recall(_key(name, locale, limit))


def _order():
    """Each list's own order, in one ORDER BY: opportunities by deadline,
    then title; challenges by closing time; new courses newest first; then
    the id (the index pages by it alone, every other list last)."""
    return [
        F("opportunitypage__deadline").asc(),
        Case(When(opportunitypage__isnull=False, then=F("title"))).asc(),
        F("challengepage__closes_at").asc(),
        Case(When(is_new_course=True, then=F("first_published_at"))).desc(),
        F("pk").asc(),
    ]


def _child(page, link):
    """The specific row joined to `page` through `link`, or None."""
    try:
        return getattr(page, link)
    except ObjectDoesNotExist:
        return None


def _sessions(locale, default_id, now):
    """The next sessions and every session of the new courses (for their
    cards), in one query; with the session clock when it is not kept."""
    from courses.catalogue import newest_with_dates, next_sessions, with_clock_read
    from courses.models import CourseSession

    next_ids = next_sessions(default_id, now).values("pk")[:SESSIONS]
    new_keys = newest_with_dates(locale, default_id, now).values("translation_key")[:NEW_COURSES]
    sessions = (
        CourseSession.objects.with_seats()
        .filter(
            Q(pk__in=next_ids) | Q(page__translation_key__in=new_keys, page__locale_id=default_id)
        )
        .select_related("venue", "page")
        .annotate(
            course_key=F("page__translation_key"),
            is_next=ExpressionWrapper(Q(pk__in=next_ids), output_field=BooleanField()),
        )
        .order_by("start", "sort_order", "pk")
    )
    return with_clock_read(sessions, now)


def _wanted(locale, default_id, now, session_keys):
    """The condition on pages that every list's pages meet, and the new
    courses' ids (a subquery)."""
    from courses.catalogue import newest_with_dates
    from donations.progress import fund_pages
    from partners.challenge_index import open_calls
    from partners.opportunity_listing import closing_soon_queryset

    new_courses = newest_with_dates(locale, default_id, now)
    new_ids = new_courses.values("pk")[:NEW_COURSES]
    wanted = (
        Q(pk__in=closing_soon_queryset(locale, now).values("pk")[:OPPORTUNITIES])
        | Q(pk__in=open_calls(locale, now).values("pk")[:CHALLENGES])
        | Q(pk__in=fund_pages(locale).values("pk")[:1])
        | Q(pk__in=new_ids)
        | Q(
            partnerpage__isnull=False,
            path__in=new_courses.values("parent_path")[:NEW_COURSES],
        )
        | Q(pk__in=index_pages(index_locale_ids()).values("pk"))
    )
    if session_keys:
        translated = Page.objects.live().public().filter(locale_id=locale.pk)
        wanted |= Q(pk__in=translated.filter(translation_key__in=session_keys).values("pk"))
    return wanted, new_ids


def _pages(locale, default_id, now, session_keys):
    from partners.opportunity_listing import parent_title

    wanted, new_ids = _wanted(locale, default_id, now, session_keys)
    return list(
        Page.objects.filter(wanted)
        .select_related(
            "locale",
            "opportunitypage",
            "challengepage__listing_image",
            "donationpage",
            "coursepage__listing_image",
            "partnerpage__logo",
        )
        .annotate(
            is_new_course=ExpressionWrapper(Q(pk__in=new_ids), output_field=BooleanField()),
            parent_title=parent_title(),
        )
        .order_by(*_order())
    )


def _split(rows, locale):
    """The rows of `_pages`, list by list."""
    lists = {
        "opportunities": [],
        "challenges": [],
        "fund": [],
        "courses": [],
        "translations": {},
        "partners": {},
        "index": [],
    }
    for row in rows:
        if (page := _child(row, "opportunitypage")) is not None:
            page.locale = row.locale
            page.partner_title = row.parent_title
            lists["opportunities"].append(page)
        elif (page := _child(row, "challengepage")) is not None:
            page.locale = row.locale
            lists["challenges"].append(page)
        elif (page := _child(row, "donationpage")) is not None:
            lists["fund"].append(page)
        elif (page := _child(row, "coursepage")) is not None:
            if row.is_new_course:
                lists["courses"].append(page)
            if row.locale_id == locale.pk:
                lists["translations"][row.translation_key] = page
        elif (page := _child(row, "partnerpage")) is not None:
            lists["partners"][row.path] = page
        elif is_index_page(row):
            lists["index"].append(row.specific_deferred)
    return lists


def read(locale, default_id, now):
    """Read the home page's lists for `locale` (see the module's docstring),
    remember them for this request's tags and return them ({name: list})."""
    from courses.catalogue import SITE_ONLY, keep_many, remember_card_sessions

    sessions = _sessions(locale, default_id, now)
    next_ones = [session for session in sessions if session.is_next]
    session_keys = (
        sorted({session.course_key for session in next_ones}) if locale.pk != default_id else []
    )
    lists = _split(_pages(locale, default_id, now, session_keys), locale)
    courses = lists["courses"]
    parents = {course.path[: -Page.steplen] for course in courses}
    keep_many("partner", {path: lists["partners"].get(path) for path in parents}, SITE_ONLY)
    remember_card_sessions({course.translation_key for course in courses}, default_id, sessions)
    remember_index_pages(index_locale_ids(), lists["index"])
    found = lists["translations"]
    translations = {key: found[key] for key in session_keys if key in found}
    found = {
        ("sessions", SESSIONS): (next_ones, translations),
        ("courses", NEW_COURSES): courses,
        ("opportunities", OPPORTUNITIES): lists["opportunities"],
        ("challenges", CHALLENGES): lists["challenges"],
        ("fund", None): lists["fund"],
    }
    for (name, limit), value in found.items():
        remember(_key(name, locale, limit), value)
    return {name: value for (name, _limit), value in found.items()}


def card_renditions(lists):
    """(image, spec) of each card image the lists `read` returned show, for
    ``home.images.read_renditions``: the new courses' and the open
    challenges' pictures."""
    return [
        (page.listing_image, type(page).listing_card_image_spec)
        for page in (*lists["courses"], *lists["challenges"])
    ]
