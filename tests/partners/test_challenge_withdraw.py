"""The applicant's signed link: read and withdraw until the deadline."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.utils import timezone

from home.models import SiteFooter
from partners.applications import ApplicationClosed, make_token, withdraw
from partners.choices import ApplicationStatus
from partners.models import PartnerPage

from .challenge_factories import ChallengePageFactory, make_application
from .factories import PartnerIndexPageFactory, onboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(home):
    PartnerIndexPageFactory(parent=home)
    partner = onboard("Sartoria Epsilon", email="sfide@epsilon.example")[0]
    return ChallengePageFactory(parent=partner, title="Scampoli", slug="scampoli")


@pytest.fixture
def application(challenge):
    return make_application(challenge, name="Bruno Neri", email="bruno@example.org")


def signed(application):
    """The application's token, signed once per test: a signature carries the
    second it was made in, so two signed a second apart differ."""
    if not hasattr(application, "_test_token"):
        application._test_token = make_token(application)
    return application._test_token


def link(application, language="it"):
    path = "candidature-sfide" if language == "it" else "challenge-applications"
    return f"/{language}/{path}/{signed(application)}/"


def test_the_link_shows_the_application(client, application):
    response = client.get(link(application))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bruno Neri" in content and application.reference in content
    assert 'name="confirm"' in content


def test_the_page_has_a_path_in_each_language(client, application):
    """The receipt links in the applicant's language; the switcher leads to
    the same application in the other."""
    for language, other in (("it", "en"), ("en", "it")):
        response = client.get(link(application, language))
        assert response.status_code == 200, language
        switcher = BeautifulSoup(response.content, "html.parser").select(f"a[hreflang={other}]")
        assert {a["href"] for a in switcher} == {link(application, other)}, language


def test_the_old_italian_path_moves_for_good_to_the_new_one(client, application):
    """Italian receipts already e-mailed link to /it/challenge-applications/:
    they still open the application, redirected permanently with the token."""
    old = f"/it/challenge-applications/{signed(application)}/"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == link(application)
    assert "Bruno Neri" in client.get(old, follow=True).content.decode()
    # A withdrawal from a page opened at the old path is not lost on the way.
    response = client.post(old, {"confirm": "withdraw"})
    assert response.status_code == 308
    assert response["Location"] == link(application)
    response = client.post(old, {"confirm": "withdraw"}, follow=True)
    assert "La tua candidatura è stata ritirata." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


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
        assert client.get(f"/it/candidature-sfide/{bad}/").status_code == 404
        assert (
            client.post(f"/it/candidature-sfide/{bad}/", {"confirm": "withdraw"}).status_code == 404
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


def withdraw_through_the_link(client, application, capture):
    with capture(execute=True):
        response = client.post(link(application), {"confirm": "withdraw"})
    assert response.status_code == 200
    return response


def test_withdrawing_tells_the_applicant_once(
    client, challenge, application, django_capture_on_commit_callbacks
):
    withdraw_through_the_link(client, application, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    [message] = mail.outbox
    assert message.to == ["bruno@example.org"]
    assert message.subject == f"Candidatura ritirata: Scampoli ({application.reference})"
    withdrawn_at = timezone.localtime(application.withdrawn_at).strftime("%H:%M")
    apply_url = "http://testserver" + challenge.url + "apply/"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Bruno Neri" in body
        assert "la tua candidatura alla sfida “Scampoli” è stata ritirata" in body
        assert application.reference in body
        assert "Ritirata il" in body and withdrawn_at in body
        assert apply_url in body
        assert "Se non l'hai ritirata tu, scrivi al più presto a" in body
        assert "sfide@epsilon.example" in body
    assert 'href="mailto:sfide@epsilon.example"' in html

    # Withdrawing again (a second click, the link opened twice) sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(application), {"confirm": "withdraw"})
        client.get(link(application))
    assert response.status_code == 200
    assert mail.outbox == []


def test_two_requests_racing_send_one_e_mail(application, django_capture_on_commit_callbacks):
    stale = type(application).objects.get(pk=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(application)
        with pytest.raises(ApplicationClosed):
            withdraw(stale)  # read before the first request saved its change
    assert len(mail.outbox) == 1


def test_the_withdrawal_e_mail_is_in_the_applicant_s_language(
    client, challenge, english, django_capture_on_commit_callbacks
):
    challenge_en = challenge.copy_for_translation(english, copy_parents=True)
    challenge_en.title = "Remnants"
    challenge_en.save_revision().publish()
    application = make_application(challenge, language="en", email="amina@example.org")
    footer = SiteFooter.load()
    footer.contact_email = "accademia@example.org"
    footer.save()
    # A partner without a contact e-mail: the applicant is sent to the Academy.
    PartnerPage.objects.filter(pk=challenge.get_parent().pk).update(email="")

    withdraw_through_the_link(client, application, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.subject == f"Application withdrawn: Remnants ({application.reference})"
    assert "your application to the challenge “Remnants” has been withdrawn" in message.body
    assert "Withdrawn on" in message.body
    assert "If you did not do this, write to accademia@example.org" in message.body
    assert "/en/" in message.body and "/apply/" in message.body
    assert "Candidatura" not in message.body


def test_withdrawn_after_the_call_closed_the_e_mail_says_no_new_application(
    challenge, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(application)
        # The call closes before the worker sends the e-mail.
        challenge.closes_at = timezone.now() - datetime.timedelta(seconds=1)
        challenge.opens_at = timezone.now() - datetime.timedelta(days=20)
        challenge.save()
    [message] = mail.outbox
    assert "Il bando non è più aperto" in message.body
    assert "/apply/" not in message.body
