"""The site search: what a query finds, by type, in the visitor's language.

One backend search over the live public pages of the visitor's language
gives the ranked pages of every type at once; labour needs and venues
(snippets) are searched apart. Courses then go through the catalogue's own
queryset and filters (courses/catalogue.py), kept in the order of
relevance. When nothing contains every word, the search tries, in turn, the
nearest words the site knows (a spelling suggestion, search/vocabulary.py),
any of the words, and the beginnings of words (autocomplete).

Everything here uses Wagtail's search API only, so it works the same with
the database backend and with Elasticsearch/OpenSearch (docs/search.md).
"""

import math
from dataclasses import dataclass, field
from itertools import product

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, DateTimeField, F, IntegerField, Q, UUIDField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import Page, get_page_models
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from courses import catalogue
from courses.choices import SessionStatus
from courses.forms import CatalogueFilterForm
from courses.models import CoursePage, CourseSession, Venue
from courses.search_text import WORDS
from partners.choices import Audience
from partners.models import (
    ChallengePage,
    LabourNeed,
    ObservatoryPage,
    OpportunityPage,
    PartnerPage,
)

from .text import WORD, excerpt, fold, highlight, query_terms, stem
from .vocabulary import expanded, suggest

MAX_PAGES = 500  # ranked pages read from the backend for one query
MAX_SNIPPETS = 100
PER_PAGE = 10
MAX_COMBINATIONS = 24  # word lists tried at once for one query
GROUP_SIZE = {"course": 5}
DEFAULT_GROUP_SIZE = 3


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type = None


KINDS = [
    Kind("course", _("Courses"), CoursePage),
    Kind("partner", _("Partners"), PartnerPage),
    Kind("challenge", _("Challenges"), ChallengePage),
    Kind("opportunity", _("Opportunities"), OpportunityPage),
    Kind("need", _("Needs found by the observatories"), LabourNeed),
    # A context of its own: the courses' "Places" are seats ("Posti"), and
    # the project catalogue (LOCALE_PATHS) would win over theirs.
    Kind("venue", pgettext_lazy("search results: venues", "Places"), Venue),
    Kind("page", _("Other pages")),
]
KIND_KEYS = [kind.key for kind in KINDS]
PAGE_KINDS = {"course", "partner", "challenge", "opportunity"}
# Fields whose text makes the excerpt under a result, first that mentions a word.
EXCERPT_FIELDS = [
    "listing_summary",
    "intro",
    "short_description",
    "search_description",
    "problem",
    "description",
    "hero_text",
]


@dataclass
class Result:
    kind: str
    title: str
    url: str
    excerpt: str = ""
    facts: list = field(default_factory=list)
    obj: object = None


@dataclass
class Outcome:
    query: str = ""
    terms: list = field(default_factory=list)
    kind: str = ""
    counts: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)  # [(Kind, [Result], count)] in the "all" view
    page: object = None  # a Paginator page of Results in the one-kind view
    corrected: list = None  # the words actually searched, when they differ
    match: str = "all"  # "all" words, "any" word, or "prefix"
    past_courses: int = 0
    filter_form: object = None
    active_filters: list = field(default_factory=list)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def kind_label(self):
        return next((kind.label for kind in KINDS if kind.key == self.kind), "")

    @property
    def kinds(self):
        return [(kind, self.counts.get(kind.key, 0)) for kind in KINDS]


def page_kind_by_content_type():
    return {
        ContentType.objects.get_for_model(kind.model).pk: kind.key
        for kind in KINDS
        if kind.key in PAGE_KINDS
    }


HIT_FIELDS = ("id", "content_type_id", "title")


def hit_rows(results):
    """(id, content type id, title) of each page found, in the backend's
    order. Wagtail's database backends (SQLite, PostgreSQL, MySQL and the
    fallback) answer with a queryset, read here as values: making a Page of
    each of up to MAX_PAGES hits, only to read three of its fields, took
    ~70 ms at scale 20 (~30 with those fields only, ~10 as values).
    Other backends (Elasticsearch, OpenSearch) give the pages, read with
    those fields only."""
    queryset = getattr(results, "get_queryset", None)
    if queryset is not None:
        return queryset().values_list(*HIT_FIELDS)
    return [(page.pk, page.content_type_id, page.title) for page in results]


