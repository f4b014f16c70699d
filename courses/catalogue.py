"""The catalogue: which courses a visitor sees, filtered, sorted and ready
for cards, in a constant number of queries whatever the number of courses
and sessions.

Sessions live on the Italian page of a course only (docs/architecture.md),
so every question about dates, places and formats looks at the sessions of
the Italian page with the same `translation_key`. That is done with
subqueries on the course query rather than with denormalised columns: the
"next date" of a course changes with the clock, not only when an editor
publishes, so a stored value would go stale.
"""

import datetime
import hashlib
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models import When as CaseWhen
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from wagtail.models import Locale, Page

from home import prepared
from home.cache import DOMAIN_KEYS, generation, kept
from home.choices import Comune
from home.fields import ChoiceListField
from home.images import with_images
from home.prepared import hidden_inputs
from home.request_memo import recall, remember, remembered
from partners.choices import Audience
from partners.models import PartnerPage

from .choices import Format, SessionStatus, When
from .forms import CatalogueFilterForm
from .models import CoursePage, CourseSession, Topic

PER_PAGE = 12
CARD_IMAGE_SPEC = CoursePage.listing_card_image_spec
MAX_SEARCH_RESULTS = 1000
# The clock's value when no session ends ahead: nothing changes with time.
NO_END_AHEAD = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def default_locale_id():
    """The id of the default (Italian) locale, asked for at every step: kept
    per content generation and remembered for the request."""
    return remembered(
        ("default-locale-id",),
        lambda: per_generation("default-locale", lambda: Locale.get_default().pk, SITE_ONLY),
    )


def course_base_queryset(locale, default_id):
    """Live, public courses in `locale`, plus Italian courses that have no
    live translation in it (shown as "Italian only")."""
    courses = CoursePage.objects.live().public()
    if locale.pk == default_id:
        return courses.filter(locale_id=default_id)
    translated = (
        CoursePage.objects.live()
        .public()
        .filter(locale_id=locale.pk, translation_key=OuterRef("translation_key"))
    )
    return courses.filter(Q(locale_id=locale.pk) | Q(locale_id=default_id) & ~Exists(translated))


def newest_with_dates(locale, default_id, now=None):
    """The courses of `course_base_queryset` that still have dates ahead
    (a session of their Italian page not over, not cancelled), the newest
    first (the home page's new courses), with their `parent_path`. Whether
    a date is ahead is an EXISTS, not the next date itself (as
    `annotate_dates` finds it): the home page's lists name these courses
    more than once in one query, and at demo scale 20 working out every
    course's next date made that query take 10.4 ms on SQLite, against 6.1
    with EXISTS."""
    now = now or timezone.now()
    ahead = source_sessions(default_id, end__gte=now).exclude(status=SessionStatus.CANCELLED)
    return (
        course_base_queryset(locale, default_id)
        .filter(Exists(ahead))
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .order_by("-first_published_at", "pk")
    )


