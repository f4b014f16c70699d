"""The "ask for a course" form: no account, e-mail optional, the same bot
defences as the sign-up form (courses/signup_forms.py): a field people
never see and a signed time the form was shown."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.signup_forms import SignupForm, started_token
from home.choices import Comune


class CourseRequestForm(forms.Form):
    wish = forms.CharField(
        label=_("What would you like to learn?"),
        max_length=300,
        help_text=_("E.g. “tailoring for beginners”, “forklift licence”. Please do not write "
                    "names or contact details here: partners of the Academy read this text."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    topic = forms.TypedChoiceField(
        label=_("Topic (optional)"), required=False, coerce=int, empty_value=None
    )
    comune = forms.ChoiceField(
        label=_("In which comune?"), choices=[("", _("Choose…")), *Comune.choices]
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("Only if you want us to write to you when such a course is planned."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Write to me when a course like this is planned. I agree to my e-mail address being "
            "kept for this purpose for up to a year."
        ),
        required=False,
    )
    source = forms.ChoiceField(
        choices=[("search", "search"), ("catalogue", "catalogue")],
        required=False,
        widget=forms.HiddenInput,
    )
    # Bot defences, checked exactly as the sign-up form checks them.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    clean_website = SignupForm.clean_website
    clean_started = SignupForm.clean_started

    def __init__(self, *args, topics=(), **kwargs):
        # Its own ids: the page may also show the catalogue filters.
        kwargs.setdefault("auto_id", "request-%s")
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("I am not sure")), *topics]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = started_token()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("email") and not cleaned_data.get("consent"):
            self.add_error(
                "consent",
                ValidationError(
                    _("Tick the box if we may write to you, or leave the e-mail empty."),
                    code="consent",
                ),
            )
        return cleaned_data
