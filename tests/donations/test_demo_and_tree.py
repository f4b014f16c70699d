import io

import pytest

from django.core.management import call_command

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from donations.models import Donation, DonationPage, Payment
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_donation_page_lives_under_the_home_page_only():
    checker = WagtailPageTestCase()
    checker.assertAllowedParentPageTypes(DonationPage, {HomePage})
    checker.assertAllowedSubpageTypes(DonationPage, set())
    assert DonationPage in HomePage.allowed_subpage_models()


def test_demo_data_builds_the_fund_in_both_languages_and_is_idempotent(demo_site, client):
    counts = (Page.objects.count(), Donation.objects.count(), Payment.objects.count())
    call_command("load_demo_data", "--no-users", stdout=io.StringIO())
    assert (Page.objects.count(), Donation.objects.count(), Payment.objects.count()) == counts

    page = DonationPage.objects.get(locale__language_code="it")
    assert page.slug == "fondo-solidale" and page.show_in_menus
    assert counts[1] >= 5
    italian = client.get("/it/fondo-solidale/").content.decode()
    english = client.get("/en/solidarity-fund/").content.decode()
    assert "Fondo Solidale" in italian and "Maria da Segrate" in italian
    assert "Solidarity Fund" in english and "initial endowment" in english
    assert "Lucia" not in italian  # she did not ask to be on the wall
    # The bank transfer details, a text field of several lines, in English.
    translated = DonationPage.objects.get(locale__language_code="en")
    assert translated.bank_transfer_details.startswith("Account holder: ")
    assert "Reason for payment: " in translated.bank_transfer_details
