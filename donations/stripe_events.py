"""What each Stripe event means for the fund.

`handle_event(event)` is called by the webhook view with an event whose
signature was verified. It records the event (its id is unique) and its
effects in one transaction: a retry or duplicate changes nothing, and a
failure leaves nothing behind, so Stripe sends the event again.

Every handler records facts (a payment, a refund total, a cancellation date)
idempotently and derives the donation's status from them, so events that
arrive out of order end in the same state as ordered ones."""

import logging
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from home.background import enqueue_on_commit

from . import gateway, progress, receipts, renewals
from .choices import DisputeStatus
from .models import Donation, Payment, RenewalFailure, StripeEvent

logger = logging.getLogger(__name__)


class UnknownDonation(Exception):
    """An event about a gift this site has no record of (yet)."""


class NotOurs(Exception):
    """An event about something this site never created: a payment link,
    a shop or a subscription that shares the Stripe account. It carries its
    metadata without our donation id and matches none of our Stripe ids."""


def handle_event(data):
    """Handle a verified event (the JSON body Stripe sent, as a dict);
    return False for a duplicate. Plain JSON rather than `stripe.Event`:
    it is what gets stored, and stripe-python turns some values into
    Decimals that JSON fields cannot hold."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(
                    event_id=data["id"],
                    type=data["type"],
                    created=_when(data["created"]),
                    livemode=bool(data.get("livemode")),
                    payload=data,
                )
        except IntegrityError:
            logger.info("Stripe event %s already handled", data["id"])
            return False
        handler = HANDLERS.get(data["type"])
        if handler is not None:
            try:
                with transaction.atomic():
                    handler(data["data"]["object"], data)
            except NotOurs:
                # Stored, so a retry is a duplicate; answering 200 keeps
                # Stripe from retrying it for days and from disabling the
                # endpoint that confirms the real gifts.
                logger.info(
                    "Stripe event %s (%s) is about no gift of this site: ignored",
                    data["id"],
                    data["type"],
                )
        else:
            logger.info("Stripe event %s of type %s ignored", data["id"], data["type"])
    return True


def _when(timestamp):
    return datetime.fromtimestamp(int(timestamp), tz=UTC)


def _id(value):
    if isinstance(value, dict):
        return value.get("id")
    return value


def _find_donation(metadata=None, *, carries_metadata=True, **stripe_ids):
    """Lock and return the donation named by the metadata we sent to Stripe,
    or by one of its Stripe ids. `carries_metadata`: the object holds the
    metadata we set on everything we create, so an object without our
    donation id and with none of our ids is not ours (`NotOurs`); without
    it, the gift may simply not be known yet (`UnknownDonation`: retry)."""
    queryset = Donation.objects.select_for_update()
    donation_id = (metadata or {}).get("donation_id")
    if donation_id and str(donation_id).isdigit():
        donation = queryset.filter(pk=int(donation_id)).first()
        if donation is not None:
            return donation
    for field, value in stripe_ids.items():
        if value:
            donation = queryset.filter(**{field: value}).first()
            if donation is not None:
                return donation
    if carries_metadata and not {"donation_id", "donation_uuid"} & set(metadata or {}):
        raise NotOurs(f"Not a gift of this site: metadata={metadata} ids={stripe_ids}")
    raise UnknownDonation(f"No donation for metadata={metadata} ids={stripe_ids}")


def _remember(donation, **values):
    """Store Stripe ids and dates we did not know yet (never overwrite)."""
    changed = []
    for field, value in values.items():
        if value and not getattr(donation, field):
            setattr(donation, field, value)
            changed.append(field)
    if changed:
        donation.save(update_fields=changed)


def _record_payment(donation, amount_cents, paid_at, *, payment_intent=None, invoice=None):
    """A confirmed payment, once per PaymentIntent or invoice, with its receipt."""
    lookup = (
        {"stripe_invoice_id": invoice} if invoice else {"stripe_payment_intent_id": payment_intent}
    )
    payment = Payment.objects.filter(**lookup).first()
    if payment is not None:
        if payment_intent and not payment.stripe_payment_intent_id:
            payment.stripe_payment_intent_id = payment_intent
            payment.save(update_fields=["stripe_payment_intent_id"])
        return payment
    year = timezone.localtime(paid_at).year
    payment = Payment.objects.create(
        donation=donation,
        amount_cents=amount_cents,
        paid_at=paid_at,
        stripe_payment_intent_id=payment_intent,
        stripe_invoice_id=invoice,
        receipt_year=year,
        receipt_number=receipts.next_number(year),
    )
    enqueue_on_commit(receipts.email_receipt, payment.pk)
    return payment


def _changed(donation):
    donation.refresh_status()
    fund = donation.fund
    transaction.on_commit(lambda: progress.forget(fund))


# --- One-off and first checkout ----------------------------------------------


def checkout_session_completed(session, event):
    donation = _find_donation(
        session.get("metadata"),
        stripe_checkout_session_id=session["id"],
        stripe_subscription_id=_id(session.get("subscription")),
    )
    _remember(
        donation,
        stripe_checkout_session_id=session["id"],
        stripe_payment_intent_id=_id(session.get("payment_intent")),
        stripe_subscription_id=_id(session.get("subscription")),
        stripe_customer_id=_id(session.get("customer")),
        checkout_completed_at=_when(event["created"]),
    )
    # A one-off gift is paid now by card, or later (SEPA Direct Debit: the
    # session completes "unpaid" and async_payment_succeeded follows).
    # Monthly gifts count through invoice.paid, one instalment at a time.
    if session.get("mode") == "payment" and session.get("payment_status") == "paid":
        _record_payment(
            donation,
            session["amount_total"],
            _when(event["created"]),
            payment_intent=_id(session.get("payment_intent")),
        )
    _changed(donation)


def checkout_session_async_payment_succeeded(session, event):
    donation = _find_donation(session.get("metadata"), stripe_checkout_session_id=session["id"])
    _remember(
        donation,
        stripe_checkout_session_id=session["id"],
        stripe_payment_intent_id=_id(session.get("payment_intent")),
        stripe_customer_id=_id(session.get("customer")),
        checkout_completed_at=_when(event["created"]),
    )
    if session.get("mode") == "payment":
        _record_payment(
            donation,
            session["amount_total"],
            _when(event["created"]),
            payment_intent=_id(session.get("payment_intent")),
        )
    _changed(donation)


def checkout_session_async_payment_failed(session, event):
    donation = _find_donation(session.get("metadata"), stripe_checkout_session_id=session["id"])
    _remember(
        donation,
        stripe_checkout_session_id=session["id"],
        failed_at=_when(event["created"]),
        checkout_completed_at=_when(event["created"]),
    )
    _changed(donation)


def checkout_session_expired(session, event):
    donation = _find_donation(session.get("metadata"), stripe_checkout_session_id=session["id"])
    _remember(donation, expired_at=_when(event["created"]))
    _changed(donation)


# --- Monthly gifts ---------------------------------------------------------------


def _invoice_subscription(invoice):
    """(subscription id, its metadata): under `parent.subscription_details`
    since API 2025-03-31, under `subscription` before."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription = _id(details.get("subscription")) or _id(invoice.get("subscription"))
    return subscription, details.get("metadata") or {}


