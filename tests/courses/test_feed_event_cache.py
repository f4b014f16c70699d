"""Feeds keep each serialised event and reuse it while nothing it shows has
changed (courses.feeds.serialised_events): a rebuild gives the same body as
a build from scratch, with the build's own DTSTAMP, and shows every change
at once."""

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
    venue = sessions["cv"].venue
    venue.name = "Sala consiliare"
    venue.save()
    response = academy(client)
    found = events(parse(response))
    assert "Portare un documento" in str(found[uid(session)]["DESCRIPTION"])
    assert str(found[uid(sessions["cv"])]["LOCATION"]).startswith("Sala consiliare")
    assert sorted(serialised[3:]) == sorted([uid(session), uid(sessions["cv"])])
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
