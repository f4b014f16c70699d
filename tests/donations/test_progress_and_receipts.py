"""The fund's progress, the donor wall, the matching campaign and receipts."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup

from django.utils import timezone

from donations import progress, receipts
from donations.models import Payment

from .factories import DonationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_progress_adds_endowment_match_and_net_gifts(fund):
    maria = DonationFactory(page=fund, email="maria@example.org")
    PaymentFactory(donation=maria, amount_cents=5000)
    PaymentFactory(donation=maria, amount_cents=5000)  # a second instalment, same donor
    luca = DonationFactory(page=fund, email="luca@example.org")
    PaymentFactory(donation=luca, amount_cents=2000, refunded_cents=500)
    refunded = DonationFactory(page=fund)
    PaymentFactory(donation=refunded, amount_cents=9900, refunded_cents=9900)
    DonationFactory(page=fund)  # started, never paid

    PaymentFactory(  # another day, a donor already counted
        donation=luca, amount_cents=700, paid_at=timezone.now() - datetime.timedelta(days=3)
    )

    result = progress.for_page(fund)
    assert result.gifts_cents == 5000 + 5000 + 1500 + 700
    assert result.total_cents == 8_000_000 + 12_200
    assert result.donors == 2
    assert result.percent == 53


def test_the_matching_sponsor_stops_at_the_cap_and_the_end_date(fund):
    fund.campaign_sponsor = "Banca di Credito Cooperativo"
    fund.campaign_multiplier = 1
    fund.campaign_cap_eur = 100
    fund.campaign_ends_on = timezone.localdate()
    fund.save()
    yesterday = timezone.now() - datetime.timedelta(days=1)
    PaymentFactory(donation=DonationFactory(page=fund), amount_cents=3000, paid_at=yesterday)
    PaymentFactory(
        donation=DonationFactory(page=fund),
        amount_cents=50000,
        paid_at=timezone.now() + datetime.timedelta(days=2),  # after the end date
    )
    assert progress.for_page(fund).campaign_cents == 3000
    progress.forget(fund.translation_key)
    PaymentFactory(donation=DonationFactory(page=fund), amount_cents=20000, paid_at=yesterday)
    progress.forget(fund.translation_key)
    result = progress.for_page(fund)
    assert result.campaign_cents == 10000  # the cap
    assert result.total_cents == 8_000_000 + 73000 + 10000


def test_the_page_and_the_home_page_show_the_progress(client, fund):
    PaymentFactory(donation=DonationFactory(page=fund), amount_cents=123400)
    for url in ("/it/fondo-solidale/", "/it/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        text = soup.select_one(".fund-progress").get_text(" ", strip=True)
        assert "€ 81.234" in text
        assert "€ 150.000" in text
        assert "1 donatore" in text
    home = BeautifulSoup(client.get("/it/").content, "html.parser")
    assert home.select_one(".fund-teaser a.button")["href"] == "/it/fondo-solidale/"


def test_the_totals_are_cached_and_forgotten_when_a_payment_lands(fund, django_assert_num_queries):
    progress.for_page(fund)
    with django_assert_num_queries(0):
        progress.for_page(fund)
    progress.forget(fund.translation_key)
    with django_assert_num_queries(1):  # the days' sums with the donors (were 3 queries)
        progress.for_page(fund)


def test_the_donor_wall_shows_only_consenting_donors_without_amounts(client, fund):
    shown = DonationFactory(
        page=fund, show_on_wall=True, public_name="Maria da Segrate", public_message="Forza!"
    )
    PaymentFactory(donation=shown, amount_cents=7777)
    hidden = DonationFactory(page=fund, show_on_wall=False, public_name="Non Mostrare")
    PaymentFactory(donation=hidden)
    anonymous = DonationFactory(
        page=fund, anonymous=True, show_on_wall=True, public_name="Segreto", last_name="Segreti"
    )
    PaymentFactory(donation=anonymous)
    unpaid = DonationFactory(page=fund, show_on_wall=True, public_name="Non Pagato")
    refunded = DonationFactory(page=fund, show_on_wall=True, public_name="Rimborsato")
    PaymentFactory(donation=refunded, amount_cents=1000, refunded_cents=1000)
    assert unpaid.payments.count() == 0

    content = client.get("/it/fondo-solidale/").content.decode()
    wall = BeautifulSoup(content, "html.parser").select_one(".donor-wall").get_text(" ")
    assert "Maria da Segrate" in wall and "Forza!" in wall
    assert "77,77" not in wall and "77.77" not in wall
    for name in ("Non Mostrare", "Segreto", "Segreti", "Non Pagato", "Rimborsato", "Rossi"):
        assert name not in content


def test_receipts_are_numbered_per_year():
    assert [receipts.next_number(2031) for _ in range(3)] == [1, 2, 3]
    assert receipts.next_number(2032) == 1
    assert receipts.next_number(2031) == 4


def test_the_receipt_carries_what_a_tax_receipt_needs_in_the_donors_language(
    fund, english, mailoutbox
):
    fund_en = fund.copy_for_translation(english)
    fund_en.receipt_tax_note = "Deductible under art. 83 of Legislative Decree 117/2017."
    fund_en.save_revision().publish()
    company = DonationFactory(
        page=fund,
        language="en",
        donor_type="company",
        organisation_name="Falegnameria Brambilla Srl",
        first_name="",
        last_name="",
        tax_code="12345678903",
        email="amministrazione@brambilla.example",
    )
    payment = PaymentFactory(
        donation=company,
        amount_cents=25050,
        receipt_year=2031,
        receipt_number=7,
        paid_at=timezone.make_aware(datetime.datetime(2031, 3, 14, 10, 0)),
    )
    assert receipts.send_receipt(payment.pk) is True
    assert receipts.send_receipt(payment.pk) is False  # never twice

    (mail,) = mailoutbox
    assert mail.to == ["amministrazione@brambilla.example"]
    assert mail.subject == "Receipt 2031/00007 for your gift to the Solidarity Fund"
    for text in (mail.body, mail.alternatives[0][0]):
        assert "Falegnameria Brambilla Srl" in text
        assert "12345678903" in text
        assert "250.50" in text
        assert "Via Roma 1" in text and "20096 Pioltello (MI)" in text
        assert "C.F. 12345678903" in text  # the issuer
        assert "Deductible under art. 83" in text
        assert "2031/00007" in text
    assert mail.alternatives[0][1] == "text/html"
    assert "/donations/manage/" not in mail.body  # one-off: nothing to manage
    assert Payment.objects.get().receipt_sent_at is not None


def test_an_italian_donor_gets_an_italian_receipt(fund, mailoutbox):
    payment = PaymentFactory(donation=DonationFactory(page=fund, language="it"))
    receipts.send_receipt(payment.pk)
    assert mailoutbox[0].subject.startswith("Ricevuta ")
    assert "Codice fiscale: RSSMRA85T10A562S" in mailoutbox[0].body
    assert "erogazione liberale" in mailoutbox[0].body.lower()


def test_a_receipt_the_mail_server_refused_is_sent_later_and_once(fund, mailoutbox, monkeypatch):
    """A donor who paid must get the receipt for the tax return even if the
    mail server was down when Stripe's webhook arrived."""
    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command

    old = timezone.now() - datetime.timedelta(hours=1)
    payment = PaymentFactory(donation=DonationFactory(page=fund), paid_at=old)
    refunded = PaymentFactory(donation=DonationFactory(page=fund), paid_at=old, refunded_cents=2500)
    just_paid = PaymentFactory(donation=DonationFactory(page=fund))
    real_send = EmailMultiAlternatives.send

    def server_down(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", server_down)
    assert receipts.send_receipt(payment.pk) is False
    out, err = io.StringIO(), io.StringIO()
    call_command("send_donation_receipts", stdout=out, stderr=err)
    assert "1" in err.getvalue()  # still failing, and said so
    assert mailoutbox == []

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    call_command("send_donation_receipts", stdout=out, stderr=err)
    call_command("send_donation_receipts", stdout=out, stderr=err)
    (mail,) = mailoutbox
    assert mail.to == [payment.donation.email]
    assert payment.receipt_label in mail.subject
    assert Payment.objects.get(pk=payment.pk).receipt_sent_at is not None
    # Wholly refunded: no receipt; just paid: left to the queued task.
    assert Payment.objects.get(pk=refunded.pk).receipt_sent_at is None
    assert Payment.objects.get(pk=just_paid.pk).receipt_sent_at is None


def test_the_sponsors_end_date_on_the_eighth_reads_fino_all_8(client, fund, english):
    """Italian elides the article before the 1st, 8th and 11th ("fino
    all'08 dicembre", not "fino al 08"); English reads "until"."""
    fund.campaign_sponsor = "Banca di Credito Cooperativo"
    fund.campaign_cap_eur = 100
    year = timezone.localdate().year + 1
    fund.campaign_ends_on = datetime.date(year, 12, 8)
    fund.save_revision().publish()
    fund_en = fund.copy_for_translation(english)
    fund_en.slug = "solidarity-fund"
    fund_en.save_revision().publish()

    def legend(url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return soup.select_one(".fund-progress").get_text(" ", strip=True)

    assert f"(fino a € 100, fino all'08 dicembre {year})" in legend("/it/fondo-solidale/")
    assert f"(up to € 100, until Dec. 8, {year})" in legend("/en/solidarity-fund/")