def _invoice_payment_intent(invoice):
    for invoice_payment in (invoice.get("payments") or {}).get("data", []):
        payment = invoice_payment.get("payment") or {}
        if invoice_payment.get("status") == "paid" and payment.get("type") == "payment_intent":
            return _id(payment.get("payment_intent"))
    # Webhook payloads leave `payments` out: ask Stripe.
    return gateway.invoice_payment_intent(invoice["id"])


def _invoice_donation(invoice):
    """The monthly gift whose subscription the invoice bills, with the ids
    the invoice tells us; None for an invoice of no subscription."""
    subscription, metadata = _invoice_subscription(invoice)
    if not subscription:
        logger.info("Invoice %s belongs to no subscription: ignored", invoice["id"])
        return None
    # Before API 2025-03-31 the invoice held no subscription metadata: a
    # subscription not known yet may then be ours (its session's event is late).
    details = (invoice.get("parent") or {}).get("subscription_details")
    donation = _find_donation(
        metadata, carries_metadata=details is not None, stripe_subscription_id=subscription
    )
    _remember(
        donation,
        stripe_subscription_id=subscription,
        stripe_customer_id=_id(invoice.get("customer")),
    )
    return donation


def invoice_paid(invoice, event):
    if not invoice.get("amount_paid"):
        return
    donation = _invoice_donation(invoice)
    if donation is None:
        return
    paid_at = _when((invoice.get("status_transitions") or {}).get("paid_at") or event["created"])
    _record_payment(
        donation,
        invoice["amount_paid"],
        paid_at,
        invoice=invoice["id"],
        payment_intent=_invoice_payment_intent(invoice),
    )
    # The gift is paid up again: its failed instalments (this invoice, or
    # any that failed before this payment) no longer need anyone.
    donation.renewal_failures.filter(resolved_at__isnull=True).filter(
        Q(stripe_invoice_id=invoice["id"]) | Q(last_failed_at__lt=paid_at)
    ).update(resolved_at=paid_at)
    _changed(donation)


