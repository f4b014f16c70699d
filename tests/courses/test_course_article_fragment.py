"""A course page's article (dates, seats, sign-up forms) is kept as a shared
fragment (`{% shared_fragment %}`, home/templatetags/site_tags.py): every
visitor still gets their own CSRF token and form start time, the page cache
still takes the page, and seats and closing times are never stale."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from courses.models import Signup
from home.models import SiteFooter

from .signup_factories import form_data, make_course, make_partner
from .test_cached_course_page import signup_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.SIGNUP_MIN_FORM_SECONDS = 0
    SiteFooter.load()  # created on first use, which counts as a change


@pytest.fixture
def course(home):
    course, _sessions = make_course(make_partner(home), capacity=3)
    return course


def test_each_visitor_gets_their_own_form_values_from_the_kept_article(client, course):
    _action, first = signup_form(client.get(course.url))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(course.url)
    assert b"placeholder" not in page.content
    action, hidden = signup_form(page)
    assert hidden["csrfmiddlewaretoken"] != first["csrfmiddlewaretoken"]
    assert "csrftoken" in page.cookies
    response = visitor.post(action, {**hidden, **form_data()})
    assert response.status_code == 302, response.content.decode()[:800]
    assert Signup.objects.count() == 1


def test_the_seats_shown_follow_each_sign_up(client, course):
    seats = BeautifulSoup(client.get(course.url).content, "html.parser")
    assert "3" in seats.select_one(".signup-seats").get_text()
    action, hidden = signup_form(client.get(course.url))
    assert client.post(action, {**hidden, **form_data()}).status_code == 302
    seats = BeautifulSoup(client.get(course.url).content, "html.parser")
    assert "2" in seats.select_one(".signup-seats").get_text()


def test_sign_ups_close_at_the_deadline_without_any_content_change(client, course):
    session = course.sessions.get()
    # Closing a minute from now: the same day, so only the session clock can
    # tell the kept article is stale.
    session.signup_deadline = timezone.now() + datetime.timedelta(minutes=1)
    session.save()
    assert client.get(course.url).content.count(b'class="signup-form') == 1
    later = session.signup_deadline + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = client.get(course.url)
    assert b'class="signup-form' not in page.content
    assert timezone.localtime(session.signup_deadline).strftime("%d/%m/%Y %H:%M").encode() in (
        page.content
    )


def test_the_page_cache_still_takes_a_page_whose_article_was_kept(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 300
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("staff", password="x"))
    staff.get(course.url)  # not page-cached (signed in), but the article is kept
    assert client.get(course.url)["X-Page-Cache"] == "miss"
    assert client.get(course.url)["X-Page-Cache"] == "hit"
