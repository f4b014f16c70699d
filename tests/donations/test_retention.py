"""The data of a gift that never happened are not kept for ever."""

import datetime
import io

import pytest

from django.core.management import call_command
from django.utils import timezone

from donations.choices import DonationStatus
from donations.models import Donation

from .factories import DonationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _aged(days, **fields):
    donation = DonationFactory(**fields)
    Donation.objects.filter(pk=donation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return donation


def test_abandoned_checkouts_are_erased_after_thirty_days_gifts_are_kept(fund):
    abandoned = _aged(31, page=fund, status=DonationStatus.EXPIRED, tax_code="RSSMRA85T10A562S")
    never_came_back = _aged(31, page=fund, status=DonationStatus.STARTED)
    debit_failed = _aged(31, page=fund, status=DonationStatus.FAILED)
    recent = _aged(5, page=fund, status=DonationStatus.EXPIRED)
    debit_pending = _aged(31, page=fund, status=DonationStatus.PENDING)
    paid = _aged(400, page=fund, status=DonationStatus.PAID)
    PaymentFactory(donation=paid)
    refunded = _aged(400, page=fund, status=DonationStatus.REFUNDED)
    PaymentFactory(donation=refunded, refunded_cents=refunded.amount_cents)

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)

    assert "Donations never paid" in out.getvalue() and ": 3." in out.getvalue()
    left = set(Donation.objects.values_list("pk", flat=True))
    assert left == {recent.pk, debit_pending.pk, paid.pk, refunded.pk}
    for gone in (abandoned, never_came_back, debit_failed):
        assert gone.pk not in left
