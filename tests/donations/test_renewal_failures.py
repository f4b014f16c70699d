"""A monthly instalment Stripe could not collect (`invoice.payment_failed`):
recorded on the gift for staff, the donor told once per invoice in their
language, cleared by a later payment; someone else's invoices ignored."""

import datetime
import html
import io
import re

import pytest

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from donations.choices import DonationStatus
from donations.models import RenewalFailure, StripeEvent

from . import stripe_double as sd
from .factories import DonationFactory
from .test_webhooks import start_gift

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/donations/"
# 2030-03-15 10:00 UTC: Stripe's next retry, as a Unix timestamp.
NEXT_ATTEMPT = int(datetime.datetime(2030, 3, 15, 10, tzinfo=datetime.UTC).timestamp())


@pytest.fixture
def monthly(client, fund, stripe_double, send_event):
    """A monthly gift of € 10 whose first instalment was paid."""
    donation, session = start_gift(client, stripe_double, frequency="monthly", preset="10")
    completed = sd.completed_session(session, customer="cus_maria")
    send_event(sd.event("checkout.session.completed", completed))
    metadata = {"donation_id": str(donation.pk), "donation_uuid": str(donation.uuid)}
    send_event(sd.event("invoice.paid", sd.paid_invoice(completed["subscription"], 1000, metadata)))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.ACTIVE
    return donation, completed["subscription"], metadata


def test_a_failed_instalment_is_recorded_and_the_donor_told_once_in_italian(
    monthly, fund, send_event, mailoutbox, admin_client
):
    donation, subscription, metadata = monthly
    mailoutbox.clear()
    invoice = sd.failed_invoice(subscription, 1000, metadata, next_attempt=NEXT_ATTEMPT)
    failed = sd.event("invoice.payment_failed", invoice)

    assert send_event(failed).status_code == 200
    assert send_event(failed).json()["duplicate"] is True  # Stripe resends it
    # Stripe's next retry fails too: the same invoice, a new event.
    retried = dict(invoice, attempt_count=2, next_payment_attempt=NEXT_ATTEMPT + 3 * 86400)
    assert send_event(sd.event("invoice.payment_failed", retried)).status_code == 200

    failure = RenewalFailure.objects.get()
    assert failure.donation == donation
    assert failure.stripe_invoice_id == invoice["id"]
    assert failure.attempt_count == 2
    assert failure.next_attempt_at == datetime.datetime(2030, 3, 18, 10, tzinfo=datetime.UTC)
    assert failure.resolved_at is None

    (mail,) = mailoutbox  # one e-mail for the invoice, however many attempts
    assert mail.to == [donation.email]
    assert "non è andato a buon fine" in mail.subject
    for text in (mail.body, mail.alternatives[0][0]):
        assert "non è andato a buon fine" in text
        assert "10,00" in text
        assert "15 marzo 2030" in text  # the retry Stripe announced then
        assert invoice["hosted_invoice_url"] in text
        assert f"/donations/manage/{donation.uuid}/" in text
    assert "interrompere" in mail.body

    report = admin_client.get(REPORT).content.decode()
    assert re.search(r"Pagamento mensile non riuscito (il |l&#x27;)\d\d/\d\d/\d{4}", report)
    assert "Stripe riprova il 18/03/2030" in report
    DonationFactory(page=fund, first_name="Luca", last_name="Bianchi", status="paid")
    filtered = admin_client.get(REPORT, {"attention": "renewal_failed"}).content.decode()
    assert donation.donor_name in filtered
    assert "Luca Bianchi" not in filtered

    # The donor pays (Stripe's retry or the invoice's page): cleared.
    paid = dict(sd.paid_invoice(subscription, 1000, metadata), id=invoice["id"])
    assert send_event(sd.event("invoice.paid", paid)).status_code == 200
    failure.refresh_from_db()
    assert failure.resolved_at is not None
    assert "Stripe riprova" not in admin_client.get(REPORT).content.decode()
    assert donation.payments.count() == 2
    assert len(mailoutbox) == 2  # the receipt of the instalment paid at last


