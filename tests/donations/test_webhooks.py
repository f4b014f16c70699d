"""Stripe's webhooks: signed as Stripe signs them, each event counted once,
in whatever order they arrive; only they change money state."""

import json
import re
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import stripe
from django_tasks_db.models import DBTaskResult

from academy_site.settings.base import tasks_setting
from donations import receipts
from donations.choices import DonationStatus
from donations.models import Donation, Payment, StripeEvent

from . import stripe_double as sd
from .conftest import WEBHOOK_SECRET, WEBHOOK_URL, form_data

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def start_gift(client, double, **overrides):
    """Fill in the form as a donor would; return the donation and the
    Checkout Session Stripe created for it."""
    overrides.setdefault("attempt", str(uuid.uuid4()))
    response = client.post(
        "/it/fondo-solidale/", form_data(**overrides), REMOTE_ADDR=overrides["attempt"]
    )
    assert response.status_code == 303, response.content
    donation = Donation.objects.get(uuid=overrides["attempt"])
    key = double.last("/v1/checkout/sessions").headers["Idempotency-Key"]
    return donation, double.sessions_by_key[key]


def total_cents(fund):
    from donations import progress

    return progress.for_page(fund).gifts_cents


# --- Signatures ---------------------------------------------------------------


def test_our_signature_is_stripes(stripe_double):
    payload = json.dumps({"id": "evt_1"})
    assert sd.sign(payload, WEBHOOK_SECRET, 1700000000) == (
        stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, 1700000000)
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"secret": "whsec_someone_else"},
        {"timestamp": int(time.time()) - 3600},  # replayed an hour later
        {"header": "t=1,v1=deadbeef"},
    ],
    ids=["wrong-secret", "old-timestamp", "garbage"],
)
def test_an_unverified_event_is_rejected_and_nothing_stored(
    client, fund, stripe_double, send_event, bad
):
    donation, session = start_gift(client, stripe_double)
    response = send_event(
        sd.event("checkout.session.completed", sd.completed_session(session)), **bad
    )
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0
    assert Payment.objects.count() == 0
    donation.refresh_from_db()
    assert donation.status == DonationStatus.STARTED


def test_an_event_without_signature_is_rejected(client, stripe_double):
    response = client.post(WEBHOOK_URL, data="{}", content_type="application/json")
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_the_webhook_takes_only_post(client, stripe_double):
    assert client.get(WEBHOOK_URL).status_code == 405


# --- One-off gifts ---------------------------------------------------------------


def test_a_paid_session_counts_once_however_often_it_arrives(
    client, fund, stripe_double, send_event, mailoutbox
):
    donation, session = start_gift(client, stripe_double, preset="50")
    event = sd.event("checkout.session.completed", sd.completed_session(session))

    first = send_event(event)
    again = send_event(event)

    assert first.status_code == again.status_code == 200
    assert again.json()["duplicate"] is True
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert donation.payments.count() == 1
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert total_cents(fund) == 5000
    assert len(mailoutbox) == 1
    page = client.get(f"/it/fondo-solidale/grazie/?session_id={session['id']}").content.decode()
    assert "è stata confermata" in page
    assert "€ 80.050" in page


def test_the_same_payment_through_two_events_counts_once(client, fund, stripe_double, send_event):
    donation, session = start_gift(client, stripe_double)
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    send_event(sd.event("checkout.session.async_payment_succeeded", completed))
    assert Payment.objects.filter(donation=donation).count() == 1
    assert total_cents(fund) == 2500


def test_a_bank_debit_is_pending_until_it_succeeds(client, fund, stripe_double, send_event):
    donation, session = start_gift(client, stripe_double)
    completed = sd.completed_session(session, paid=False)
    send_event(sd.event("checkout.session.completed", completed))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PENDING
    assert total_cents(fund) == 0

    succeeded = dict(completed, payment_status="paid")
    send_event(sd.event("checkout.session.async_payment_succeeded", succeeded))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert total_cents(fund) == 2500


def test_a_failed_bank_debit_counts_nothing(client, fund, stripe_double, send_event, mailoutbox):
    donation, session = start_gift(client, stripe_double)
    completed = sd.completed_session(session, paid=False)
    send_event(sd.event("checkout.session.completed", completed))
    send_event(sd.event("checkout.session.async_payment_failed", completed))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.FAILED
    assert total_cents(fund) == 0
    assert mailoutbox == []


