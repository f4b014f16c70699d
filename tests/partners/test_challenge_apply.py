"""Applying to a challenge without an account: the form, the receipt, the
deadline in Europe/Rome time, bots and rate limits."""

import datetime
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from django.core import mail

from partners.choices import ApplicationStatus, Eligibility
from partners.models import ChallengeApplication

from .challenge_factories import (
    ChallengePageFactory,
    add_question,
    application_data,
    private_media,  # noqa: F401
)
from .factories import PartnerIndexPageFactory, onboard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def partner(home):
    PartnerIndexPageFactory(parent=home)
    return onboard("Officina Gamma")[0]


@pytest.fixture
def challenge(partner):
    page = ChallengePageFactory(parent=partner, title="Riparare i resi", slug="riparare-i-resi")
    add_question(page, "Che competenze avete?")
    add_question(page, "Sito web del progetto", required=False, long_answer=False)
    return page


def apply_url(page):
    return page.url + "apply/"


def test_applying_stores_the_application_and_sends_a_receipt(
    client, challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(challenge),
            application_data(question_1="Elettronica e vendita", question_2=""),
        )
    assert response.status_code == 303
    assert response["Location"].endswith("/riparare-i-resi/sent/")
    application = ChallengeApplication.objects.get()
    assert application.challenge_id == challenge.pk
    assert application.status == ApplicationStatus.RECEIVED
    assert application.language == "it"
    assert application.answers[0] == {
        "position": 1,
        "question": "Che competenze avete?",
        "answer": "Elettronica e vendita",
    }
    assert application.privacy_consent_at and application.sharing_consent_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert application.reference in message.subject
    assert "Candidatura ricevuta" in message.subject
    assert application.reference in message.body
    html = message.alternatives[0][0]
    link = re.search(r'href="(http://testserver/it/candidature-sfide/[^"]+/)"', html)
    assert link is not None
    assert link.group(1) in message.body
    assert client.get(response["Location"]).status_code == 200


def test_english_application_goes_to_the_italian_call_and_is_answered_in_english(
    client, challenge, english, django_capture_on_commit_callbacks
):
    challenge_en = challenge.copy_for_translation(english, copy_parents=True)
    challenge_en.title = "Repairing returns"
    challenge_en.save_revision().publish()
    challenge_en.refresh_from_db()
    questions = list(challenge_en.questions.all())
    assert len(questions) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(challenge_en),
            application_data(question_1="Electronics", email="a@example.org"),
        )
    assert response.status_code == 303
    application = ChallengeApplication.objects.get()
    assert application.challenge_id == challenge.pk
    assert application.language == "en"
    assert mail.outbox[0].subject.startswith("Application received: Repairing returns")
    assert "/en/challenge-applications/" in mail.outbox[0].body


def test_missing_fields_and_consents_are_explained_and_nothing_is_saved(client, challenge):
    data = application_data(name="", privacy="", question_1="")
    data.pop("sharing")
    response = client.post(apply_url(challenge), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Controlla i campi segnalati qui sotto." in content
    assert content.count('class="errorlist"') >= 4
    assert ChallengeApplication.objects.count() == 0
    assert mail.outbox == []


def test_a_team_must_give_its_name(client, challenge):
    data = application_data(applicant_type=Eligibility.TEAM, question_1="x")
    response = client.post(apply_url(challenge), data)
    assert response.status_code == 400
    assert "Indica il nome della squadra o dell&#x27;impresa." in response.content.decode()


def test_only_the_allowed_kinds_of_applicant_are_offered(client, challenge):
    data = application_data(applicant_type=Eligibility.NEW_BUSINESS, question_1="x")
    response = client.post(apply_url(challenge), data)
    assert response.status_code == 400
    assert ChallengeApplication.objects.count() == 0


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (datetime.datetime(2026, 6, 30, 11, 59, 59, tzinfo=ROME), True),
        # 12:00 in Rome is 10:00 UTC in summer: closed, whatever the server's zone.
        (datetime.datetime(2026, 6, 30, 10, 0, 0, tzinfo=datetime.UTC), False),
        (datetime.datetime(2026, 6, 30, 12, 0, 1, tzinfo=ROME), False),
    ],
)
def test_the_deadline_is_enforced_on_the_server_in_rome_time(client, partner, now, accepted):
    page = ChallengePageFactory(
        parent=partner,
        opens_at=datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ROME),
        closes_at=datetime.datetime(2026, 6, 30, 12, 0, tzinfo=ROME),
    )
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.post(apply_url(page), application_data())
    if accepted:
        assert response.status_code == 303
        assert ChallengeApplication.objects.count() == 1
    else:
        assert response.status_code == 410
        assert "Il bando è chiuso" in response.content.decode()
        assert ChallengeApplication.objects.count() == 0
        assert mail.outbox == []


