"""iCalendar (RFC 5545) for sessions.

`session_vevent` is the ONE function that turns a session into a VEVENT:
the e-mail attachments and every feed use it, so a session has the same UID
and fields everywhere."""

import datetime
import zoneinfo

from icalendar import Calendar, Event, vGeo

from django.conf import settings
from django.utils import timezone

from .choices import SessionStatus

TZ = zoneinfo.ZoneInfo("Europe/Rome")
PRODID = "-//Accademia Territoriale//Cittadinanza al Lavoro//IT"


def session_uid(session):
    return f"{session.uid}@accademia-territoriale"


def session_vevent(session, *, title=None, url=None, description="", status=None, stamp=None):
    """The VEVENT of a session.

    `title` and `url` are the course's in the reader's language (default:
    the Italian page); `status` overrides the session's (e.g. TENTATIVE for
    a waiting-list place in a personal feed)."""
    page = session.page
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.modified_at)
    event.add("dtstart", session.start.astimezone(TZ))
    event.add("dtend", session.end.astimezone(TZ))
    event.add("summary", title or page.title)
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
    cal.add_missing_timezones()
    return cal


def to_bytes(cal):
    return cal.to_ical()


def local(dt):
    return dt.astimezone(TZ) if isinstance(dt, datetime.datetime) else dt