def next_sessions(default_id, now=None):
    """The sessions ahead of live, public courses (their Italian pages),
    cancelled ones aside, the soonest first, with their venue and page.
    Sessions starting together keep one order (a course's own order, then
    the oldest first), so which of them a short list shows never depends
    on the database's plan."""
    now = now or timezone.now()
    live_italian = CoursePage.objects.live().public().filter(locale_id=default_id)
    return (
        CourseSession.objects.filter(page__in=live_italian.values("pk"), start__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("venue", "page")
        .order_by("start", "sort_order", "pk")
    )


def source_sessions(default_id, **filters):
    """A subquery: the sessions of the Italian page of the outer course."""
    return CourseSession.objects.filter(
        page__translation_key=OuterRef("translation_key"), page__locale_id=default_id, **filters
    )


def past_keys(default_id, now):
    """A subquery not tied to the outer course: the translation keys of the
    courses whose every date is over (`last_end` before `now`), grouped in
    one pass over the Italian pages' sessions for the whole query, where
    each course's last date was worked out for it (docs/decisions.md,
    "Courses: sessions on the Italian page, catalogue by subqueries")."""
    return (
        CourseSession.objects.filter(page__locale_id=default_id)
        .values("page__translation_key")
        .annotate(last_end=Max("end"))
        .filter(last_end__lt=now)
        .values("page__translation_key")
    )


def annotate_dates(courses, default_id, now=None):
    now = now or timezone.now()
    upcoming = (
        source_sessions(default_id, end__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("start")
        .values("start")[:1]
    )
    last_end = source_sessions(default_id).order_by("-end").values("end")[:1]
    return courses.annotate(
        next_start=Subquery(upcoming),
        last_end=Subquery(last_end),
        parent_path=Substr("path", 1, Length("path") - Page.steplen),
    )


def date_range(data, today=None):
    """The [start, end) instants of the period chosen in the filters."""
    today = today or timezone.localdate()
    start = end = None
    when = data.get("when")
    if when == When.WEEK:
        start = today
        end = today + datetime.timedelta(days=7)
    elif when == When.MONTH:
        start = today
        end = today + datetime.timedelta(days=30)
    if data.get("date_from"):
        start = data["date_from"]
    if data.get("date_to"):
        end = data["date_to"] + datetime.timedelta(days=1)

    def instant(day):
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return instant(start), instant(end)


def search_ids(query):
    """Ids of the courses (any language) whose text matches `query` (kept
    per content generation: the index changes only when content does)."""

    def build():
        return [page.pk for page in CoursePage.objects.search(query)[:MAX_SEARCH_RESULTS]]

    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return per_generation(f"search:{digest}", build, COURSES)


def partner_key(partner_id):
    """The translation key of a partner page (kept per content generation)."""

    def build(ids):
        return dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))

    return per_generation_many("partner-key", [partner_id], build, SITE_ONLY)[partner_id]


def filter_conditions(data, default_id, now=None, search=None):
    """The cleaned filter data as a list of conditions (Q objects) on courses
    annotated by `annotate_dates`; `search(q)` gives the ids matching a text."""
    now = now or timezone.now()
    search = search or search_ids
    conditions = []
    if data.get("q"):
        conditions.append(Q(pk__in=search(data["q"])))
    if data.get("topic"):
        conditions.append(
            Q(Exists(Topic.objects.filter(courses=OuterRef("pk"), slug=data["topic"])))
        )
    if data.get("area"):
        conditions.append(Q(area=data["area"]))
    if data.get("partner_type"):
        partners = PartnerPage.objects.filter(
            path=OuterRef("parent_path"), partner_type=data["partner_type"]
        )
        conditions.append(Q(Exists(partners)))
    if data.get("partner"):
        key = partner_key(data["partner"])
        conditions.append(
            Q(Exists(Page.objects.filter(path=OuterRef("parent_path"), translation_key=key)))
            | Q(
                Exists(
                    PartnerPage.objects.filter(
                        co_organised_courses=OuterRef("pk"), translation_key=key
                    )
                )
            )
        )
    if data.get("comune"):
        conditions.append(Q(Exists(source_sessions(default_id, venue__comune=data["comune"]))))
    if data.get("format"):
        conditions.append(Q(Exists(source_sessions(default_id, format=data["format"]))))
    if data.get("audience"):
        conditions.append(
            Q(**ChoiceListField.contains("audiences", data["audience"]))
            | Q(**ChoiceListField.contains("audiences", Audience.EVERYONE))
        )
    if data.get("language"):
        conditions.append(Q(**ChoiceListField.contains("languages", data["language"])))
    if data.get("free"):
        conditions.append(Q(is_free=True))
    start, end = date_range(data, today=timezone.localdate(now))
    if start or end:
        period = {}
        if start:
            period["start__gte"] = start
        if end:
            period["start__lt"] = end
        in_period = source_sessions(default_id, **period).exclude(status=SessionStatus.CANCELLED)
        conditions.append(Q(Exists(in_period)))
    # Past courses (every date over) only in the archive; courses without
    # dates yet are never past.
    past = Q(translation_key__in=past_keys(default_id, now))
    conditions.append(past if data.get("archive") else ~past)
    return conditions


