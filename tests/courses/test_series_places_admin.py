"""A course whose one sign-up covers the whole series keeps its sign-ups on
its first session. The partner's screens showed every later date with "0 /
2" seats and changed that date's own (unused) capacity; each date now shows
and changes the places of the whole course."""

import csv
import io

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group
from django.urls import reverse

from courses.choices import SignupMode
from courses.models import CourseSession, Signup, SignupStatus

from .signup_factories import SignupFactory, make_course, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home):
    _course, sessions = make_course(
        make_partner(home), capacity=2, signup_mode=SignupMode.SERIES, sessions=3
    )
    SignupFactory(session=sessions[0], first_name="Anna")
    SignupFactory(session=sessions[0], first_name="Bruno")
    SignupFactory(session=sessions[0], first_name="Carla", status=SignupStatus.WAITLISTED)
    return sessions


@pytest.fixture
def partner_client(client, django_user_model, series):
    user = django_user_model.objects.create_user("alfa", password="pw")
    user.groups.add(Group.objects.get(name="Editors Cooperativa Alfa"))
    client.force_login(user)
    return client


def row_of(response, session):
    page = BeautifulSoup(response.content, "html.parser")
    link = page.find("a", href=reverse("course_signups:session", args=[session.pk]))
    return " ".join(link.find_parent("tr").get_text(" ").split())


def test_every_date_shows_the_whole_courses_places(partner_client, series):
    overview = partner_client.get(reverse("course_signups:overview"))
    assert "2 / 2 100% 1" in row_of(overview, series[0])
    assert "tutto il corso" not in row_of(overview, series[0])
    for later in series[1:]:
        assert "2 / 2 tutto il corso 100% 1" in row_of(overview, later)

    dashboard = partner_client.get(reverse("wagtailadmin_home"))
    assert "Posti occupati: 2 / 2 (100%) · In attesa: 1 (tutto il corso)" in row_of(
        dashboard, series[2]
    )

    page = partner_client.get(reverse("course_signups:session", args=[series[2].pk]))
    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text(" ").split())
    assert "Posti occupati: 2 / 2" in text and "In attesa: 1" in text
    assert "le persone e i posti sono gli stessi a ogni incontro" in text
    # Each row's sign-up was made on the first date, for the whole course.
    rows = BeautifulSoup(page.content, "html.parser").select("tr.signup-row")
    assert len(rows) == 3
    assert all("· tutto il corso" in " ".join(row.get_text(" ").split()) for row in rows)


def test_a_later_dates_list_and_export_have_the_courses_sign_ups(partner_client, series):
    """Filtered by a later date, the list and its export held nobody."""
    for later in series[1:]:
        listed = partner_client.get(reverse("course_signups:list"), {"session": later.pk})
        rows = BeautifulSoup(listed.content, "html.parser").select("tr.signup-row")
        assert len(rows) == 3
        export = partner_client.get(
            reverse("course_signups:export", args=["csv"]), {"session": later.pk}
        )
        header, *lines = csv.reader(io.StringIO(export.content.decode("utf-8-sig")))
        first_names = sorted(line[header.index("Nome")] for line in lines)
        assert first_names == ["Anna", "Bruno", "Carla"]


def test_seats_changed_on_a_later_date_are_the_courses(partner_client, series):
    response = partner_client.post(
        reverse("course_signups:session", args=[series[2].pk]), {"capacity": "3"}
    )
    assert response.status_code == 302
    capacities = dict(CourseSession.objects.values_list("pk", "capacity"))
    assert capacities == {series[0].pk: 3, series[1].pk: 2, series[2].pk: 2}
    carla = Signup.objects.get(first_name="Carla")
    assert carla.status == SignupStatus.CONFIRMED  # the raise gave her the seat

    refused = partner_client.post(
        reverse("course_signups:session", args=[series[1].pk]), {"capacity": "1"}
    )
    assert refused.status_code == 400
    assert "3 posti sono già assegnati" in refused.content.decode()