def test_events_out_of_order_end_in_the_right_state(client, fund, stripe_double, send_event):
    donation, session = start_gift(client, stripe_double)
    completed = sd.completed_session(session, paid=False)
    # The debit's success arrives before the session's completion.
    send_event(
        sd.event("checkout.session.async_payment_succeeded", dict(completed, payment_status="paid"))
    )
    send_event(sd.event("checkout.session.completed", completed))
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    assert total_cents(fund) == 2500


# --- Refunds ----------------------------------------------------------------------


def test_refunds_lower_the_total_once(client, fund, stripe_double, send_event):
    donation, session = start_gift(client, stripe_double, preset="100")
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    assert total_cents(fund) == 10000
    home_before = client.get("/it/").content.decode()
    assert "€ 80.100" in home_before

    partial = sd.event(
        "charge.refunded", sd.refunded_charge(completed["payment_intent"], 10000, 3000)
    )
    send_event(partial)
    send_event(partial)  # a retry
    assert total_cents(fund) == 7000
    assert "€ 80.070" in client.get("/it/").content.decode()

    full = sd.event(
        "charge.refunded", sd.refunded_charge(completed["payment_intent"], 10000, 10000)
    )
    send_event(full)
    send_event(partial)  # an older event arriving late changes nothing
    donation.refresh_from_db()
    assert total_cents(fund) == 0
    assert donation.status == DonationStatus.REFUNDED


def test_a_refund_before_its_payment_is_retried_by_stripe(client, fund, stripe_double, send_event):
    donation, session = start_gift(client, stripe_double)
    completed = sd.completed_session(session)
    refund = sd.event(
        "charge.refunded", sd.refunded_charge(completed["payment_intent"], 2500, 2500)
    )

    failed = send_event(refund)
    assert failed.status_code == 500  # Stripe retries 5xx answers
    assert not StripeEvent.objects.filter(event_id=refund["id"]).exists()

    send_event(sd.event("checkout.session.completed", completed))
    assert send_event(refund).status_code == 200
    donation.refresh_from_db()
    assert donation.status == DonationStatus.REFUNDED
    assert total_cents(fund) == 0


def test_an_event_for_an_unknown_gift_fails_and_is_not_stored(
    client, fund, stripe_double, send_event, caplog
):
    session = sd.sample("checkout.session", id="cs_unknown", metadata={"donation_id": "999999"})
    event = sd.event("checkout.session.completed", sd.completed_session(session))
    response = send_event(event)
    assert response.status_code == 500
    assert not StripeEvent.objects.exists()
    assert "failed" in caplog.text


@pytest.mark.parametrize(
    "event_type",
    [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    ],
)
def test_a_session_this_site_never_opened_is_stored_and_ignored_not_retried(
    client, fund, stripe_double, send_event, event_type
):
    """The same Stripe account may sell or collect for something else (a
    payment link, a shop): its sessions carry none of our metadata. A 500
    would have Stripe retry them for days and disable the endpoint."""
    donation, _ = start_gift(client, stripe_double)
    foreign = sd.sample("checkout.session", id="cs_payment_link", mode="payment", metadata={})
    event = sd.event(event_type, sd.completed_session(foreign))
    response = send_event(event)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    assert send_event(event).json() == {"received": True, "duplicate": True}
    assert StripeEvent.objects.get().event_id == event["id"]
    assert not Payment.objects.exists()
    assert total_cents(fund) == 0
    donation.refresh_from_db()
    assert donation.status == DonationStatus.STARTED


def test_an_instalment_of_someone_elses_subscription_is_ignored(
    client, fund, stripe_double, send_event
):
    invoice = sd.paid_invoice("sub_gym_membership", 4000, {"plan": "gold"})
    assert send_event(sd.event("invoice.paid", invoice)).status_code == 200
    ended = sd.deleted_subscription("sub_gym_membership", {"plan": "gold"})
    assert send_event(sd.event("customer.subscription.deleted", ended)).status_code == 200
    assert StripeEvent.objects.count() == 2
    assert not Payment.objects.exists()
    assert total_cents(fund) == 0


def test_an_old_style_instalment_before_its_session_is_still_retried(
    client, fund, stripe_double, send_event
):
    """Before API 2025-03-31 an invoice carried no subscription metadata:
    an unknown subscription may be a gift whose session event is late."""
    invoice = sd.paid_invoice("sub_not_yet_known", 1000, {})
    invoice.update(parent=None, subscription="sub_not_yet_known")
    assert send_event(sd.event("invoice.paid", invoice)).status_code == 500
    assert not StripeEvent.objects.exists()


DAYS_AGO_30 = int(time.time()) - 30 * 24 * 3600


