"""Course pages carry a sign-up form yet come from the whole-page cache:
each visitor gets the cached page with their own CSRF token and form start
time filled in, its places written as it is served (courses/seat_marks.py),
and the page goes stale when its sessions, their capacity or the page
change."""

import time

import pytest
from bs4 import BeautifulSoup

from django.core import signing
from django.test import Client

from courses.booking import set_capacity
from courses.models import Signup
from courses.signup_forms import STARTED_SALT
from home.models import SiteFooter

from .conftest import publish
from .signup_factories import make_course, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SIGNUP_MIN_FORM_SECONDS = 0
    SiteFooter.load()  # created on first use, which counts as a change


@pytest.fixture
def course(home):
    course, _sessions = make_course(make_partner(home), capacity=3)
    return course


def signup_form(response):
    form = BeautifulSoup(response.content, "html.parser").select_one("form.signup-form")
    return form["action"], {
        field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")
    }


def seats_text(response):
    return BeautifulSoup(response.content, "html.parser").select_one(".signup-seats").get_text()


def test_a_new_visitor_signs_up_from_a_cached_course_page(client, course):
    first = client.get(course.url)
    assert first["X-Page-Cache"] == "miss"
    assert b"placeholder" not in first.content

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(course.url)
    assert page["X-Page-Cache"] == "hit"
    assert b"placeholder" not in page.content
    assert "csrftoken" in page.cookies  # set as a fresh render would
    assert page.has_header("Vary") and "Cookie" in page["Vary"]
    action, hidden = signup_form(page)
    assert hidden["csrfmiddlewaretoken"] != signup_form(first)[1]["csrfmiddlewaretoken"]
    assert abs(signing.loads(hidden["started"], salt=STARTED_SALT) - time.time()) < 5

    response = visitor.post(
        action,
        {
            **hidden,
            "first_name": "Maria",
            "last_name": "Rossi",
            "email": "maria.rossi@example.org",
            "comune": "pioltello",
            "privacy": "on",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Signup.objects.count() == 1

    # Without the token the same POST is refused, so the check is real.
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(action, {k: v for k, v in hidden.items() if k != "csrfmiddlewaretoken"})
    assert refused.status_code == 403


def test_seats_session_edits_and_publishing_make_the_page_stale(client, course):
    assert "3 posti liberi" in seats_text(client.get(course.url))
    assert client.get(course.url)["X-Page-Cache"] == "hit"

    session = course.sessions.get()
    set_capacity(session.pk, 5)
    response = client.get(course.url)
    assert response["X-Page-Cache"] == "miss"
    assert "5 posti liberi" in seats_text(response)

    session.refresh_from_db()
    session.note = "Portare un quaderno"
    session.save()
    response = client.get(course.url)
    assert response["X-Page-Cache"] == "miss" and b"Portare un quaderno" in response.content

    course.title = "Sartoria avanzata"
    publish(course)
    response = client.get(course.url)
    assert response["X-Page-Cache"] == "miss" and b"Sartoria avanzata" in response.content


def test_a_sign_up_changes_the_seats_shown_on_the_cached_page(client, course, settings):
    """The page stays in the cache: its places are written as it is served
    (courses/seat_marks.py)."""
    client.get(course.url)
    visitor = Client()
    action, hidden = signup_form(visitor.get(course.url))
    visitor.post(
        action,
        {
            **hidden,
            "first_name": "Luca",
            "last_name": "Bianchi",
            "email": "luca@example.org",
            "comune": "rodano",
            "privacy": "on",
        },
    )
    response = client.get(course.url)
    assert response["X-Page-Cache"] == "hit"
    assert "2 posti liberi" in seats_text(response)
