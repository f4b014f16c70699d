"""Disputes (chargebacks): recorded on the payment they concern and shown
to staff; lost, their amount leaves the fund as a refund's does; won, the
gift stays; about charges that are not ours, stored and ignored."""

import pytest

from donations.choices import DisputeStatus, DonationStatus
from donations.models import Payment, StripeEvent

from . import stripe_double as sd
from .test_webhooks import start_gift, total_cents

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/donations/"


@pytest.fixture
def paid_gift(client, fund, stripe_double, send_event):
    """A one-off gift of € 100, paid."""
    donation, session = start_gift(client, stripe_double, preset="100")
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    assert total_cents(fund) == 10000
    return donation, completed["payment_intent"]


def test_a_lost_dispute_takes_the_gift_out_of_the_fund_once(
    client, fund, paid_gift, send_event, admin_client
):
    donation, payment_intent = paid_gift
    dispute = sd.dispute(payment_intent, 10000)
    opened = sd.event("charge.dispute.created", dispute, created=int(dispute["created"]))
    assert send_event(opened).status_code == 200

    payment = Payment.objects.get()
    assert payment.stripe_dispute_id == dispute["id"]
    assert payment.dispute_status == DisputeStatus.NEEDS_RESPONSE
    assert payment.dispute_reason == "fraudulent"
    assert total_cents(fund) == 10000  # open: the money is held, not yet lost
    report = admin_client.get(REPORT).content.decode()
    assert "Pagamento contestato dalla banca: rispondere su Stripe" in report
    filtered = admin_client.get(REPORT, {"attention": "disputed"}).content.decode()
    assert donation.donor_name in filtered

    lost = dict(dispute, status="lost")
    closed = sd.event("charge.dispute.closed", lost, created=opened["created"] + 60)
    assert send_event(closed).status_code == 200
    assert send_event(closed).json()["duplicate"] is True
    send_event(opened)  # a retry of the older event arriving late changes nothing

    payment.refresh_from_db()
    donation.refresh_from_db()
    assert payment.dispute_status == DisputeStatus.LOST
    assert payment.lost_cents == 10000
    assert donation.status == DonationStatus.CHARGED_BACK
    assert total_cents(fund) == 0
    assert "€ 80.000" in client.get("/it/").content.decode()  # the public total
    report = admin_client.get(REPORT).content.decode()
    assert "Contestazione persa: € 100,00 stornati" in report
    assert "persi in contestazioni € 100,00 = netti € 0,00, da 0 donazioni" in report


def test_a_won_dispute_leaves_the_gift(fund, paid_gift, send_event, admin_client):
    donation, payment_intent = paid_gift
    dispute = sd.dispute(payment_intent, 10000)
    send_event(sd.event("charge.dispute.created", dispute))
    send_event(sd.event("charge.dispute.closed", dict(dispute, status="won")))
    payment = Payment.objects.get()
    assert payment.dispute_status == DisputeStatus.WON
    assert payment.lost_cents == 0
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert total_cents(fund) == 10000
    assert "Contestazione vinta" in admin_client.get(REPORT).content.decode()


def test_a_partly_refunded_gift_loses_at_most_what_is_left(fund, paid_gift, send_event):
    donation, payment_intent = paid_gift
    send_event(sd.event("charge.refunded", sd.refunded_charge(payment_intent, 10000, 3000)))
    send_event(sd.event("charge.dispute.closed", sd.dispute(payment_intent, 10000, "lost")))
    payment = Payment.objects.get()
    assert (payment.refunded_cents, payment.lost_cents) == (3000, 7000)
    assert total_cents(fund) == 0


def test_a_lost_dispute_of_a_monthly_instalment_is_found_through_its_invoice(
    client, fund, stripe_double, send_event
):
    """Stripe did not say which PaymentIntent paid the instalment when it
    was recorded: the dispute names one, and Stripe says which invoice it
    paid."""
    donation, session = start_gift(client, stripe_double, frequency="monthly", preset="10")
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    metadata = {"donation_id": str(donation.pk)}
    invoice = sd.paid_invoice(completed["subscription"], 1000, metadata)
    send_event(sd.event("invoice.paid", invoice))
    assert Payment.objects.get().stripe_payment_intent_id is None
    stripe_double.invoice_payment_intents[invoice["id"]] = "pi_instalment_1"

    response = send_event(
        sd.event("charge.dispute.closed", sd.dispute("pi_instalment_1", 1000, "lost"))
    )
    assert response.status_code == 200
    payment = Payment.objects.get()
    assert payment.lost_cents == 1000
    assert payment.stripe_payment_intent_id == "pi_instalment_1"
    assert total_cents(fund) == 0


@pytest.mark.parametrize("payment_intent", [None, "pi_someone_else"], ids=["charge", "intent"])
def test_a_dispute_about_a_charge_that_is_not_ours_is_stored_and_ignored(
    fund, paid_gift, send_event, payment_intent
):
    event = sd.event("charge.dispute.closed", sd.dispute(payment_intent, 4000, "lost"))
    response = send_event(event)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    assert StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert Payment.objects.get().dispute_status == ""
    assert total_cents(fund) == 10000


def test_a_dispute_of_a_gift_whose_payment_is_not_recorded_yet_is_retried(
    client, fund, stripe_double, send_event
):
    donation, session = start_gift(client, stripe_double)
    pending = sd.completed_session(session, paid=False)  # a bank debit on its way
    send_event(sd.event("checkout.session.completed", pending))
    event = sd.event("charge.dispute.created", sd.dispute(pending["payment_intent"], 2500))
    assert send_event(event).status_code == 500
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()
