"""The donation form and the Checkout Session it creates, through the real
stripe-python client talking to the local Stripe double."""

import pytest
from bs4 import BeautifulSoup

from django.templatetags.static import static

from donations.choices import DonationStatus
from donations.models import Donation

from .conftest import form_data

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_form_that_needs_no_javascript(client, fund, stripe_double):
    response = client.get("/it/fondo-solidale/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form.donation-form")
    assert form["method"] == "post"
    assert form.find("button", type="submit")
    presets = [i["value"] for i in form.select("input[name=preset]")]
    assert presets == ["10", "25", "50", "100", "other"]
    assert form.select("input[name=frequency][value=monthly]")
    assert form.select("input[name=donor_type][value=company]")
    # The form works with no script at all: the page loads only the menu's
    # script that every page has (it folds the menu on a phone), and never
    # Stripe.js (the card is typed on Stripe's own page).
    scripts = [script["src"] for script in soup.find_all("script", src=True)]
    assert scripts == [static("js/site-menu.js")]
    assert "40.000" in soup.select_one(".fund-progress").get_text()


def test_a_one_off_gift_creates_a_payment_session_and_counts_nothing_yet(
    client, fund, stripe_double
):
    response = client.post("/it/fondo-solidale/", form_data(preset="50"))

    assert response.status_code == 303
    donation = Donation.objects.get()
    assert response["Location"] == donation.stripe_checkout_url
    assert response["Location"].startswith("https://checkout.stripe.com/")
    request = stripe_double.last("/v1/checkout/sessions")
    body = request.form
    assert body["mode"] == "payment"
    assert body["line_items[0][price_data][currency]"] == "eur"
    assert body["line_items[0][price_data][unit_amount]"] == "5000"
    assert body["line_items[0][quantity]"] == "1"
    assert "recurring" not in " ".join(body)
    assert body["metadata[donation_id]"] == str(donation.pk)
    assert body["payment_intent_data[metadata][donation_id]"] == str(donation.pk)
    assert body["customer_email"] == "maria@example.org"
    assert body["submit_type"] == "donate"
    assert body["locale"] == "it"
    assert body["success_url"].endswith(
        "/it/fondo-solidale/grazie/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert body["cancel_url"].endswith("/it/fondo-solidale/annullata/")
    assert request.headers["Idempotency-Key"] == f"donation-checkout-{donation.uuid}"
    assert request.headers["Authorization"] == "Bearer sk_test_local_double"
    assert donation.amount_cents == 5000
    assert donation.status == DonationStatus.STARTED
    assert donation.stripe_checkout_session_id.startswith("cs_")

    # Coming back from Stripe proves nothing: we are still confirming.
    page = client.get(
        f"/it/fondo-solidale/grazie/?session_id={donation.stripe_checkout_session_id}"
    )
    assert page.status_code == 200
    assert "Stiamo confermando" in page.content.decode()
    assert donation.payments.count() == 0
    assert "€ 80.000" in page.content.decode()


def test_a_monthly_gift_is_a_subscription_with_a_monthly_price(client, fund, stripe_double):
    response = client.post(
        "/it/fondo-solidale/", form_data(frequency="monthly", preset="other", custom_amount="19.99")
    )
    assert response.status_code == 303
    body = stripe_double.last("/v1/checkout/sessions").form
    donation = Donation.objects.get()
    assert body["mode"] == "subscription"
    assert body["line_items[0][price_data][recurring][interval]"] == "month"
    assert body["line_items[0][price_data][unit_amount]"] == "1999"
    assert body["subscription_data[metadata][donation_id]"] == str(donation.pk)
    assert "submit_type" not in body
    assert donation.amount_cents == 1999


def test_the_same_form_sent_twice_opens_one_session(client, fund, stripe_double):
    first = client.post("/it/fondo-solidale/", form_data())
    second = client.post("/it/fondo-solidale/", form_data())
    assert first["Location"] == second["Location"]
    assert Donation.objects.count() == 1
    assert len([r for r in stripe_double.requests if r.path == "/v1/checkout/sessions"]) == 1


@pytest.mark.parametrize(
    ("change", "stored", "sent_to_stripe"),
    [
        (
            {"preset": "50"},
            ("amount_cents", 5000),
            ("line_items[0][price_data][unit_amount]", "5000"),
        ),
        ({"frequency": "monthly"}, ("frequency", "monthly"), ("mode", "subscription")),
        ({"tax_code": "BNCGNN80A01F205W"}, ("tax_code", "BNCGNN80A01F205W"), None),
    ],
    ids=["amount", "monthly", "tax-code"],
)
def test_back_from_stripe_a_changed_form_is_a_new_gift_not_the_old_session(
    client, fund, stripe_double, change, stored, sent_to_stripe
):
    """The browser's Back button brings the form back with the same hidden
    attempt id: the donor who then gives 50 instead of 25, monthly instead
    of once, or corrects the codice fiscale must not be sent to the old
    session (the old amount) nor get a receipt with the old details."""
    first = client.post("/it/fondo-solidale/", form_data())
    second = client.post("/it/fondo-solidale/", form_data(**change))
    assert second.status_code == 303
    assert second["Location"] != first["Location"]
    old, new = Donation.objects.order_by("pk")
    assert str(old.uuid) == form_data()["attempt"]
    assert (old.amount_cents, old.frequency, old.tax_code) == (2500, "one_off", "RSSMRA85T10A562S")
    assert new.stripe_checkout_url == second["Location"]
    assert getattr(new, stored[0]) == stored[1]
    created = stripe_double.last("/v1/checkout/sessions").form
    assert created["metadata[donation_uuid]"] == str(new.uuid)
    if sent_to_stripe:
        assert created[sent_to_stripe[0]] == sent_to_stripe[1]


def test_when_stripe_fails_nothing_is_saved_and_the_form_keeps_its_data(
    client, fund, stripe_double
):
    stripe_double.fail_with = (401, "invalid_request_error")
    response = client.post("/it/fondo-solidale/", form_data(email="luca@example.org"))
    assert response.status_code == 503
    content = response.content.decode()
    assert "non è raggiungibile" in content
    assert 'value="luca@example.org"' in content
    assert Donation.objects.count() == 0


def test_without_stripe_keys_the_page_offers_the_bank_transfer(client, fund, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = client.get("/it/fondo-solidale/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "donation-form" not in content
    assert "non è possibile donare online" in content
    assert "IBAN IT60 X054 2811 1010 0000 0123 456" in content
    posted = client.post("/it/fondo-solidale/", form_data())
    assert posted.status_code == 200
    assert Donation.objects.count() == 0


def test_session_creation_is_rate_limited_per_ip(client, fund, stripe_double):
    statuses = []
    for n in range(7):
        response = client.post(
            "/it/fondo-solidale/",
            form_data(
                attempt=f"00000000-0000-4000-8000-00000000000{n}", email=f"bot{n}@example.org"
            ),
            REMOTE_ADDR="203.0.113.9",
        )
        statuses.append(response.status_code)
    assert statuses == [303] * 6 + [429]
    assert "Troppi tentativi" in response.content.decode()
    assert Donation.objects.count() == 6


def test_session_creation_is_rate_limited_per_email(client, fund, stripe_double):
    statuses = [
        client.post(
            "/it/fondo-solidale/",
            form_data(attempt=f"00000000-0000-4000-8000-0000000000a{n}"),
            REMOTE_ADDR=f"198.51.100.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [303] * 4 + [429]


def test_the_english_page_opens_an_english_checkout(client, fund, english, stripe_double):
    fund_en = fund.copy_for_translation(english)
    fund_en.slug = "solidarity-fund"
    fund_en.save_revision().publish()
    response = client.post("/en/solidarity-fund/", form_data())
    assert response.status_code == 303
    body = stripe_double.last("/v1/checkout/sessions").form
    assert body["locale"] == "en"
    assert body["line_items[0][price_data][product_data][name]"].startswith("Gift — ")
    donation = Donation.objects.get()
    assert donation.language == "en"
    assert donation.fund == fund.translation_key
    # The way back from Stripe reads in English too; the Italian one works.
    assert body["success_url"].endswith(
        "/en/solidarity-fund/thank-you/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert body["cancel_url"].endswith("/en/solidarity-fund/cancelled/")
    session = donation.stripe_checkout_session_id
    for path in ("thank-you/", "grazie/"):
        page = client.get(f"/en/solidarity-fund/{path}?session_id={session}")
        assert page.status_code == 200 and "confirming" in page.content.decode(), path
    assert client.get("/en/solidarity-fund/cancelled/").status_code == 200


def test_the_consent_links_the_privacy_notice_and_says_it_is_required(
    client, fund, english, stripe_double
):
    """A donor cannot agree to a notice they cannot read: the consent links
    the footer's privacy notice, in the page's language."""
    from home.models import SiteFooter
    from tests.factories import StandardPageFactory

    privacy = StandardPageFactory(
        parent=fund.get_parent(), title="Informativa sulla privacy", slug="privacy"
    )
    privacy.save_revision().publish()
    footer = SiteFooter.load()
    footer.privacy_page = privacy
    footer.save()
    html = client.get("/it/fondo-solidale/").content.decode()
    consent = html[html.index('id="id_privacy"') :]
    consent = consent[: consent.index("</div>")]
    assert "(obbligatorio)" in consent
    assert 'href="/it/privacy/"' in consent
    assert "Leggi l'informativa sulla privacy" in consent
    # A refused form keeps the link (and what was typed).
    response = client.post("/it/fondo-solidale/", form_data(privacy=None))
    assert response.status_code == 400
    assert 'href="/it/privacy/"' in response.content.decode()
