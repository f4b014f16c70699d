import re
import uuid
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from home.email_address import EmailAddressField

from .choices import DonorType, Frequency
from .validators import normalise, validate_codice_fiscale, validate_company_tax_code

OTHER = "other"


# Euros as people write them: "25", "12,50" or "12.50" (a comma or a point
# before at most two decimals), with or without "€". Nothing else is guessed:
# "1.000" could be a thousand or one euro, so it is refused with a message.
_AMOUNT = re.compile(r"\d+(?:[.,]\d{1,2})?")


class EuroAmountField(forms.CharField):
    """A written amount in euros. A plain text box (with the decimal keypad
    on phones) rather than `type=number`: a browser sends a number box it
    cannot read ("12,50" on some phones) as empty, and the preset amount
    would then be charged instead of the one the donor wrote."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        text = super().to_python(value).replace("€", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if not _AMOUNT.fullmatch(text):
            raise forms.ValidationError(
                _("Write the amount in euros with digits only, e.g. 25 or 12,50."),
                code="invalid",
            )
        return Decimal(text.replace(",", "."))


def _euros(amount):
    """An amount as the page's language writes it: "1.000,00" or "1,000.00"."""
    return number_format(amount, 2, force_grouping=True)


def _euro_label(amount):
    return f"€ {amount:.0f}" if amount == amount.to_integral() else f"€ {amount:.2f}"


class DonationForm(forms.Form):
    """The gift, the donor and the consents; works without JavaScript."""

    attempt = forms.UUIDField(widget=forms.HiddenInput)
    preset = forms.ChoiceField(
        label=_("How much would you like to give?"), widget=forms.RadioSelect, required=False
    )
    custom_amount = EuroAmountField(
        label=_("Another amount (EUR)"),
        required=False,
        help_text=_("If you write an amount here, it is the one we use."),
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=Frequency.choices,
        initial=Frequency.ONE_OFF,
        widget=forms.RadioSelect,
    )
    donor_type = forms.ChoiceField(
        label=_("You are giving as"),
        choices=DonorType.choices,
        initial=DonorType.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    organisation_name = forms.CharField(
        label=_("Company or organisation name"),
        max_length=160,
        required=False,
        help_text=_("Only if you give as a company or an organisation."),
    )
    tax_code = forms.CharField(
        label=_("Codice fiscale or partita IVA"),
        max_length=20,
        help_text=_(
            "Your codice fiscale; for companies and organisations the partita IVA "
            "(or numeric codice fiscale). Needed for the tax-deductible receipt."
        ),
    )
    street = forms.CharField(label=_("Street and number"), max_length=160)
    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    city = forms.CharField(label=_("Town"), max_length=80)
    province = forms.CharField(
        label=_("Province"), max_length=2, required=False, help_text=_("Two letters, e.g. MI.")
    )
    country = forms.CharField(
        label=_("Country"), max_length=2, initial="IT", help_text=_("Two letters, e.g. IT.")
    )
    email = EmailAddressField(label=_("E-mail"), help_text=_("We send your receipt here."))
    anonymous = forms.BooleanField(
        label=_("Keep my gift anonymous: never show my name in public"), required=False
    )
    show_on_wall = forms.BooleanField(
        label=_("Show my name and message on the donor wall (never the amount)"), required=False
    )
    public_name = forms.CharField(
        label=_("Name on the donor wall"),
        max_length=80,
        required=False,
        help_text=_("For example “Maria from Segrate” or your company's name."),
    )
    public_message = forms.CharField(
        label=_("Message on the donor wall (optional)"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    privacy = forms.BooleanField(
        label=_(
            "I have read the privacy notice: my data are used only for this gift and its receipt"
        ),
        error_messages={"required": _("Please accept the privacy notice to give online.")},
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["preset"].choices = [
            (str(amount), _euro_label(amount)) for amount in page.amounts
        ] + [(OTHER, _("Another amount"))]
        if not self.is_bound:
            self.initial.setdefault("attempt", uuid.uuid4())
            if len(page.amounts) > 1:
                self.initial.setdefault("preset", str(page.amounts[1]))

    def clean_tax_code(self):
        return normalise(self.cleaned_data["tax_code"])

    def clean_province(self):
        return self.cleaned_data["province"].strip().upper()

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Write the country as two letters, e.g. IT."))
        return country

    def clean(self):
        data = super().clean()
        self._clean_amount(data)
        donor_type = data.get("donor_type")
        if donor_type == DonorType.INDIVIDUAL:
            missing = {
                "first_name": _("Please write your first name."),
                "last_name": _("Please write your last name."),
            }
            for field, message in missing.items():
                if not data.get(field, "").strip():
                    self.add_error(field, message)
            validator = validate_codice_fiscale
        else:
            if not data.get("organisation_name", "").strip():
                self.add_error(
                    "organisation_name", _("Please write the company or organisation name.")
                )
            validator = validate_company_tax_code
        if data.get("tax_code"):
            try:
                validator(data["tax_code"])
            except forms.ValidationError as error:
                self.add_error("tax_code", error)
        if data.get("country") == "IT":
            if data.get("postcode") and not re.fullmatch(r"\d{5}", data["postcode"].strip()):
                self.add_error("postcode", _("An Italian postcode has five digits."))
            if not re.fullmatch(r"[A-Z]{2}", data.get("province") or ""):
                self.add_error("province", _("Write the province as two letters, e.g. MI."))
        if data.get("show_on_wall"):
            if data.get("anonymous"):
                self.add_error(
                    "show_on_wall",
                    _("You asked to stay anonymous: untick one of the two choices."),
                )
            elif not data.get("public_name", "").strip():
                self.add_error("public_name", _("Write the name to show on the donor wall."))
        return data

    def _clean_amount(self, data):
        page = self.page
        custom = data.get("custom_amount")
        preset = data.get("preset")
        if custom is None and "custom_amount" in self.errors:
            return
        if custom is not None:
            amount = custom
        elif preset and preset != OTHER:
            amount = Decimal(preset)
            if amount not in page.amounts:
                self.add_error("preset", _("Choose one of the amounts shown."))
                return
        else:
            self.add_error("custom_amount", _("Choose an amount or write another one."))
            return
        if amount < page.min_amount_eur:
            self.add_error(
                "custom_amount",
                _("The smallest online gift is € %(amount)s.")
                % {"amount": _euros(page.min_amount_eur)},
            )
        elif amount > page.max_amount_eur:
            self.add_error(
                "custom_amount",
                _("The largest online gift is € %(amount)s: for more, please use a bank transfer.")
                % {"amount": _euros(page.max_amount_eur)},
            )
        else:
            data["amount"] = amount