def test_a_retry_on_the_eighth_reads_l_8_in_italian_and_on_8_in_english(
    monthly, send_event, mailoutbox, admin_client
):
    """Italian elides the article before the 1st, 8th and 11th: "riproverà
    l'8 marzo", "non riuscito l'08/03" (not "il 8")."""
    donation, subscription, metadata = monthly
    eighth = datetime.datetime(2030, 3, 8, 10, tzinfo=datetime.UTC)
    mailoutbox.clear()
    invoice = sd.failed_invoice(subscription, 1000, metadata, next_attempt=int(eighth.timestamp()))
    send_event(sd.event("invoice.payment_failed", invoice, created=int(eighth.timestamp())))
    (mail,) = mailoutbox
    for text in (mail.body, html.unescape(mail.alternatives[0][0])):
        assert "Stripe, il nostro servizio di pagamento, riproverà l'8 marzo 2030." in text
    report = admin_client.get(REPORT).content.decode()
    assert (
        "Pagamento mensile non riuscito l&#x27;08/03/2030: Stripe riprova l&#x27;08/03/2030"
        in report
    )

    donation.language = "en"
    donation.save(update_fields=["language"])
    mailoutbox.clear()
    retried = dict(invoice, id="in_retried", next_payment_attempt=int(eighth.timestamp()))
    send_event(sd.event("invoice.payment_failed", retried))
    (mail,) = mailoutbox
    for text in (mail.body, mail.alternatives[0][0]):
        assert "Stripe, our payment service, will try again on 8 March 2030." in text


def test_an_english_donor_is_told_in_english_that_stripe_will_not_retry(
    monthly, send_event, mailoutbox
):
    donation, subscription, metadata = monthly
    donation.language = "en"
    donation.save(update_fields=["language"])
    mailoutbox.clear()
    invoice = sd.failed_invoice(subscription, 1000, metadata, next_attempt=None, attempt_count=4)
    send_event(sd.event("invoice.payment_failed", invoice))

    (mail,) = mailoutbox
    assert mail.subject == "Your monthly gift: this month's payment did not go through"
    assert "this month's payment of your monthly gift" in mail.body
    assert "will not try again" in mail.body
    assert invoice["hosted_invoice_url"] in mail.body
    assert "stop your monthly gift" in mail.body
    assert RenewalFailure.objects.get().next_attempt_at is None


def test_a_later_instalment_paid_clears_an_earlier_failure(monthly, send_event, mailoutbox):
    donation, subscription, metadata = monthly
    send_event(sd.event("invoice.payment_failed", sd.failed_invoice(subscription, 1000, metadata)))
    next_month = sd.paid_invoice(subscription, 1000, metadata)
    next_month["status_transitions"]["paid_at"] += 60
    send_event(sd.event("invoice.paid", next_month))
    assert RenewalFailure.objects.get().resolved_at is not None


def test_a_failure_arriving_after_its_invoice_was_paid_tells_nobody(
    monthly, send_event, mailoutbox
):
    donation, subscription, metadata = monthly
    mailoutbox.clear()
    invoice = sd.failed_invoice(subscription, 1000, metadata, next_attempt=NEXT_ATTEMPT)
    an_hour_ago = int(timezone.now().timestamp()) - 3600
    failed = sd.event("invoice.payment_failed", invoice, created=an_hour_ago)
    paid = dict(sd.paid_invoice(subscription, 1000, metadata), id=invoice["id"])
    send_event(sd.event("invoice.paid", paid))
    mailoutbox.clear()  # the receipt
    send_event(failed)  # late
    assert RenewalFailure.objects.get().resolved_at is not None
    assert mailoutbox == []


def test_a_failed_invoice_of_someone_elses_subscription_is_ignored(
    client, fund, stripe_double, send_event, mailoutbox
):
    invoice = sd.failed_invoice("sub_gym_membership", 4000, {"plan": "gold"})
    event = sd.event("invoice.payment_failed", invoice)
    assert send_event(event).status_code == 200
    assert StripeEvent.objects.get().event_id == event["id"]
    assert not RenewalFailure.objects.exists()
    assert mailoutbox == []


def test_a_notice_the_mail_server_refused_is_sent_later_and_once(
    monthly, send_event, mailoutbox, monkeypatch
):
    donation, subscription, metadata = monthly
    mailoutbox.clear()
    real_send = EmailMultiAlternatives.send

    def server_down(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", server_down)
    response = send_event(
        sd.event("invoice.payment_failed", sd.failed_invoice(subscription, 1000, metadata))
    )
    assert response.status_code == 200  # Stripe need not know about our mail server
    failure = RenewalFailure.objects.get()
    assert failure.notice_sent_at is None
    RenewalFailure.objects.update(failed_at=timezone.now() - datetime.timedelta(hours=1))

    out, err = io.StringIO(), io.StringIO()
    call_command("send_donation_receipts", stdout=out, stderr=err)
    assert "failed monthly payments that still could not be sent: 1" in err.getvalue()
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    call_command("send_donation_receipts", stdout=out, stderr=err)
    call_command("send_donation_receipts", stdout=out, stderr=err)
    (mail,) = mailoutbox
    assert mail.to == [donation.email]
    failure.refresh_from_db()
    assert failure.notice_sent_at is not None
