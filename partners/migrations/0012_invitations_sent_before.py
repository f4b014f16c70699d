"""The people already waiting for a password when invitation e-mails began
to be recorded: their last e-mail is taken to be the first invitation, sent
when the account was made (`date_joined`). A resend before this migration
left no trace, so such a link may show as expired while it still works:
sending it again is then harmless, the newest link is the one that counts."""

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations


def record_earlier_invitations(apps, schema_editor):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    invitation_email = apps.get_model("partners", "InvitationEmail")
    # partners.onboarding.pending_invitees, on the historical models.
    pending = (
        user_model.objects.filter(
            is_active=True,
            is_superuser=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            groups__partner_pages__isnull=False,
            invitation_email__isnull=True,
        )
        .distinct()
        .values_list("pk", "date_joined")
    )
    invitation_email.objects.bulk_create(
        invitation_email(user_id=pk, last_sent_at=date_joined, times_sent=1)
        for pk, date_joined in pending
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0011_invitation_email"),
    ]

    operations = [migrations.RunPython(record_earlier_invitations, migrations.RunPython.noop)]
