"""Profiles copied before `on_new_partner_page` existed kept the copied
partner's editors' group and collection: that partner's editors saw the
sign-ups and applications under the copy, and a person invited to the copy
joined their section. Of the profiles of one language that share a group,
the partner's own (the one the group was given permissions on, else the
oldest) keeps it; the copies lose it, as a copy made today does."""

from django.db import migrations


def copies_leave_the_group(apps, schema_editor):
    partner_page = apps.get_model("partners", "PartnerPage")
    group_page_permission = apps.get_model("wagtailcore", "GroupPagePermission")
    shared = {}
    for page in partner_page.objects.filter(group__isnull=False).order_by("pk"):
        shared.setdefault((page.group_id, page.locale_id), []).append(page.pk)
    copies = []
    for (group_id, _locale_id), pks in shared.items():
        if len(pks) < 2:
            continue
        granted = set(
            group_page_permission.objects.filter(group_id=group_id, page_id__in=pks).values_list(
                "page_id", flat=True
            )
        )
        own = min(granted) if granted else pks[0]
        copies.extend(pk for pk in pks if pk != own)
    partner_page.objects.filter(pk__in=copies).update(group=None, collection=None)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_applicant_type_in_the_singular"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(copies_leave_the_group, migrations.RunPython.noop)]
