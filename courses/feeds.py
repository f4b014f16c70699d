"""Calendar feeds (RFC 5545) of the Academy's sessions.

Every feed is built the same way, in a constant number of queries whatever
the number of sessions:

1. a query set builder per kind of feed picks the sessions (`academy_sessions`,
   `course_sessions`, `partner_sessions`, `topic_sessions`, `comune_sessions`,
   `filtered_sessions`, `personal_signups`) — always of live, public Italian
   course pages, since sessions live on the Italian page (docs/architecture.md);
   the public feeds read them as rows (`feed_sessions`), not model instances;
2. `FeedContext.load` fetches, in bulk, what the events show in the feed's
   language (translated titles, partners, topics, URLs);
3. `build_calendar` turns the sessions into VEVENTs with
   `courses.ical.session_properties`, the one definition of a session's
   event (written by `ical.VeventWriter`, the same bytes as
   `ical.session_vevent`), so a session has the same UID in every feed and
   e-mail; each course's serialised events are kept in the cache under a
   key naming all they show (`serialised_events`), so a rebuild serialises
   only the events of the courses that changed.

Generated bodies are cached under a "generation" that signals bump whenever a
page is published, unpublished, moved or deleted, or a session, venue, topic
or view restriction changes (see `bump_generation`); personal feeds also
under a generation of their own that sign-ups bump
(`bump_personal_generation`), since no public feed shows a sign-up.
A feed's version (its ETag) comes from the generation alone
(`feed_version`); its body is kept gzip-compressed (`cached_body`).
"""

import contextlib
import datetime
import gc
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from home.choices import Comune, ProjectArea
from home.fields import ChoiceListField
from home.request_memo import locales_by_code, remembered
from home.search_query import SearchTextField
from partners.choices import Audience, PartnerType
from partners.models import PartnerPage

from . import booking, feed_deadlines, ical
from .choices import Format, SignupMode, TaughtLanguage
from .models import CoursePage, CourseSession, Signup, Topic, Venue
from .models.bookings import SignupStatus

# Past sessions stay in feeds this long, so calendars keep recent history.
PAST_WINDOW = datetime.timedelta(days=92)
REFRESH = datetime.timedelta(hours=1)
GENERATION_KEY = "courses.feeds.generation"
PERSONAL_GENERATION_KEY = "courses.feeds.generation.personal"
BODY_TIMEOUT = 24 * 3600
# zlib's default: ~2 ms more per 1,000 events than level 1, ~12% smaller.
GZIP_LEVEL = 6
BODY_MEMO_BYTES = 16 * 2**20  # per process: ~150 large feeds, compressed
EVENT_TIMEOUT = 7 * 24 * 3600
MAX_SEARCH_RESULTS = 1000


# --- Cache generation -----------------------------------------------------------


def generation(personal=False):
    """(token, when) of the current generation of the public feeds, or of
    the personal feeds (which also change with every sign-up); starts one
    if none. Read once per request (a feed's address and its body are
    looked up under the same generation)."""
    value = remembered(GENERATION_KEY, lambda: cache.get(GENERATION_KEY) or _bump(GENERATION_KEY))
    if not personal:
        return value
    own = remembered(
        PERSONAL_GENERATION_KEY,
        lambda: cache.get(PERSONAL_GENERATION_KEY) or _bump(PERSONAL_GENERATION_KEY),
    )
    return f"{value[0]}.{own[0]}", max(value[1], own[1])


def _bump(key):
    # A timestamp, so that it also serves as Last-Modified and a cache that
    # lost it starts a newer generation, never an older one.
    value = (f"{time.time_ns():x}", time.time())
    cache.set(key, value, None)
    return value


def _bump_public_on_commit():
    _bump(GENERATION_KEY)


def _bump_personal_on_commit():
    _bump(PERSONAL_GENERATION_KEY)