class Finder:
    """The hits of one query, before any is rendered."""

    def __init__(self, locale, query, autocomplete=False):
        pages = Page.objects.live().public().filter(locale=locale).only(*HIT_FIELDS)
        if autocomplete:
            found = pages.autocomplete(query)[:MAX_PAGES]
        else:
            found = pages.search(query)[:MAX_PAGES]
        kinds = page_kind_by_content_type()
        self.ids = {key: [] for key in KIND_KEYS}
        self.titles = {}
        for pk, content_type_id, title in hit_rows(found):
            self.ids[kinds.get(content_type_id, "page")].append(pk)
            self.titles[pk] = title
        if autocomplete:
            self.needs = self.venues = []
        else:
            # Snippets have plain managers: ask the backend directly.
            backend = get_search_backend()
            needs = LabourNeed.objects.filter(locale_id=locale.pk)
            self.needs = list(backend.search(query, needs)[:MAX_SNIPPETS])
            self.venues = list(backend.search(query, Venue.objects.all())[:MAX_SNIPPETS])
        self.ids["need"] = [need.pk for need in self.needs]
        self.ids["venue"] = [venue.pk for venue in self.venues]

    def found_anything(self):
        return any(self.ids.values())

    def rerank(self, terms):
        """Rank the pages of every kind but the courses (`kept_courses`
        ranks those) by their titles (`rank`)."""
        for kind, ids in self.ids.items():
            if kind not in ("course", "need", "venue"):
                rank(ids, self.titles, terms)


def rank(ids, texts, terms):
    """Put first, keeping the backend's order otherwise, the ids whose text
    in `texts` (a title; for courses: title, topics and audiences) has the
    most of the words: a word met only deep in the text counts for less."""
    stems = [stem(term) for term in terms]

    def hits(text):
        words = [fold(word) for word in WORD.findall(text)]
        return sum(1 for s in stems if any(word.startswith(s) for word in words))

    position = {pk: index for index, pk in enumerate(ids)}
    ids.sort(key=lambda pk: (-hits(texts.get(pk, "")), position[pk]))


def kept_courses(courses, ids, terms, language):
    """The found courses `ids` that `courses` keeps (the catalogue's
    queryset and filters), ranked (`rank`) on their title, topics and
    audiences, and {id: its topics' translation keys, by topic name} for
    their cards: one query, a row per course and topic. The database gives
    the ids alone and the order is kept here (a CASE with one WHEN per
    result, up to MAX_PAGES, grew with the site); only the courses kept are
    ranked, the others are only counted (`Outcome.past_courses`)."""
    if not ids:
        return [], {}
    words = WORDS.get(language, WORDS["it"])
    # Each audience's words, once: the enum's label and values were looked
    # up again for every row.
    audience_words = {
        value: str(label) + " " + words.get(value, "") for value, label in Audience.choices
    }
    about, topic_keys = {}, {}
    rows = (
        courses.filter(pk__in=ids)
        .values_list("pk", "title", "audiences", "topics__name", "topics__translation_key")
        .order_by("topics__name", "topics__pk")
    )
    for pk, title, audiences, topic, key in rows:
        if pk not in about:
            extra = [audience_words[a] for a in audiences or [] if a in audience_words]
            about[pk] = " ".join([title, *extra])
            topic_keys[pk] = []
        if key is not None:
            about[pk] += " " + topic
            topic_keys[pk].append(key)
    kept = [pk for pk in ids if pk in about]
    rank(kept, about, terms)
    return kept, topic_keys


