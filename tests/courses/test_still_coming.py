"""The reminder's "yes, I'm still coming", recorded per date: each date's
reminder names its date and its answer is kept on that reminder."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django.utils.formats import date_format

from courses import booking
from courses.choices import SignupMode
from courses.models import CourseSession, SignupReminder
from courses.signup_links import action_url
from home.models import HomePage

from .signup_factories import (
    SignupFactory,
    make_course,
    make_partner,
    press_the_button,
    remind_before,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(committing_client):
    return committing_client


@pytest.fixture
def series(home):
    """A six-date course (one date a day, a week from now)."""
    _course, sessions = make_course(
        make_partner(home), capacity=5, signup_mode=SignupMode.SERIES, sessions=6
    )
    return sessions


def coming_link(message):
    html = message.alternatives[0][0]
    return re.search(r'href="http://testserver(/it/signup/coming/[^"]+)"', html)[1]


def day_of(session):
    with translation.override("it"):
        return date_format(timezone.localtime(session.start), "l j F")


def button(response):
    page = BeautifulSoup(response.content, "html.parser")
    (form,) = page.find_all("form", method="post")
    return form.find("button", type="submit").get_text(strip=True)


def answers(signup):
    """{session id: still coming at} of the sign-up's reminders."""
    return dict(
        SignupReminder.objects.filter(signup=signup).values_list("session_id", "still_coming_at")
    )


def test_a_series_sign_up_answers_each_dates_reminder_on_its_own(client, series, committed):
    holder = SignupFactory(session=series[0])
    remind_before(series[0], committed)
    first = coming_link(mail.outbox[-1])
    assert button(client.get(first)) == f"Sì, vengo {day_of(series[0])}"
    press_the_button(client, first)
    assert answers(holder)[series[0].pk] is not None

    for session in series[1:4]:
        remind_before(session, committed)
    fourth = coming_link(mail.outbox[-1])
    assert fourth != first
    # Date 4's link asks about date 4, answered or not for date 1; opening
    # it (GET, HEAD) records nothing.
    before = answers(holder)
    page = client.get(fourth)
    assert page.status_code == 200 and button(page) == f"Sì, vengo {day_of(series[3])}"
    assert client.head(fourth).status_code == 200
    assert answers(holder) == before
    assert before[series[3].pk] is None

    done = press_the_button(client, fourth).content.decode()
    assert "Grazie, a presto" in done and day_of(series[3]) in done
    now = answers(holder)
    assert now[series[3].pk] is not None
    assert now[series[0].pk] == before[series[0].pk]  # date 1's answer untouched
    assert now[series[1].pk] is None and now[series[2].pk] is None
    # Each link, opened again, shows its own answer, naming its own date.
    again = client.get(first).content.decode()
    assert "<form" not in again and day_of(series[0]) in again.split("Quando e dove")[0]
    # The person's data (GDPR art. 15) say which dates were answered.
    data = booking.person_data(holder.participant)["signups"][0]["reminders"]
    assert [bool(r["still_coming_at"]) for r in data] == [True, False, False, True]


def test_a_link_sent_before_links_named_a_date_answers_for_the_next_reminded_date(client, series):
    """Reminders already sent carry the sign-up alone: such a link answers
    for the sign-up's reminded date not ended yet, the soonest."""
    holder = SignupFactory(session=series[0])
    remind_before(series[0])
    old_link = action_url(holder, "coming").removeprefix("http://testserver")
    assert button(client.get(old_link)) == f"Sì, vengo {day_of(series[0])}"

    remind_before(series[1])
    # Date 1 is over (moved a month back, so it stays the first).
    CourseSession.objects.filter(pk=series[0].pk).update(
        start=series[0].start - datetime.timedelta(days=30),
        end=series[0].end - datetime.timedelta(days=30),
    )
    assert button(client.get(old_link)) == f"Sì, vengo {day_of(series[1])}"
    press_the_button(client, old_link)
    got = answers(holder)
    assert got[series[1].pk] is not None and got[series[0].pk] is None

    # Once every reminded date is over, there is nothing left to answer.
    CourseSession.objects.filter(pk=series[1].pk).update(
        start=series[1].start - datetime.timedelta(days=30),
        end=series[1].end - datetime.timedelta(days=30),
    )
    # (the latest reminder, date 2, was answered: the link shows that answer)
    assert "Grazie, a presto" in client.get(old_link).content.decode()
    date_one = action_url(holder, "coming", session=series[0]).removeprefix("http://testserver")
    response = client.get(date_one)
    assert response.status_code == 409 and "già passato" in response.content.decode()
    assert client.post(date_one).status_code == 409
    assert answers(holder)[series[0].pk] is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_answer_to_the_reminder_it_answered(site_after_flush):
    """Migration 0009: a sign-up's one answer goes to its latest reminder
    sent before the answer; an answer before any reminder has no date."""
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    _course, series = make_course(
        make_partner(home), capacity=5, signup_mode=SignupMode.SERIES, sessions=3
    )
    first_sent = timezone.now() - datetime.timedelta(days=2)
    second_sent = timezone.now() - datetime.timedelta(days=1)
    people = {name: SignupFactory(session=series[0], first_name=name) for name in "ABCD"}
    for name, signup in people.items():
        SignupReminder.objects.create(signup=signup, session=series[0], sent_at=first_sent)
        if name in "AD":
            SignupReminder.objects.create(signup=signup, session=series[1], sent_at=second_sent)
    said = {
        "A": first_sent + datetime.timedelta(hours=1),  # before date 2's reminder
        "B": second_sent + datetime.timedelta(hours=1),  # date 1 was its only one
        "C": first_sent - datetime.timedelta(hours=1),  # before any reminder
        "D": second_sent + datetime.timedelta(hours=1),
    }
    executor = MigrationExecutor(connection)
    executor.migrate([("courses", "0008_plain_help_for_area_and_labour_needs")])
    old_apps = executor.loader.project_state(
        [("courses", "0008_plain_help_for_area_and_labour_needs")]
    ).apps
    for name, at in said.items():
        old_apps.get_model("courses", "Signup").objects.filter(pk=people[name].pk).update(
            still_coming_at=at
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = {signup.pk: name for name, signup in people.items()}
    moved = {
        (names[r.signup_id], series.index(r.session)): r.still_coming_at
        for r in SignupReminder.objects.select_related("session")
    }
    assert moved == {
        ("A", 0): said["A"],
        ("A", 1): None,
        ("B", 0): said["B"],
        ("C", 0): None,
        ("D", 0): None,
        ("D", 1): said["D"],
    }