def _bump_now_and_on_commit(key, on_commit):
    """Bump at once and, inside a transaction, once more when it commits: a
    feed built by another request between the change and the commit read
    the old data and must not stay cached under the new generation (as
    home.cache does for pages)."""
    value = _bump(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is on_commit for entry in connection.run_on_commit
    ):
        transaction.on_commit(on_commit)
    return value


def bump_generation(**kwargs):
    """Invalidate every cached feed (connected to signals in feed_signals.py)."""
    return _bump_now_and_on_commit(GENERATION_KEY, _bump_public_on_commit)


def bump_personal_generation(**kwargs):
    """Invalidate the personal feeds only: sign-ups and participants change
    nothing that a public feed shows (no seat counts), so a sign-up leaves
    the big public feeds cached."""
    return _bump_now_and_on_commit(PERSONAL_GENERATION_KEY, _bump_personal_on_commit)


# --- Which sessions ------------------------------------------------------------


def default_locale_id():
    return Locale.get_default().pk


def public_source_pages():
    """Live, public Italian course pages (the pages that hold sessions)."""
    return CoursePage.objects.live().public().filter(locale_id=default_locale_id())


def feed_course_pages():
    """Course pages as feeds load them: without the two StreamFields (the
    page's body and documents), which no event shows and which cost the
    most to load."""
    return CoursePage.objects.select_related("locale").defer("description", "documents")


def base_sessions(now=None):
    now = now or timezone.now()
    return (
        CourseSession.objects.filter(page__in=public_source_pages(), end__gte=now - PAST_WINDOW)
        # Each course and venue once (not once per session, as a join would):
        .prefetch_related(Prefetch("page", feed_course_pages()), "venue")
        .order_by("start", "sort_order", "pk")
    )


class FeedSession:
    """A session as the public feeds read it: the columns its event shows
    (`ical.session_fingerprint`) and the feed groups and describes it by,
    with its course page and venue. Read as rows rather than model
    instances: a 3,000-session feed built from scratch spent a quarter of
    its time making the instances."""

    FIELDS = (
        "pk",
        "page_id",
        "venue_id",
        "uid",
        "sequence",
        "created_at",
        "modified_at",
        "start",
        "end",
        "status",
        "note",
        "online_notes",
        "format",
    )
    __slots__ = (*FIELDS, "page", "venue")

    def __init__(self, row, page, venue):
        (
            self.pk,
            self.page_id,
            self.venue_id,
            self.uid,
            self.sequence,
            self.created_at,
            self.modified_at,
            self.start,
            self.end,
            self.status,
            self.note,
            self.online_notes,
            self.format,
        ) = row
        self.page, self.venue = page, venue


def feed_sessions(sessions):
    """The sessions of the query set `sessions` (from the builders above),
    in its order, as `FeedSession`s: three queries, as the query set's own
    prefetching makes (its rows, their course pages, their venues)."""
    rows = list(sessions.prefetch_related(None).values_list(*FeedSession.FIELDS))
    if not rows:
        return []
    pages = feed_course_pages().in_bulk({row[1] for row in rows})
    venues = Venue.objects.in_bulk({row[2] for row in rows} - {None})
    # (a course deleted between the two reads drops its sessions, as the
    # next build would)
    return [FeedSession(row, pages[row[1]], venues.get(row[2])) for row in rows if row[1] in pages]


def with_parent_path(sessions):
    return sessions.annotate(
        parent_path=Substr("page__path", 1, Length("page__path") - Page.steplen)
    )


def academy_sessions():
    return base_sessions()


def course_sessions(course):
    return base_sessions().filter(page__translation_key=course.translation_key)


def partner_sessions(partner):
    return filtered_sessions({"partner": partner.translation_key})


def topic_sessions(topic):
    return filtered_sessions({"topic": topic.slug})


def comune_sessions(comune):
    return filtered_sessions({"comune": comune})