def apply_filters(courses, data, default_id, now=None):
    """Narrow `courses` (annotated by `annotate_dates`) with the cleaned filter data."""
    for condition in filter_conditions(data, default_id, now):
        courses = courses.filter(condition)
    return courses


def apply_sort(courses, data):
    if data.get("archive"):
        return courses.order_by(F("last_end").desc(nulls_last=True), "title", "pk")
    if data.get("sort") == "newest":
        return courses.order_by(F("first_published_at").desc(nulls_last=True), "pk")
    return courses.order_by(F("next_start").asc(nulls_last=True), "title", "pk")


@dataclass
class CourseCard:
    """What a course card shows, gathered for many courses at once."""

    partner: object = None
    sessions: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    italian_only: bool = False
    now: datetime.datetime = None

    @property
    def upcoming(self):
        return [s for s in self.sessions if s.end >= self.now]

    @property
    def next_session(self):
        upcoming = self.upcoming
        for session in upcoming:
            if session.status != SessionStatus.CANCELLED:
                return session
        return upcoming[0] if upcoming else (self.sessions[-1] if self.sessions else None)

    @property
    def is_past(self):
        return bool(self.sessions) and not self.upcoming

    @property
    def comuni(self):
        names = dict(Comune.choices)
        found = {s.venue.comune for s in self.upcoming or self.sessions if s.venue_id}
        return [names[c] for c in sorted(found)]

    @property
    def formats(self):
        names = dict(Format.choices)
        found = {s.format for s in self.upcoming or self.sessions}
        return [names[f] for f in Format.values if f in found]

    @property
    def total_capacity(self):
        return sum(s.capacity for s in self.upcoming if s.status != SessionStatus.CANCELLED)

    @property
    def all_cancelled(self):
        upcoming = self.upcoming
        return bool(upcoming) and all(s.status == SessionStatus.CANCELLED for s in upcoming)

    @property
    def open_upcoming(self):
        """The dates ahead not cancelled: the card is marked full when all
        are (courses/seat_marks.py, as the page is served)."""
        return [s for s in self.upcoming if s.status != SessionStatus.CANCELLED]


# What the catalogue's caches show of the content domains (home/cache.py):
# every cache here may show courses, none shows the fund; those that show
# neither (topics' names, partners) say so with `SITE_ONLY`.
COURSES = ("courses",)
SITE_ONLY = ()


def per_generation(name, build, domains=tuple(DOMAIN_KEYS)):
    """`build()`, kept in the cache until public content changes (home.cache):
    the site's content or that of `domains`."""
    return kept(f"catalogue:{name}:{generation(*domains)}", build)


def localized_topics(locale, default_id):
    """Topic names in `locale`, by translation key (falling back to Italian)."""

    def build():
        names = {}
        for topic in topic_rows():
            if topic.locale_id not in (locale.pk, default_id):
                continue
            if topic.locale_id == locale.pk or topic.translation_key not in names:
                names[topic.translation_key] = topic
        return names

    return per_generation(f"topics:{locale.pk}:{default_id}", build, SITE_ONLY)


