import json

import pytest

from .factories import DonationPageFactory
from .stripe_double import StripeDouble, sign

WEBHOOK_SECRET = "whsec_test_secret"
WEBHOOK_URL = "/donations/stripe/webhook/"


@pytest.fixture(scope="session")
def _stripe_server():
    double = StripeDouble().start()
    yield double
    double.stop()


@pytest.fixture
def stripe_double(_stripe_server, settings):
    """Stripe's API, played by a local server; keys set so giving is on."""
    settings.STRIPE_SECRET_KEY = "sk_test_local_double"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_local_double"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = _stripe_server.url
    _stripe_server.requests.clear()
    _stripe_server.fail_with = None
    _stripe_server.invoice_payment_intents.clear()
    yield _stripe_server
    _stripe_server.fail_with = None


@pytest.fixture
def fund(home):
    page = DonationPageFactory(parent=home)
    page.save_revision().publish()
    return page


@pytest.fixture
def send_event(client, django_capture_on_commit_callbacks):
    """POST a Stripe event to the webhook, signed as Stripe signs it; what
    the app does once the transaction commits (receipts, cache) runs too."""

    def send(event, *, secret=WEBHOOK_SECRET, timestamp=None, header=None):
        payload = json.dumps(event)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                WEBHOOK_URL,
                data=payload,
                content_type="application/json",
                headers={"Stripe-Signature": header or sign(payload, secret, timestamp)},
            )

    return send


def form_data(**overrides):
    data = {
        "attempt": "0b8f6b52-9a0e-4f51-8a46-6f2f3b1e2c11",
        "preset": "25",
        "custom_amount": "",
        "frequency": "one_off",
        "donor_type": "individual",
        "first_name": "Maria",
        "last_name": "Rossi",
        "organisation_name": "",
        "tax_code": "RSSMRA85T10A562S",
        "street": "Via Roma 1",
        "postcode": "20096",
        "city": "Pioltello",
        "province": "MI",
        "country": "IT",
        "email": "maria@example.org",
        "public_name": "",
        "public_message": "",
        "privacy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
