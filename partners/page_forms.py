"""Editor forms of the partners' page types (no model imports: the models
name these as their `base_form_class`)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm


class DeadlinePageForm(WagtailAdminPageForm):
    """Refuses a deadline that has already passed when the editor sets it (a
    new page, or a changed date): usually a wrong year, and the call or
    opportunity would be published closed. A deadline that passed since is
    left alone, so the page can still be edited. Checked in the form, not in
    the model, so that code and demo data may still build closed calls."""

    def clean(self):
        cleaned_data = super().clean()
        name = self.instance.deadline_field_name
        deadline = cleaned_data.get(name)
        if deadline is not None and deadline < timezone.now() and self._changed(name, deadline):
            self.add_error(
                name, _("This deadline has already passed: check the date and the year.")
            )
        return cleaned_data

    def _changed(self, name, deadline):
        if self.instance.pk is None:
            return True
        before = self.get_initial_for_field(self.fields[name], name)
        # The editor shows minutes: a stored value with seconds is unchanged.
        return before is None or abs(deadline - before) >= datetime.timedelta(minutes=1)
