"""The challenge index, the challenge page, the partner profile and the
home page: what visitors see, in a constant number of queries."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import HomePage
from partners.models import ChallengeCourse, ChallengeIndexPage, ChallengePage, PartnerPage
from tests.factories import StandardPageFactory

from .challenge_factories import ChallengeIndexPageFactory, ChallengePageFactory, add_question
from .factories import PartnerIndexPageFactory, onboard
from .test_permissions import edit_form_data

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_the_tree_is_declared():
    assert ChallengeIndexPage in HomePage.allowed_subpage_models()
    assert ChallengePage in PartnerPage.allowed_subpage_models()
    assert ChallengePage.allowed_parent_page_models() == [PartnerPage]
    assert ChallengeIndexPage.allowed_subpage_models() == []
    assert ChallengePage.allowed_subpage_models() == []


@pytest.fixture
def network(home):
    directory = PartnerIndexPageFactory(parent=home)
    index = ChallengeIndexPageFactory(parent=home)
    partner_a = onboard("Sartoria Alfa", comuni=["rodano"])[0]
    partner_b = onboard("Officina Beta", comuni=["segrate"])[0]
    now = timezone.now()
    make = ChallengePageFactory
    pages = {
        "closed_old": make(
            parent=partner_a,
            title="Chiusa vecchia",
            opens_at=now - 90 * DAY,
            closes_at=now - 60 * DAY,
        ),
        "open_late": make(
            parent=partner_b,
            title="Aperta tardi",
            closes_at=now + 30 * DAY,
            sector="logistics",
            comuni=["segrate"],
        ),
        "closed_recent": make(
            parent=partner_b, title="Chiusa recente", opens_at=now - 30 * DAY, closes_at=now - DAY
        ),
        "open_soon": make(parent=partner_a, title="Aperta presto", closes_at=now + 2 * DAY),
        "upcoming": make(
            parent=partner_a, title="In arrivo", opens_at=now + 5 * DAY, closes_at=now + 40 * DAY
        ),
    }
    draft = make(parent=partner_a, title="Bozza")
    draft.unpublish()
    return {"index": index, "directory": directory, "a": partner_a, "b": partner_b, **pages}


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".challenge-grid h3 a")]


def test_index_lists_open_calls_first_then_upcoming_then_closed(client, network):
    response = client.get(network["index"].url)
    assert response.status_code == 200
    assert titles(response) == [
        "Aperta presto",
        "Aperta tardi",
        "In arrivo",
        "Chiusa recente",
        "Chiusa vecchia",
    ]
    assert "Bozza" not in response.content.decode()


def test_index_filters_by_partner_comune_sector_and_status(client, network):
    url = network["index"].url
    key = str(network["b"].translation_key)
    assert titles(client.get(url, {"partner": key})) == ["Aperta tardi", "Chiusa recente"]
    assert titles(client.get(url, {"comune": "segrate"})) == ["Aperta tardi"]
    assert titles(client.get(url, {"sector": "logistics"})) == ["Aperta tardi"]
    assert titles(client.get(url, {"status": "open"})) == ["Aperta presto", "Aperta tardi"]
    assert titles(client.get(url, {"status": "closed", "partner": key})) == ["Chiusa recente"]
    empty = client.get(url, {"status": "upcoming", "comune": "segrate"})
    assert titles(empty) == []
    assert "Nessuna sfida corrisponde ai filtri scelti." in empty.content.decode()
    bad = client.get(url, {"partner": "x", "status": "??", "page": "99"})
    assert bad.status_code == 200
    assert len(titles(bad)) == 5


def test_index_query_count_does_not_grow_with_challenges(client, network):
    url = network["index"].url
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"status": "open"})
    for number in range(6):
        ChallengePageFactory(parent=network["b"], title=f"Altra {number}")
    client.get(url)  # the new pages invalidated the cached header and footer
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"status": "open"})
    assert len(titles(response)) == 8
    assert len(many) == len(few)


def test_challenge_page_shows_the_call_and_its_questions(client, network):
    page = network["open_soon"]
    add_question(page, "Che competenze avete?")
    response = client.get(page.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ci serve un&#x27;idea." in content or "Ci serve un'idea." in content
    assert "Che competenze avete?" in content
    assert f'href="{page.url}apply/"' in content
    assert "ora italiana" in content
    upcoming = client.get(network["upcoming"].url).content.decode()
    assert "Le candidature non sono ancora aperte." in upcoming
    assert "apply/" not in upcoming


def test_only_live_public_courses_are_linked(client, network, home):
    page = network["open_soon"]
    live = StandardPageFactory(parent=home, title="Corso di riparazioni")
    draft = StandardPageFactory(parent=home, title="Corso in bozza")
    draft.unpublish()
    ChallengeCourse.objects.create(challenge=page, course=live, sort_order=0)
    ChallengeCourse.objects.create(challenge=page, course=draft, sort_order=1)
    content = client.get(page.url).content.decode()
    assert "Corsi per prepararsi" in content
    assert "Corso di riparazioni" in content
    assert "Corso in bozza" not in content


def test_partner_profile_lists_its_challenges_with_their_card(client, network):
    content = client.get(network["a"].url).content.decode()
    soup = BeautifulSoup(content, "html.parser")
    cards = soup.select("li.challenge-card h3")
    assert {card.get_text(strip=True) for card in cards} == {
        "Chiusa vecchia",
        "Aperta presto",
        "In arrivo",
    }


def test_home_page_shows_the_open_challenges(client, network, home):
    content = client.get(home.url).content.decode()
    soup = BeautifulSoup(content, "html.parser")
    section = soup.select_one(".open-challenges")
    assert section is not None
    names = [a.get_text(strip=True) for a in section.select("h3 a")]
    assert names == ["Aperta presto", "Aperta tardi"]
    assert section.select_one(f'a[href="{network["index"].url}"]') is not None


def test_a_deadline_set_in_the_past_is_refused_one_passed_since_is_not(admin_client, network):
    """A call whose deadline was typed with a wrong year was saved closed,
    with nothing to say so. A call that has closed since can still be edited."""
    past = timezone.now() - datetime.timedelta(days=300)
    closed = ChallengePageFactory(
        parent=PartnerPage.objects.filter(locale__language_code="it").first(),
        opens_at=past - datetime.timedelta(days=30),
        closes_at=past,
    )
    url = f"/admin/pages/{closed.pk}/edit/"
    # The factory's call has no documents nor FAQ (StreamFields, drawn by script).
    data = {**edit_form_data(admin_client, closed), "documents-count": "0", "faq-count": "0"}
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302  # unchanged: saves

    earlier = timezone.localtime(past - datetime.timedelta(days=1))
    data["closes_at"] = earlier.strftime("%Y-%m-%d %H:%M")
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "Questa scadenza è già passata" in response.text