def in_order(queryset, ids):
    """The rows of `queryset` with these `ids`, in the order of `ids`."""
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def every_word(terms, language):
    """All the words, each as itself or a word of the site that starts the
    same way (search/vocabulary.py): "sarta" also finds "sartoria".

    Written as an OR of AND-ed word lists: an AND of ORs loses its
    parentheses on SQLite FTS5, where AND binds tighter than OR."""
    variants = expanded(terms, language)
    while math.prod(len(words) for words in variants) > MAX_COMBINATIONS:
        longest = max(variants, key=len)
        longest.pop()
    combinations = [PlainText(" ".join(c), operator="and") for c in product(*variants)]
    return combinations[0] if len(combinations) == 1 else Or(combinations)


def find(locale, terms, language):
    """The Finder of the best attempt, and how the words were matched."""
    text = " ".join(terms)
    attempts = [(every_word(terms, language), None, "all", False)]
    corrected = suggest(terms, language)
    if corrected:
        attempts.append((every_word(corrected, language), corrected, "all", False))
    if len(terms) > 1:
        attempts.append((PlainText(text, operator="or"), None, "any", False))
    attempts.append((text, None, "prefix", True))
    finder = None
    for query, words, match, autocomplete in attempts:
        finder = Finder(locale, query, autocomplete=autocomplete)
        if finder.found_anything():
            finder.rerank(words or terms)
            return finder, words, match
    return finder, None, "all"


def course_filters(request, locale, default_id, course_view):
    """The catalogue's filter form, its values and the topics in the
    visitor's language. The form is shown, and its values apply, only in
    the course view: elsewhere there is none (and its partner choices are
    not read)."""
    topics_by_key = catalogue.localized_topics(locale, default_id)
    if not course_view:
        return None, {}, topics_by_key
    topics, partners = catalogue.filter_choices(locale, default_id, topics_by_key)
    form = CatalogueFilterForm(request.GET or None, topics=topics, partners=partners)
    data = form.valid_data() if request.GET else {}
    data.pop("q", None)
    return form, data, topics_by_key


def course_queryset(locale, default_id, data):
    """The courses the catalogue would list with the filters in `data`."""
    courses = catalogue.annotate_dates(
        catalogue.course_base_queryset(locale, default_id), default_id
    )
    return catalogue.apply_filters(courses, data, default_id)


def attach_result_cards(courses, context):
    """Give each course the `card` its result shows: its sessions (one
    query, as `catalogue.attach_cards` reads them) and its topics in the
    visitor's language (their keys from `kept_courses`). A result shows no
    partner and no image, so neither is read."""
    locale, default_id = context["locale"], context["default_id"]
    topics_by_key, topic_keys = context["topics_by_key"], context["topic_keys"]
    sessions = sessions_by_key({course.translation_key for course in courses}, default_id)
    now = timezone.now()
    for course in courses:
        course.card = catalogue.CourseCard(
            sessions=sessions.get(course.translation_key, []),
            topics=[
                topics_by_key[key] for key in topic_keys.get(course.pk, []) if key in topics_by_key
            ],
            italian_only=course.locale_id != locale.pk,
            now=now,
        )


def sessions_by_key(keys, default_id):
    """{course translation key: the sessions of its Italian page, by start}."""
    found = {}
    if not keys:
        return found
    sessions = (
        CourseSession.objects.filter(page__translation_key__in=keys, page__locale_id=default_id)
        .select_related("venue")
        .annotate(course_key=F("page__translation_key"))
        .order_by("start", "sort_order")
    )
    for session in sessions:
        found.setdefault(session.course_key, []).append(session)
    return found


def course_results(courses, context):
    courses = list(courses)
    attach_result_cards(courses, context)
    terms = context["terms"]
    results = []
    for course in courses:
        card = course.card
        facts = [", ".join(topic.name for topic in card.topics)] if card.topics else []
        session = card.next_session
        if session is not None and not card.is_past:
            facts.append(timezone.localtime(session.start))
        where = card.comuni + card.formats
        if where:
            facts.append(", ".join(str(place) for place in where))
        results.append(
            Result(
                kind="course",
                title=highlight(course.title, terms),
                url=course.url,
                excerpt=excerpt([course.listing_summary, course.intro], terms),
                facts=[fact for fact in facts if fact],
                obj=course,
            )
        )
    return results


