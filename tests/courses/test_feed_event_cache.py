"""Feeds keep each serialised event and reuse it while nothing it shows has
changed (courses.feeds.serialised_events, each course's events together): a
rebuild gives the same body as a build from scratch, with the build's own
DTSTAMP, and shows every change at once."""

import re

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from courses import feeds, ical

from .feed_helpers import events, make_world, parse, uid

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home):
    return make_world(home)


@pytest.fixture
def serialised(monkeypatch):
    """Counts the events icalendar serialises."""
    calls = []
    original = ical.without_stamp

    def counting(properties, writer):
        calls.append(next(str(value) for name, value, _ in properties if name == "UID"))
        return original(properties, writer)

    monkeypatch.setattr(ical, "without_stamp", counting)
    return calls


def academy(client, language="it"):
    feeds.bump_generation()  # a new feed body, as after any sign-up
    return client.get(f"/{language}" + reverse("feeds:academy")[3:])


def comparable(response):
    """Each event's properties but DTSTAMP, by UID."""
    return {
        key: sorted((name, event[name].to_ical()) for name in event if name != "DTSTAMP")
        for key, event in events(parse(response)).items()
    }


def test_a_rebuild_serialises_no_unchanged_event_and_gives_the_same_feed(client, world, serialised):
    first = academy(client)
    assert len(serialised) == 3
    again = academy(client)
    assert len(serialised) == 3  # nothing serialised again
    assert comparable(again) == comparable(first)
    cache.clear()
    scratch = academy(client)
    assert len(serialised) == 6
    assert comparable(scratch) == comparable(again)


def test_each_build_gives_every_event_its_own_stamp(client, world):
    academy(client)
    response = academy(client)
    stamps = {event["DTSTAMP"].dt for event in events(parse(response)).values()}
    assert len(stamps) == 1
    assert response.content.count(b"DTSTAMP:") == 3
    # The event still begins with BEGIN:VEVENT and parses as one event.
    assert response.content.count(b"BEGIN:VEVENT\r\nDTSTAMP:") == 3


def test_a_changed_session_venue_or_course_is_serialised_again(client, world, serialised):
    academy(client)
    sessions = world["sessions"]
    session = sessions["computer1"]
    session.note = "Portare un documento"
    session.save()
    found = events(parse(academy(client)))
    assert "Portare un documento" in str(found[uid(session)]["DESCRIPTION"])
    # The events of its course are written again (kept together), no other.
    assert sorted(serialised[3:]) == sorted([uid(session), uid(sessions["computer2"])])
    venue = sessions["cv"].venue
    venue.name = "Sala consiliare"
    venue.save()
    found = events(parse(academy(client)))
    assert str(found[uid(sessions["cv"])]["LOCATION"]).startswith("Sala consiliare")
    assert serialised[5:] == [uid(sessions["cv"])]
    # A course's new title reaches every one of its sessions.
    world["computer"].title = "Computer per tutti"
    world["computer"].save_revision().publish()
    found = events(parse(academy(client)))
    assert str(found[uid(sessions["computer2"])]["SUMMARY"]) == "Computer per tutti"
    assert str(found[uid(session)]["SUMMARY"]) == "Computer per tutti"


def test_each_language_keeps_its_own_events(client, world, english, serialised):
    italian = academy(client, "it")
    with translation.override("en"):
        english_feed = academy(client, "en")
    assert len(serialised) == 6
    it_event = events(parse(italian))[uid(world["sessions"]["cv"])]
    en_event = events(parse(english_feed))[uid(world["sessions"]["cv"])]
    assert "Organizzato da" in str(it_event["DESCRIPTION"])
    assert "Organised by" in str(en_event["DESCRIPTION"])


def test_the_key_names_the_code_version(world):
    session = world["sessions"]["cv"]
    arguments = {"title": "Corso"}
    key = feeds.event_cache_key(session, arguments)
    assert key == feeds.event_cache_key(session, dict(arguments))
    assert key != feeds.event_cache_key(session, {"title": "Course"})
    assert ical.session_fingerprint(session)[0] == ical.CODE_VERSION


def test_each_course_keeps_its_events_under_one_key(client, world, monkeypatch):
    stored = {}
    original = cache.set_many

    def recording(data, *args, **kwargs):
        stored.update(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", recording)
    academy(client)
    # Two courses: computer (two sessions, in the feed's order) and cv.
    assert sorted(len(bodies) for bodies in stored.values()) == [1, 2]
    computer = next(bodies for bodies in stored.values() if len(bodies) == 2)
    sessions = world["sessions"]
    assert [body.count(b"BEGIN:VEVENT") for body in computer] == [1, 1]
    assert uid(sessions["computer1"]).encode() in computer[0]
    assert uid(sessions["computer2"]).encode() in computer[1]


def test_a_block_key_names_each_event(world):
    sessions = world["sessions"]
    one, two = sessions["computer1"], sessions["computer2"]
    course, other = {"title": "Corso"}, {"title": "Course"}
    key = feeds.block_cache_key([(one, course), (two, course)])
    assert key == feeds.block_cache_key([(one, dict(course)), (two, dict(course))])
    assert key != feeds.block_cache_key([(one, course), (two, other)])
    assert key != feeds.block_cache_key([(one, other), (two, other)])
    assert key != feeds.block_cache_key([(two, course), (one, course)])
    assert key != feeds.block_cache_key([(one, course)])
    two.note = "Changed"
    assert key != feeds.block_cache_key([(one, course), (two, course)])


@pytest.mark.parametrize("language", ["it", "en"])
def test_feeds_read_sessions_as_rows_with_the_bytes_of_model_instances(
    rf, world, language, english
):
    from courses.choices import SessionStatus

    from .factories import CourseSessionFactory
    from .feed_helpers import soon

    CourseSessionFactory(
        page=world["cv"],
        venue=None,
        note="Portare un documento; grazie",
        status=SessionStatus.CANCELLED,
        start=soon(9),
        end=soon(9, 12),
    )
    request = rf.get("/")

    def body(sessions):
        cache.clear()
        with translation.override(language):
            built = feeds.build_calendar(
                sessions, name="Feed", description="All", language=language, request=request
            )
        return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:X", built)

    counts = []
    for query in (
        feeds.academy_sessions,
        lambda: feeds.topic_sessions(world["topic"]),
        lambda: feeds.comune_sessions("segrate"),
    ):
        rows = feeds.feed_sessions(query())
        assert all(isinstance(row, feeds.FeedSession) for row in rows)
        assert body(rows) == body(list(query()))
        counts.append(len(rows))
    assert counts == [4, 2, 1]