def test_a_closed_call_says_so_and_offers_no_form(client, partner):
    page = ChallengePageFactory(
        parent=partner,
        opens_at=datetime.datetime(2025, 1, 1, tzinfo=ROME),
        closes_at=datetime.datetime(2025, 2, 1, tzinfo=ROME),
    )
    content = client.get(page.url).content.decode()
    assert "Il bando è chiuso" in content
    assert "apply/" not in content
    response = client.get(apply_url(page))
    assert response.status_code == 200
    assert "<form" not in response.content.decode().split('id="main"')[1].split("</main>")[0]


def test_a_call_not_yet_open_accepts_nothing(client, partner):
    page = ChallengePageFactory(
        parent=partner,
        opens_at=datetime.datetime(2099, 1, 1, tzinfo=ROME),
        closes_at=datetime.datetime(2099, 2, 1, tzinfo=ROME),
    )
    response = client.post(apply_url(page), application_data())
    assert response.status_code == 410
    assert ChallengeApplication.objects.count() == 0


def test_the_honeypot_stops_bots(client, challenge):
    response = client.post(
        apply_url(challenge), application_data(question_1="x", website="http://spam.example")
    )
    assert response.status_code == 400
    assert ChallengeApplication.objects.count() == 0


def test_too_many_applications_from_one_address_are_refused(client, challenge):
    statuses = [
        client.post(
            apply_url(challenge), application_data(question_1="x", email=f"p{n}@example.org")
        ).status_code
        for n in range(9)
    ]
    assert statuses[:8] == [303] * 8
    assert statuses[8] == 429
    assert ChallengeApplication.objects.count() == 8


def test_an_application_that_fails_halfway_leaves_nothing_saved(client, challenge):
    """A form sent to a page is served in a transaction (home.views.serve:
    page views that only read are not): an error after the application was
    stored takes it back."""
    failing = mock.patch("partners.challenge_views.redirect", side_effect=RuntimeError("boom"))
    with failing, pytest.raises(RuntimeError):
        client.post(apply_url(challenge), application_data(question_1="Elettronica"))
    assert ChallengeApplication.objects.count() == 0
    assert mail.outbox == []


def test_the_language_switcher_on_the_form_leads_to_the_form(client, challenge, english):
    """On the application form (and the "sent" page) the switcher led back to
    the challenge's page in the other language, not to its form."""
    challenge_en = challenge.copy_for_translation(english, copy_parents=True)
    challenge_en.save_revision().publish()
    challenge_en.refresh_from_db()
    for sub in ("apply/", "sent/"):
        pairs = ((challenge, challenge_en, "en"), (challenge_en, challenge, "it"))
        for here, there, other in pairs:
            response = client.get(here.url + sub)
            assert response.status_code == 200
            soup = BeautifulSoup(response.content, "html.parser")
            links = {a["href"] for a in soup.select(f".language-switcher a[hreflang={other}]")}
            assert links == {there.url + sub}, (here.url + sub, links)
    # The page itself still leads to the page.
    soup = BeautifulSoup(client.get(challenge.url).content, "html.parser")
    links = {a["href"] for a in soup.select(".language-switcher a[hreflang=en]")}
    assert links == {challenge_en.url}
