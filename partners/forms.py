from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import OPERATING_AREAS, PartnerType, Sector
from .models import PartnerPage
from .onboarding import InvitationError, PendingInvitation, check_email


class InvitePartnerForm(forms.Form):
    """What Academy staff fill in to invite a person for a partner."""

    email = forms.CharField(
        label=_("E-mail of the person to invite"),
        max_length=254,
        help_text=_("They will receive a link to choose their password."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="it"
    )
    partner = forms.ModelChoiceField(
        label=_("Existing partner"),
        queryset=PartnerPage.objects.none(),
        required=False,
        help_text=_("To add a person to a partner already in the network. Otherwise leave empty."),
    )
    name = forms.CharField(label=_("Name of the new partner"), max_length=200, required=False)
    partner_type = forms.ChoiceField(
        label=_("Type of partner"),
        choices=[("", "---------"), *PartnerType.choices],
        required=False,
    )
    short_description = forms.CharField(
        label=_("Short description"), max_length=300, required=False, widget=forms.Textarea
    )
    comuni = forms.MultipleChoiceField(
        label=_("Where it operates"),
        choices=OPERATING_AREAS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The person behind a typed address that was already invited and
        # has not chosen a password: the page offers to send it again.
        self.pending_invitee = None
        self.fields["partner"].queryset = PartnerPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE, group__isnull=False
        ).order_by("title")

    def clean_email(self):
        """Checked here too, so a wrong or taken address is reported with
        the form's other errors, not only once they are mended."""
        try:
            return check_email(self.cleaned_data["email"])
        except PendingInvitation as pending:
            self.pending_invitee = pending.user
            raise forms.ValidationError(str(pending)) from pending
        except InvitationError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        if not data.get("partner"):
            if not data.get("name"):
                self.add_error("name", _("Give the name of the new partner, or choose one."))
            if not data.get("partner_type"):
                self.add_error("partner_type", _("Choose the type of the new partner."))
        return data
