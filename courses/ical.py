"""iCalendar (RFC 5545) for sessions.

`session_vevent` is the ONE function that turns a session into a VEVENT:
the e-mail attachments and every feed use it, so a session has the same UID
and fields everywhere."""

import datetime
import hashlib
import zoneinfo
from pathlib import Path

import icalendar
from icalendar import Calendar, Event, Timezone, vCalAddress, vDatetime, vGeo

from django.conf import settings
from django.utils import timezone

from .choices import SessionStatus

TZ = zoneinfo.ZoneInfo("Europe/Rome")
PRODID = "-//Accademia Territoriale//Cittadinanza al Lavoro//IT"


def session_uid(session):
    return f"{session.uid}@accademia-territoriale"


def event_time(dt):
    """`dt` as Europe/Rome wall-clock time (with the feed's VTIMEZONE), except
    in the hour that repeats when daylight saving time ends: RFC 5545 reads
    an ambiguous local time as its first occurrence, but clients differ
    (ical.js takes the second), so both are written in UTC, exactly."""
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


def session_vevent(
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
    """The VEVENT of a session.

    `title` and `url` are the course's in the reader's language (default:
    the Italian page); `status` overrides the session's (e.g. TENTATIVE for
    a waiting-list place in a personal feed); `organizer` is a (name,
    e-mail) pair and `categories` a list of names (feeds give both).
    Whatever it reads of the session is listed in `session_fingerprint`."""
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.modified_at)
    event.add("dtstart", event_time(session.start))
    event.add("dtend", event_time(session.end))
    event.add("summary", title or session.page.title)
    if status is None:
        status = "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
    event.add("status", status)
    venue = session.venue
    if venue is not None:
        event.add("location", f"{venue.name}, {venue.address}")
        if venue.latitude is not None and venue.longitude is not None:
            event.add("geo", vGeo((float(venue.latitude), float(venue.longitude))))
    lines = [description] if description else []
    if session.note:
        lines.append(session.note)
    if session.online_notes:
        lines.append(session.online_notes)
    if lines:
        event.add("description", "\n\n".join(lines))
    if url:
        event.add("url", url)
    if organizer:
        name, email = organizer
        address = vCalAddress(f"mailto:{email}")
        address.params["cn"] = name
        event.add("organizer", address)
    if categories:
        event.add("categories", list(categories))
    return event


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


BEGIN_VEVENT = b"BEGIN:VEVENT\r\n"
END_VCALENDAR = b"END:VCALENDAR\r\n"


def without_stamp(event):
    """The event's bytes without DTSTAMP, the one property that changes
    with every build: what a feed can keep and reuse (see `with_stamp`)."""
    event.pop("DTSTAMP", None)
    return event.to_ical()


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
