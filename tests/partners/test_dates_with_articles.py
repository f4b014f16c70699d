"""Italian sentences about a call's dates elide the article before a day
read with a vowel: "candidature entro l'8 dicembre", "dall'1", "fino
all'8", "scaduta l'11" ("il 8", "dal 1" are wrong), through
academy_site/date_articles.py; English reads as before."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.template.loader import render_to_string
from django.utils import timezone, translation

from home.demo import translate

from .challenge_factories import ChallengePageFactory
from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .opportunity_factories import OpportunityPageFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1
LAST_YEAR = timezone.now().year - 1


def rome(year, month, day, hour):
    """`hour` o'clock in Italy in December (UTC+1)."""
    return datetime.datetime(year, month, day, hour - 1, tzinfo=datetime.UTC)


@pytest.fixture
def partner(home):
    directory = PartnerIndexPageFactory(parent=home)
    return PartnerPageFactory(parent=directory, title="Segrate Logistica", slug="logistica")


def text(html):
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def call_state(challenge, language):
    with translation.override(language):
        return text(
            render_to_string(
                "partners/challenges/includes/call_state.html", {"challenge": challenge}
            )
        )


def test_an_open_call_until_the_eighth(client, partner):
    challenge = ChallengePageFactory(parent=partner, closes_at=rome(NEXT_YEAR, 12, 8, 18))
    assert f"Aperta · candidature entro l'8 dicembre {NEXT_YEAR}, 18:00" in text(
        client.get(challenge.url).content
    )
    assert f"Puoi inviare la candidatura fino all'8 dicembre {NEXT_YEAR}, 18:00 (ora" in text(
        client.get(challenge.url + "apply/").content
    )
    assert call_state(challenge, "en") == f"Open · apply by 8 December {NEXT_YEAR}, 18:00"


def test_a_call_opening_on_the_first(client, partner):
    challenge = ChallengePageFactory(
        parent=partner,
        opens_at=rome(NEXT_YEAR, 12, 1, 9),
        closes_at=rome(NEXT_YEAR, 12, 20, 18),
    )
    assert call_state(challenge, "it") == (
        f"Apre a breve · candidature dall'1 dicembre {NEXT_YEAR}, 09:00"
    )
    assert call_state(challenge, "en") == (
        f"Opening soon · applications from 1 December {NEXT_YEAR}, 09:00"
    )


def test_a_call_closed_on_the_eleventh(client, partner):
    challenge = ChallengePageFactory(
        parent=partner,
        opens_at=rome(LAST_YEAR, 11, 1, 9),
        closes_at=rome(LAST_YEAR, 12, 11, 18),
    )
    assert call_state(challenge, "it") == f"Chiusa · scaduta l'11 dicembre {LAST_YEAR}"
    assert call_state(challenge, "en") == f"Closed · deadline was 11 December {LAST_YEAR}"


def test_an_opportunity_closed_on_the_eighth(client, partner, english):
    closed = OpportunityPageFactory(
        parent=partner, title="Tirocinio", slug="tirocinio", deadline=rome(LAST_YEAR, 12, 8, 18)
    )
    page = text(client.get("/it/rete/logistica/tirocinio/").content)
    assert f"Le candidature si sono chiuse l'8 dicembre {LAST_YEAR}." in page
    translate(partner.get_parent(), {"rete": "network"}, english)
    translate(partner, {}, english)
    translate(closed, {"Tirocinio": "Internship", "tirocinio": "internship"}, english)
    page = text(client.get("/en/network/logistica/internship/").content)
    assert f"Applications ended on 8 December {LAST_YEAR}." in page
