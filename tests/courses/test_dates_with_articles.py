"""Italian sentences about a course's date elide the article before a day
read with a vowel: "si sono chiuse l'08/12", "vengo l'8 dicembre",
"l'incontro dell'08/12" ("il 8", "del 08" are wrong), through
academy_site/date_articles.py; English reads as before."""

import datetime
import types

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone, translation

from courses import booking
from courses.admin_views import still_coming_cell
from courses.feed_deadlines import closing_text
from courses.models import CourseSession
from courses.signup_links import action_url

from .signup_factories import SignupFactory, make_course, make_partner, remind_before
from .test_booking_rules import session_row

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1
# 8 December next year, 18:00 in Italy (17:00 UTC).
EIGHTH = datetime.datetime(NEXT_YEAR, 12, 8, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def client(committing_client):
    return committing_client


@pytest.fixture
def session(home):
    _course, (session,) = make_course(make_partner(home), capacity=3)
    return session


def on_the_eighth(session):
    CourseSession.objects.filter(pk=session.pk).update(
        start=EIGHTH, end=EIGHTH + datetime.timedelta(hours=3)
    )
    session.refresh_from_db()
    return session


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_the_course_page_says_sign_ups_closed_on_the_eighth(client, session):
    last_year = timezone.now().year - 1
    CourseSession.objects.filter(pk=session.pk).update(
        signup_deadline=datetime.datetime(last_year, 12, 8, 17, 0, tzinfo=datetime.UTC)
    )
    page = text(client.get(session.page.url))
    assert f"Le iscrizioni a questo incontro si sono chiuse l'08/12/{last_year} 18:00." in page
    session.refresh_from_db()
    with translation.override("en"):
        assert str(booking.closed_reason(session)) == (
            f"Sign-ups for this session closed on 08/12/{last_year} 18:00."
        )


def test_the_deadline_feed_says_it_closes_on_the_eighth():
    with translation.override("it"):
        assert closing_text(EIGHTH) == (
            f"Chiude l'08 dicembre {NEXT_YEAR} alle 18:00 (ora italiana)."
        )
        assert closing_text(EIGHTH + datetime.timedelta(days=1)) == (
            f"Chiude il 09 dicembre {NEXT_YEAR} alle 18:00 (ora italiana)."
        )
    with translation.override("en"):
        assert closing_text(EIGHTH) == f"Closes on Dec. 8, {NEXT_YEAR} at 6 p.m. (Italian time)."


def test_still_coming_on_the_eighth(client, session):
    session = on_the_eighth(session)
    holder = SignupFactory(session=session)
    remind_before(session)
    url = action_url(holder, "coming").removeprefix("http://testserver")
    asked = client.get(url)
    assert f"Premi il pulsante per dirci che vieni l'8 dicembre {NEXT_YEAR} alle 18:00" in text(
        asked
    )
    button = BeautifulSoup(asked.content, "html.parser").find("button", type="submit")
    assert button.get_text(strip=True) == "Sì, vengo l'8 dicembre"
    thanks = text(client.post(url))
    course = session.page.title
    assert f'verrai a "{course}" l\'8 dicembre {NEXT_YEAR} alle 18:00.' in thanks


def test_still_coming_on_the_eighth_in_english(client, session):
    session = on_the_eighth(session)
    holder = SignupFactory(session=session, language="en")
    remind_before(session)
    url = action_url(holder, "coming", language="en").removeprefix("http://testserver")
    asked = client.get(url)
    assert f"tell us you are coming on 8 December {NEXT_YEAR} at 18:00" in text(asked)
    button = BeautifulSoup(asked.content, "html.parser").find("button", type="submit")
    assert button.get_text(strip=True) == "Yes, I'm coming on 8 December"
    thanks = text(client.post(url))
    assert f'coming to "{session.page.title}" on 8 December {NEXT_YEAR} at 18:00.' in thanks


def test_the_export_says_confirmed_on_the_eighth():
    reminder = types.SimpleNamespace(
        session=types.SimpleNamespace(start=EIGHTH + datetime.timedelta(days=1)),
        still_coming_at=EIGHTH,
    )
    with translation.override("it"):
        assert still_coming_cell([reminder]) == (
            f"09/12/{NEXT_YEAR} 18:00: confermata l'08/12/{NEXT_YEAR} 18:00"
        )
    with translation.override("en"):
        assert still_coming_cell([reminder]) == (
            f"09/12/{NEXT_YEAR} 18:00: confirmed 08/12/{NEXT_YEAR} 18:00"
        )


def test_the_editor_names_the_session_of_the_eighth(admin_client, session):
    from .test_editor import course_form_data

    session = on_the_eighth(session)
    SignupFactory(session=session)
    course = session.page
    url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = course_form_data(course, [{**session_row(session), "DELETE": "1"}], initial=1)
    page = text(admin_client.post(url, {**data, "action-publish": "1"}))
    assert f"L'incontro dell'08/12/{NEXT_YEAR} ha delle iscrizioni" in page
    data = course_form_data(course, [{**session_row(session), "capacity": "0"}], initial=1)
    page = text(admin_client.post(url, {**data, "action-publish": "1"}))
    assert f"L'incontro dell'08/12/{NEXT_YEAR} ha già 1 posti assegnati" in page
