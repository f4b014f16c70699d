"""Seats shown on cached pages, written when the page is served.

A sign-up, a cancellation, a confirmation or a move from the waiting list
changes how many places a session has left, and nothing else that a public
page shows. These are most of the site's changes (a few hundred a day
against a few publishes). They used to bump the content generation
(home/cache.py), so each one made every cached page and fragment of the
site cold: the next visitor of the home page, the catalogue or any course
paid for a full render.

Now they bump only the *seats generation*, and the places are never part of
what is cached. Wherever a page shows what sign-ups change (a session's
places left or "Full", the waiting list, a card marked full, the sign-up
form's line on the seats and its button), the template writes a mark
(`mark`) naming what to show and which sessions; `SeatMarksMiddleware`
replaces every mark in the response with the sessions' current state just
before the page leaves, whether the page was rendered now or came from the
whole-page cache or a fragment cache. So the places shown are as current as
a fresh render's, and a sign-up leaves every cached page warm.

The state of a session (status, capacity, seats taken, waiting) is read
once: from the rows this request already read with `with_seats()`
(recorded by `SessionQuerySet`), else from the cache, else from the
database in one query for all the sessions a page shows. A mark names each
session with its course page, and a state is kept under the site's part of
the content generation, its course's version and the seats generation: a
change to a course (a session edited, its capacity changed) makes only its
own sessions' states stale, a change to other content every state, as
before (`states`).

Marks are written only while this middleware is handling a request; outside
one (e-mails, commands, templates rendered by tests) the same templates
write the places directly. A mark carries a token derived from SECRET_KEY,
so text typed by an editor can never be taken for one.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

from home.cache import (
    COURSES_KEY,
    GENERATION_KEY,
    SEATS_KEY,
    bump_seats_generation_now_and_on_commit,
    course_versions,
    courses_mark,
    generation_from,
    seats_generation,
    versions_since,
)
from home.request_memo import recall, remember, remembered

from .choices import SessionStatus

STATE_SECONDS = 3600


# What a mark can show: the template that writes it, given `session` (one
# session) or, for a card, a function of the states of its open dates.
def _card_full(states):
    return " course-card--full" if states and all(s.is_full for s in states) else ""


VARIANTS = {
    "places": "courses/includes/session_seats.html",
    "full-flag": "courses/includes/session_full_flag.html",
    "card-full": _card_full,
    "form-seats": "courses/signup/_form_seats.html",
    "form-button": "courses/signup/_form_button.html",
}
SEVERAL = {"card-full"}

MARKED = b"[[seats:"
_FRESH = ("seat-marks", "fresh")
_GENERATIONS = ("seat-marks", "generations")
_ON = ("seat-marks", "on")


@dataclass(frozen=True)
class SeatState:
    """What a page shows of a session's seats: the attributes the templates
    read on a `CourseSession` counted `with_seats()`."""

    pk: int
    status: str
    capacity: int
    seats_taken: int
    waiting: int

    @property
    def seats_left(self):
        return max(0, self.capacity - self.seats_taken)

    @property
    def is_full(self):
        return self.status == SessionStatus.FULL or self.seats_left == 0

    @classmethod
    def of(cls, session):
        return cls(
            session.pk, session.status, session.capacity, session.seats_taken, session.waiting
        )


@lru_cache(maxsize=1)
def _token():
    return salted_hmac("courses.seat_marks", "mark").hexdigest()[:16]


@lru_cache(maxsize=1)
def _pattern():
    token = re.escape(_token())
    return re.compile(rf"\[\[seats:{token}:([a-z-]+):([A-Za-z-]+):([0-9,.]+)\]\]".encode())


def marking():
    """Whether templates write marks (a request handled by the middleware)."""
    return bool(recall(_ON))


def mark(variant, sessions):
    """The mark of `variant` for `sessions` (one session or several), or,
    outside a marking request, what it shows now from the sessions as read."""
    several = variant in SEVERAL
    listed = list(sessions) if several else [sessions]
    if not marking() or any(session.pk is None for session in listed):
        # (A session not saved yet, in a preview, has no state to read.)
        return _render(variant, get_language(), [_as_state(s) for s in listed])
    ids = ",".join(f"{session.pk}.{session.page_id}" for session in listed) or "0"
    return mark_safe(f"[[seats:{_token()}:{variant}:{get_language()}:{ids}]]")  # noqa: S308


def _as_state(session):
    if isinstance(session, SeatState):
        return session
    if getattr(session, "seats_taken", None) is None:
        # Not counted: the places are shown as the capacity (as before).
        return _Uncounted(session)
    return SeatState.of(session)


class _Uncounted:
    def __init__(self, session):
        self.pk, self.status, self.capacity = session.pk, session.status, session.capacity
        self.seats_left = self.seats_taken = None
        self.waiting = 0

    @property
    def is_full(self):
        return self.status == SessionStatus.FULL


@lru_cache(maxsize=4096)
def _written(variant, language, states):
    """What a mark shows, for states already read: the same for every page
    that shows them, so each is written once per process."""
    return _render(variant, language, list(states)).encode()


def _render(variant, language, states):
    writer = VARIANTS[variant]
    if callable(writer):
        return writer(states)
    with override(language):
        return mark_safe(render_to_string(writer, {"session": states[0]}))  # noqa: S308


# --- The rows read in this request --------------------------------------------


def before_reading():
    """Called before sessions are read `with_seats()`: the generations their
    states will be kept under are read first (`note_fresh`)."""
    if marking():
        request_generations()


def note_fresh(sessions):
    """Keep the seats of `sessions` (just read `with_seats()`) for this
    request's marks, under the generations read before them."""
    if not marking():
        return
    memo = recall(_FRESH)
    if memo is None:
        memo = {}
        remember(_FRESH, memo)
    generations = request_generations()
    for session in sessions:
        memo[session.pk] = (generations, SeatState.of(session))