def topic_rows():
    """Every topic, by name, with `live_courses`: how many times live, public
    Italian courses name a topic of its translation key (search's popular
    topics). Read once per request: the catalogue's topics in the visitor's
    language, search's vocabulary (search/vocabulary.py) and its popular
    topics are all made from it when none is kept yet, as after a change."""

    def read():
        courses = CoursePage.objects.live().public().filter(locale_id=default_locale_id())
        named = (
            CoursePage.topics.through.objects.filter(
                topic__translation_key=OuterRef("translation_key"), coursepage__in=courses
            )
            .order_by()
            .values("topic__translation_key")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return list(Topic.objects.annotate(live_courses=Coalesce(Subquery(named), 0)))

    return remembered(("topic-rows",), read)


def popular_topic_keys(limit):
    """The translation keys of the `limit` topics live courses name most
    (`topic_rows`), kept per content generation."""

    def build():
        counts = {topic.translation_key: topic.live_courses for topic in topic_rows()}
        named = [key for key, count in counts.items() if count]
        return sorted(named, key=lambda key: (-counts[key], key))[:limit]

    return per_generation(f"popular-topics:{limit}", build, COURSES)


def per_generation_many(name, keys, build, domains=tuple(DOMAIN_KEYS)):
    """{key: build's value} for each of `keys`, kept per key until public
    content (of the site or `domains`) changes: one cache round trip, and
    one call of `build(missing)` (which returns {key: value}) for the keys
    not in the cache yet."""
    current = generation(*domains)
    names = {f"catalogue:{name}:{current}:{key}": key for key in keys}
    found = cache.get_many(list(names)) if names else {}
    values = {names[cache_key]: boxed[0] for cache_key, boxed in found.items()}
    missing = [key for cache_key, key in names.items() if cache_key not in found]
    if missing:
        built = build(missing)
        fresh = {key: built.get(key) for key in missing}
        values.update(fresh)
        kept = {
            f"catalogue:{name}:{current}:{key}": (value,)  # boxed: None is a value too
            for key, value in fresh.items()
        }
        cache.set_many(kept, 3600)
    return values


def keep_many(name, values, domains=tuple(DOMAIN_KEYS)):
    """Keep `values` ({key: value}) as `per_generation_many(name, ...,
    domains)` keeps what it builds."""
    current = generation(*domains)
    cache.set_many(
        {f"catalogue:{name}:{current}:{key}": (value,) for key, value in values.items()}, 3600
    )


def _topic_keys(course_ids):
    keys = {}
    for course_id, key in (
        Topic.objects.filter(courses__in=course_ids)
        .order_by("name", "pk")
        .values_list("courses", "translation_key")
    ):
        keys.setdefault(course_id, []).append(key)
    return keys


def _partners(paths):
    return {p.path: p for p in PartnerPage.objects.filter(path__in=paths).select_related("logo")}


def card_sessions(ids, default_id):
    """The sessions cards show for the courses `ids` (pages in any language):
    every session of their Italian pages, with its venue, its seats counted
    and its course's key (`course_key`), in order."""
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    return (
        CourseSession.objects.with_seats()
        .filter(page__translation_key__in=keys, page__locale_id=default_id)
        .select_related("venue")
        .annotate(course_key=F("page__translation_key"))
        .order_by("start", "sort_order")
    )


def remember_card_sessions(keys, default_id, sessions):
    """Keep `sessions` (every session of `card_sessions` for the courses `keys`,
    and maybe others) for this request's cards of the courses `keys`, when
    they were read along with something else."""
    by_key = {key: [] for key in keys}
    for session in sessions:
        if session.course_key in by_key:
            by_key[session.course_key].append(session)
    remember(("card-sessions", default_id, frozenset(keys)), by_key)


def _read_card_sessions(courses, default_id):
    """{translation key: its sessions} for `courses`: as this request read
    them already (`remember_card_sessions`), else in one query, its SQL
    compiled once per process for each number of courses (home/prepared.py:
    a catalogue rendered again after a change to a course it shows reads
    that course's card again, and compiling the query took longer than
    running it)."""
    if not courses:
        return {}
    keys = {course.translation_key for course in courses}
    known = recall(("card-sessions", default_id, frozenset(keys)))
    if known is not None:
        return known
    ids = sorted(course.pk for course in courses)

    def build(now, default_id, *ids):
        return card_sessions(ids, default_id)

    sessions_by_key = {}
    shape = ("card-sessions", len(ids))
    for session in prepared.rows(shape, build, timezone.now(), default_id, *ids):
        sessions_by_key.setdefault(session.course_key, []).append(session)
    return sessions_by_key


def attach_cards(
    courses, locale=None, default_id=None, topics_by_key=None, now=None, partners=None
):
    """Give each course of `courses` (a list) a `card` with its partner,
    sessions and topics, and its card image, in a few queries whatever their
    number. Sessions are read at every call (or taken from what the request
    read with them, `remember_card_sessions`); partners (but those in
    `partners`, {path: partner page}, known already) and the topics of each
    course are kept per content generation."""
    locale = locale or Locale.get_active()
    default_id = default_id or default_locale_id()
    now = now or timezone.now()
    if topics_by_key is None:
        topics_by_key = localized_topics(locale, default_id)
    sessions_by_key = _read_card_sessions(courses, default_id)
    known = partners or {}
    parent_paths = {course.path[: -Page.steplen] for course in courses} - known.keys()
    partners = {**per_generation_many("partner", parent_paths, _partners, SITE_ONLY), **known}
    topic_keys = per_generation_many("topic-keys", [c.pk for c in courses], _topic_keys, COURSES)
    for course in courses:
        course_topics = [
            topics_by_key[key] for key in topic_keys.get(course.pk) or [] if key in topics_by_key
        ]
        course.card = CourseCard(
            partner=partners.get(course.path[: -Page.steplen]),
            sessions=sessions_by_key.get(course.translation_key, []),
            topics=course_topics,
            italian_only=course.locale_id != locale.pk,
            now=now,
        )
    return courses


def card_queryset(courses):
    """Courses ready for `attach_cards`, their images joined."""
    return with_images(courses, "listing_image", CARD_IMAGE_SPEC)


def filter_choices(locale, default_id, topics_by_key):
    """Choices for the topic and partner filters in the visitor's language."""
    topics = sorted(
        ((topic.slug, topic.name) for topic in topics_by_key.values()), key=lambda c: c[1]
    )
    options = per_generation(
        f"partners:{locale.pk}:{default_id}",
        lambda: _partner_choices(locale, default_id),
        SITE_ONLY,
    )
    return topics, options


def _partner_choices(locale, default_id):
    """The partner filter's choices. The partners are read whole, with their
    logos, and kept by path for the cards too (`attach_cards`), which then
    need no query of their own for them."""
    partners, by_path = {}, {}
    for partner in (
        PartnerPage.objects.live()
        .public()
        .filter(locale_id__in={locale.pk, default_id})
        .select_related("logo")
    ):
        by_path[partner.path] = partner
        entry = partners.setdefault(partner.translation_key, {})
        entry[partner.locale_id] = partner
    options = []
    for versions in partners.values():
        source = versions.get(default_id)
        if source is None:
            continue
        shown = versions.get(locale.pk, source)
        options.append((source.pk, shown.title))
    options.sort(key=lambda c: c[1].lower())
    keep_many("partner", by_path, SITE_ONLY)
    return options


CLOCK_FIELDS = ("start", "end", "signup_deadline")


def session_clock(now=None):
    """The instant up to which what the catalogue, the cards and a course
    page show of dates stays as it is at `now`: the next start, end or
    sign-up deadline of a session. A course's next date, its count of dates
    ahead, whether it is past or in the archive turn on session ends
    (`end >= now`); whether a session takes sign-ups on its start and its
    deadline. Between two such instants nothing changes but the time of day.

    Kept per content generation with the instant it was worked out at, so
    that it is read back only for times it holds for (a process whose clock
    lags never takes a later state for its own)."""
    now = now or timezone.now()
    until = known_session_clock(now)
    if until is not None:
        return until
    # The first of each from now, one indexed row each (as `with_session_clock`
    # finds them), read on any one session (none at all: none ahead); the
    # SQL compiled once per process (home/prepared.py).
    names = [f"clock_{name}" for name in CLOCK_FIELDS]

    def build(now):
        return with_session_clock(CourseSession.objects.order_by("pk"), now).values_list(*names)[:1]

    found = prepared.rows(("session-clock",), build, now)
    return keep_session_clock(now, found[0] if found else [None] * len(CLOCK_FIELDS))


def _clock_cache_key():
    return f"catalogue:clock:{generation(*COURSES)}"


def known_session_clock(now):
    """The session clock kept for `now`, or None."""
    known = cache.get(_clock_cache_key())
    if known is not None and known[0] <= now <= known[1]:
        return known[1]
    return None


def keep_session_clock(now, instants):
    """Keep the session clock worked out at `now` from `instants` (the next
    start, end and sign-up deadline of any session, None where there is
    none) and return it."""
    until = min((instant for instant in instants if instant), default=NO_END_AHEAD)
    cache.set(_clock_cache_key(), (now, until), 3600)
    return until


def with_session_clock(queryset, now):
    """`queryset` with what `session_clock` asks for at `now` on each row
    (`clock_start`, `clock_end`, `clock_signup_deadline`: the first of each
    at or after `now` over every session), so that a query that reads
    sessions anyway works the clock out too (`keep_session_clock`)."""
    return queryset.annotate(
        **{
            f"clock_{name}": Subquery(
                CourseSession.objects.filter(**{f"{name}__gte": now})
                .order_by(name)
                .values(name)[:1]
            )
            for name in CLOCK_FIELDS
        }
    )


def clock_read(read, now):
    """The sessions `read(clock_known)` reads (a list of sessions read
    anyway: with `with_session_clock` unless `clock_known`), with the session
    clock kept from them when it was not: after a change, one query where
    there were two."""
    clock_known = known_session_clock(now) is not None
    sessions = read(clock_known)
    if sessions and not clock_known:
        keep_session_clock(now, [getattr(sessions[0], f"clock_{name}") for name in CLOCK_FIELDS])
    return sessions


def clock_key(now=None):
    """What time-dependent fragments are keyed by: the session clock (and the
    day, for the periods the filters name: the next 7 and 30 days)."""
    now = now or timezone.now()
    return f"{session_clock(now).timestamp():.0f}:{timezone.localdate(now).isoformat()}"


def filter_form(request, locale, default_id):
    """The filter form bound to the visitor's query, its cleaned data and
    the localised topics."""
    topics_by_key = localized_topics(locale, default_id)
    topics, partners = filter_choices(locale, default_id, topics_by_key)
    form = CatalogueFilterForm(request.GET or None, topics=topics, partners=partners)
    data = form.valid_data() if request.GET else {}
    return form, data, topics_by_key


def matching_queryset(data, locale, default_id, now=None):
    """The courses that match the cleaned filter data, sorted."""
    courses = annotate_dates(course_base_queryset(locale, default_id), default_id, now)
    return apply_sort(apply_filters(courses, data, default_id, now), data)


def filtered_courses(request, locale, default_id):
    """The filter form and the matching, sorted courses (a queryset)."""
    form, data, topics_by_key = filter_form(request, locale, default_id)
    return form, data, matching_queryset(data, locale, default_id), topics_by_key


def query_digest(request, *ignored):
    """The visitor's query string, in a canonical order and without `ignored`
    parameters, as a short hash for cache keys."""
    items = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in ignored
        for value in values
    )
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]


