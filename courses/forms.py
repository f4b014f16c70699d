"""Forms of the courses app: the editor's course form and the catalogue filters."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from home.choices import Comune, ProjectArea
from home.search_query import SearchTextField
from partners.choices import Audience, PartnerType

from .choices import Format, TaughtLanguage, When


class CoursePageForm(WagtailAdminPageForm):
    """Refuses sessions on a translation: they belong to the Italian page,
    so that seats are never split between languages.

    Topics, labour needs and partners exist once per language: the lists to
    tick offer those in the page's language only (an Italian partner saw
    "Tailoring and textiles" beside "Sartoria e tessile", and every partner
    twice), plus any already chosen, so that nothing chosen is lost. A
    course's own partner is not offered as its co-organiser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats_errors = []  # found by `clean`, shown by `is_valid`
        locale = self._page_locale()
        if locale is None:
            return
        owner = self.parent_page
        if owner is None and self.instance.pk:
            owner = self.instance.get_parent()
        for name in ("topics", "labour_needs", "co_organisers"):
            field = self.fields.get(name)
            if field is None:
                continue
            chosen = self.instance.pk and getattr(self.instance, name).all()
            queryset = field.queryset.filter(locale=locale)
            if name == "co_organisers":
                if owner is not None:
                    queryset = queryset.exclude(pk=owner.pk)
                queryset = queryset.order_by("title")
            if chosen:
                queryset = queryset | field.queryset.filter(pk__in=[obj.pk for obj in chosen])
            field.queryset = queryset

    def _page_locale(self):
        if self.instance.pk or getattr(self.instance, "locale_id", None):
            return self.instance.locale
        return self.parent_page.locale if self.parent_page else None

    def is_valid(self):
        """Seats lowered below those given are refused beside the seats of
        that session: the session forms are cleaned after this form, so the
        errors found in `clean` are added once they are."""
        valid = super().is_valid()
        seats_errors, self.seats_errors = self.seats_errors, []
        for session_form, error in seats_errors:
            session_form.add_error("capacity", error)
        return valid and not seats_errors

    def clean(self):
        cleaned_data = super().clean()
        # --- Sign-ups: no removing booked sessions, no capacity below seats given.
        from .signup_forms import check_booked_sessions

        removal_errors, self.seats_errors = check_booked_sessions(self)
        if removal_errors:
            raise ValidationError(removal_errors)
        # --- end sign-ups
        locale = self._page_locale()
        if locale is None or locale.pk == Locale.get_default().pk:
            return cleaned_data
        sessions = self.formsets.get("sessions")
        if sessions is None:
            return cleaned_data
        # The formsets are not cleaned yet: read what the editor sent.
        kept = [
            form
            for form in sessions.forms
            if (form.has_changed() or form.instance.pk)
            and not (sessions.can_delete and form[DELETION_FIELD_NAME].value())
        ]
        if kept:
            raise ValidationError(
                _(
                    "Sessions are added on the Italian page of the course; this translation "
                    "shows them automatically. Remove the sessions from this form."
                ),
                code="sessions_on_translation",
            )
        return cleaned_data


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters: a plain GET form whose URL can be shared.

    Values are language-independent (topic slugs, partner ids, choice keys),
    so a link keeps working when the visitor switches language."""

    q = SearchTextField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    area = forms.ChoiceField(
        label=_("Project area"),
        required=False,
        choices=[("", _("Any area")), *ProjectArea.choices],
    )
    partner_type = forms.ChoiceField(
        label=_("Type of partner"),
        required=False,
        choices=[("", _("Any type")), *PartnerType.choices],
    )
    partner = forms.TypedChoiceField(
        label=_("Partner"), required=False, coerce=int, empty_value=None
    )
    comune = forms.ChoiceField(
        label=_("Comune"), required=False, choices=[("", _("Any comune")), *Comune.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format")), *Format.choices]
    )
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Any audience")), *Audience.choices]
    )
    language = forms.ChoiceField(
        label=_("Taught in"),
        required=False,
        choices=[("", _("Any language")), *TaughtLanguage.choices],
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Any date")), *When.choices],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    free = forms.BooleanField(label=_("Free courses only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("next", _("Next date")), ("newest", _("Newest"))],
    )
    archive = forms.BooleanField(label=_("Past courses"), required=False)

    # Fields that narrow the results, in the order the "relax" hints list them.
    FILTERS = (
        "q",
        "topic",
        "area",
        "partner_type",
        "partner",
        "comune",
        "format",
        "audience",
        "language",
        "when",
        "date_from",
        "date_to",
        "free",
    )

    def __init__(self, *args, topics=(), partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *topics]
        self.fields["partner"].choices = [("", _("Any partner")), *partners]

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return cleaned_data

    def valid_data(self):
        """The values that passed validation: invalid ones are reported and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if name not in self.errors}

    def active_filters(self, data):
        """(field name, human label) for each filter that narrows the results."""
        active = []
        for name in self.FILTERS:
            value = data.get(name)
            if value in (None, "", False):
                continue
            field = self.fields[name]
            if isinstance(field, forms.BooleanField):
                shown = field.label
            elif isinstance(value, datetime.date):
                # "Dal: 1 dicembre 2026", as people write it, not 2026-12-01.
                shown = f"{field.label}: {date_format(value, 'j F Y')}"
            else:
                choices = dict(getattr(field, "choices", []))
                shown_value = choices.get(value, choices.get(str(value), value))
                shown = f"{field.label}: {shown_value}"
            active.append((name, shown))
        return active