def test_a_refund_of_a_charge_without_payment_intent_is_not_ours(
    client, fund, stripe_double, send_event
):
    """Stripe's sample charge: made through the Charges API (no PaymentIntent,
    a `source`), which this site never uses. It must not be taken for an
    instalment of ours recorded without its PaymentIntent either."""
    donation, session = start_gift(client, stripe_double, frequency="monthly", preset="10")
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    metadata = {"donation_id": str(donation.pk)}
    # Stripe did not say which PaymentIntent paid it: recorded without one.
    send_event(sd.event("invoice.paid", sd.paid_invoice(completed["subscription"], 1000, metadata)))
    assert Payment.objects.get().stripe_payment_intent_id is None
    assert total_cents(fund) == 1000

    legacy = sd.sample("charge", id="ch_legacy", amount=1000, amount_refunded=1000, refunded=True)
    assert legacy["payment_intent"] is None and legacy["metadata"] == {}
    event = sd.event("charge.refunded", legacy)
    response = send_event(event)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    assert send_event(event).json() == {"received": True, "duplicate": True}
    assert StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert Payment.objects.get().refunded_cents == 0
    assert total_cents(fund) == 1000


def test_a_refund_of_an_old_charge_of_someone_else_is_stored_and_ignored(
    client, fund, stripe_double, send_event
):
    """A payment link's charge, refunded weeks later: no metadata of ours, no
    PaymentIntent or customer of ours, and too old for its payment's event
    still to be on its way."""
    charge = sd.refunded_charge(
        "pi_payment_link", 3000, 3000, created=DAYS_AGO_30, customer="cus_shop_buyer"
    )
    event = sd.event("charge.refunded", charge)
    response = send_event(event)
    assert response.status_code == 200
    assert send_event(event).json() == {"received": True, "duplicate": True}
    assert not Payment.objects.exists()


def test_an_unrecorded_refund_that_may_be_ours_is_still_retried(
    client, fund, stripe_double, send_event
):
    # Our metadata, whatever the charge's age.
    ours = sd.refunded_charge(
        "pi_ours_1", 1000, 1000, created=DAYS_AGO_30, metadata={"donation_id": "424242"}
    )
    assert send_event(sd.event("charge.refunded", ours)).status_code == 500
    # A bank debit whose session completed unpaid: the PaymentIntent is ours,
    # its payment not recorded yet.
    donation, session = start_gift(client, stripe_double)
    pending = sd.completed_session(session, paid=False)
    send_event(sd.event("checkout.session.completed", pending))
    old = sd.refunded_charge(pending["payment_intent"], 2500, 2500, created=DAYS_AGO_30)
    assert send_event(sd.event("charge.refunded", old)).status_code == 500
    # An instalment of a known donor whose invoice.paid is late.
    instalment = sd.refunded_charge(
        "pi_instalment", 1000, 1000, created=DAYS_AGO_30, customer=pending["customer"]
    )
    assert send_event(sd.event("charge.refunded", instalment)).status_code == 500
    # A recent charge nobody knows yet: its payment's event may be on its way.
    recent = sd.refunded_charge("pi_recent", 1000, 1000, customer="cus_new")
    assert send_event(sd.event("charge.refunded", recent)).status_code == 500
    assert not StripeEvent.objects.filter(type="charge.refunded").exists()


def test_other_events_are_stored_and_ignored(client, stripe_double, send_event):
    response = send_event(sd.event("customer.created", sd.sample("subscription")))
    assert response.status_code == 200
    assert StripeEvent.objects.get().type == "customer.created"


# --- Monthly gifts ----------------------------------------------------------------


