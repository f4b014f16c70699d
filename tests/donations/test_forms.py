"""Form validation: Italian tax codes, amounts within the page's limits,
the donor wall and the consents. Bad input answers 400 with a message."""

from decimal import Decimal

import pytest

from donations.models import Donation, euros_to_cents, parse_amounts
from donations.validators import (
    codice_fiscale_check_char,
    is_valid_codice_fiscale,
    is_valid_partita_iva,
)

from .conftest import form_data


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("RSSMRA85T10A562S", True),
        ("rssmra85t10a562s", True),
        ("RSS MRA 85T10 A562S", True),
        ("RSSMRA85T10A562T", False),  # wrong check character
        ("RSSMRA85T10A562", False),  # too short
        ("RSSMRA85Z10A562S", False),  # no month Z
        ("RSSMRAURTMLARNML", False),  # omocodia letters but a wrong check char
    ],
)
def test_codice_fiscale(code, valid):
    assert is_valid_codice_fiscale(code) is valid


def test_codice_fiscale_with_omocodia_letters():
    first15 = "RSSMRA85T10A56N"  # the last digit 2 replaced by N
    assert is_valid_codice_fiscale(first15 + codice_fiscale_check_char(first15))


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("12345678903", True),
        ("IT12345678903", True),
        ("00743110157", True),
        ("12345678901", False),
        ("1234567890", False),
        ("1234567890A", False),
    ],
)
def test_partita_iva(code, valid):
    assert is_valid_partita_iva(code) is valid


def test_money_is_counted_in_integer_cents_from_decimals():
    assert euros_to_cents(Decimal("19.99")) == 1999
    assert euros_to_cents(Decimal("0.29")) == 29
    assert parse_amounts("10, 25,50 ; € 100") == [10, 25, 50, 100]
    with pytest.raises(ValueError):
        parse_amounts("10, 2.555")


def _post(client, **overrides):
    return client.post("/it/fondo-solidale/", form_data(**overrides))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tax_code": "RSSMRA85T10A562T"}, "tax_code", "non è un codice fiscale valido"),
        (
            {"donor_type": "company", "organisation_name": "Ditta Srl", "tax_code": "12345678901"},
            "tax_code",
            "non è una partita IVA",
        ),
        (
            {"donor_type": "company", "tax_code": "12345678903"},
            "organisation_name",
            "ragione sociale",
        ),
        ({"preset": "other", "custom_amount": "4.99"}, "custom_amount", "minima è di € 5,00."),
        ({"preset": "other", "custom_amount": "1000.01"}, "custom_amount", "€ 1.000,00"),
        ({"preset": "other", "custom_amount": "1000.01"}, "custom_amount", "bonifico"),
        ({"preset": "other", "custom_amount": ""}, "custom_amount", "Scegli un importo"),
        ({"preset": "37"}, "preset", None),
        ({"privacy": None}, "privacy", "informativa"),
        ({"first_name": ""}, "first_name", "nome"),
        ({"postcode": "2009"}, "postcode", "cinque cifre"),
        ({"show_on_wall": "on", "public_name": ""}, "public_name", "bacheca"),
        (
            {"show_on_wall": "on", "anonymous": "on", "public_name": "Maria"},
            "show_on_wall",
            "anonimo",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, fund, stripe_double, overrides, field, message
):
    response = _post(client, **overrides)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
    assert Donation.objects.count() == 0
    assert stripe_double.requests == []
    # What was typed is still there.
    assert 'value="Via Roma 1"' in response.content.decode()


@pytest.mark.django_db
def test_companies_give_with_a_partita_iva(client, fund, stripe_double):
    response = _post(
        client,
        donor_type="company",
        first_name="",
        last_name="",
        organisation_name="Falegnameria Brambilla Srl",
        tax_code="IT 12345678903",
        preset="other",
        custom_amount="1000",
    )
    assert response.status_code == 303
    donation = Donation.objects.get()
    assert donation.tax_code == "IT12345678903"
    assert donation.donor_name == "Falegnameria Brambilla Srl"
    assert donation.amount_cents == 100_000


@pytest.mark.django_db
def test_a_written_amount_wins_over_the_preset(client, fund, stripe_double):
    assert _post(client, preset="10", custom_amount="12.50").status_code == 303
    assert Donation.objects.get().amount_cents == 1250


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "cents"),
    [("12,50", 1250), ("12.5", 1250), ("€ 12,50", 1250), (" 20 ", 2000), ("1000", 100_000)],
)
def test_amounts_are_read_as_people_write_them(client, fund, stripe_double, written, cents):
    """An Italian writes 12,50: it is twelve euros fifty, never the preset
    (a number box would send it empty and the preset would be charged)."""
    assert _post(client, preset="25", custom_amount=written).status_code == 303
    assert Donation.objects.get().amount_cents == cents


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("dieci", "solo cifre"),
        ("-5", "solo cifre"),
        ("1.000", "solo cifre"),
        ("12,505", "solo cifre"),
        ("0", "€ 5,00"),
        ("0,5", "€ 5,00"),
        ("99999999999999999999", "bonifico"),
    ],
)
def test_amounts_that_cannot_be_read_are_refused_never_replaced_by_the_preset(
    client, fund, stripe_double, written, message
):
    response = _post(client, preset="25", custom_amount=written)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["custom_amount"])
    assert Donation.objects.count() == 0
    html = response.content.decode()
    assert f'value="{written}"' in html
    assert 'inputmode="decimal"' in html and 'type="number"' not in html


@pytest.mark.django_db
def test_an_anonymous_donor_leaves_no_public_name(client, fund, stripe_double):
    assert (
        _post(client, anonymous="on", public_name="Maria", public_message="Forza!").status_code
        == 303
    )
    donation = Donation.objects.get()
    assert donation.anonymous
    assert (donation.public_name, donation.public_message, donation.show_on_wall) == ("", "", False)
