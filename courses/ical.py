"""iCalendar (RFC 5545) for sessions.

`session_properties` is the ONE definition of what a session's VEVENT
contains: `session_vevent` makes it an icalendar `Event` (e-mail
attachments, personal feeds) and `VeventWriter` writes it for the public
feeds, byte for byte what `session_vevent(...).to_ical()` gives, so a
session has the same UID and fields everywhere."""

import datetime
import functools
import hashlib
import zoneinfo
from pathlib import Path

import icalendar
from icalendar import Calendar, Event, Timezone, vDatetime, vText
from icalendar.caselessdict import canonsort_keys
from icalendar.timezone import tzp

from django.conf import settings
from django.utils import timezone

from .choices import SessionStatus

TZ = zoneinfo.ZoneInfo("Europe/Rome")
PRODID = "-//Accademia Territoriale//Cittadinanza al Lavoro//IT"
BEGIN_VEVENT = b"BEGIN:VEVENT\r\n"
END_VEVENT = b"END:VEVENT\r\n"


def session_uid(session):
    return f"{session.uid}@accademia-territoriale"


def event_time(dt):
    """`dt` as Europe/Rome wall-clock time (with the feed's VTIMEZONE), except
    in the hour that repeats when daylight saving time ends: RFC 5545 reads
    an ambiguous local time as its first occurrence, but clients differ
    (ical.js takes the second), so both are written in UTC, exactly.

    Worked out once per time in a process (sessions share their hours, and
    the look-ups in the time zone rules cost ~15 times the memo's)."""
    if dt.tzinfo is None:  # local to the process, whose time zone may change
        return local_event_time(dt)
    return remembered_event_time(dt, dt.fold)


@functools.lru_cache(maxsize=4096)
def remembered_event_time(dt, fold):
    # Aware values of different time zones are equal when they are the same
    # instant; of one time zone, when their wall-clock times are, even in
    # the hour that repeats, hence the fold in the key.
    return local_event_time(dt)


def local_event_time(dt):
    local_dt = dt.astimezone(TZ)
    if local_dt.replace(fold=0).utcoffset() != local_dt.replace(fold=1).utcoffset():
        return dt.astimezone(datetime.UTC)
    return local_dt


# Names this module's code and the icalendar release: events serialised by
# an older `session_vevent` are never taken from the cache (courses.feeds).
CODE_VERSION = hashlib.sha256(
    Path(__file__).read_bytes() + icalendar.__version__.encode()
).hexdigest()[:12]


def session_fingerprint(session):
    """Every field of the session (and its venue) that `session_vevent`
    writes: a field read there must be named here, since feeds cache each
    serialised event under this fingerprint and the event's arguments."""
    venue = session.venue
    return (
        CODE_VERSION,
        str(session.uid),
        session.sequence,
        session.created_at,
        session.modified_at,
        session.start,
        session.end,
        session.status,
        session.note,
        session.online_notes,
        venue and (venue.name, venue.address, venue.latitude, venue.longitude),
    )


def session_properties(
    session,
    *,
    title=None,
    url=None,
    description="",
    status=None,
    stamp=None,
    organizer=None,
    categories=(),
):
    """What the VEVENT of a session contains: (name, value, parameters)
    triples, in the order `session_vevent` adds them to its `Event`.

    `title` and `url` are the course's in the reader's language (default:
    the Italian page); `status` overrides the session's (e.g. TENTATIVE for
    a waiting-list place in a personal feed); `organizer` is a (name,
    e-mail) pair and `categories` a list of names (feeds give both).
    Whatever it reads of the session is listed in `session_fingerprint`."""
    if status is None:
        status = "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
    properties = [
        ("UID", session_uid(session), None),
        ("SEQUENCE", session.sequence, None),
        ("DTSTAMP", stamp or timezone.now(), None),
        ("CREATED", session.created_at, None),
        ("LAST-MODIFIED", session.modified_at, None),
        ("DTSTART", event_time(session.start), None),
        ("DTEND", event_time(session.end), None),
        ("SUMMARY", title or session.page.title, None),
        ("STATUS", status, None),
    ]
    venue = session.venue
    if venue is not None:
        properties.append(("LOCATION", f"{venue.name}, {venue.address}", None))
        if venue.latitude is not None and venue.longitude is not None:
            properties.append(("GEO", (float(venue.latitude), float(venue.longitude)), None))
    lines = [description] if description else []
    if session.note:
        lines.append(session.note)
    if session.online_notes:
        lines.append(session.online_notes)
    if lines:
        properties.append(("DESCRIPTION", "\n\n".join(lines), None))
    if url:
        properties.append(("URL", url, None))
    if organizer:
        name, email = organizer
        properties.append(("ORGANIZER", f"mailto:{email}", {"CN": name}))
    if categories:
        properties.append(("CATEGORIES", list(categories), None))
    return properties


