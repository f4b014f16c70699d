import uuid
from decimal import Decimal

import factory
import wagtail_factories

from django.utils import timezone

from donations.choices import DonationStatus, DonorType, Frequency
from donations.models import Donation, DonationPage, Payment


class DonationPageFactory(wagtail_factories.PageFactory):
    title = "Fondo Solidale"
    slug = "fondo-solidale"
    intro = "Un fondo per chi cerca lavoro."
    goal_eur = 150_000
    endowment_eur = 40_000
    match_eur = 40_000
    preset_amounts = "10, 25, 50, 100"
    min_amount_eur = Decimal("5")
    max_amount_eur = Decimal("1000")
    thank_you_text = "<p>Grazie di cuore.</p>"
    bank_transfer_details = "IBAN IT60 X054 2811 1010 0000 0123 456"
    receipt_issuer = "Libera Compagnia di Arti & Mestieri Sociali\nC.F. 12345678903"
    receipt_tax_note = "Erogazione liberale detraibile ai sensi dell'art. 83 del D.Lgs. 117/2017."

    class Meta:
        model = DonationPage


class DonationFactory(factory.django.DjangoModelFactory):
    uuid = factory.LazyFunction(uuid.uuid4)
    fund = factory.LazyAttribute(lambda o: o.page.translation_key)
    frequency = Frequency.ONE_OFF
    amount_cents = 2500
    donor_type = DonorType.INDIVIDUAL
    first_name = "Maria"
    last_name = "Rossi"
    tax_code = "RSSMRA85T10A562S"
    street = "Via Roma 1"
    postcode = "20096"
    city = "Pioltello"
    province = "MI"
    email = factory.Sequence(lambda n: f"donor{n}@example.org")
    privacy_consent_at = factory.LazyFunction(timezone.now)
    status = DonationStatus.STARTED

    class Meta:
        model = Donation

    class Params:
        page = None


class PaymentFactory(factory.django.DjangoModelFactory):
    donation = factory.SubFactory(DonationFactory)
    amount_cents = factory.LazyAttribute(lambda o: o.donation.amount_cents)
    paid_at = factory.LazyFunction(timezone.now)
    stripe_payment_intent_id = factory.Sequence(lambda n: f"pi_factory_{n}")
    receipt_year = factory.LazyFunction(lambda: timezone.now().year)
    receipt_number = factory.Sequence(lambda n: 90000 + n)

    class Meta:
        model = Payment