def filtered_sessions(data):
    """Sessions matching the catalogue's filters (cleaned by FeedFilterForm).

    Course-level filters (topic, area, partner…) apply to the course;
    `comune` and `format` apply to each session, so a calendar shows exactly
    the meetings held in that comune or in that format."""
    sessions = base_sessions()
    if data.get("q"):
        ids = [page.pk for page in CoursePage.objects.search(data["q"])[:MAX_SEARCH_RESULTS]]
        keys = CoursePage.objects.filter(pk__in=ids).values("translation_key")
        sessions = sessions.filter(page__translation_key__in=keys)
    if data.get("topic"):
        sessions = sessions.filter(
            Exists(Topic.objects.filter(courses=OuterRef("page_id"), slug=data["topic"]))
        )
    if data.get("area"):
        sessions = sessions.filter(page__area=data["area"])
    if data.get("partner_type") or data.get("partner"):
        sessions = with_parent_path(sessions)
    if data.get("partner_type"):
        sessions = sessions.filter(
            Exists(
                PartnerPage.objects.filter(
                    path=OuterRef("parent_path"), partner_type=data["partner_type"]
                )
            )
        )
    if data.get("partner"):
        key = data["partner"]
        sessions = sessions.filter(
            Exists(Page.objects.filter(path=OuterRef("parent_path"), translation_key=key))
            | Exists(
                PartnerPage.objects.filter(
                    co_organised_courses=OuterRef("page_id"), translation_key=key
                )
            )
        )
    if data.get("comune"):
        sessions = sessions.filter(venue__comune=data["comune"])
    if data.get("format"):
        sessions = sessions.filter(format=data["format"])
    if data.get("audience"):
        sessions = sessions.filter(
            Q(**ChoiceListField.contains("page__audiences", data["audience"]))
            | Q(**ChoiceListField.contains("page__audiences", Audience.EVERYONE))
        )
    if data.get("language"):
        sessions = sessions.filter(**ChoiceListField.contains("page__languages", data["language"]))
    if data.get("free"):
        sessions = sessions.filter(page__is_free=True)
    return sessions


def personal_signups(participant):
    """The participant's places on public sessions, one per session: the
    active one if any (confirmed, reserved, waiting list), else the latest
    ended one, so calendars remove what was cancelled.

    A sign-up to a whole series hangs on the course's first session: it
    stays while any session of the course is within `PAST_WINDOW`, and
    `build_personal_calendar` keeps each session by its own date."""
    since = timezone.now() - PAST_WINDOW
    series_still_on = Q(session__page__signup_mode=SignupMode.SERIES) & Exists(
        CourseSession.objects.filter(page_id=OuterRef("session__page_id"), end__gte=since)
    )
    signups = (
        Signup.objects.filter(participant=participant, session__page__in=public_source_pages())
        .filter(Q(session__end__gte=since) | series_still_on)
        .select_related("session", "session__page", "session__page__locale", "session__venue")
        .order_by("session__start", "session__sort_order", "session_id", "pk")
    )
    chosen = {}
    for signup in signups:
        current = chosen.get(signup.session_id)
        if current is None or signup.is_active or not current.is_active:
            chosen[signup.session_id] = signup
    return list(chosen.values())


PERSONAL_STATUS = {
    SignupStatus.CONFIRMED: "CONFIRMED",
    SignupStatus.RESERVED: "TENTATIVE",
    SignupStatus.WAITLISTED: "TENTATIVE",
}


# --- Filters --------------------------------------------------------------------