def specific_pages(ids, observatories_in=None, observatories=None, listing_images=False):
    """{id: specific page} for `ids` in one query: the table of every page
    type is joined to the page's (select_related on each type's link to
    Page, multi-table inheritance), where Page.specific() reads the content
    types and then each type apart. A type that does not inherit from Page
    directly is read as Wagtail reads it. With `observatories_in` (a
    locale), the live, public observatory pages of that locale are read in
    the same query too, into `observatories` ({comune: page}, as
    `need_results` reads them). With `listing_images`, each page's
    `listing_image` (for the types that have one) is joined too."""
    links = {
        model: model._meta.get_ancestor_link(Page).related_query_name()
        for model in get_page_models()
        if Page in model._meta.parents
    }
    joined = list(links.values())
    if listing_images:
        joined += [
            f"{link}__listing_image"
            for model, link in links.items()
            if any(field.name == "listing_image" for field in model._meta.get_fields())
        ]
    wanted, asked = Q(pk__in=ids), None
    if observatories_in is not None:
        found = ObservatoryPage.objects.live().public().filter(locale=observatories_in)
        wanted |= Q(pk__in=found.values("pk"))
        asked = set(ids)
    pages = {}
    # By path (Page's order), as need_results read the observatories.
    for page in Page.objects.filter(wanted).select_related(*joined).order_by("path"):
        link = links.get(page.specific_class)
        specific = getattr(page, link) if link else page.specific
        # Every page in `ids` is live, public and in the visitor's locale
        # (Finder): any observatory here is one of `observatories`.
        if asked is None:
            pages[page.pk] = specific
            continue
        if isinstance(specific, ObservatoryPage):
            observatories[specific.comune] = specific
        if page.pk in asked:
            pages[page.pk] = specific
    return pages


def page_results(ids, terms, pages=None):
    """Results for the pages `ids`, read with `specific_pages` unless
    `pages` ({id: specific page}) holds them already."""
    if pages is None:
        pages = specific_pages(ids)
    results = []
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            continue
        texts = [str(getattr(page, name, "") or "") for name in EXCERPT_FIELDS]
        facts = []
        if isinstance(page, PartnerPage):
            facts.append(page.get_partner_type_display())
        results.append(
            Result(
                kind="page",
                title=highlight(page.title, terms),
                url=page.url,
                excerpt=excerpt([t for t in texts if t and not t.startswith("[")], terms),
                facts=facts,
                obj=page,
            )
        )
    return results


def need_results(needs, locale, terms, observatories=None):
    """Results for `needs`, each linking to the observatory page of its
    comune ({comune: page} read here unless given)."""
    if observatories is None:
        observatories = {
            page.comune: page
            for page in ObservatoryPage.objects.live().public().filter(locale=locale)
        }
    results = []
    for need in needs:
        observatory = observatories.get(need.comune)
        results.append(
            Result(
                kind="need",
                title=highlight(need.title, terms),
                url=observatory.url if observatory else "",
                excerpt=excerpt([need.description], terms),
                facts=[need.get_comune_display(), need.get_sector_display()],
                obj=need,
            )
        )
    return results


_NO_INT = Value(None, output_field=IntegerField())
_NO_TEXT = Value(None, output_field=CharField())
VENUE_SESSIONS, VENUE_COURSES, CATALOGUE = 0, 1, 2
VENUE_COLUMNS = ("part", "v_venue", "v_key", "v_start", "v_id", "v_title", "v_path", "v_locale")


