from django.db import migrations


def forwards(apps, schema_editor):
    """Every existing partner's group may add venues, as a new partner's
    does from onboarding (`partners.onboarding.grant_model_permissions`)."""
    from django.apps import apps as global_apps

    from partners.moderation import _create_permissions
    from partners.onboarding import grant_model_permissions

    if apps is not global_apps:
        # On a new database the permissions do not exist yet (the historical
        # app registry only: this marks its app configs as having models).
        _create_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    partner_page_model = apps.get_model("partners", "PartnerPage")
    groups = group_model.objects.filter(
        pk__in=partner_page_model.objects.exclude(group=None).values("group")
    )
    for group in groups:
        grant_model_permissions(group, apps)


class Migration(migrations.Migration):
    """Partners add the venues where their courses happen, and keep their own."""

    dependencies = [
        ("partners", "0009_old_copies_leave_the_partners_group"),
        ("courses", "0005_venue_added_by_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
