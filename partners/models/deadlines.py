"""A counter of deadline changes, for the SEQUENCE of calendar events.

Calendar apps keep an event by its UID and take a newer copy when SEQUENCE
grows; it must never go back. The counter is stored on the page row and
grows whenever a save changes the deadline, whatever the revision being
published carries (a restored old revision cannot lower it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineSequenceMixin(models.Model):
    deadline_sequence = models.PositiveIntegerField(
        _("deadline changes"), default=0, editable=False
    )

    # The name of the date-time field the counter follows.
    deadline_field_name = "deadline"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and (update_fields is None or self.deadline_field_name in update_fields):
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list(self.deadline_field_name, "deadline_sequence")
                .first()
            )
            if stored is not None:
                deadline, sequence = stored
                self.deadline_sequence = max(self.deadline_sequence, sequence)
                if deadline != getattr(self, self.deadline_field_name):
                    self.deadline_sequence += 1
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "deadline_sequence"}
        return super().save(*args, **kwargs)