def session_vevent(session, **arguments):
    """The VEVENT of a session (arguments: see `session_properties`), as
    an icalendar `Event`."""
    event = Event()
    for name, value, parameters in session_properties(session, **arguments):
        event.add(name, value, parameters)
    return event


def content_line(name, value, parameters=None):
    """The content line (bytes, folded, with its CRLF) that icalendar writes
    for the property added as `Event().add(name, value, parameters)`."""
    event = Event()
    event.add(name, value, parameters)
    ((key, typed),) = event.property_items(recursive=False)[1:-1]
    return event.content_line(key, typed).to_ical() + b"\r\n"


# RFC 5545 folds content lines longer than 75 octets; icalendar folds one of
# 75 octets or more (`icalendar.parser.string._foldline`) and leaves a
# shorter one as it is.
FOLD_OCTETS = 75
# Properties whose value is the session's own (its identity and dates):
# written each time, never looked up among the lines already written.
OWN_TEXT = frozenset({"UID"})
OWN_DATES = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED", "DTSTART", "DTEND"})
# `Component.add` writes these in UTC, as RFC 5545 asks.
UTC_DATES = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED"})
# Values whose type and equality say all about how icalendar writes them
# (not bool: True == 1).
PLAIN_TYPES = frozenset({str, int})


class VeventWriter:
    """Serialises VEVENTs given as `session_properties` into the bytes that
    icalendar's `Event.to_ical()` gives for the same properties added to an
    `Event` (tests/courses/test_ical_writer.py compares the two).

    A feed's events share most of their lines: the course's title, address,
    description, organiser and categories, the venue's LOCATION and GEO, the
    status. icalendar writes each distinct line once per writer (a build),
    with `content_line`; an event's own lines (UID and dates) are the
    head (and tail) of the first such line icalendar writes with the value
    as icalendar writes it (`vText`'s escaping, `vDatetime`'s digits), and
    icalendar writes any line long enough to be folded. Properties are
    ordered as `Event.sorted_keys` orders them."""

    def __init__(self):
        self.lines = {}
        self.plain_lines = {}
        self.orders = {}
        self.date_ends = {}
        self.dates = {}
        self.text_heads = {}
        # The time zone `tzp.localize_utc` converts to.
        self.utc = tzp.localize_utc(datetime.datetime(2000, 1, 1)).tzinfo

    def to_ical(self, properties, leave_out=()):
        """The VEVENT's bytes, without the properties named in `leave_out`."""
        lines = {}
        for name, value, parameters in properties:
            if name in leave_out:
                continue
            if name in lines:
                raise ValueError(f"{name} given twice")
            if parameters is not None:
                lines[name] = self.shared_line(name, value, parameters)
            elif name in OWN_DATES and isinstance(value, datetime.datetime):
                lines[name] = self.date_line(name, value)
            elif name in OWN_TEXT and isinstance(value, str):
                lines[name] = self.text_line(name, value)
            elif type(value) in PLAIN_TYPES:
                # Most of an event's lines: a text or a number, without
                # parameters, shared by the course's or the venue's events.
                key = (name, type(value), value)
                line = self.plain_lines.get(key)
                if line is None:
                    line = self.plain_lines[key] = content_line(name, value)
                lines[name] = line
            else:
                lines[name] = self.shared_line(name, value, parameters)
        names = tuple(lines)
        order = self.orders.get(names)
        if order is None:
            order = self.orders[names] = canonsort_keys(names, Event.canonical_order)
        return b"".join([BEGIN_VEVENT, *[lines[name] for name in order], END_VEVENT])

    def shared_line(self, name, value, parameters):
        if isinstance(value, list):
            value_key = (list, tuple(value))
        elif isinstance(value, tuple):
            # Floats (GEO) by their text: 0.0 == -0.0, but not as written.
            value_key = (tuple, repr(value))
        elif isinstance(value, datetime.datetime):
            value_key = (datetime.datetime, value, value.tzinfo, value.tzname())
        else:
            value_key = (type(value), value)
        key = (name, value_key, parameters and tuple(parameters.items()))
        line = self.lines.get(key)
        if line is None:
            line = self.lines[key] = content_line(name, value, parameters and dict(parameters))
        return line

    def text_line(self, name, value):
        # icalendar's line for a text property without parameters is its
        # name, a colon and the value as `vText` escapes it: the head is
        # taken from the line icalendar writes for the first such value.
        escaped = vText(value).to_ical()
        head = self.text_heads.get(name)
        if head is None:
            line = content_line(name, value)
            if len(line) - 2 >= FOLD_OCTETS or not line.endswith(escaped + b"\r\n"):
                return line
            head = self.text_heads[name] = line[: -len(escaped) - 2]
        line = head + escaped + b"\r\n"
        return content_line(name, value) if len(line) - 2 >= FOLD_OCTETS else line

    def date_line(self, name, value):
        if name in UTC_DATES:
            # As `Component.add` converts them (`tzp.localize_utc`); CREATED
            # and LAST-MODIFIED are distinct for almost every session, so
            # they are written each time, not kept.
            if value.tzinfo is None:
                return self.dated_line(name, tzp.localize_utc(value))
            return self.dated_line(name, value.astimezone(self.utc))
        # Sessions share their hours: each (property, time) is written once
        # per build. Aware values of one tzinfo compare by their wall-clock
        # time, hence the time zone in the key.
        key = (name, value.tzinfo, value.tzname(), value)
        line = self.dates.get(key)
        if line is None:
            line = self.dates[key] = self.dated_line(name, value)
        return line

    def dated_line(self, name, value):
        # The line's head (name, TZID) and tail (the UTC "Z") depend on the
        # time zone alone (`icalendar.timezone.tzid.tzid_from_dt`): they
        # are taken from the line icalendar writes for the first such value;
        # the digits are `vDatetime`'s for the wall-clock time
        # (`datetime_digits`), which the split checks on that first line.
        digits = datetime_digits(value)
        zone = (name, value.tzinfo, value.tzname())
        ends = self.date_ends.get(zone)
        if ends is None:
            line = content_line(name, value)
            head, found, tail = line.rpartition(digits)
            if not found or not tail.endswith(b"\r\n"):
                raise ValueError(f"unexpected {name} line: {line!r}")
            ends = self.date_ends[zone] = (head, tail)
        head, tail = ends
        line = head + digits + tail
        return content_line(name, value) if len(line) - 2 >= FOLD_OCTETS else line


