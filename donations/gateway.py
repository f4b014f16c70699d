"""Every call this site makes to Stripe's API, through stripe-python's
`StripeClient`. `STRIPE_API_BASE` points it elsewhere (the tests' local
double); nothing here decides whether money arrived — only webhooks do."""

import stripe

from django.conf import settings
from django.utils.translation import gettext, override

from .choices import Frequency


def is_configured():
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def client():
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def checkout_session_params(donation, page_title, success_url, cancel_url):
    """The body of `POST /v1/checkout/sessions` for a gift."""
    metadata = {"donation_id": str(donation.pk), "donation_uuid": str(donation.uuid)}
    with override(donation.language):
        product = {
            "name": gettext("Gift — %(fund)s") % {"fund": page_title},
        }
    price_data = {
        "currency": donation.currency,
        "unit_amount": donation.amount_cents,
        "product_data": product,
    }
    params = {
        "line_items": [{"price_data": price_data, "quantity": 1}],
        "customer_email": donation.email,
        "client_reference_id": str(donation.pk),
        "metadata": metadata,
        "locale": donation.language,
        "success_url": success_url + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": cancel_url,
    }
    # No payment_method_types: Stripe offers the methods enabled in the
    # Dashboard for Italy (cards, wallets, SEPA Direct Debit...).
    if donation.frequency == Frequency.MONTHLY:
        price_data["recurring"] = {"interval": "month"}
        params["mode"] = "subscription"
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["mode"] = "payment"
        params["submit_type"] = "donate"
        params["customer_creation"] = "always"
        params["payment_intent_data"] = {"metadata": metadata}
    return params


def create_checkout_session(donation, page_title, success_url, cancel_url):
    return client().v1.checkout.sessions.create(
        params=checkout_session_params(donation, page_title, success_url, cancel_url),
        options={"idempotency_key": f"donation-checkout-{donation.uuid}"},
    )


def create_portal_session(customer_id, return_url, language):
    """A link for a monthly donor to change or cancel the gift (Stripe's
    customer portal)."""
    return client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url, "locale": language}
    )


def invoice_payment_intent(invoice_id):
    """The PaymentIntent that paid an invoice (since API 2025-03-31 invoices
    carry their payments in `invoice.payments`, which webhooks leave out)."""
    payments = client().v1.invoice_payments.list(params={"invoice": invoice_id, "limit": 10})
    for invoice_payment in payments.data:
        payment = invoice_payment.payment
        if invoice_payment.status == "paid" and payment.type == "payment_intent":
            return _id(payment.payment_intent)
    return None


def payment_intent_invoice(payment_intent_id):
    """The invoice a PaymentIntent paid, if any (a monthly instalment)."""
    payments = client().v1.invoice_payments.list(
        params={
            "payment": {"type": "payment_intent", "payment_intent": payment_intent_id},
            "limit": 1,
        }
    )
    for invoice_payment in payments.data:
        return _id(invoice_payment.invoice)
    return None


def _id(value):
    if value is None or isinstance(value, str):
        return value
    return value.id
