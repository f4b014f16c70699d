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


def test_after_a_gift_the_home_page_renders_its_fund_progress_alone(client, fund):
    from unittest import mock

    from bs4 import BeautifulSoup

    from donations import progress
    from home import home_lists

    def shown():
        soup = BeautifulSoup(client.get("/it/").content, "html.parser")
        return soup.select_one(".fund-progress").get_text(" ", strip=True)

    assert "€ 80.000" in shown()
    with mock.patch.object(home_lists, "read", side_effect=home_lists.read) as lists_read:
        PaymentFactory(donation=DonationFactory(page=fund), amount_cents=123400)
        progress.forget(fund.translation_key)  # as the webhook does on commit
        assert "€ 81.234" in shown()
    assert lists_read.call_count == 0  # the hero, courses and network fragments stayed warm
