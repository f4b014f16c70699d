"""Calendar feeds: every kind parsed back with icalendar, and the fields a
calendar app relies on."""

import datetime

import pytest

from django.urls import reverse
from django.utils import translation

from courses.choices import SessionStatus
from courses.models import CoursePage, CourseSession

from .factories import CourseSessionFactory
from .feed_helpers import at, events, make_world, parse, uid

pytestmark = pytest.mark.django_db


def url(name, *args, language="it", query=""):
    with translation.override(language):
        path = reverse(f"feeds:{name}", args=args)
    return path + (f"?{query}" if query else "")


@pytest.fixture
def world(home):
    return make_world(home)


def test_academy_feed_has_calendar_and_event_fields(client, world):
    response = client.get(url("academy"))
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]).startswith("Accademia Territoriale")
    assert "Adda Martesana" in str(cal["X-WR-CALDESC"])
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Rome"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    found = events(cal)
    sessions = world["sessions"]
    assert set(found) == {uid(s) for s in sessions.values()}
    event = found[uid(sessions["computer1"])]
    session = CourseSession.objects.get(pk=sessions["computer1"].pk)
    assert str(event["SUMMARY"]) == "Computer di base"
    assert "Usare il computer." in str(event["DESCRIPTION"])
    assert "Cooperativa Alfa" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]).startswith("Biblioteca, ")
    assert (event["GEO"].latitude, event["GEO"].longitude) == (45.5, 9.33)
    assert str(event["URL"]).startswith("http://testserver/it/")
    assert str(event["ORGANIZER"]) == "mailto:alfa@example.org"
    assert event["ORGANIZER"].params["CN"] == "Cooperativa Alfa"
    assert set(event["CATEGORIES"].cats) == {"Informatica", "In presenza"}
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == session.start
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event["DTEND"].dt == session.end
    assert event["CREATED"].dt == session.created_at.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == session.modified_at.replace(microsecond=0)
    assert "DTSTAMP" in event
    assert response["ETag"] and response["Last-Modified"]


def test_english_feed_uses_the_translation_and_the_same_uids(client, world, english, home_en):
    computer = world["computer"]
    computer.get_parent().get_parent().copy_for_translation(english)
    computer.get_parent().copy_for_translation(english)
    translated = computer.copy_for_translation(english)
    translated.title = "Computer basics"
    translated.intro = "Using a computer."
    translated.save_revision().publish()
    it = events(parse(client.get(url("academy"))))
    en_cal = parse(client.get(url("academy", language="en")))
    en = events(en_cal)
    assert set(it) == set(en)
    assert str(en_cal["X-WR-CALNAME"]).startswith("Territorial Academy")
    event = en[uid(world["sessions"]["computer1"])]
    assert str(event["SUMMARY"]) == "Computer basics"
    assert str(event["URL"]).startswith("http://testserver/en/")
    assert set(event["CATEGORIES"].cats) == {"Informatica", "In person"}
    # Not translated: the Italian text.
    assert str(en[uid(world["sessions"]["cv"])]["SUMMARY"]) == "Scrivere il CV"


def test_english_feed_names_the_partner_by_its_live_translation(client, world, english, home_en):
    partner = world["computer"].get_parent()
    partner.get_parent().copy_for_translation(english)
    translated = partner.copy_for_translation(english)
    translated.title = "Alfa Cooperative"
    translated.save_revision().publish()
    computer1 = uid(world["sessions"]["computer1"])
    en = events(parse(client.get(url("academy", language="en"))))[computer1]
    assert "Organised by Alfa Cooperative." in str(en["DESCRIPTION"])
    assert en["ORGANIZER"].params["CN"] == "Alfa Cooperative"
    it = events(parse(client.get(url("academy"))))[computer1]
    assert it["ORGANIZER"].params["CN"] == "Cooperativa Alfa"
    translated.refresh_from_db()
    translated.unpublish()
    en = events(parse(client.get(url("academy", language="en"))))[computer1]
    assert en["ORGANIZER"].params["CN"] == "Cooperativa Alfa"


def test_each_kind_of_feed_holds_its_sessions(client, world):
    s = world["sessions"]
    computer, cv = {uid(s["computer1"]), uid(s["computer2"])}, {uid(s["cv"])}
    cases = [
        (url("course", world["computer"].pk), computer, "Computer di base"),
        (url("partner", world["beta"].pk), cv, "Comune di Segrate"),
        (url("topic", "informatica"), computer, "Informatica"),
        (url("comune", "segrate"), cv, "Segrate"),
        (url("filtered", query="format=blended"), cv, "Corsi: Misto (in presenza e online)"),
        (url("filtered", query="topic=informatica&comune=pioltello&free=1"), computer, ""),
        (url("filtered", query="partner_type=public_service"), cv, ""),
        (url("filtered", query=f"partner={world['alfa'].pk}&audience=unemployed"), computer, ""),
        (url("filtered", query="comune=rodano"), set(), ""),
        (url("filtered"), computer | cv, ""),
        (url("session", s["cv"].uid), cv, "Scrivere il CV"),
    ]
    for address, expected, name in cases:
        cal = parse(client.get(address))
        assert set(events(cal)) == expected, address
        assert name in str(cal["X-WR-CALNAME"]), address