def venue_rows(venues, locale, default_id):
    """For `venues`, in one query (UNION ALL): (VENUE_SESSIONS, venue id,
    course key, start, ...) for each coming session of a live Italian
    course there, by start; (VENUE_COURSES, None, course key, None, id,
    title, url path, locale id) for the live, public courses of those keys
    in the visitor's language and in Italian; and (CATALOGUE, ..., id,
    title, url path, locale id) for the catalogue pages in `locale`. These
    were three queries (the catalogue page kept per content generation)."""
    now = timezone.now()
    sessions = CourseSession.objects.filter(
        venue__in=venues, end__gte=now, page__live=True, page__locale_id=default_id
    ).exclude(status=SessionStatus.CANCELLED)
    courses = (
        CoursePage.objects.live()
        .public()
        .filter(
            translation_key__in=sessions.values("page__translation_key"),
            locale_id__in={locale.pk, default_id},
        )
    )
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.live().public().filter(locale=locale)
    page_columns = {
        "v_venue": _NO_INT,
        "v_start": Value(None, output_field=DateTimeField()),
        "v_id": F("id"),
        "v_title": F("title"),
        "v_path": F("url_path"),
        "v_locale": F("locale_id"),
    }
    sessions = sessions.order_by().annotate(
        part=Value(VENUE_SESSIONS),
        v_venue=F("venue_id"),
        v_key=F("page__translation_key"),
        v_start=F("start"),
        v_id=_NO_INT,
        v_title=_NO_TEXT,
        v_path=_NO_TEXT,
        v_locale=_NO_INT,
    )
    courses = courses.order_by().annotate(
        part=Value(VENUE_COURSES), v_key=F("translation_key"), **page_columns
    )
    index = index.order_by().annotate(
        part=Value(CATALOGUE), v_key=Value(None, output_field=UUIDField()), **page_columns
    )
    combined = sessions.values_list(*VENUE_COLUMNS).union(
        courses.values_list(*VENUE_COLUMNS), index.values_list(*VENUE_COLUMNS), all=True
    )
    return combined.order_by("part", "v_start")


def venue_results(venues, locale, default_id, terms):
    """Each place, with the live courses that meet there next."""
    # {venue id: {course key: None}}, in the order of the first session: a
    # dict, since looking each session's key up in a list compared ~30,000
    # UUIDs a search at scale 20.
    keys_by_venue = {}
    courses = {}
    index = None
    for part, venue_id, key, _start, pk, title, url_path, locale_id in venue_rows(
        venues, locale, default_id
    ):
        if part == VENUE_SESSIONS:
            keys_by_venue.setdefault(venue_id, {}).setdefault(key, None)
        elif part == VENUE_COURSES:
            if locale_id == locale.pk or key not in courses:
                courses[key] = CoursePage(
                    id=pk, title=title, url_path=url_path, translation_key=key, locale_id=locale_id
                )
        elif index is None or pk < index.pk:  # the first by id, as .first() gave it
            index = Page(id=pk, title=title, url_path=url_path, locale_id=locale_id)
    catalogue_url = index.url if index else ""
    results = []
    for venue in venues:
        here = [courses[k] for k in keys_by_venue.get(venue.pk, []) if k in courses][:3]
        url = f"{catalogue_url}?comune={venue.comune}" if catalogue_url else ""
        results.append(
            Result(
                kind="venue",
                title=highlight(venue.name, terms),
                url=url,
                excerpt=highlight(f"{venue.address} · {venue.get_comune_display()}", terms),
                facts=[],
                obj={"venue": venue, "courses": here},
            )
        )
    return results


def catalogue_page(locale):
    """The catalogue page in `locale` (None if none), kept per content
    generation."""
    from courses.models import CourseIndexPage

    def build():
        return CourseIndexPage.objects.live().public().filter(locale=locale).first()

    return catalogue.per_generation(f"catalogue-page:{locale.pk}", build, catalogue.SITE_ONLY)