def test_each_monthly_instalment_counts_and_gets_its_receipt(
    client, fund, stripe_double, send_event, mailoutbox
):
    donation, session = start_gift(client, stripe_double, frequency="monthly", preset="10")
    completed = sd.completed_session(session)
    send_event(sd.event("checkout.session.completed", completed))
    donation.refresh_from_db()
    assert donation.stripe_subscription_id == completed["subscription"]
    assert total_cents(fund) == 0  # the first invoice brings the money

    metadata = {"donation_id": str(donation.pk)}
    first = sd.paid_invoice(completed["subscription"], 1000, metadata)
    second = sd.paid_invoice(completed["subscription"], 1000, metadata)
    stripe_double.invoice_payment_intents.update(
        {first["id"]: "pi_month_1", second["id"]: "pi_month_2"}
    )
    send_event(sd.event("invoice.paid", first))
    send_event(sd.event("invoice.paid", second))
    send_event(sd.event("invoice.paid", second))  # duplicate delivery

    donation.refresh_from_db()
    assert donation.status == DonationStatus.ACTIVE
    assert total_cents(fund) == 2000
    payments = list(donation.payments.order_by("receipt_number"))
    assert [p.stripe_invoice_id for p in payments] == [first["id"], second["id"]]
    assert [p.stripe_payment_intent_id for p in payments] == ["pi_month_1", "pi_month_2"]
    assert payments[1].receipt_number == payments[0].receipt_number + 1
    assert len(mailoutbox) == 2
    assert f"/donations/manage/{donation.uuid}/" in mailoutbox[1].body
    assert "rata n. 2" in mailoutbox[1].body

    # A refund of one instalment is found through its PaymentIntent.
    send_event(sd.event("charge.refunded", sd.refunded_charge("pi_month_2", 1000, 1000)))
    assert total_cents(fund) == 1000

    send_event(
        sd.event(
            "customer.subscription.deleted",
            sd.deleted_subscription(completed["subscription"], metadata),
        )
    )
    donation.refresh_from_db()
    assert donation.status == DonationStatus.CANCELLED
    assert total_cents(fund) == 1000  # what was given stays given


def test_an_instalment_before_the_session_event_still_counts(
    client, fund, stripe_double, send_event
):
    donation, session = start_gift(client, stripe_double, frequency="monthly", preset="25")
    completed = sd.completed_session(session)
    metadata = {"donation_id": str(donation.pk)}
    invoice = sd.paid_invoice(completed["subscription"], 2500, metadata)
    invoice["payments"] = {
        "object": "list",
        "data": [
            sd.sample(
                "invoice_payment",
                status="paid",
                payment={"type": "payment_intent", "payment_intent": "pi_included"},
            )
        ],
    }
    # Out of order: the subscription ends, then its invoice and the session arrive.
    send_event(
        sd.event(
            "customer.subscription.deleted",
            sd.deleted_subscription(completed["subscription"], metadata),
        )
    )
    send_event(sd.event("invoice.paid", invoice))
    send_event(sd.event("checkout.session.completed", completed))

    donation.refresh_from_db()
    assert donation.status == DonationStatus.CANCELLED
    assert donation.stripe_subscription_id == completed["subscription"]
    assert donation.payments.get().stripe_payment_intent_id == "pi_included"
    assert total_cents(fund) == 2500
    # The PaymentIntent came with the invoice: Stripe was not asked for it.
    assert stripe_double.last("/v1/invoice_payments") is None


@pytest.fixture
def monthly_gift(client, fund, stripe_double, send_event):
    """Maria's € 25 a month, its checkout completed (Stripe knows her as a
    customer) and its first instalment paid on 3 March 2026."""
    donation, session = start_gift(client, stripe_double, frequency="monthly")
    completed = sd.completed_session(session, customer="cus_maria")
    send_event(sd.event("checkout.session.completed", completed))
    invoice = sd.paid_invoice(completed["subscription"], 2500, {"donation_id": str(donation.pk)})
    stripe_double.invoice_payment_intents[invoice["id"]] = "pi_manage_1"
    send_event(sd.event("invoice.paid", invoice))
    donation.payments.update(paid_at=datetime(2026, 3, 3, 10, 0, tzinfo=ROME))
    stripe_double.requests.clear()
    return donation


def portal_requests(double):
    return [r for r in double.requests if r.path == "/v1/billing_portal/sessions"]


def test_the_monthly_donor_manages_the_gift_in_stripes_portal(client, monthly_gift, stripe_double):
    url = f"/donations/manage/{monthly_gift.uuid}/"
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == "https://billing.stripe.com/p/session/test_portal"
    [portal] = portal_requests(stripe_double)
    assert portal.form["customer"] == "cus_maria"
    assert portal.form["locale"] == "it"
    assert portal.form["return_url"].endswith("/it/fondo-solidale/")
    # A browser follows a form's redirect only to where form-action allows.
    policy = client.get(url)["Content-Security-Policy"]
    [form_action] = [d.split()[1:] for d in policy.split(";") if d.split()[0] == "form-action"]
    assert "https://billing.stripe.com" in form_action
    assert client.get(f"/donations/manage/{uuid.uuid4()}/", follow=True).status_code == 404
    assert client.post(f"/donations/manage/{uuid.uuid4()}/").status_code == 404


