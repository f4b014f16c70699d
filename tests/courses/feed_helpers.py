"""A small course world for the feed tests, and feed parsing helpers."""

import datetime

from icalendar import Calendar

from courses.choices import Format
from home.choices import Comune

from .factories import (
    CoursePageFactory,
    CourseSessionFactory,
    PartnerPageFactory,
    TopicFactory,
    VenueFactory,
)
from .signup_factories import partner_index

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def soon(days, hours=10):
    today = datetime.datetime.now(UTC).replace(hour=hours, minute=0, second=0, microsecond=0)
    return today + datetime.timedelta(days=days)


def make_world(home):
    """Two partners; a course in Pioltello on a topic, one online in Segrate."""
    directory = partner_index(home)
    alfa = PartnerPageFactory(parent=directory, title="Cooperativa Alfa", email="alfa@example.org")
    beta = PartnerPageFactory(
        parent=directory, title="Comune di Segrate", partner_type="public_service"
    )
    topic = TopicFactory(name="Informatica", slug="informatica")
    pioltello = VenueFactory(
        name="Biblioteca", comune=Comune.PIOLTELLO, latitude="45.5000", longitude="9.3300"
    )
    segrate = VenueFactory(name="Centro civico", comune=Comune.SEGRATE, address="Via Roma 2")
    computer = CoursePageFactory(
        parent=alfa, title="Computer di base", intro="Usare il computer.", is_free=True
    )
    computer.topics.set([topic])
    computer.save_revision().publish()
    cv = CoursePageFactory(parent=beta, title="Scrivere il CV", intro="Un CV efficace.")
    sessions = {
        "computer1": CourseSessionFactory(
            page=computer, venue=pioltello, start=soon(5), end=soon(5, 13)
        ),
        "computer2": CourseSessionFactory(
            page=computer, venue=pioltello, start=soon(12), end=soon(12, 13)
        ),
        "cv": CourseSessionFactory(
            page=cv,
            venue=segrate,
            format=Format.BLENDED,
            online_notes="Link per e-mail",
            start=soon(8),
            end=soon(8, 12),
        ),
    }
    return {
        "alfa": alfa,
        "beta": beta,
        "topic": topic,
        "computer": computer,
        "cv": cv,
        "sessions": sessions,
    }


def parse(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(session):
    return f"{session.uid}@accademia-territoriale"
