"""E-mail addresses in the public forms: no longer than mail servers accept
(RFC 5321: 64 characters before the @, 254 in all)."""

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from courses.signup_forms import AssistedSignupForm, SignupForm
from donations.forms import DonationForm
from home.email_address import validate_deliverable_length
from partners.challenge_forms import ApplicationForm
from partners.enquiries import EnquiryForm

LONGEST_LOCAL_PART = "m" * 64
DOMAIN_189 = "d" * 62 + "." + "d" * 61 + "." + "d" * 61 + ".it"  # labels of 63 at most


def messages(value):
    try:
        validate_deliverable_length(value)
    except ValidationError as error:
        return error.messages
    return []


def test_addresses_within_the_limits_pass():
    assert messages(f"{LONGEST_LOCAL_PART}@example.org") == []
    domain = DOMAIN_189
    assert messages(f"{LONGEST_LOCAL_PART}@{domain}") == []  # 254 in all


def test_a_local_part_over_64_characters_is_refused_in_both_languages():
    address = f"m{LONGEST_LOCAL_PART}@example.org"
    with translation.override("it"):
        assert messages(address) == [
            "La parte prima della @ può avere al massimo 64 caratteri: controlla l'indirizzo."
        ]
    with translation.override("en"):
        assert messages(address) == [
            "The part before the @ can be at most 64 characters long: please check the address."
        ]


def test_an_address_over_254_characters_is_refused():
    domain = DOMAIN_189
    with translation.override("en"):
        assert messages(f"{LONGEST_LOCAL_PART}x@{domain}") == [
            "The part before the @ can be at most 64 characters long: please check the address."
        ]
        assert messages(f"{LONGEST_LOCAL_PART}@d{domain}") == [
            "An e-mail address can be at most 254 characters long."
        ]


@pytest.mark.parametrize(
    "form_class", [SignupForm, AssistedSignupForm, ApplicationForm, EnquiryForm, DonationForm]
)
def test_every_public_form_refuses_an_undeliverable_address(form_class):
    field = form_class.base_fields["email"]
    assert field.clean(f"{LONGEST_LOCAL_PART}@example.org") == f"{LONGEST_LOCAL_PART}@example.org"
    with pytest.raises(ValidationError) as refused:
        field.clean(f"x{LONGEST_LOCAL_PART}@example.org")
    assert [e.code for e in refused.value.error_list] == ["local_part_too_long"]