class FeedFilterForm(forms.Form):
    """The catalogue's GET parameters, strictly: a feed URL with a value we
    do not know is answered with 400 rather than silently widened."""

    q = SearchTextField(required=False, max_length=200)
    topic = forms.SlugField(required=False, max_length=80)
    area = forms.ChoiceField(required=False, choices=[("", ""), *ProjectArea.choices])
    partner_type = forms.ChoiceField(required=False, choices=[("", ""), *PartnerType.choices])
    partner = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    comune = forms.ChoiceField(required=False, choices=[("", ""), *Comune.choices])
    format = forms.ChoiceField(required=False, choices=[("", ""), *Format.choices])
    free = forms.TypedChoiceField(
        required=False,
        choices=[("", ""), ("1", "1"), ("on", "on"), ("true", "true"), ("0", "0")],
        coerce=lambda v: v in ("1", "on", "true"),
        empty_value=False,
    )
    audience = forms.ChoiceField(required=False, choices=[("", ""), *Audience.choices])
    language = forms.ChoiceField(required=False, choices=[("", ""), *TaughtLanguage.choices])

    PARAMS = ("q", "topic", "area", "partner_type", "partner", "comune", "format", "free")
    PARAMS += ("audience", "language")
    # Catalogue parameters that do not narrow a calendar (pages, sorting,
    # dates: a feed always runs from a few months ago into the future).
    IGNORED = ("page", "sort", "when", "date_from", "date_to", "archive")

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.unknown = sorted(set(data) - set(self.PARAMS) - set(self.IGNORED))
        self.repeated = sorted(
            name for name in self.PARAMS if hasattr(data, "getlist") and len(data.getlist(name)) > 1
        )

    def clean_topic(self):
        slug = self.cleaned_data["topic"]
        if slug and not Topic.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Unknown topic."))
        return slug

    def clean_partner(self):
        partner_id = self.cleaned_data["partner"]
        if partner_id is None:
            return ""
        key = (
            PartnerPage.objects.live()
            .filter(pk=partner_id)
            .values_list("translation_key", flat=True)
            .first()
        )
        if key is None:
            raise forms.ValidationError(_("Unknown partner."))
        return key

    def error_message(self):
        """A short, plain explanation of what is wrong, or '' if nothing."""
        if self.unknown:
            return _("Unknown filter: %(names)s.") % {"names": ", ".join(self.unknown)}
        if self.repeated:
            return _("Give each filter once: %(names)s.") % {"names": ", ".join(self.repeated)}
        if not self.is_valid():
            names = ", ".join(sorted(self.errors))
            return _("Invalid value for: %(names)s.") % {"names": names}
        return ""

    def key(self):
        """A canonical description of the filters, for cache keys."""
        data = self.cleaned_data
        return "&".join(f"{name}={data[name]}" for name in self.PARAMS if data.get(name))


# --- What the events show -------------------------------------------------------


@dataclass
class FeedContext:
    """Everything the events need in the feed's language, fetched in bulk."""

    language: str
    request: object = None
    courses: dict = field(default_factory=dict)  # translation_key -> page shown
    partners: dict = field(default_factory=dict)  # Italian partner path -> partner shown
    topics: dict = field(default_factory=dict)  # Italian page id -> [topic names]
    stamp: datetime.datetime = None
    urls: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)  # page id -> what its events show
    formats: dict = field(default_factory=dict)  # format -> its name
    arguments: dict = field(default_factory=dict)  # see `event_arguments`

    @classmethod
    def load(cls, sessions, language, request=None):
        context = cls(language=language, request=request, stamp=timezone.now())
        pages = {s.page_id: s.page for s in sessions}
        if not pages:
            return context
        default_id = default_locale_id()
        locale = locales_by_code().get(language)  # (read once per request)
        keys = {page.translation_key for page in pages.values()}
        context.courses = {page.translation_key: page for page in pages.values()}
        other_language = locale is not None and locale.pk != default_id
        if other_language:
            translated = (
                feed_course_pages().live().public().filter(locale=locale, translation_key__in=keys)
            )
            for page in translated:
                context.courses[page.translation_key] = page
        # Partners: the parents of the Italian pages, shown in the language
        # (their live translations read with them).
        parent_paths = {page.path[: -Page.steplen] for page in pages.values()}
        wanted = Q(path__in=parent_paths)
        if other_language:
            italian_keys = PartnerPage.objects.filter(wanted).values("translation_key")
            wanted |= Q(live=True, locale=locale, translation_key__in=italian_keys)
        partners = PartnerPage.objects.filter(wanted).only(
            "id", "path", "title", "email", "translation_key", "locale_id"
        )
        italian_partners, shown = [], {}
        for partner in partners:
            if partner.path in parent_paths:
                italian_partners.append(partner)
            else:
                shown[partner.translation_key] = partner
        context.partners = {p.path: shown.get(p.translation_key, p) for p in italian_partners}
        # Topics, named in the language (falling back to Italian).
        through = CoursePage.topics.through
        links = list(
            through.objects.filter(coursepage_id__in=pages).values_list(
                "coursepage_id", "topic__translation_key"
            )
        )
        names = {}
        topic_locales = {default_id} | ({locale.pk} if locale else set())
        for topic in Topic.objects.filter(
            locale_id__in=topic_locales, translation_key__in={key for _id, key in links}
        ).order_by("name"):
            if topic.translation_key not in names or (locale and topic.locale_id == locale.pk):
                names[topic.translation_key] = topic.name
        for page_id, key in links:
            if key in names:
                context.topics.setdefault(page_id, []).append(names[key])
        return context

    def course(self, session):
        return self.courses.get(session.page.translation_key, session.page)

    def partner(self, session):
        return self.partners.get(session.page.path[: -Page.steplen])

    def url(self, page):
        if page.pk not in self.urls:
            self.urls[page.pk] = page.get_full_url(self.request)
        return self.urls[page.pk]