def results_for(kind, ids, finder, context):
    locale, default_id, terms = context["locale"], context["default_id"], context["terms"]
    if kind == "course":
        return course_results(ids, context)
    if kind == "need":
        by_pk = {need.pk: need for need in finder.needs}
        observatories = context.get("observatories")
        return need_results([by_pk[pk] for pk in ids], locale, terms, observatories)
    if kind == "venue":
        by_pk = {venue.pk: venue for venue in finder.venues}
        return venue_results([by_pk[pk] for pk in ids], locale, default_id, terms)
    results = page_results(ids, terms, context.get("pages"))
    for result in results:
        result.kind = kind
    return results


def search(request, raw_query, locale, language, kind="", page_number=1):
    """Run the search the page shows: counts per kind, then either every
    kind's best results ("all") or one kind, paginated."""
    outcome = Outcome(query=raw_query, kind=kind if kind in KIND_KEYS else "")
    terms = query_terms(raw_query, language)
    outcome.terms = terms
    default_id = catalogue.default_locale_id()
    form, data, topics_by_key = course_filters(
        request, locale, default_id, outcome.kind == "course"
    )
    outcome.filter_form = form
    outcome.active_filters = form.active_filters(data) if form is not None else []
    if not terms:
        return outcome
    finder, corrected, match = find(locale, terms, language)
    outcome.corrected, outcome.match = corrected, match
    if corrected:
        outcome.terms = corrected
    courses = course_queryset(locale, default_id, data)
    # The filters apply.
    course_ids, topic_keys = kept_courses(courses, finder.ids["course"], outcome.terms, language)
    outcome.counts = {key: len(ids) for key, ids in finder.ids.items()}
    outcome.counts["course"] = len(course_ids)
    if not data:
        outcome.past_courses = len(finder.ids["course"]) - outcome.counts["course"]
    context = {
        "locale": locale,
        "default_id": default_id,
        "terms": outcome.terms,
        "topics_by_key": topics_by_key,
        "topic_keys": topic_keys,
    }
    if outcome.kind:
        ids = course_ids if outcome.kind == "course" else finder.ids[outcome.kind]
        outcome.page = Paginator(ids, PER_PAGE).get_page(page_number)
        source = outcome.page.object_list
        if outcome.kind == "course":
            source = in_order(courses, source)
        outcome.page.object_list = results_for(outcome.kind, source, finder, context)
        return outcome
    shown = {
        kind.key: finder.ids[kind.key][: GROUP_SIZE.get(kind.key, DEFAULT_GROUP_SIZE)]
        for kind in KINDS
        if kind.key != "course"
    }
    shown["course"] = course_ids[: GROUP_SIZE["course"]]
    # The pages of every group, the courses' too, in one query, with the
    # observatories the needs link to. The courses shown are read by id:
    # `kept_courses` kept only those the catalogue's queryset lists (were
    # read again through it, one query more).
    if shown["need"]:
        context["observatories"] = {}
    pages = context["pages"] = specific_pages(
        [pk for key, ids in shown.items() if key not in ("need", "venue") for pk in ids],
        observatories_in=locale if shown["need"] else None,
        observatories=context.get("observatories"),
    )
    for kind in KINDS:
        count = outcome.counts.get(kind.key, 0)
        if not count:
            continue
        source = shown[kind.key]
        if kind.key == "course":
            source = [pages[pk] for pk in source if pk in pages]
        outcome.groups.append((kind, results_for(kind.key, source, finder, context), count))
    return outcome


def autocomplete(raw_query, locale, language, limit=8):
    """Titles that start like what is being typed: [(title, url, kind label)]."""
    terms = query_terms(raw_query, language)
    if not terms or len("".join(terms)) < 2:
        return []
    kinds = page_kind_by_content_type()
    labels = {kind.key: kind.label for kind in KINDS}
    pages = Page.objects.live().public().filter(locale=locale).autocomplete(" ".join(terms))[:limit]
    return [
        {
            "title": page.title,
            "url": page.url,
            "kind": str(labels[kinds.get(page.content_type_id, "page")]),
        }
        for page in pages
    ]


def search_url(query, kind=""):
    from django.utils.http import urlencode

    params = {"query": query}
    if kind:
        params["type"] = kind
    return reverse("search") + "?" + urlencode(params)
