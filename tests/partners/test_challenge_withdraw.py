"""The applicant's signed link: read and withdraw until the deadline."""

import datetime

import pytest

from django.utils import timezone

from partners.applications import make_token
from partners.choices import ApplicationStatus

from .challenge_factories import ChallengePageFactory, make_application
from .factories import PartnerIndexPageFactory, onboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(home):
    PartnerIndexPageFactory(parent=home)
    return ChallengePageFactory(parent=onboard("Sartoria Epsilon")[0], title="Scampoli")


@pytest.fixture
def application(challenge):
    return make_application(challenge, name="Bruno Neri", email="bruno@example.org")


def link(application):
    return f"/it/challenge-applications/{make_token(application)}/"


def test_the_link_shows_the_application(client, application):
    response = client.get(link(application))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bruno Neri" in content and application.reference in content
    assert 'name="confirm"' in content


def test_withdrawing_needs_confirmation_then_withdraws(client, application):
    assert client.post(link(application)).status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    response = client.post(link(application), {"confirm": "withdraw"})
    assert response.status_code == 200
    assert "La tua candidatura è stata ritirata." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.withdrawn_at is not None
    # Opening the link again shows it withdrawn, with nothing left to do.
    content = client.get(link(application)).content.decode()
    assert "Questa candidatura è stata ritirata." in content
    assert 'name="confirm"' not in content


def test_a_tampered_or_made_up_link_finds_nothing(client, application):
    token = make_token(application)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "nonsense", token.split(":")[0] + ":x"):
        assert client.get(f"/it/challenge-applications/{bad}/").status_code == 404
        assert (
            client.post(f"/it/challenge-applications/{bad}/", {"confirm": "withdraw"}).status_code
            == 404
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_after_the_deadline_the_link_shows_and_changes_nothing(client, challenge, application):
    challenge.opens_at = timezone.now() - datetime.timedelta(days=20)
    challenge.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    challenge.save()
    response = client.post(link(application), {"confirm": "withdraw"})
    assert response.status_code == 410
    assert "Bruno Neri" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