def organizer_for(course, partner):
    email = (
        course.contact_email or (partner.email if partner else "") or settings.DEFAULT_FROM_EMAIL
    )
    name = partner.title if partner else _("Territorial Academy")
    return name, email


def event_arguments(session, context, status=None, extra=""):
    """What `ical.session_vevent` is given for `session` in this feed: one
    dict, shared and not to be changed, for the sessions of a course with
    the same format (status and extra line), so that a build does not make
    3,000 copies of its 300 courses' arguments."""
    key = (session.page_id, session.format, status, extra)
    arguments = context.arguments.get(key)
    if arguments is None:
        arguments = context.arguments[key] = course_arguments(session, context, status, extra)
    return arguments


def course_arguments(session, context, status, extra):
    course = context.course(session)
    shown = context.shown.get(course.pk)
    if shown is None:
        partner = context.partner(session)
        lines = [course.summary] if course.summary else []
        if partner is not None:
            lines.append(_("Organised by %(partner)s.") % {"partner": partner.title})
        shown = context.shown[course.pk] = (
            lines,
            {"title": course.title, "url": context.url(course)},
            organizer_for(course, partner),
        )
    lines, arguments, organizer = shown
    if extra:
        lines = [extra, *lines]
    if session.format not in context.formats:
        context.formats[session.format] = str(Format(session.format).label)
    return {
        **arguments,
        "description": "\n\n".join(lines),
        "status": status,
        "organizer": organizer,
        "categories": [*context.topics.get(session.page_id, ()), context.formats[session.format]],
    }


def event_for(session, context, status=None, extra=""):
    return ical.session_vevent(
        session, stamp=context.stamp, **event_arguments(session, context, status, extra)
    )


def event_cache_key(session, arguments):
    """Names everything the session's VEVENT shows: its fields
    (`ical.session_fingerprint`, which includes the code's version) and what
    the feed gives it in its language. A change to any of them is another
    key, so cached events never need invalidating; unused ones expire."""
    return block_cache_key([(session, arguments)])


def block_cache_key(block):
    """Names everything the VEVENTs of `block` show, (session, arguments)
    pairs of one course in a feed's order: as `event_cache_key` for each
    event, with the arguments most of them share (the course's) written
    once."""
    first = block[0][1]
    described = repr(
        (
            first,
            [
                (ical.session_fingerprint(session), None if arguments == first else arguments)
                for session, arguments in block
            ],
        )
    )
    return "courses.feeds.events." + hashlib.sha256(described.encode()).hexdigest()[:40]