def relax_hints(form, data, request, locale, default_id, now=None):
    """For an empty result: how many courses each filter, removed alone,
    would let in (all counted in one query)."""
    active = form.active_filters(data)
    if not active:
        return []
    now = now or timezone.now()
    found = {}

    def search(text):  # the same text for every hint: searched once
        if text not in found:
            found[text] = search_ids(text)
        return found[text]

    counts = {}
    for number, (name, _label) in enumerate(active):
        relaxed = {key: value for key, value in data.items() if key != name}
        if name == "when":
            relaxed.pop("date_from", None)
            relaxed.pop("date_to", None)
        conditions = filter_conditions(relaxed, default_id, now, search)
        counts[f"hint_{number}"] = Case(
            CaseWhen(reduce(operator.and_, conditions), then=1),
            default=0,
            output_field=IntegerField(),
        )
    courses = annotate_dates(course_base_queryset(locale, default_id), default_id, now)
    totals = courses.annotate(**counts).aggregate(**{f"total_{name}": Sum(name) for name in counts})
    hints = []
    for number, (name, label) in enumerate(active):
        query = request.GET.copy()
        for key in (name, "page"):
            query.pop(key, None)
        hints.append(
            {
                "label": str(label),
                "count": totals[f"total_hint_{number}"],
                "url": "?" + query.urlencode(),
            }
        )
    return hints


