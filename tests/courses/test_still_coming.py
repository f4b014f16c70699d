"""The reminder's "yes, I'm still coming", recorded per date: each date's
reminder names its date and its answer is kept on that reminder, shown to
the partner in the session's list and in the export."""

import csv
import datetime
import io
import re
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from academy_site.date_articles import date_with_article
from academy_site.short_dates import short_date
from courses import booking
from courses.choices import SignupMode
from courses.models import CourseSession, SignupReminder
from courses.signup_links import action_url
from home.exports import local_datetime
from home.models import HomePage

from .signup_factories import (
    STAFF_GROUP,
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
        return date_format(timezone.localtime(session.start), "j F")


def on_day(session):
    """The day after "vengo": "il 14 dicembre", "l'8 dicembre"."""
    with translation.override("it"):
        return date_with_article(day_of(session), "il")


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
    assert button(client.get(first)) == f"Sì, vengo {on_day(series[0])}"
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
    assert page.status_code == 200 and button(page) == f"Sì, vengo {on_day(series[3])}"
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
    assert button(client.get(old_link)) == f"Sì, vengo {on_day(series[0])}"

    remind_before(series[1])
    # Date 1 is over (moved a month back, so it stays the first).
    CourseSession.objects.filter(pk=series[0].pk).update(
        start=series[0].start - datetime.timedelta(days=30),
        end=series[0].end - datetime.timedelta(days=30),
    )
    assert button(client.get(old_link)) == f"Sì, vengo {on_day(series[1])}"
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


@pytest.fixture
def staff_user(django_user_model):
    staff = Group.objects.get_or_create(name=STAFF_GROUP)[0]
    staff.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("staff", password="pw")
    user.groups.add(staff)
    return user


def row_text(response, signup):
    page = BeautifulSoup(response.content, "html.parser")
    row = page.select_one(f"tr.signup-row[data-signup='{signup.pk}']")
    return " ".join(row.get_text(" ").split())


def session_list(client, session):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("course_signups:session", args=[session.pk]))
    assert response.status_code == 200
    return response, len(queries)


def answer_first_reminder(client, signup):
    """Press "still coming" in the sign-up's first reminder, at a known
    time (returned)."""
    message = next(m for m in mail.outbox if m.to == [signup.email])
    at = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=at):
        press_the_button(client, coming_link(message))
    return at


def test_the_session_list_shows_each_sign_ups_answer_for_its_own_date(
    client, series, staff_user, committed
):
    client.force_login(staff_user)
    anna = SignupFactory(session=series[0], first_name="Anna")
    _first, few = session_list(client, series[0])
    bruno = SignupFactory(session=series[0], first_name="Bruno")
    remind_before(series[0], committed)
    carla = SignupFactory(session=series[0], first_name="Carla")  # signed up since
    when = answer_first_reminder(client, anna)
    remind_before(series[1], committed)
    SignupReminder.objects.filter(session=series[1]).exclude(signup=anna).delete()

    response, many = session_list(client, series[0])
    confirmed = f"Confermato dal promemoria il {short(when)}"
    assert confirmed in row_text(response, anna)
    assert "Promemoria inviato, ancora nessuna risposta" in row_text(response, bruno)
    assert "promemoria" not in row_text(response, carla).lower()
    assert many == few  # one query for every row's reminder

    # Date 2 lists the same sign-ups (the series' first date carries them),
    # each with date 2's reminder: Anna's answer for date 1 is not date 2's.
    response, _queries = session_list(client, series[1])
    assert "Promemoria inviato, ancora nessuna risposta" in row_text(response, anna)
    assert "Confermato" not in response.content.decode()
    assert "promemoria" not in row_text(response, bruno).lower()


def on(text):
    with translation.override("it"):
        return date_with_article(text, "il")


def short(value):
    with translation.override("it"):
        return short_date(timezone.localtime(value), "day_time")


def test_the_export_has_each_reminded_date_and_its_answer(client, series, staff_user, committed):
    client.force_login(staff_user)
    anna = SignupFactory(session=series[0], first_name="Anna")
    remind_before(series[0], committed)
    SignupFactory(session=series[0], first_name="Bruno")  # signed up since
    when = answer_first_reminder(client, anna)
    remind_before(series[1], committed)
    url = reverse("course_signups:export", args=["csv"]) + f"?session={series[0].pk}"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    column = rows[0].index("Presenza confermata (dal promemoria)")
    cells = {row[4]: row[column] for row in rows[1:]}
    assert cells == {
        "Anna": f"{local_datetime(series[0].start)}: confermata {on(local_datetime(when))}; "
        f"{local_datetime(series[1].start)}: ancora nessuna risposta",
        "Bruno": f"{local_datetime(series[1].start)}: ancora nessuna risposta",
    }


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