def serialised_events(sessions, context):
    """The VEVENTs of `sessions` as bytes, in order.

    Events not in the cache are written by one `ical.VeventWriter`, which
    has icalendar write each line the events share (course, venue) once
    per build. A feed of 3,000 sessions is rebuilt at every generation (a
    publish or a session edit starts one) while almost none of its events
    changed, and reading events back costs less than writing them, so each
    course's events in the feed (its block) are kept together, without
    their DTSTAMP, under `block_cache_key`: one key per course rather than
    per event (300 keys to compute, read and store for 3,000 events rather
    than 3,000), and a changed session has its course's events written
    again (a few, at ~15 µs each). Each event gets the build's DTSTAMP when
    the feed is assembled: the body is the same as a build from scratch."""
    blocks = {}
    for index, session in enumerate(sessions):
        arguments = event_arguments(session, context)
        blocks.setdefault(session.page_id, []).append((index, session, arguments))
    keyed = [
        (block_cache_key([(session, arguments) for _index, session, arguments in block]), block)
        for block in blocks.values()
    ]
    found = cache.get_many([key for key, _block in keyed])
    built = {}
    bodies = [None] * len(sessions)
    writer = ical.VeventWriter()
    for key, block in keyed:
        written = found.get(key)
        if written is None:
            written = built[key] = [
                ical.without_stamp(ical.session_properties(session, **arguments), writer)
                for _index, session, arguments in block
            ]
        for (index, _session, _arguments), body in zip(block, written, strict=True):
            bodies[index] = body
    if built:
        cache.set_many(built, EVENT_TIMEOUT)
    return ical.with_stamp(bodies, context.stamp)


def build_calendar(sessions, *, name, description, language, request=None, deadlines=None):
    """The VCALENDAR of `sessions` (a list), serialised: one VEVENT per
    session, and one per challenge or opportunity deadline in `deadlines`
    (see `courses.feed_deadlines`)."""
    context = FeedContext.load(sessions, language, request)
    events = serialised_events(sessions, context)
    if deadlines is not None:
        events += [
            event.to_ical()
            for event in feed_deadlines.deadline_events(
                deadlines, request=request, stamp=context.stamp
            )
        ]
    return ical.calendar_bytes(feed_calendar([], name=name, description=description), events)


def deadlines_of(language, **filters):
    """The challenge and opportunity deadlines a feed in `language` shows
    (same window as past sessions)."""
    return feed_deadlines.select(since=timezone.now() - PAST_WINDOW, language=language, **filters)


def build_personal_calendar(signups, *, name, description, language, request=None):
    """The personal feed: each place with its state (confirmed, waiting list
    with its position, cancelled), under the session's usual UID."""
    places = booking.sessions_covered(signups, since=timezone.now() - PAST_WINDOW)
    context = FeedContext.load([session for _signup, session in places], language, request)
    positions = booking.waitlist_positions(signups)
    events = [personal_event(signup, session, context, positions) for signup, session in places]
    return feed_calendar(events, name=name, description=description).to_ical()


def personal_event(signup, session, context, positions):
    """One session of the sign-up, with the place's state (a session the
    organiser cancelled is cancelled whatever the sign-up)."""
    if session.is_cancelled:
        status, extra = "CANCELLED", _("This session was cancelled.")
    elif signup.status == SignupStatus.WAITLISTED:
        status = PERSONAL_STATUS[signup.status]
        extra = _("You are number %(position)s on the waiting list.") % {
            "position": positions.get(signup.pk, "?")
        }
    elif signup.status == SignupStatus.RESERVED:
        status = PERSONAL_STATUS[signup.status]
        extra = _("Seat reserved: confirm your e-mail address to keep it.")
    elif signup.status == SignupStatus.CONFIRMED:
        status, extra = "CONFIRMED", _("You have a seat.")
    else:
        status, extra = "CANCELLED", _("Your sign-up was cancelled.")
    return event_for(session, context, status=status, extra=extra)


