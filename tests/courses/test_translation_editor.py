"""wagtail-localize's translation editor shows each synchronised field that
a translator may override with its stored value: for a ChoiceListField that
read "women_returningforeignersover_50". Those fields (who a course is for,
its languages, a partner's comuni...) are facts shared by every language:
not overridable, so the editor does not show them, and every translation
takes the source's values."""

import pytest

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, get_translatable_fields

from home.demo import translate
from home.fields import ChoiceListField


def test_every_choice_list_is_a_fact_shared_by_every_language():
    offered_to_translators = []
    for model in apps.get_models():
        if not issubclass(model, TranslatableMixin):
            continue
        for field in get_translatable_fields(model):
            try:
                model_field = model._meta.get_field(field.field_name)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, ChoiceListField) and (
                not isinstance(field, SynchronizedField) or field.overridable
            ):
                offered_to_translators.append(f"{model.__name__}.{field.field_name}")
    assert offered_to_translators == []


@pytest.mark.django_db
def test_the_translation_editor_shows_no_stored_choice_values(client, world, english, staff_user):
    course = world.sartoria
    course.audiences = ["women_returning", "over_50"]
    course.languages = ["it", "en"]
    course.save_revision().publish()
    translate(world.coop.get_parent(), {"rete": "network"}, english)
    translate(world.coop, {}, english)
    tailoring = translate(course, {"sartoria": "tailoring"}, english)
    assert tailoring.audiences == ["women_returning", "over_50"]

    client.force_login(staff_user)
    response = client.get(f"/admin/pages/{tailoring.pk}/edit/")
    assert response.status_code == 200
    assert b"wagtail-localize" in response.content  # the translation editor
    assert b"women_returning" not in response.content
    assert b"over_50" not in response.content

    # The English page follows the Italian one when it is synced again.
    course.audiences = ["foreigners"]
    course.save_revision().publish()
    tailoring = translate(course, {"sartoria": "tailoring"}, english)
    assert tailoring.audiences == ["foreigners"]
    assert tailoring.languages == ["it", "en"]
