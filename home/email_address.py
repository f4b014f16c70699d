"""The e-mail address people type into the public forms (sign-up, challenge
application, enquiry, donation). Django's `EmailValidator` accepts a part
before the @ of any length and addresses up to 320 characters; mail servers
refuse more than 64 and 254 (RFC 5321, 4.5.3.1), so such an address would be
stored and every e-mail to it lost (and 254 is the column's length)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LOCAL_PART = 64
MAX_ADDRESS = 254


def validate_deliverable_length(value):
    """Refuse an address longer than mail servers accept, saying which part."""
    local_part = value.rpartition("@")[0]
    if len(local_part) > MAX_LOCAL_PART:
        raise ValidationError(
            _(
                "The part before the @ can be at most %(limit)d characters long: "
                "please check the address."
            ),
            code="local_part_too_long",
            params={"limit": MAX_LOCAL_PART},
        )
    if len(value) > MAX_ADDRESS:
        raise ValidationError(
            _("An e-mail address can be at most %(limit)d characters long."),
            code="address_too_long",
            params={"limit": MAX_ADDRESS},
        )


class EmailAddressField(forms.EmailField):
    """An `EmailField` that also refuses addresses mail servers refuse."""

    default_validators = [*forms.EmailField.default_validators, validate_deliverable_length]
