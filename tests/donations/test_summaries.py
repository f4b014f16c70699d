import io

import pytest

from django.core.management import call_command

from .factories import DonationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_each_donor_gets_one_yearly_summary_net_of_refunds(fund, mailoutbox):
    monthly = DonationFactory(page=fund, email="maria@example.org", frequency="monthly")
    PaymentFactory(donation=monthly, amount_cents=1000, receipt_year=2030, receipt_number=1)
    PaymentFactory(donation=monthly, amount_cents=1000, receipt_year=2030, receipt_number=2)
    PaymentFactory(donation=monthly, amount_cents=1000, receipt_year=2031, receipt_number=1)
    refunded = DonationFactory(page=fund, email="luca@example.org")
    PaymentFactory(donation=refunded, amount_cents=500, refunded_cents=500, receipt_year=2030)

    call_command("send_donation_summaries", "--year", "2030", stdout=io.StringIO())

    (mail,) = mailoutbox
    assert mail.to == ["maria@example.org"]
    assert "2030" in mail.subject
    assert "2030/00001" in mail.body and "2030/00002" in mail.body
    assert "2031/00001" not in mail.body
    assert "€ 20,00" in mail.body
