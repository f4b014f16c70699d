"""A model field for a few values picked from fixed choices (e.g. the comuni
where a partner operates), stored so that one indexed LIKE query filters on
any of them, on SQLite and PostgreSQL alike."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

SEPARATOR = "|"


class ChoiceListField(models.CharField):
    """Stores ["pioltello", "segrate"] as "|pioltello|segrate|".

    Filter with `.filter(**ChoiceListField.contains("comuni", "segrate"))`.

    In a page's `translatable_fields` it is a fact shared by every language:
    `SynchronizedField(name, overridable=False)`. wagtail-localize's
    translation editor shows an overridable field's stored value, which here
    reads "|women_returning|over_50|"; not overridable, it is not shown and
    each translation always takes the source's values.
    """

    description = _("Several values from a fixed list")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        self.item_choices = kwargs.pop("item_choices", None) or kwargs.pop("choices", None)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    @staticmethod
    def contains(field_name, value):
        return {f"{field_name}__contains": f"{SEPARATOR}{value}{SEPARATOR}"}

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return list(value)
        return [item for item in value.split(SEPARATOR) if item]

    def get_prep_value(self, value):
        values = self.to_python(value)
        if not values:
            return ""
        return SEPARATOR + SEPARATOR.join(values) + SEPARATOR

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {str(key) for key, _label in self.item_choices}
        unknown = [item for item in value if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown value: %(values)s"), params={"values": ", ".join(unknown)}
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            # Like Django's own fields: "Dove operate", not "dove operate".
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            **{k: v for k, v in kwargs.items() if k in ("label", "help_text", "required")},
        )

    def labels(self, values):
        names = dict(self.item_choices)
        return [names.get(value, value) for value in values]
