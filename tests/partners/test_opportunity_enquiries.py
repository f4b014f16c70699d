"""The contact form of an opportunity: delivery, storage, bad input,
anti-abuse, and the retention command."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from partners.choices import ApplyMethod
from partners.enquiries import RATE_LIMITS, issue_token
from partners.models import Enquiry

from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .opportunity_factories import EnquiryFactory, OpportunityPageFactory

pytestmark = pytest.mark.django_db

URL = "/it/rete/logistica/tirocinio/"


@pytest.fixture
def partner(home):
    directory = PartnerIndexPageFactory(parent=home)
    return PartnerPageFactory(
        parent=directory, title="Segrate Logistica", slug="logistica", email="hr@logistica.example"
    )


@pytest.fixture
def opportunity(partner):
    return OpportunityPageFactory(parent=partner, title="Tirocinio", slug="tirocinio")


def form_data(**overrides):
    data = {
        "name": "Amina Diallo",
        "email": "Amina@Example.org",
        "phone": "333 1234567",
        "message": "Buongiorno, ho finito il corso di magazzino e vorrei candidarmi.",
        "privacy": "on",
        "website": "",
        "shown_at": issue_token(timezone.now() - datetime.timedelta(seconds=30)),
    }
    data.update(overrides)
    return data


def test_enquiry_is_delivered_to_the_partner_and_stored(
    client, opportunity, partner, django_capture_on_commit_callbacks
):
    page = BeautifulSoup(client.get(URL).content, "html.parser")
    assert page.select_one("form.enquiry-form") is not None
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(URL, form_data(), follow=True)
    assert with_commit.status_code == 200
    assert "messaggio è stato inviato" in with_commit.text
    enquiry = Enquiry.objects.get()
    assert enquiry.partner == partner
    assert enquiry.opportunity == opportunity
    assert (enquiry.name, enquiry.email, enquiry.language) == (
        "Amina Diallo",
        "amina@example.org",
        "it",
    )
    assert enquiry.delivered_to == "hr@logistica.example"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hr@logistica.example"]
    assert message.reply_to == ["amina@example.org"]
    assert "Tirocinio" in message.subject
    assert "ho finito il corso di magazzino" in message.body
    assert "333 1234567" in message.body


def test_the_e_mail_links_to_the_public_site_like_every_other(
    client, opportunity, settings, django_capture_on_commit_callbacks
):
    # Every e-mail builds its links on WAGTAILADMIN_BASE_URL (README), not
    # on the Wagtail Site's hostname (the demo's "localhost", port 80).
    settings.WAGTAILADMIN_BASE_URL = "https://accademia.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data())
    assert f"https://accademia.example.org{URL}" in mail.outbox[0].body


def test_bad_input_keeps_what_was_written(client, opportunity):
    response = client.post(URL, form_data(email="non-una-mail", message="ciao", privacy=""))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#id_name")["value"] == "Amina Diallo"
    assert soup.select_one("#id_message").get_text(strip=True) == "ciao"
    errors = " ".join(e.get_text() for e in soup.select(".errorlist"))
    assert "indirizzo email valido" in errors
    assert "Acconsenti" in errors
    assert not Enquiry.objects.exists()
    assert mail.outbox == []


def test_honeypot_looks_fine_but_keeps_nothing(client, opportunity):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Enquiry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "token",
    [
        lambda: issue_token(),  # sent as soon as shown: a bot
        lambda: "forged",
        lambda: issue_token(timezone.now() - datetime.timedelta(days=3)),
    ],
)
def test_too_fast_forged_or_stale_forms_are_refused_with_the_text_kept(client, opportunity, token):
    response = client.post(URL, form_data(shown_at=token()))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('[role="alert"]') is not None
    assert "ho finito il corso" in soup.select_one("#id_message").get_text()
    # The form carries a fresh token, so sending it again later works.
    assert soup.select_one('input[name="shown_at"]')["value"] not in ("", "forged")
    assert not Enquiry.objects.exists()


def test_rate_limit_per_email_and_per_ip(client, opportunity):
    (_ip, ip_limit, _s), (_e, email_limit, _s2) = RATE_LIMITS
    for n in range(email_limit):
        assert client.post(URL, form_data()).status_code == 302, n
    refused = client.post(URL, form_data())
    assert refused.status_code == 429
    assert "Troppi messaggi" in refused.text
    assert "ho finito il corso" in refused.text
    assert Enquiry.objects.count() == email_limit
    # Other addresses from the same IP run into the IP limit.
    sent = email_limit
    for n in range(ip_limit - email_limit - 1):
        assert client.post(URL, form_data(email=f"altra{n}@example.org")).status_code == 302
        sent += 1
    assert client.post(URL, form_data(email="ultima@example.org")).status_code == 429
    # Another IP is not affected.
    other = client.post(URL, form_data(email="vicina@example.org"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_closed_or_other_apply_methods_refuse_the_form(client, partner, opportunity):
    closed = OpportunityPageFactory(
        parent=partner, slug="chiusa", deadline=timezone.now() - datetime.timedelta(days=1)
    )
    response = client.post(closed.url, form_data())
    assert response.status_code == 400
    assert "ho finito il corso" in response.text
    link = OpportunityPageFactory(
        parent=partner, slug="link", apply_method=ApplyMethod.LINK, apply_url="https://x.example"
    )
    assert client.post(link.url, form_data()).status_code == 405
    assert "enquiry-form" not in client.get(link.url).text
    assert not Enquiry.objects.exists()


def test_english_page_reaches_the_same_partner(
    client, partner, opportunity, english, django_capture_on_commit_callbacks
):
    from home.demo import translate

    translate(partner.get_parent(), {"rete": "network"}, english)
    translate(partner, {}, english)
    translate(opportunity, {"Tirocinio": "Internship", "tirocinio": "internship"}, english)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/network/logistica/internship/", form_data())
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.partner == partner  # the Italian source, where the group is
    assert enquiry.language == "en"
    assert mail.outbox[0].to == ["hr@logistica.example"]


def test_purge_enquiries_anonymises_old_ones(opportunity, partner):
    old = EnquiryFactory(
        opportunity=opportunity,
        partner=partner,
        created_at=timezone.now() - datetime.timedelta(days=400),
    )
    recent = EnquiryFactory(
        opportunity=opportunity,
        partner=partner,
        created_at=timezone.now() - datetime.timedelta(days=45),
    )
    out = io.StringIO()
    call_command("purge_enquiries", stdout=out)
    assert "1" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.phone, old.message) == ("", "", "", "")
    assert old.anonymised_at is not None and old.opportunity_title == "Tirocinio"
    assert recent.name == "Maria Rossi"
    call_command("purge_enquiries", "--months", "1", stdout=io.StringIO())
    recent.refresh_from_db()
    assert recent.email == ""
