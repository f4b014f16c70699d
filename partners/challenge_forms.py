"""The application form (public, no account, no JavaScript) and the
reviewers' status form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from home.email_address import EmailAddressField

from .applications import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, check_attachment
from .choices import REVIEW_STATUSES, ApplicantType, Eligibility

ATTACHMENT_ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.webp,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
)


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("You are applying as"), widget=forms.RadioSelect, choices=ApplicantType.choices
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=160,
        help_text=_("For a team or a business: the person we should contact."),
    )
    email = EmailAddressField(
        label=_("E-mail"),
        help_text=_("We send your receipt here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    organisation = forms.CharField(
        label=_("Name of the team or business"),
        max_length=160,
        required=False,
        help_text=_("Needed if you apply as a team or as a new business."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    team_members = forms.CharField(
        label=_("Team members"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name and role. Leave empty if you apply alone."),
    )
    idea = forms.CharField(
        label=_("Your idea"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Describe your idea in your own words: what, for whom, how."),
    )
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data are used for this call.")
    )
    sharing = forms.BooleanField(
        label=_(
            "I agree that my application is seen by the partner who proposed the challenge "
            "and by the Academy staff."
        )
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, challenge, questions, **kwargs):
        super().__init__(*args, **kwargs)
        # Phones and browsers fill in the contact details (WCAG 1.3.5).
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.challenge = challenge
        self.questions = list(questions)
        allowed = set(challenge.eligibility or Eligibility.values)
        self.fields["applicant_type"].choices = [
            (value, label) for value, label in ApplicantType.choices if value in allowed
        ]
        if len(self.fields["applicant_type"].choices) == 1:
            self.fields["applicant_type"].initial = self.fields["applicant_type"].choices[0][0]
        self.question_fields = []
        for number, question in enumerate(self.questions, start=1):
            name = f"question_{number}"
            widget = forms.Textarea(attrs={"rows": 4}) if question.long_answer else None
            self.fields[name] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                required=question.required,
                max_length=3000,
                widget=widget,
            )
            self.question_fields.append(name)
        for number in range(1, MAX_ATTACHMENTS + 1):
            self.fields[f"attachment_{number}"] = forms.FileField(
                label=_("Attachment %(number)s (optional)") % {"number": number},
                required=False,
                max_length=200,
                widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
            )
        self.fields["attachment_1"].help_text = _(
            "PDF, images or office documents, up to %(size)s MB each."
        ) % {"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        # Keep the consents and the honeypot last.
        for name in ("privacy", "sharing", "website"):
            self.fields[name] = self.fields.pop(name)

    @property
    def question_bound_fields(self):
        return [self[name] for name in self.question_fields]

    @property
    def attachment_bound_fields(self):
        return [self[f"attachment_{number}"] for number in range(1, MAX_ATTACHMENTS + 1)]

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def _clean_attachment(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        content_type, extension = check_attachment(upload)
        return (upload, content_type, extension)

    def clean_attachment_1(self):
        return self._clean_attachment("attachment_1")

    def clean_attachment_2(self):
        return self._clean_attachment("attachment_2")

    def clean_attachment_3(self):
        return self._clean_attachment("attachment_3")

    def clean(self):
        cleaned = super().clean()
        needs_name = cleaned.get("applicant_type") in (Eligibility.TEAM, Eligibility.NEW_BUSINESS)
        if needs_name and not (cleaned.get("organisation") or "").strip():
            self.add_error("organisation", _("Give the name of your team or business."))
        return cleaned

    def answers(self):
        return [
            {
                "position": number,
                "question": question.label,
                "answer": self.cleaned_data.get(f"question_{number}", "").strip(),
            }
            for number, question in enumerate(self.questions, start=1)
        ]

    def uploads(self):
        return [
            self.cleaned_data[f"attachment_{number}"]
            for number in range(1, MAX_ATTACHMENTS + 1)
            if self.cleaned_data.get(f"attachment_{number}")
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=REVIEW_STATUSES)
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the e-mail that tells the applicant about the new status."),
    )
