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
  others). The new courses' partners come along when asked for (kept for
  their cards, ``catalogue.keep_many``: the home page asks only when the
  site's part of the content generation moved), and so do the index pages
  (``index_pages.remember_index_pages``) and, in another language than
  Italian, the translations of the next sessions' courses.

The cards' pictures (`card_renditions`) are read by the home page with its
other images (``home.images.read_renditions``).

The cards' topics are still read by the cards (``catalogue.attach_cards``).
The request remembers each list (home/request_memo.py) for the tag that
shows it; a tag whose list was not read (another limit) reads it alone, as
before.

The home page asks only for the lists of its fragments that are not kept
(``names``: after a course's change, the next sessions and the new courses,
not the opportunities, challenges and fund); each list's conditions, and
the first query, are left out when their list is not asked for. The SQL of
each query is compiled once per process for each set of lists, language and
state of the session clock (home/prepared.py), and run with the request's
time.
"""

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)

from wagtail.models import Page

from . import prepared
from .index_pages import (
    INDEX_MODELS,
    index_locale_ids,
    index_pages,
    is_index_page,
    remember_index_pages,
)
from .prepared import hidden_inputs
from .request_memo import recall, remember

SESSIONS = 6
OPPORTUNITIES = 3
CHALLENGES = 3
NEW_COURSES = 3
# Every list `read` can read; the next sessions and the new courses are read
# together (the first query), the others each as a condition of the second.
NAMES = frozenset({"sessions", "courses", "opportunities", "challenges", "fund"})
COURSE_LISTS = frozenset({"sessions", "courses"})
# The page type each list shows, joined to its rows (select_related).
JOINS = {
    "opportunities": "opportunitypage",
    "challenges": "challengepage__listing_image",
    "fund": "donationpage",
}
JOINED = frozenset(
    {"opportunitypage", "challengepage", "donationpage", "coursepage", "partnerpage"}
)


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
        # (by its alias: the new courses' subquery is not written again)
        F("new_course_published").desc(),
        F("pk").asc(),
    ]


def _shape(name, locale, default_id, *more):
    """What the SQL of the query `name` depends on besides the time
    (home/prepared.py)."""
    models = [apps.get_model(label) for label in INDEX_MODELS]  # (`index_pages`)
    return ("home-list", name, locale.pk, default_id, *more, hidden_inputs(*models))


def _sessions(locale, default_id, now):
    """The next sessions and every session of the new courses (for their
    cards), in one query; with the session clock when it is not kept."""
    from courses.catalogue import clock_read, newest_with_dates, next_sessions, with_session_clock
    from courses.models import CoursePage, CourseSession

    def build(clock_known, now):
        next_ids = next_sessions(default_id, now).values("pk")[:SESSIONS]
        new_keys = newest_with_dates(locale, default_id, now).values("translation_key")
        sessions = (
            CourseSession.objects.with_seats()
            .filter(
                Q(pk__in=next_ids)
                | Q(
                    page_id__in=CoursePage.objects.filter(
                        translation_key__in=new_keys[:NEW_COURSES], locale_id=default_id
                    ).values("pk")
                )
            )
            .select_related("venue", "page")
            .annotate(
                course_key=F("page__translation_key"),
                is_next=ExpressionWrapper(Q(pk__in=next_ids), output_field=BooleanField()),
            )
            .order_by("start", "sort_order", "pk")
        )
        return sessions if clock_known else with_session_clock(sessions, now)

    return clock_read(
        lambda clock_known: prepared.rows(
            _shape("sessions", locale, default_id, clock_known),
            lambda now: build(clock_known, now),
            now,
        ),
        now,
    )


def _wanted(locale, default_id, now, names, partners):
    """The condition on pages that the pages of the lists `names` meet (with
    the index pages they link to, and in another language than Italian the
    translations of the next sessions' courses), and when a row was first
    published if it is one of the new courses (an expression, NULL on every
    other row: their list's order, and how `_split` knows them)."""
    from courses.catalogue import newest_with_dates, next_sessions
    from donations.progress import fund_pages
    from partners.challenge_index import open_calls
    from partners.models import PartnerPage
    from partners.opportunity_listing import closing_soon_queryset

    wanted = Q(pk__in=[])
    new_course_published = Value(None)
    if "opportunities" in names:
        wanted |= Q(pk__in=closing_soon_queryset(locale, now).values("pk")[:OPPORTUNITIES])
    if "challenges" in names:
        wanted |= Q(pk__in=open_calls(locale, now).values("pk")[:CHALLENGES])
    if "fund" in names:
        wanted |= Q(pk__in=fund_pages(locale).values("pk")[:1])
    if "courses" in names:
        new_courses = newest_with_dates(locale, default_id, now)
        new_ids = new_courses.values("pk")[:NEW_COURSES]
        wanted |= Q(pk__in=new_ids)
        if partners:
            parents = new_courses.values("parent_path")[:NEW_COURSES]
            wanted |= Q(pk__in=PartnerPage.objects.filter(path__in=parents).values("pk"))
        new_course_published = Case(When(Q(pk__in=new_ids), then=F("first_published_at")))
    if names - {"fund"}:
        wanted |= Q(pk__in=index_pages(index_locale_ids()).values("pk"))
    if "sessions" in names and locale.pk != default_id:
        courses = next_sessions(default_id, now).values("page__translation_key")[:SESSIONS]
        translated = Page.objects.live().public().filter(locale_id=locale.pk)
        wanted |= Q(pk__in=translated.filter(translation_key__in=courses).values("pk"))
    return wanted, ExpressionWrapper(new_course_published, output_field=DateTimeField())


def _pages(locale, default_id, now, names, partners):
    from partners.opportunity_listing import parent_title

    def build(now):
        wanted, new_course_published = _wanted(locale, default_id, now, names, partners)
        # Only the page types of the lists asked for can be among the rows:
        # only theirs are joined (`_split` reads them).
        joins = [join for name, join in JOINS.items() if name in names]
        if names & COURSE_LISTS:
            joins.append("coursepage__listing_image")
        if partners:
            joins.append("partnerpage__logo")
        return (
            Page.objects.filter(wanted)
            .select_related("locale", *joins)
            .annotate(
                new_course_published=new_course_published,
                **({"parent_title": parent_title()} if "opportunities" in names else {}),
            )
            .order_by(*_order())
        )

    shape = _shape("pages", locale, default_id, tuple(sorted(names)), partners)
    return prepared.rows(shape, build, now)


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
        kind = row.specific_class._meta.model_name if row.specific_class else None
        if kind in JOINED:
            page = getattr(row, kind)  # joined by `_pages` (no query)
        if kind == "opportunitypage":
            page.locale = row.locale
            page.partner_title = row.parent_title
            lists["opportunities"].append(page)
        elif kind == "challengepage":
            page.locale = row.locale
            lists["challenges"].append(page)
        elif kind == "donationpage":
            lists["fund"].append(page)
        elif kind == "coursepage":
            if row.new_course_published is not None:
                lists["courses"].append(page)
            if row.locale_id == locale.pk:
                lists["translations"][row.translation_key] = page
        elif kind == "partnerpage":
            lists["partners"][row.path] = page
        elif is_index_page(row):
            lists["index"].append(row.specific_deferred)
    return lists


def read(locale, default_id, now, names=NAMES, partners=True):
    """Read the home page's lists `names` (all of them by default) for
    `locale` (see the module's docstring), remember them for this request's
    tags and return them ({name: list}). With `partners`, the new courses'
    partners come along for their cards (kept per the site's part of the
    content generation, they are read again only after a change to it:
    without, a card finds its partner there, or reads it)."""
    from courses.catalogue import SITE_ONLY, keep_many, remember_card_sessions

    names = frozenset(names)
    sessions = _sessions(locale, default_id, now) if names & COURSE_LISTS else []
    next_ones = [session for session in sessions if session.is_next]
    session_keys = (
        {session.course_key for session in next_ones} if locale.pk != default_id else set()
    )
    lists = _split(_pages(locale, default_id, now, names, partners), locale)
    courses = lists["courses"]
    if "courses" in names and partners:
        parents = {course.path[: -Page.steplen] for course in courses}
        keep_many("partner", {path: lists["partners"].get(path) for path in parents}, SITE_ONLY)
    if "courses" in names:
        remember_card_sessions({course.translation_key for course in courses}, default_id, sessions)
    if names - {"fund"}:
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
    found = {(name, limit): value for (name, limit), value in found.items() if name in names}
    for (name, limit), value in found.items():
        remember(_key(name, locale, limit), value)
    return {name: value for (name, _limit), value in found.items()}


def card_renditions(lists):
    """(image, spec) of each card image the lists `read` returned show, for
    ``home.images.read_renditions``: the new courses' and the open
    challenges' pictures."""
    return [
        (page.listing_image, type(page).listing_card_image_spec)
        for page in (*lists.get("courses", ()), *lists.get("challenges", ()))
    ]
