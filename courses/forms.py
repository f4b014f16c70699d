"""Forms of the courses app: the editor's course form and the catalogue filters."""

from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale


class CoursePageForm(WagtailAdminPageForm):
    """Refuses sessions on a translation: they belong to the Italian page,
    so that seats are never split between languages."""

    def clean(self):
        cleaned_data = super().clean()
        # --- Sign-ups: no removing booked sessions, no capacity below seats given.
        from .signup_forms import check_booked_sessions

        check_booked_sessions(self)
        # --- end sign-ups
        locale = getattr(self.instance, "locale", None) or (
            self.parent_page.locale if self.parent_page else None
        )
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