def feed_calendar(events, *, name, description):
    cal = ical.calendar(events, name=name)
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


# --- Cache ------------------------------------------------------------------------


def feed_version(key, language, personal=False):
    """(version, last_modified) of a feed: `version` names its body in the
    cache and is its ETag. Both come from the generation alone (one small
    cache read), so a conditional GET is answered without the body."""
    token, when = generation(personal)
    day = timezone.localdate().isoformat()  # past sessions age out daily
    version = hashlib.sha256(f"{key}|{language}|{token}|{day}".encode()).hexdigest()[:32]
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    ).timestamp()
    last_modified = datetime.datetime.fromtimestamp(max(when, midnight), tz=datetime.UTC)
    return version, last_modified


def compress(body):
    """`body` gzip-compressed (RFC 1952), the same bytes for the same body."""
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class ProcessMemo:
    """A small least-recently-used store in this process's memory for values
    whose key names their generation (a feed's version, a generation
    token): such a value never goes stale, so nothing invalidates it; a new
    generation is another key and old ones are pushed out. Holds at most
    `budget`, counted by `cost(value)`."""

    def __init__(self, budget, cost=len):
        self.budget, self.cost = budget, cost
        self.items, self.used = OrderedDict(), 0
        self.lock = threading.Lock()

    def get(self, key, default=None):
        with self.lock:
            if key not in self.items:
                return default
            self.items.move_to_end(key)
            return self.items[key]

    def set(self, key, value):
        cost = self.cost(value)
        if cost > self.budget:
            return
        with self.lock:
            if key in self.items:
                self.used -= self.cost(self.items.pop(key))
            self.items[key] = value
            self.used += cost
            while self.used > self.budget:
                _key, old = self.items.popitem(last=False)
                self.used -= self.cost(old)

    def clear(self):
        with self.lock:
            self.items.clear()
            self.used = 0


# Compressed bodies this process served lately: a hit reads only the
# generation from the shared cache, not the body (~110 kB for 3,000 events).
BODIES = ProcessMemo(BODY_MEMO_BYTES)
MISSING = object()


def cached_body(version, build):
    """(compressed, body) of the feed `version`, built at most once per
    generation. Kept gzip-compressed only (a 3,000-event feed: 1.7 MB,
    ~110 kB compressed), in the shared cache and in this process
    (`BODIES`): calendar apps take it as it is; `body` is the uncompressed
    one when it was just built, else None (decompress `compressed` for a
    client without gzip)."""
    compressed = BODIES.get(version)
    if compressed is not None:
        return compressed, None
    cache_key = f"courses.feeds.gzip.{version}"
    compressed = cache.get(cache_key)
    body = None
    if compressed is None:
        with collector_paused():
            body = build()
            compressed = compress(body)
        cache.set(cache_key, compressed, BODY_TIMEOUT)
    BODIES.set(version, compressed)
    return compressed, body


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for the block: a build
    makes tens of thousands of objects (rows, model instances, content
    lines) that all live until it ends, and the collector would walk them
    again and again (a 3,000-event build took ~20% longer with it on). None
    of them forms a cycle that needs it: reference counting frees them."""
    if not gc.isenabled():  # paused by an enclosing block (or another thread)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# What a feed's address names (its page, live and public, in the language;
# its topic), per generation and process: answered from the cache, a feed
# runs no query. Only read, never changed, by the requests that share it.
LOOKUPS = ProcessMemo(1024, cost=lambda value: 1)


def per_generation(name, find):
    """`find()` (any value, None included) for the current generation of the
    public feeds, worked out once per generation in each process."""
    key = (generation()[0], name)
    value = LOOKUPS.get(key, MISSING)
    if value is MISSING:
        value = find()
        LOOKUPS.set(key, value)
    return value


COMUNE_NAMES = dict(Comune.choices)
FEED_TITLE = gettext_lazy("Territorial Academy")


# --- Names -----------------------------------------------------------------------


def _in_language(rows):
    """The row in the active language among a translation set's `rows`
    (with their locale), or any of them."""
    by_language = {row.locale.language_code: row for row in rows}
    return by_language.get(get_language()) or next(iter(by_language.values()), None)


def filter_names(data):
    """What a filtered calendar shows, in words, in the active language:
    ["Sartoria", "Pioltello", "free"] for the catalogue's filters `data`
    (cleaned by FeedFilterForm). Read when the feed is built, not when the
    catalogue links to it: the catalogue's page keeps its query budget."""
    names = []
    if data.get("q"):
        names.append(f"“{data['q']}”")
    if data.get("topic"):
        topic = _in_language(Topic.objects.filter(slug=data["topic"]).select_related("locale"))
        if topic is not None:
            names.append(topic.name)
    if data.get("partner"):
        partners = PartnerPage.objects.live().public().filter(translation_key=data["partner"])
        partner = _in_language(partners.select_related("locale"))
        if partner is not None:
            names.append(partner.title)
    labelled = (
        ("area", ProjectArea),
        ("partner_type", PartnerType),
        ("comune", Comune),
        ("format", Format),
        ("audience", Audience),
        ("language", TaughtLanguage),
    )
    for name, choices in labelled:
        if data.get(name):
            names.append(str(choices(data[name]).label))
    if data.get("free"):
        names.append(pgettext("courses in a calendar name", "free"))
    return names


