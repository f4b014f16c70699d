"""The one VEVENT builder, without the database; and seats counted in
one query for the catalogue."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from icalendar import Calendar

from django.db import connection

from courses import ical
from courses.choices import SessionStatus
from courses.models import CoursePage, CourseSession, SignupStatus, Venue

from .signup_factories import SignupFactory, make_course, make_partner

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def session_at(start, **kw):
    page = CoursePage(title="Saldatura", content_type_id=1)  # no database needed
    venue = Venue(
        name="Officina",
        address="Via Milano 3, Segrate",
        latitude=Decimal("45.49"),
        longitude=Decimal("9.29"),
    )
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return CourseSession(
        page=page,
        venue=venue,
        start=start,
        end=start + datetime.timedelta(hours=2),
        uid=uuid.uuid4(),
        sequence=3,
        created_at=now,
        modified_at=now,
        **kw,
    )


@pytest.mark.parametrize(("month", "offset"), [(7, 2), (12, 1)])
def test_session_vevent_keeps_rome_time_across_daylight_saving(month, offset):
    start = datetime.datetime(2026, month, 15, 9, 0, tzinfo=ROME)
    session = session_at(start)
    cal = Calendar.from_ical(ical.calendar([ical.session_vevent(session)]).to_ical())
    event = cal.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=offset)
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Rome"
    assert str(event["UID"]) == f"{session.uid}@accademia-territoriale"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Officina, Via Milano 3, Segrate"
    assert event["GEO"].latitude == pytest.approx(45.49)


def test_cancelled_session_and_status_override():
    start = datetime.datetime(2026, 3, 2, 18, 0, tzinfo=ROME)
    cancelled = session_at(start, status=SessionStatus.CANCELLED)
    assert str(ical.session_vevent(cancelled)["STATUS"]) == "CANCELLED"
    tentative = ical.session_vevent(session_at(start), status="TENTATIVE", title="Welding")
    assert str(tentative["STATUS"]) == "TENTATIVE" and str(tentative["SUMMARY"]) == "Welding"


@pytest.mark.django_db
def test_with_seats_counts_in_one_query(home, django_assert_num_queries):
    partner = make_partner(home)
    _c, (first,) = make_course(partner, capacity=2)
    _c, (second,) = make_course(partner, capacity=5)
    SignupFactory(session=first)
    SignupFactory(session=first, status=SignupStatus.RESERVED)
    SignupFactory(session=first, status=SignupStatus.WAITLISTED)
    SignupFactory(session=first, status=SignupStatus.CANCELLED)
    SignupFactory(session=second, status=SignupStatus.WAITLISTED)
    with django_assert_num_queries(1):
        seats = {s.pk: (s.seats_taken, s.waiting) for s in CourseSession.objects.with_seats()}
    assert seats == {first.pk: (2, 1), second.pk: (0, 1)}


def test_sqlite_writers_queue_instead_of_failing():
    """On SQLite the write lock is taken at BEGIN and waited for."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite needs BEGIN IMMEDIATE")
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