def matching_courses(form, data, request, locale, default_id, now, query_key):
    """The ids of the matching courses in their order, for an empty result
    the hints on which filter to remove, and {id: its topics' translation
    keys} when the ids were read now (else None). Kept per content
    generation, language, session clock and query string (the page number
    aside): the same filters give the same list until content changes or a
    session ends (`query_key`: the session clock and the query)."""
    key = f"catalogue:results:{generation(*COURSES)}:{locale.pk}:{default_id}:{query_key}"
    found = cache.get(key)
    topic_keys = None
    if found is None:
        ids, topic_keys = ids_and_topic_keys(matching_rows(data, locale, default_id, now))
        hints = [] if ids else relax_hints(form, data, request, locale, default_id, now)
        found = (ids, hints)
        cache.set(key, found, 3600)
    return (*found, topic_keys)


def id_rows(courses):
    """(id, a topic's translation key) of `courses`, in their order: a row per
    course and topic (`ids_and_topic_keys`)."""
    return courses.values_list("pk", "topics__translation_key").order_by(
        *courses.query.order_by, "topics__name", "topics__pk"
    )


def matching_rows(data, locale, default_id, now):
    """`id_rows` of the courses matching `data`; the SQL compiled once per
    process for the same filters (home/prepared.py), but for a text search
    (the ids it finds are the SQL's) and filters of dates relative to today
    (`prepared` finds they move with the time and builds them each time).
    What else `filter_conditions` writes into the SQL is in the shape."""

    def build(now):
        return id_rows(matching_queryset(data, locale, default_id, now))

    if data.get("q"):
        return list(build(now))
    filters = tuple(sorted((name, repr(value)) for name, value in data.items()))
    # What `filter_conditions` reads to write the SQL: the partner's
    # translation key (a partner's id reused by another partner is another key).
    read = partner_key(data["partner"]) if data.get("partner") else None
    shape = ("catalogue", locale.pk, default_id, filters, read, hidden_inputs())
    return prepared.rows(shape, build, now)


