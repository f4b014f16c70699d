"""Italian tax identifiers: codice fiscale (people) and partita IVA /
numeric codice fiscale (companies and organisations), checked for format
and check character."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Omocodia: when two people share a code, digits are replaced by these letters.
_OMOCODE = "LMNPQRSTUV"
_CF_PATTERN = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)
_ODD = {
    **dict(zip("0123456789", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21], strict=True)),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            [
                1,
                0,
                5,
                7,
                9,
                13,
                15,
                17,
                19,
                21,
                2,
                4,
                18,
                20,
                11,
                3,
                6,
                8,
                12,
                14,
                16,
                10,
                22,
                25,
                24,
                23,
            ],
            strict=True,
        )
    ),
}


def _even(char):
    return int(char) if char.isdigit() else ord(char) - ord("A")


def normalise(value):
    return re.sub(r"[\s.\-]", "", value or "").upper()


def codice_fiscale_check_char(first15):
    total = sum(
        _ODD[char] if position % 2 == 0 else _even(char) for position, char in enumerate(first15)
    )
    return chr(ord("A") + total % 26)


def is_valid_codice_fiscale(value):
    value = normalise(value)
    if not _CF_PATTERN.match(value):
        return False
    return codice_fiscale_check_char(value[:15]) == value[15]


def partita_iva_check_digit(first10):
    total = 0
    for position, char in enumerate(first10):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_valid_partita_iva(value):
    value = normalise(value)
    if value.startswith("IT"):
        value = value[2:]
    if not re.fullmatch(r"\d{11}", value):
        return False
    return partita_iva_check_digit(value[:10]) == value[10]


def validate_codice_fiscale(value):
    if not is_valid_codice_fiscale(value):
        raise ValidationError(
            _(
                "This is not a valid codice fiscale: it has 16 letters and digits, "
                "and the last letter is a check character. Please check it."
            ),
            code="invalid_codice_fiscale",
        )


def validate_company_tax_code(value):
    """Companies and organisations give a partita IVA or a numeric codice
    fiscale (11 digits, same check digit); sole traders may give a personal one."""
    if not (is_valid_partita_iva(value) or is_valid_codice_fiscale(value)):
        raise ValidationError(
            _(
                "This is not a valid partita IVA or codice fiscale: a partita IVA has "
                "11 digits, the last one a check digit. Please check it."
            ),
            code="invalid_partita_iva",
        )
