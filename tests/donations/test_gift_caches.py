"""A gift moves the caches of public pages only once it can show on them
(home/cache.py): a checkout opened or abandoned shows nowhere, a receipt
sent changes no total."""

import pytest

from django.utils import timezone

from donations.choices import DonationStatus
from home.cache import content_generation

from .factories import DonationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_a_gift_moves_the_caches_only_when_the_fund_can_show_it(fund):
    before = content_generation()
    donation = DonationFactory(page=fund)  # the form sent, Stripe's checkout opened
    donation.status = DonationStatus.EXPIRED
    donation.save(update_fields=["status"])  # abandoned
    assert content_generation() == before

    payment = PaymentFactory(donation=donation)  # Stripe confirmed the payment
    assert content_generation() != before

    before = content_generation()
    payment.receipt_sent_at = timezone.now()
    payment.save(update_fields=["receipt_sent_at"])
    assert content_generation() == before

    payment.refunded_cents = payment.amount_cents
    payment.save(update_fields=["refunded_cents"])  # the total goes down
    assert content_generation() != before

    before = content_generation()
    donation.public_name = "Maria R."
    donation.save(update_fields=["public_name"])  # the donor wall
    assert content_generation() != before
