"""When a partner's invitation e-mail was last sent: staff chasing a person
who has not chosen a password yet need to know whether the link in it still
works (partners/onboarding.py records it, the pending list shows it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InvitationEmail(models.Model):
    """One row per invited person, written only once the mail server took
    the e-mail (the first invitation and every resend)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="invitation_email",
    )
    last_sent_at = models.DateTimeField(_("last sent on"))
    times_sent = models.PositiveIntegerField(_("times sent"), default=1)

    class Meta:
        verbose_name = _("invitation e-mail")
        verbose_name_plural = _("invitation e-mails")

    def __str__(self):
        return f"{self.user} ({self.last_sent_at:%Y-%m-%d %H:%M}, {self.times_sent}×)"