def invoice_payment_failed(invoice, event):
    """An instalment Stripe could not collect: recorded once per invoice
    (Stripe sends this again at every failed retry, and resends events), and
    the donor is told once, unless the gift was paid since (events may
    arrive out of order)."""
    donation = _invoice_donation(invoice)
    if donation is None:
        return
    failed_at = _when(event["created"])
    failure, created = RenewalFailure.objects.select_for_update().get_or_create(
        stripe_invoice_id=invoice["id"],
        defaults={
            "donation": donation,
            "amount_cents": invoice.get("amount_due") or 0,
            "failed_at": failed_at,
            "last_failed_at": failed_at,
        },
    )
    if created or failed_at >= failure.last_failed_at:
        # The newest news of the invoice: a retry failed again (even after a
        # later instalment was paid, the invoice is still open), or the
        # first failure. Older events arriving late change nothing.
        next_attempt = invoice.get("next_payment_attempt")
        failure.last_failed_at = failed_at
        failure.attempt_count = invoice.get("attempt_count") or failure.attempt_count
        failure.next_attempt_at = _when(next_attempt) if next_attempt else None
        failure.hosted_invoice_url = invoice.get("hosted_invoice_url") or ""
        failure.resolved_at = (
            donation.payments.filter(Q(stripe_invoice_id=invoice["id"]) | Q(paid_at__gt=failed_at))
            .order_by("paid_at")
            .values_list("paid_at", flat=True)
            .first()
        )
        failure.save()
    if created and failure.resolved_at is None:
        enqueue_on_commit(renewals.email_renewal_failed, failure.pk)


def customer_subscription_deleted(subscription, event):
    donation = _find_donation(
        subscription.get("metadata"), stripe_subscription_id=subscription["id"]
    )
    ended = subscription.get("ended_at") or subscription.get("canceled_at") or event["created"]
    _remember(donation, stripe_subscription_id=subscription["id"], cancelled_at=_when(ended))
    _changed(donation)


# --- Refunds ---------------------------------------------------------------------


# Stripe retries an undelivered event for up to three days (live mode); a
# day more for safety. A charge older than this whose payment we never
# recorded will not be recorded by a retry.
PAYMENT_EVENTS_RETRIED_FOR = timedelta(days=4)


def _unrecorded_charge(charge, payment_intent):
    """Raise for a refunded charge none of our payments matches: `NotOurs`
    only when it cannot be a gift whose payment event is still to come.
    Every gift is paid through a Checkout Session's PaymentIntent, but the
    charge of a monthly instalment carries no metadata of ours, and before
    its `invoice.paid` (or the session's event) no id of ours names it; so
    an unknown charge with a PaymentIntent is retried while the events of
    its payment may still arrive."""
    metadata = charge.get("metadata") or {}
    if {"donation_id", "donation_uuid"} & set(metadata):
        raise UnknownDonation(f"No payment yet for the charge {charge.get('id')} of a gift")
    if not payment_intent:
        # A charge made without a PaymentIntent (the Charges API, a payment
        # link of old): this site never makes one.
        raise NotOurs(f"Charge {charge.get('id')} has no PaymentIntent")
    customer = _id(charge.get("customer"))
    known = Donation.objects.filter(stripe_payment_intent_id=payment_intent)
    if customer:
        known = known | Donation.objects.filter(stripe_customer_id=customer)
    created = charge.get("created")
    past_retries = created and _when(created) < timezone.now() - PAYMENT_EVENTS_RETRIED_FOR
    if past_retries and not known.exists():
        raise NotOurs(f"Charge {charge.get('id')} of {payment_intent} was never a gift of ours")
    # The payment's own event may not have been handled yet: fail, so
    # Stripe sends this one again later.
    raise UnknownDonation(f"No payment for PaymentIntent {payment_intent}")