def ids_and_topic_keys(rows):
    """The ids of the courses of `rows` (`id_rows`) in their order, and {id:
    its topics' translation keys, by topic name} as the cards read them
    (`_topic_keys`): one query, a row per course and topic."""
    ids, topic_keys = [], {}
    for pk, key in rows:
        if pk not in topic_keys:
            ids.append(pk)
            topic_keys[pk] = []
        if key is not None:
            topic_keys[pk].append(key)
    return ids, topic_keys


def catalogue_context(index_page, request):
    """The filter form and one page of matching courses (as ids: the
    template's `course_cards` renders them, most from the cache)."""
    locale = Locale.get_active()
    default_id = default_locale_id()
    now = timezone.now()
    form, data, _topics = filter_form(request, locale, default_id)
    # The session clock and the visitor's query (page aside), for the matches
    # and the filter form's fragment alike.
    query_key = f"{clock_key(now)}:{query_digest(request, 'page')}"
    ids, hints, topic_keys = matching_courses(
        form, data, request, locale, default_id, now, query_key
    )
    paginator = Paginator(ids, PER_PAGE)
    try:
        results = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        results = paginator.page(1)
    except EmptyPage:
        results = paginator.page(paginator.num_pages)
    if topic_keys is not None:  # read with the ids: the cards shown need not read them
        keep_many("topic-keys", {pk: topic_keys[pk] for pk in results.object_list}, COURSES)
    active = form.active_filters(data)
    return {
        "filter_form": form,
        "filter_form_key": query_key,
        "courses": results,
        "archive": bool(data.get("archive")),
        "active_filters": active,
        "relax_hints": hints,
        "filters_invalid": bool(form.errors),
        "export_query": request.GET.urlencode(),
    }