def describe(kind, obj=None):
    """(X-WR-CALNAME, X-WR-CALDESC) of a feed, in the active language.

    `obj` is the course or partner page (in the reader's language), the
    Topic, the comune key, the FeedFilterForm, or the participant."""
    academy = str(FEED_TITLE)
    if kind == "academy":
        return (
            _("%(academy)s: all courses") % {"academy": academy},
            _(
                "Every session of the Territorial Academy's courses in Adda Martesana, "
                "and the deadlines of the network's challenges and opportunities."
            ),
        )
    if kind == "course":
        return (
            f"{obj.title} · {academy}",
            _("The sessions of the course “%(course)s”.") % {"course": obj.title},
        )
    if kind == "partner":
        return (
            _("Courses by %(partner)s") % {"partner": obj.title} + f" · {academy}",
            _(
                "The sessions of the courses organised by %(partner)s, and the deadlines "
                "of its challenges and opportunities."
            )
            % {"partner": obj.title},
        )
    if kind == "topic":
        return (
            _("Courses on %(topic)s") % {"topic": obj.name} + f" · {academy}",
            _("The sessions of the courses on %(topic)s.") % {"topic": obj.name},
        )
    if kind == "comune":
        name = COMUNE_NAMES.get(obj, obj)
        return (
            _("Courses in %(comune)s") % {"comune": name} + f" · {academy}",
            _(
                "The sessions held in %(comune)s, and the deadlines of the challenges "
                "and opportunities there."
            )
            % {"comune": name},
        )
    if kind == "filter":
        chosen = filter_names(obj.cleaned_data) if obj is not None else []
        if chosen:
            return (
                _("Courses: %(filters)s") % {"filters": ", ".join(chosen)} + f" · {academy}",
                _(
                    "The sessions of the courses matching the filters chosen in the catalogue: "
                    "%(filters)s."
                )
                % {"filters": ", ".join(chosen)},
            )
        return (
            _("Selected courses") + f" · {academy}",
            _("The sessions of the courses matching the filters chosen in the catalogue."),
        )
    if kind == "session":
        return (f"{obj} · {academy}", _("One session of a course of the Territorial Academy."))
    if kind == "personal":
        return (
            _("My sign-ups") + f" · {academy}",
            _("Your seats and waiting-list places. Keep this address private."),
        )
    raise ValueError(kind)