def request_generations():
    """The generations (`generations_from`), read once in the request before
    any seats it reads: a state is kept only under generations read before
    it, so it is never older than they say."""
    return remembered(_GENERATIONS, lambda: generations_from(cache.get_many(GENERATION_KEYS)))


GENERATION_KEYS = (GENERATION_KEY, COURSES_KEY, SEATS_KEY)


def generations_from(found):
    """(the site's part of the content generation, the courses' part of it,
    the seats generation) from `found`, a ``get_many`` that asked for
    `GENERATION_KEYS` (with other keys, or alone)."""
    return (
        generation_from(found),
        found.get(COURSES_KEY) or courses_mark(),
        found.get(SEATS_KEY) or seats_generation(),
    )


def _key(site, course_version, seats, pk):
    return f"seat-state:{site}:{course_version}:{seats}:{pk}"


def _parse(ids):
    """[(session id, its course's id or None)] of a mark's `ids` (bytes):
    "12.7,13.7" (a session and the course page it belongs to), or "12,13"
    as marks were written before they named the course (still in caches)."""
    found = []
    for item in ids.split(b","):
        pk, _dot, course = item.partition(b".")
        if pk != b"0":
            found.append((int(pk), int(course) if course else None))
    return found


def states(sessions, generations=None):
    """{pk: SeatState} of `sessions` ({session id: its course page's id, or
    None when not known}), current: this request's rows, the cache, then
    the database for the rest (one query).

    A state is kept under the site's part of the content generation, its
    course's version (home/cache.py) and the seats generation: a sign-up
    makes every state cold (it may change any), a change to a course (its
    sessions' capacity or status, say) only its own sessions'. A session
    whose course is not known is kept under the courses' part instead, as
    before. `generations` (`generations_from`): when the caller has just
    read them, else they are read here, before the rows."""
    from .models import CourseSession

    now = generations_from(cache.get_many(GENERATION_KEYS)) if generations is None else generations

    def key(generations, versions, pk):
        site, courses_part, seats = generations
        course = sessions[pk]
        return _key(site, versions[course] if course else f"g{courses_part}", seats, pk)

    def courses_of(pks):
        return sorted({sessions[pk] for pk in pks if sessions[pk] is not None})

    found, to_keep, read_fresh = {}, {}, {}
    fresh = recall(_FRESH) or {}
    for pk in sessions:
        if pk in fresh:
            read_under, found[pk] = fresh[pk]
            read_fresh.setdefault(read_under, []).append(pk)
    # This request's rows are kept under the generations read before them,
    # with their courses' versions if no course changed since (else not
    # kept: a version read now may be newer than the row).
    for read_under, pks in read_fresh.items():
        versions = versions_since(read_under[1], courses_of(pks))
        if versions is not None:
            to_keep.update({key(read_under, versions, pk): found[pk] for pk in pks})
    missing = [pk for pk in sessions if pk not in found]
    if missing:
        # (the versions read before the rows: a state is never older than its key)
        versions = course_versions(courses_of(missing))
        kept = cache.get_many([key(now, versions, pk) for pk in missing])
        for pk in missing:
            state = kept.get(key(now, versions, pk))
            if state is not None:
                found[pk] = state
        missing = [pk for pk in missing if pk not in found]
        if missing:
            rows = CourseSession.objects.filter(pk__in=missing).with_seats()
            for pk, status, capacity, taken, waiting in rows.values_list(
                "pk", "status", "capacity", "seats_taken", "waiting"
            ):
                found[pk] = state = SeatState(pk, status, capacity, taken, waiting)
                to_keep[key(now, versions, pk)] = state
    if to_keep:
        cache.set_many(to_keep, STATE_SECONDS)
    return found