def _payment_of_intent(payment_intent):
    """The payment made through a PaymentIntent, locked. Never filter on
    None: it would match an instalment recorded without its PaymentIntent."""
    if not payment_intent:
        return None
    return (
        Payment.objects.select_for_update()
        .select_related("donation")
        .filter(stripe_payment_intent_id=payment_intent)
        .first()
    )


def charge_refunded(charge, event):
    """`amount_refunded` is the charge's running total, so applying it again
    (or an older event after a newer one) never counts a refund twice."""
    payment_intent = _id(charge.get("payment_intent"))
    payment = _payment_of_intent(payment_intent)
    if payment is None:
        _unrecorded_charge(charge, payment_intent)
    refunded = min(
        max(payment.refunded_cents, charge.get("amount_refunded") or 0),
        payment.amount_cents - payment.lost_cents,
    )
    if refunded != payment.refunded_cents:
        payment.refunded_cents = refunded
        payment.save(update_fields=["refunded_cents"])
    _changed(payment.donation)


# --- Disputes (chargebacks) ------------------------------------------------------


def _disputed_payment(dispute):
    """The payment a dispute is about: by its PaymentIntent, or for an
    instalment recorded without one, through the invoice Stripe says that
    PaymentIntent paid. A dispute comes days or weeks after the payment,
    whose events were handled long before: one that matches none of our
    payments is not ours, unless a gift of ours is still waiting for its
    (bank debit's) payment with that PaymentIntent."""
    payment_intent = _id(dispute.get("payment_intent"))
    if not payment_intent:
        # A charge made without a PaymentIntent: this site never makes one.
        raise NotOurs(f"Dispute {dispute.get('id')} is about a charge without PaymentIntent")
    payment = _payment_of_intent(payment_intent)
    if payment is None:
        invoice = gateway.payment_intent_invoice(payment_intent)
        payment = (
            Payment.objects.select_for_update()
            .select_related("donation")
            .filter(stripe_invoice_id=invoice, stripe_payment_intent_id__isnull=True)
            .first()
            if invoice
            else None
        )
        if payment is not None:
            payment.stripe_payment_intent_id = payment_intent
            payment.save(update_fields=["stripe_payment_intent_id"])
    if payment is None:
        if Donation.objects.filter(stripe_payment_intent_id=payment_intent).exists():
            raise UnknownDonation(f"No payment yet for the disputed {payment_intent}")
        raise NotOurs(f"Dispute {dispute.get('id')} of {payment_intent} is about no gift of ours")
    return payment


def charge_dispute(dispute, event):
    """`charge.dispute.created` and `charge.dispute.closed`: the dispute's
    status as the newest event tells it (an older one arriving late changes
    nothing). Lost, its amount leaves the fund as a refund does; won, the
    gift stays."""
    payment = _disputed_payment(dispute)
    updated_at = _when(event["created"])
    if payment.dispute_updated_at and updated_at < payment.dispute_updated_at:
        return
    status = dispute.get("status") or ""
    lost = 0
    if status in DisputeStatus.money_taken_back():
        lost = min(dispute.get("amount") or 0, payment.amount_cents - payment.refunded_cents)
    payment.stripe_dispute_id = dispute["id"]
    payment.dispute_status = status
    payment.dispute_reason = dispute.get("reason") or ""
    payment.disputed_at = payment.disputed_at or _when(dispute.get("created") or event["created"])
    payment.dispute_updated_at = updated_at
    payment.lost_cents = lost
    payment.save(
        update_fields=[
            "stripe_dispute_id",
            "dispute_status",
            "dispute_reason",
            "disputed_at",
            "dispute_updated_at",
            "lost_cents",
        ]
    )
    _changed(payment.donation)


HANDLERS = {
    "checkout.session.completed": checkout_session_completed,
    "checkout.session.async_payment_succeeded": checkout_session_async_payment_succeeded,
    "checkout.session.async_payment_failed": checkout_session_async_payment_failed,
    "checkout.session.expired": checkout_session_expired,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.deleted": customer_subscription_deleted,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": charge_dispute,
    "charge.dispute.closed": charge_dispute,
}