def datetime_digits(value):
    """The wall-clock time of `value` (a datetime) as `vDatetime.to_ical`
    writes it (`YYYYMMDDTHHMMSS`), without the "Z" it adds in UTC: its own
    format, without the `Parameters` object and the time zone look-ups it
    makes for each value (tests/courses/test_ical_writer.py compares the
    two)."""
    return b"%04d%02d%02dT%02d%02d%02d" % (
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
    )


def calendar(events, name=None, method="PUBLISH"):
    """A VCALENDAR with its VTIMEZONE for the given events."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    cal.add_component(rome_vtimezone())
    return cal


# Europe/Rome with the EU rules (in force since 1996) as yearly RRULEs: short,
# valid for every future year (icalendar's generated VTIMEZONE lists dates
# up to 2038 only, and clients such as ical.js read it an hour off), and
# checked against zoneinfo in tests/courses/test_feed_timezone.py.
ROME_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Rome
X-LIC-LOCATION:Europe/Rome
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19960331T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def rome_vtimezone():
    return Timezone.from_ical(ROME_VTIMEZONE.replace("\n", "\r\n"))


def to_bytes(cal):
    return cal.to_ical()


END_VCALENDAR = b"END:VCALENDAR\r\n"


def without_stamp(properties, writer):
    """The VEVENT of `properties` (from `session_properties`) as bytes
    without DTSTAMP, the one property that changes with every build: what a
    feed can keep and reuse (see `with_stamp`). `writer`: a `VeventWriter`,
    one per build."""
    return writer.to_ical(properties, leave_out=("DTSTAMP",))


def with_stamp(bodies, stamp):
    """`bodies` (from `without_stamp`) each with the DTSTAMP `stamp`, in UTC
    as RFC 5545 asks."""
    head = BEGIN_VEVENT + b"DTSTAMP:" + vDatetime(stamp.astimezone(datetime.UTC)).to_ical()
    head += b"\r\n"
    return [head + body[len(BEGIN_VEVENT) :] for body in bodies]


def calendar_bytes(cal, events):
    """The VCALENDAR `cal` with the serialised `events` (bytes) added."""
    head = cal.to_ical()
    if not head.endswith(END_VCALENDAR):
        raise ValueError("not a serialised VCALENDAR")
    return b"".join([head[: -len(END_VCALENDAR)], *events, END_VCALENDAR])


def local(dt):
    return dt.astimezone(TZ) if isinstance(dt, datetime.datetime) else dt


def deadline_uid(kind, translation_key):
    """The UID of a page's deadline event: from the translation key, so it is
    the same in every language and feed."""
    return f"{kind}-{translation_key}@accademia-territoriale"


def deadline_vevent(
    *,
    uid,
    moment,
    sequence,
    title,
    url="",
    description="",
    stamp=None,
    created=None,
    modified=None,
    categories=(),
):
    """The VEVENT of a deadline (a challenge call closing, the last moment to
    apply for an opportunity): an instant at `moment`.

    DTSTART with neither DTEND nor DURATION is an event that ends when it
    starts (RFC 5545, 3.6.1): calendar apps show it at the exact time on the
    deadline's day, never spilling into the next day as a short event would
    at 23:59, and TRANSP:TRANSPARENT keeps it from marking the reader busy."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp or timezone.now())
    if created:
        event.add("created", created)
    if modified:
        event.add("last-modified", modified)
    event.add("dtstart", event_time(moment))
    event.add("summary", title)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if categories:
        event.add("categories", list(categories))
    return event