# --- Filling the marks -----------------------------------------------------------


def fill(content, generations=None):
    """`content` (bytes) with every mark replaced by what it shows now
    (`generations` as for `states`)."""
    if MARKED not in content:
        return content
    pattern = _pattern()
    marks = set(pattern.findall(content))
    if not marks:
        return content
    parsed = {ids: _parse(ids) for _v, _l, ids in marks}
    wanted = {}
    for pairs in parsed.values():
        for pk, course in pairs:
            if wanted.get(pk) is None:
                wanted[pk] = course
    found = states(wanted, generations)
    written = {}
    for variant, language, ids in marks:
        listed = [found[pk] for pk, _course in parsed[ids] if pk in found]
        name = variant.decode()
        if not listed and name not in SEVERAL:
            written[(variant, language, ids)] = b""  # a session deleted since
        else:
            written[(variant, language, ids)] = _written(name, language.decode(), tuple(listed))
    return pattern.sub(lambda m: written[m.groups()], content)


class _Filled:
    """The pages of the whole-page cache with their marks filled, per kept
    page and generations, in this process (the fill of a page served again
    and again is done once per sign-up, not at every hit)."""

    SIZE = 128

    def __init__(self):
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            content = self._pages.get(key)
            if content is not None:
                self._pages.move_to_end(key)
            return content

    def put(self, key, content):
        with self._lock:
            self._pages[key] = content
            while len(self._pages) > self.SIZE:
                self._pages.popitem(last=False)


_filled = _Filled()


def filled_page(version, generations, content):
    """`content` of the kept page `version` (a token unique to each page
    the page cache keeps) filled for `generations` (`generations_from`); None
    when it has no mark."""
    if MARKED not in content:
        return None
    key = (version, generations)
    filled = _filled.get(key)
    if filled is None:
        filled = fill(content, generations)
        _filled.put(key, filled)
    return filled


class SeatMarksMiddleware:
    """Lets templates write marks while a request is handled, and fills them
    in every HTML response (rendered now or kept in a cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember(_ON, True)
        try:
            response = self.get_response(request)
        finally:
            remember(_ON, False)
        if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        content = response.content
        if MARKED in content:
            content = fill(content)
            response.content = content
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(content))
        return response


# --- What moves the seats generation -------------------------------------------


def _signup_changed(sender, **kwargs):
    bump_seats_generation_now_and_on_commit()


def connect():
    from .models import Signup

    post_save.connect(_signup_changed, sender=Signup, dispatch_uid="seat-marks-signup-save")
    post_delete.connect(_signup_changed, sender=Signup, dispatch_uid="seat-marks-signup-delete")