def test_opening_the_manage_link_asks_nothing_of_stripe(client, monthly_gift, stripe_double):
    """Mail scanners open every link of an e-mail: GET and HEAD show the
    page with its button, and Stripe hears nothing until it is pressed."""
    url = f"/donations/manage/{monthly_gift.uuid}/"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "it"
    assert '<html lang="it">' in page
    assert "La tua donazione mensile" in page
    assert "€ 25,00 al mese, dal giorno 3 marzo 2026." in page
    assert "puoi cambiare la carta o il conto" in page
    assert re.search(
        r'<form method="post">\s*<input type="hidden" name="csrfmiddlewaretoken"[^>]*>\s*'
        r'<button type="submit" class="button button--large">Gestisci la mia donazione mensile',
        page,
    )
    # Nothing more personal than the amount and the date.
    personal = ("Maria", "Rossi", "maria@example.org", "RSSMRA85T10A562S", "Via Roma 1")
    assert [detail for detail in personal if detail in page] == []
    assert client.head(url).status_code == 200
    assert portal_requests(stripe_double) == []
    for method in (client.put, client.patch, client.delete):
        assert method(url).status_code == 405
    assert portal_requests(stripe_double) == []


def test_the_manage_page_in_english_and_by_the_switcher(client, monthly_gift, stripe_double):
    Donation.objects.filter(pk=monthly_gift.pk).update(language="en")
    url = f"/donations/manage/{monthly_gift.uuid}/"
    # The gift's language, whatever the browser asks for.
    response = client.get(url, headers={"Accept-Language": "it"})
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "€ 25.00 a month, since 3 March 2026." in page
    assert "On Stripe's secure page you can change the card" in page
    assert ">Manage my monthly gift</button>" in page
    # The language switcher leads to this page in Italian, not elsewhere.
    assert f'href="{url}?lang=it" hreflang="it"' in page
    page = client.get(f"{url}?lang=it").content.decode()
    assert "Gestisci la mia donazione mensile" in page
    assert f'href="{url}?lang=en" hreflang="en"' in page
    assert portal_requests(stripe_double) == []

    response = client.post(url)
    assert response.status_code == 303
    [portal] = portal_requests(stripe_double)
    assert portal.form["locale"] == "en"


def test_an_ended_gift_says_when_it_ended(client, monthly_gift):
    Donation.objects.filter(pk=monthly_gift.pk).update(
        cancelled_at=datetime(2026, 6, 5, 9, 0, tzinfo=ROME)
    )
    page = client.get(f"/donations/manage/{monthly_gift.uuid}/").content.decode()
    assert "€ 25,00 al mese, dal giorno 3 marzo 2026 al giorno 5 giugno 2026." in page


def test_stripe_unreachable_the_page_says_so(client, monthly_gift, stripe_double):
    stripe_double.fail_with = (500, "api_error")
    response = client.post(f"/donations/manage/{monthly_gift.uuid}/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Il servizio di pagamento non è raggiungibile in questo momento." in page
    assert "Gestisci la mia donazione mensile" in page  # to try again


def test_a_one_off_gift_or_one_without_a_customer_has_no_manage_page(
    client, fund, stripe_double, monthly_gift
):
    one_off, _session = start_gift(client, stripe_double)
    Donation.objects.filter(pk=one_off.pk).update(stripe_customer_id="cus_once")
    assert client.get(f"/donations/manage/{one_off.uuid}/").status_code == 404
    assert client.post(f"/donations/manage/{one_off.uuid}/").status_code == 404
    Donation.objects.filter(pk=monthly_gift.pk).update(stripe_customer_id="")
    assert client.get(f"/donations/manage/{monthly_gift.uuid}/").status_code == 404
    assert portal_requests(stripe_double) == []


def test_the_page_cache_never_keeps_the_manage_page(client, monthly_gift, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = f"/donations/manage/{monthly_gift.uuid}/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_the_receipt_is_sent_by_the_worker_not_the_webhook(
    client, fund, stripe_double, send_event, mailoutbox, settings
):
    settings.TASKS = tasks_setting("database")
    donation, session = start_gift(client, stripe_double, preset="50")

    response = send_event(sd.event("checkout.session.completed", sd.completed_session(session)))

    assert response.status_code == 200
    assert mailoutbox == []  # Stripe gets its answer without waiting for a mail server
    task = DBTaskResult.objects.get(task_path="donations.receipts.email_receipt")
    payment = donation.payments.get()
    assert task.args_kwargs == {"args": [payment.pk], "kwargs": {}}
    receipts.email_receipt.call(payment.pk)
    receipts.email_receipt.call(payment.pk)  # run twice: still one receipt
    assert [message.to for message in mailoutbox] == [[donation.email]]
