"""“Ask for a course”: the citizen's form, its defences, who sees what, retention."""

import datetime
import io
import time

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from courses.signup_forms import started_token
from partners.moderation import STAFF_GROUP_NAME
from search import demand
from search.models import CourseRequest, MissedQuery
from tests.partners.factories import onboard

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "wish": "Corso di ceramica",
        "topic": "",
        "comune": "segrate",
        "email": "",
        "source": "search",
        "website": "",
        "started": started_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def ask(client, **overrides):
    return client.post(reverse("ask_for_course"), form_data(**overrides))


def errors(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ") for e in page.select(".errorlist, .notice--error"))


def test_a_request_without_email(client, world):
    response = ask(client)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    request = CourseRequest.objects.get()
    assert (request.wish, request.comune, request.email, request.language) == (
        "Corso di ceramica",
        "segrate",
        "",
        "it",
    )
    assert request.consent_at is None and request.source == "search"


def test_a_request_with_email_needs_consent_and_guesses_the_topic(client, world):
    response = ask(client, email="anna@example.org", wish="sartoria per principianti")
    assert response.status_code == 400
    assert "Tick the box" in errors(response) or "Spunta" in errors(response)
    assert not CourseRequest.objects.exists()
    ask(client, email="anna@example.org", consent="on", wish="sartoria per principianti")
    request = CourseRequest.objects.get()
    assert request.email == "anna@example.org" and request.consent_at is not None
    assert request.topic == world.topic_sartoria


@pytest.mark.parametrize(
    "overrides",
    [
        {"wish": ""},
        {"comune": ""},
        {"comune": "atlantide"},
        {"email": "not an address", "consent": "on"},
        {"wish": "x" * 301},
        {"topic": "999999"},
        {"topic": "abc"},
    ],
)
def test_invalid_requests_are_refused_with_a_message(client, world, overrides):
    response = ask(client, **overrides)
    assert response.status_code == 400
    assert errors(response)
    assert not CourseRequest.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "http://spam.example"},
        {"started": "now"},  # sent too fast
        {"started": "forged"},
    ],
)
def test_robots_are_refused(client, world, overrides):
    if overrides.get("started") == "now":
        overrides = {"started": started_token(time.time())}
    assert ask(client, **overrides).status_code == 400
    assert not CourseRequest.objects.exists()


def test_rate_limit_per_connection(client, world):
    for _ in range(5):
        assert ask(client).status_code == 302
    response = ask(client)
    assert response.status_code == 429
    assert CourseRequest.objects.count() == 5


def test_catalogue_and_no_result_page_lead_to_the_form(client, world):
    page = client.get(reverse("ask_for_course"), {"wish": "ceramica"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("input[name=wish]")["value"] == "ceramica"
    assert soup.select_one("input[name=website]")  # honeypot present, hidden by CSS
    catalogue = client.get(world.catalogue.url)
    assert reverse("ask_for_course") in catalogue.content.decode()


@pytest.fixture
def people(django_user_model):
    staff_group = Group.objects.get_or_create(name=STAFF_GROUP_NAME)[0]
    staff_group.permissions.add(Permission.objects.get(codename="access_admin"))
    staff = django_user_model.objects.create_user("staff", password="pw")
    staff.groups.add(staff_group)
    _partner, partner_user = onboard("Bottega Tre")
    nobody = django_user_model.objects.create_user("nobody", password="pw")
    other = Group.objects.create(name="Other editors")
    other.permissions.add(Permission.objects.get(codename="access_admin"))
    nobody.groups.add(other)
    return {"staff": staff, "partner": partner_user, "nobody": nobody}


def assert_refused(response):
    """Wagtail answers PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_who_sees_the_requests(client, world, people):
    now = timezone.now()
    for comune in ("segrate", "segrate", "rodano"):
        demand.create_request(
            wish="Ceramica, scrivete a mario@example.org",
            comune=comune,
            topic=world.topic_sartoria,
            email="mario@example.org",
            consent=True,
            language="it",
            source="catalogue",
            now=now,
        )
    url = reverse("search_course_requests")

    client.force_login(people["staff"])
    page = client.get(url).content.decode()
    assert "Sartoria" in page and "mario@example.org" in page

    client.force_login(people["partner"])
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    row = page.select_one("tbody tr")
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[:5] == ["0", "1", "2", "0", "3"]  # Pioltello, Rodano, Segrate, Vimodrone, total
    assert "mario@example.org" not in response.content.decode()
    assert "scrivete a …" in page.get_text()  # contact details masked in the wishes
    assert_refused(client.get(reverse("search_missed_queries")))

    client.force_login(people["nobody"])
    assert_refused(client.get(url))
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_staff_see_the_searches_without_results(client, world, people):
    client.get(reverse("search"), {"query": "ceramica raku"})
    client.force_login(people["staff"])
    response = client.get(reverse("search_missed_queries"))
    assert response.status_code == 200
    assert "ceramica raku" in response.content.decode()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("search_course_requests") in menu


@override_settings(COURSE_REQUEST_RETENTION_MONTHS=12)
def test_purge_erases_old_email_addresses(world):
    now = timezone.now()
    old = now - datetime.timedelta(days=400)
    kept = {"topic": None, "consent": True, "language": "it", "source": "search"}
    demand.create_request(wish="a", comune="rodano", email="a@example.org", now=old, **kept)
    demand.create_request(wish="b", comune="rodano", email="b@example.org", now=now, **kept)
    MissedQuery.objects.create(
        query="vecchia", language="it", first_seen=old, last_seen=old - datetime.timedelta(days=400)
    )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Course requests: e-mail erased from 1." in out.getvalue()
    emails = dict(CourseRequest.objects.values_list("wish", "email"))
    assert emails == {"a": "", "b": "b@example.org"}
    assert CourseRequest.objects.get(wish="a").anonymised_at is not None
    assert not MissedQuery.objects.exists()
