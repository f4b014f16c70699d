"""Sign-up forms: the citizen's (with bot defences) and the desk's."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from academy_site.date_articles import date_with_article
from home.cache import per_visitor, per_visitor_value
from home.email_address import EmailAddressField

from .models.bookings import QuestionKind, residence_choices

STARTED_SALT = "courses.signup.started"


def min_form_seconds():
    return getattr(settings, "SIGNUP_MIN_FORM_SECONDS", 3)


def started_token(at=None):
    return signing.dumps(int(at if at is not None else time.time()), salt=STARTED_SALT)


@per_visitor("signup-started")
def _started_for_visitor(request):
    return started_token()


class BaseSignupForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = EmailAddressField(
        label=_("E-mail"),
        help_text=_("We send the confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    comune = forms.ChoiceField(label=_("Where do you live?"), choices=())
    future_courses = forms.BooleanField(
        label=_("Yes, write to me about future courses (optional)"), required=False
    )

    def __init__(self, *args, questions=(), language="it", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["comune"].choices = [("", _("Choose…")), *residence_choices()]
        self.questions = list(questions)
        for question in self.questions:
            name = f"q_{question.pk}"
            label = question.label_for(language)
            if question.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, max_length=300, required=question.required
                )

    def answers(self):
        answers = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if value:
                answers.append({"question": question.label, "answer": value})
        return answers

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]


class SignupForm(BaseSignupForm):
    privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being used for this sign-up"),
        error_messages={"required": _("Please accept the privacy notice to sign up.")},
    )
    # Bot defences: a field people never see, and the time the form was shown.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            # A placeholder in a page rendered for the whole-page cache,
            # filled with the time each visitor gets the page.
            self.initial["started"] = per_visitor_value("signup-started")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Please leave the last field empty."), code="honeypot")
        return ""

    def clean_started(self):
        try:
            started = signing.loads(self.cleaned_data["started"], salt=STARTED_SALT)
        except signing.BadSignature:
            raise ValidationError(
                _("The form was damaged. Please fill it in again."), code="tampered"
            ) from None
        elapsed = time.time() - started
        if elapsed < min_form_seconds():
            raise ValidationError(
                _("That was very fast. Please check your details and send the form again."),
                code="too_fast",
            )
        if elapsed > 24 * 3600:
            raise ValidationError(
                _("The form was open for too long. Please send it again."), code="stale"
            )
        return started

    def refreshed_started(self):
        return started_token()


class AssistedSignupForm(BaseSignupForm):
    """For a partner desk signing someone up by phone or in person: the
    e-mail is optional (a phone number is then enough), and the operator
    states that the person consented to the privacy notice."""

    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="it"
    )
    consent_given = forms.BooleanField(
        label=_("The person was told about the privacy notice and gave consent"),
        error_messages={"required": _("Sign-ups need the person's consent.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].help_text = _("Optional: without it, write a phone number.")
        # The public form speaks to the citizen ("Where do you live?"); here
        # the desk writes about someone else.
        self.fields["comune"].label = _("Where the person lives")
        self.fields["future_courses"].label = _("Wants news of future courses")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError(
                _("Write an e-mail address or a phone number, so the person can be reached."),
                code="no_contact",
            )
        return cleaned


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=10000)


def check_booked_sessions(page_form):
    """Called by the course editor form: a session with sign-ups cannot be
    removed (cancel it instead) and its seats cannot go below those given.

    Returns the removal errors, for the top of the form (the removed row is
    hidden), and (session form, error) pairs for seats below those given,
    to be shown beside the seats of that session, where they were typed."""
    from .models import Signup
    from .models.bookings import SEAT_STATUSES

    sessions = page_form.formsets.get("sessions")
    if sessions is None:
        return [], []
    ids = [form.instance.pk for form in sessions.forms if form.instance.pk]
    if not ids:
        return [], []
    booked = {}
    for session_id, status in Signup.objects.filter(session_id__in=ids).values_list(
        "session_id", "status"
    ):
        entry = booked.setdefault(session_id, {"any": 0, "seats": 0})
        entry["any"] += 1
        entry["seats"] += status in SEAT_STATUSES
    errors, below_seats = [], []
    for form in sessions.forms:
        entry = booked.get(form.instance.pk)
        if not entry:
            continue
        if sessions.can_delete and form[DELETION_FIELD_NAME].value():
            errors.append(
                ValidationError(
                    _(
                        "The session of %(date)s has sign-ups and cannot be removed: "
                        "cancel it instead (set its status to 'Cancelled'), so people are told."
                    ),
                    params={"date": date_with_article(_day(form.instance.start), "del")},
                    code="session_has_signups",
                )
            )
            continue
        try:
            capacity = int(form["capacity"].value())
        except (TypeError, ValueError):
            continue
        if capacity < entry["seats"]:
            below_seats.append(
                (
                    form,
                    ValidationError(
                        _(
                            "The session of %(date)s already has %(seats)s seats given: "
                            "it cannot have fewer seats."
                        ),
                        params={
                            "date": date_with_article(_day(form.instance.start), "del"),
                            "seats": entry["seats"],
                        },
                        code="capacity_below_seats",
                    ),
                )
            )
    return errors, below_seats


def _day(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%d/%m/%Y")