def test_unknown_objects_are_404(client, world):
    assert client.get(url("course", 999999)).status_code == 404
    assert client.get(url("course", world["alfa"].pk)).status_code == 404
    assert client.get(url("topic", "nessuno")).status_code == 404
    assert client.get(url("comune", "milano")).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "comune=atlantide",
        "partner=abc",
        "partner=999999",
        "topic=nessuno",
        "topic=%3Cscript%3E",
        "format=online&format=blended",
        "bogus=1",
        "free=maybe",
        "q=" + "x" * 300,
    ],
)
def test_malformed_filters_are_400_with_a_short_message(client, world, query):
    response = client.get(url("filtered", query=query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert 0 < len(response.content) < 200


def test_catalogue_paging_and_sorting_parameters_are_accepted(client, world):
    response = client.get(url("filtered", query="sort=newest&page=2&when=week"))
    assert response.status_code == 200


def test_uid_stays_and_sequence_grows_when_an_edit_moves_a_session(client, world):
    computer = world["computer"]
    session = world["sessions"]["computer1"]
    before = events(parse(client.get(url("course", computer.pk))))[uid(session)]
    page = CoursePage.objects.get(pk=computer.pk)
    rows = list(page.sessions.all())
    moved = next(r for r in rows if r.pk == session.pk)
    moved.start += datetime.timedelta(hours=2)
    moved.end += datetime.timedelta(hours=2)
    page.sessions = rows
    page.save_revision().publish()
    after_cal = parse(client.get(url("course", computer.pk)))
    after = events(after_cal)
    assert len(after) == 2  # still one VEVENT per session
    event = after[uid(session)]
    assert event["SEQUENCE"] == before["SEQUENCE"] + 1
    assert event["DTSTART"].dt == before["DTSTART"].dt + datetime.timedelta(hours=2)
    assert event["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt


def test_cancelled_session_stays_with_status_cancelled(client, world):
    computer = world["computer"]
    session = world["sessions"]["computer2"]
    etag = client.get(url("academy"))["ETag"]
    page = CoursePage.objects.get(pk=computer.pk)
    rows = list(page.sessions.all())
    next(r for r in rows if r.pk == session.pk).status = SessionStatus.CANCELLED
    page.sessions = rows
    page.save_revision().publish()
    response = client.get(url("academy"), HTTP_IF_NONE_MATCH=etag)
    event = events(parse(response))[uid(session)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_sessions_across_the_end_of_daylight_saving_time(client, world):
    """On the last Sunday of October 03:00 CEST becomes 02:00 CET, so 02:30
    happens twice; July and December are on either side of it."""
    year = datetime.date.today().year + 1
    change = last_sunday_of_october(year)
    cases = {
        "first 02:30 (CEST)": at(year, 10, change, 0, 30),
        "second 02:30 (CET)": at(year, 10, change, 1, 30),
        "summer": at(year, 7, 14, 7, 0),
        "winter": at(year, 12, 10, 8, 0),
    }
    venue = world["sessions"]["cv"].venue
    made = {
        name: CourseSessionFactory(
            page=world["cv"], venue=venue, start=start, end=start + datetime.timedelta(hours=2)
        )
        for name, start in cases.items()
    }
    response = client.get(url("course", world["cv"].pk))
    found = events(parse(response))
    for name, session in made.items():
        event = found[uid(session)]
        # Compare instants (aware datetimes in the repeated hour never
        # compare equal across zones, PEP 495).
        assert event["DTSTART"].dt.astimezone(datetime.UTC) == cases[name], name
        end = cases[name] + datetime.timedelta(hours=2)
        assert event["DTEND"].dt.astimezone(datetime.UTC) == end, name
    text = response.content.decode()
    # The repeated hour is written in UTC: clients disagree on which 02:30
    # an ambiguous local time means.
    assert f"DTSTART:{year}10{change:02}T003000Z" in text
    assert f"DTSTART:{year}10{change:02}T013000Z" in text
    assert f"DTSTART;TZID=Europe/Rome:{year}0714T090000" in text
    assert f"DTSTART;TZID=Europe/Rome:{year}1210T090000" in text


def last_sunday_of_october(year):
    day = datetime.date(year, 10, 31)
    return (day - datetime.timedelta(days=(day.weekday() - 6) % 7)).day


def test_old_sessions_leave_the_feed_recent_ones_stay(client, world):
    venue = world["sessions"]["cv"].venue
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    recent = CourseSessionFactory(
        page=world["cv"],
        venue=venue,
        start=now - datetime.timedelta(days=60),
        end=now - datetime.timedelta(days=60, hours=-2),
    )
    old = CourseSessionFactory(
        page=world["cv"],
        venue=venue,
        start=now - datetime.timedelta(days=200),
        end=now - datetime.timedelta(days=200, hours=-2),
    )
    found = events(parse(client.get(url("academy"))))
    assert uid(recent) in found
    assert uid(old) not in found
