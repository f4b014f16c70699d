"""Feeds write a session's VEVENT with `ical.VeventWriter` (icalendar's
lines, each distinct one written once per build); the bytes must be those
of `ical.session_vevent(...).to_ical()`, the one definition of the event,
whatever the session holds."""

import datetime
import itertools
import uuid
import zoneinfo
from types import SimpleNamespace

import pytest
from icalendar import vDatetime

from courses import ical
from courses.choices import SessionStatus

ROME = zoneinfo.ZoneInfo("Europe/Rome")
UTC = datetime.UTC
STAMP = datetime.datetime(2026, 12, 6, 0, 30, 5, 123456, tzinfo=UTC)

VENUES = [
    None,
    SimpleNamespace(
        name="Biblioteca", address="Via Roma 1", latitude="45.5000", longitude="9.3300"
    ),
    SimpleNamespace(
        name="Sala; consiliare", address="Piazza Unità d'Italia, 1", latitude=None, longitude=None
    ),
    SimpleNamespace(
        name="Centro civico «Città di Pioltello», sala grande al primo piano",
        address="Via dei Caduti sul Lavoro 12\\b, 20096 Pioltello (MI)",
        latitude="45.49872",
        longitude="-9.3",
    ),
]
# Equal numbers written differently: one line must not stand for the other.
VENUES += [
    SimpleNamespace(name="Sala", address="Via Roma 1", latitude="0.0", longitude="-0.0"),
    SimpleNamespace(name="Sala", address="Via Roma 1", latitude="-0.0", longitude="0.0"),
]
TITLES = [
    "Computer di base",
    "Scrivere il CV: perché, come; quando",
    "Cittadinanza digitale — SPID, CIE e servizi pubblici online per chi parte da zero, "
    "con esercitazioni pratiche (è gratuito)",
    # Escapes and multi-byte characters at every position around the fold.
    *("é" * n + ",;\\x" for n in range(30, 40)),
    *("a" * n + ",b;c" for n in range(55, 75)),
]
ORGANISERS = [
    ("Cooperativa Alfa", "alfa@example.org"),
    ('Associazione "Beta", Onlus; sezione è', "beta@example.org"),
    ("Territorial Academy", "info@example.org"),
]
CATEGORIES = [[], ["Informatica", "In presenza"], ["Lavoro, orientamento", "Online; live"]]
STARTS = [
    datetime.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
    datetime.datetime(2026, 7, 1, 16, 30, tzinfo=ROME),
    # The hour that repeats when daylight saving time ends: written in UTC.
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime.datetime(2026, 10, 25, 1, 15, tzinfo=UTC),
    datetime.datetime(2027, 1, 15, 23, 59, 59, 999999, tzinfo=UTC),
]
NOTES = [
    ("", ""),
    ("Portare un documento d'identità", ""),
    ("", "Link per e-mail il giorno prima; piattaforma: Jitsi, stanza «accademia»"),
    ("Bring a USB stick", "We send the link by e-mail\nthe day before"),
]


def session(number):
    start = STARTS[number % len(STARTS)]
    note, online_notes = NOTES[number % len(NOTES)]
    created = datetime.datetime(2026, 1, 2, 3, 4, 5, number, tzinfo=ROME if number % 2 else UTC)
    return SimpleNamespace(
        uid=uuid.UUID(int=number * 7919),
        sequence=number % 3,
        created_at=created,
        modified_at=created + datetime.timedelta(days=number, seconds=number),
        start=start,
        end=start + datetime.timedelta(hours=2, minutes=number % 60),
        status=SessionStatus.CANCELLED if number % 5 == 0 else SessionStatus.SCHEDULED,
        note=note,
        online_notes=online_notes,
        venue=VENUES[number % len(VENUES)],
        page=SimpleNamespace(title=TITLES[number % len(TITLES)]),
    )


def arguments(number):
    """A feed's arguments (every second session), or none as for an e-mail."""
    if number % 2:
        return {"title": TITLES[(number * 3) % len(TITLES)]}
    return {
        "title": TITLES[number % len(TITLES)],
        "url": f"https://accademia.example.org/{'en' if number % 4 else 'it'}/corsi/{number}/",
        "description": ["", "Un corso.\n\nOrganizzato da Alfa, Beta; e Gamma.", "A course."][
            number % 3
        ],
        "status": [None, "TENTATIVE", "CONFIRMED"][number % 3],
        "organizer": ORGANISERS[number % len(ORGANISERS)],
        "categories": CATEGORIES[number % len(CATEGORIES)],
        "stamp": STAMP,
    }


CASES = range(240)


def test_the_writer_gives_the_bytes_of_session_vevent():
    # One writer for all, as a build does: lines it wrote for one event are
    # reused by the next ones.
    writer = ical.VeventWriter()
    for number in itertools.chain(CASES, CASES):
        kwargs = arguments(number)
        kwargs.setdefault("stamp", STAMP + datetime.timedelta(seconds=number))
        expected = ical.session_vevent(session(number), **kwargs).to_ical()
        properties = ical.session_properties(session(number), **kwargs)
        assert writer.to_ical(properties) == expected, number


