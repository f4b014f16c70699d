from django.db import migrations


def forwards(apps, schema_editor):
    from partners.moderation import ensure_staff_and_workflow

    ensure_staff_and_workflow(apps)


class Migration(migrations.Migration):
    """The Academy staff also translate pages and keep the venues and topics."""

    dependencies = [
        ("partners", "0006_one_audience_list"),
        ("courses", "0003_audience_choices_from_partners"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