def test_a_feed_keeps_each_event_without_its_stamp():
    writer = ical.VeventWriter()
    for number in CASES:
        event = ical.session_vevent(session(number), **arguments(number))
        del event["DTSTAMP"]
        properties = ical.session_properties(session(number), **arguments(number))
        assert ical.without_stamp(properties, writer) == event.to_ical(), number


def test_the_cases_cover_folding_escapes_and_every_property():
    written = b"".join(
        ical.session_vevent(session(number), **arguments(number)).to_ical() for number in CASES
    )
    assert b"\r\n " in written  # folded lines
    for text in (b"\\,", b"\\;", b"\\\\", b"\\n", "é".encode(), b'CN="', b"^'", b"DTSTART:2026"):
        assert text in written
    for name in ("GEO", "LOCATION", "ORGANIZER", "CATEGORIES", "URL", "DESCRIPTION", "STATUS"):
        assert f"\r\n{name}".encode() in written
    assert b"DTSTART;TZID=Europe/Rome:" in written
    assert b"STATUS:CANCELLED" in written and b"STATUS:TENTATIVE" in written


@pytest.mark.parametrize("length", range(60, 90))
def test_a_long_line_is_folded_as_icalendar_folds_it(length):
    writer = ical.VeventWriter()
    for text in (
        "x" * length,
        "à" * (length // 2),
        "a" * (length - 6) + ",;\\,;",
        "b" * length + "é",
    ):
        assert writer.text_line("UID", text) == ical.content_line("UID", text), text
    event = session(1)
    event.page.title = "à" * (length // 3) + "x" * (length % 3)
    expected = ical.session_vevent(event, stamp=STAMP).to_ical()
    written = writer.to_ical(ical.session_properties(event, stamp=STAMP))
    assert written == expected


def test_a_time_is_written_once_per_property_and_time_zone():
    # The same wall-clock time in Rome (CET, CEST) and in UTC, the same
    # instant in both, for each date property: each line is icalendar's own.
    times = [
        datetime.datetime(2026, 3, 2, 10, 0, 7, tzinfo=ROME),
        datetime.datetime(2026, 3, 2, 10, 0, 7, tzinfo=UTC),
        datetime.datetime(2026, 3, 2, 9, 0, 7, tzinfo=UTC),
        datetime.datetime(2026, 7, 2, 10, 0, 7, tzinfo=ROME),
        datetime.datetime(2026, 3, 2, 10, 0, 7, 500, tzinfo=ROME),
    ]
    assert_date_lines_are_icalendars(times)


def assert_date_lines_are_icalendars(times):
    """Each date property's line for each of `times`, written twice by one
    writer (the second time from what it remembers), is icalendar's own."""
    writer = ical.VeventWriter()
    for _round in range(2):
        for name in ("DTSTART", "DTEND", "CREATED", "LAST-MODIFIED", "DTSTAMP"):
            for value in times:
                assert writer.date_line(name, value) == ical.content_line(name, value), (
                    name,
                    value,
                )


def test_the_digits_of_a_time_are_those_vdatetime_writes():
    # Every year's width, month, day and time of day, with microseconds.
    values = [
        datetime.datetime(year, month, day, hour, minute, second, micro)
        for year in (1, 9, 10, 99, 100, 999, 1000, 2026, 9999)
        for month, day in ((1, 1), (2, 28), (9, 9), (10, 10), (12, 31))
        for hour, minute, second, micro in ((0, 0, 0, 0), (9, 5, 7, 1), (23, 59, 59, 999999))
    ]
    for value in values:
        assert ical.datetime_digits(value) == vDatetime(value).to_ical(), value
        aware = value.replace(tzinfo=UTC)
        assert ical.datetime_digits(aware) + b"Z" == vDatetime(aware).to_ical(), value


def test_dates_without_a_time_zone_and_in_other_zones_are_icalendars():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    times = [
        datetime.datetime(2026, 3, 2, 10, 0, 7),
        datetime.datetime(2026, 3, 2, 10, 0, 7, tzinfo=new_york),
        datetime.datetime(2026, 3, 2, 10, 0, 7, tzinfo=datetime.timezone(datetime.timedelta(0))),
        datetime.datetime(2026, 3, 2, 10, 0, 7, tzinfo=ROME),
        datetime.datetime(2026, 3, 2, 10, 0, 8),
    ]
    assert_date_lines_are_icalendars(times)


def test_event_times_are_kept_per_instant_not_per_wall_clock_time():
    # The repeated hour in Rome: 02:30 twice (fold 0 and 1), equal as
    # values of one tzinfo, an hour apart; the same wall-clock time in
    # Rome and in UTC; the same instant in two time zones.
    repeated = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=ROME)
    times = [
        repeated,
        repeated.replace(fold=1),
        datetime.datetime(2026, 7, 1, 9, 0, tzinfo=ROME),
        datetime.datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
        datetime.datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        datetime.datetime(2026, 7, 1, 3, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    ]
    for _round in range(2):
        for value in times:
            remembered = ical.event_time(value)
            computed = ical.local_event_time(value)
            assert (remembered, remembered.tzinfo) == (computed, computed.tzinfo), value
            assert remembered.utcoffset() == computed.utcoffset(), value
    first, second = (ical.event_time(value) for value in times[:2])
    assert (first.astimezone(UTC).hour, second.astimezone(UTC).hour) == (0, 1)
