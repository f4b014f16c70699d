"""When the last invitation e-mail went, and whether its link still works:
staff chasing a person who has not chosen a password yet need both, and the
list of pending invitations used to say only when the account was made."""

import importlib
import io
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from partners.models import InvitationEmail
from partners.onboarding import InvitationError, invite_partner, link_expires_at, resend_invitation

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def rome(*args):
    return datetime(*args, tzinfo=ROME)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def invite(email, moment, **fields):
    with at(moment):
        return invite_partner(
            email, name=fields.pop("name", email.split("@")[0]), partner_type="artisan", **fields
        ).user


def refuse(message):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_the_first_invitation_and_each_resend_are_recorded(directory):
    sent = rome(2026, 12, 3, 10, 15)
    user = invite("anna@example.org", sent)
    assert InvitationEmail.objects.get(user=user).last_sent_at == sent
    assert InvitationEmail.objects.get(user=user).times_sent == 1

    again = rome(2026, 12, 5, 9, 0)
    with at(again):
        invitation = resend_invitation(user)
    assert invitation.sent_at == again
    assert invitation.link_expires_at == rome(2026, 12, 8, 9, 0)
    record = InvitationEmail.objects.get(user=user)
    assert (record.last_sent_at, record.times_sent) == (again, 2)
    assert len(mail.outbox) == 2


def test_no_e_mail_no_record(directory, monkeypatch):
    """The mail server refused: nothing is recorded, and a resend that
    fails leaves the last successful e-mail's time as it was."""
    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(InvitationError), at(rome(2026, 12, 3, 10, 15)):
        invite_partner("anna@example.org", name="Forno Anna", partner_type="artisan")
    assert not InvitationEmail.objects.exists()

    monkeypatch.undo()
    user = invite("bruno@example.org", rome(2026, 12, 3, 10, 15))
    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(InvitationError), at(rome(2026, 12, 5, 9, 0)):
        resend_invitation(user)
    record = InvitationEmail.objects.get(user=user)
    assert (record.last_sent_at, record.times_sent) == (rome(2026, 12, 3, 10, 15), 1)
    # Nor when none was meant to be sent (the demo data's partners).
    assert (
        invite_partner(
            "carla@example.org", name="Carla", partner_type="artisan", send_email=False
        ).sent_at
        is None
    )
    assert InvitationEmail.objects.count() == 1


def test_the_command_says_when_it_sent_and_until_when_the_link_works(directory):
    out = io.StringIO()
    with at(rome(2026, 12, 3, 23, 59)):
        call_command(
            "invite_partner", "anna@example.org", "--name", "Forno", "--type", "artisan", stdout=out
        )
    assert "E-mail sent on 2026-12-03 23:59 (Europe/Rome)" in out.getvalue()
    out = io.StringIO()
    with at(rome(2026, 12, 5, 0, 0)):
        call_command("invite_partner", "anna@example.org", "--resend", stdout=out)
    assert "Invitation sent again to anna@example.org for “Forno”." in out.getvalue()
    assert (
        "E-mail sent on 2026-12-05 00:00 (Europe/Rome); its link works until 2026-12-08 00:00."
        in out.getvalue()
    )


@pytest.mark.parametrize(
    ("sent", "expires"),
    [
        (datetime(2026, 12, 3, 10, 15), datetime(2026, 12, 6, 10, 15)),
        # Summer time ends on 25 October: Django's token counts on the
        # local clock, so the link works until 10:00 again, 73 hours later.
        (datetime(2026, 10, 24, 10, 0), datetime(2026, 10, 27, 10, 0)),
        (datetime(2026, 3, 28, 10, 0), datetime(2026, 3, 31, 10, 0)),
    ],
)
def test_valid_until_is_when_django_refuses_the_link(sent, expires):
    """No database: the expiry shown is the one Django's token checks."""
    user = User(pk=7, username="anna", email="anna@example.org", password="!unusable")
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=sent):
        token = default_token_generator.make_token(user)
    # As read from the database: in UTC.
    shown = link_expires_at(sent.replace(tzinfo=ROME).astimezone(UTC))
    assert shown.astimezone(ROME).replace(tzinfo=None) == expires
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=expires):
        assert default_token_generator.check_token(user, token)
    later = expires + timedelta(seconds=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        assert not default_token_generator.check_token(user, token)


def test_people_pending_before_the_records_get_their_invitation_date(
    directory, partner_a, staff_user
):
    """Migration partners/0012: everyone still waiting gets a row dated
    when the account was made; those who chose a password, staff and
    those already recorded are left as they are."""
    _partner, pending = partner_a  # invited without an e-mail: no row
    recorded = invite("anna@example.org", rome(2026, 12, 3, 10, 15))
    chose = invite("bruno@example.org", rome(2026, 12, 1, 9, 0))
    chose.set_password("chosen-already")
    chose.save()
    InvitationEmail.objects.filter(user=chose).delete()
    User.objects.filter(pk=pending.pk).update(date_joined=rome(2026, 11, 2, 8, 30))

    migration = importlib.import_module("partners.migrations.0012_invitations_sent_before")
    migration.record_earlier_invitations(apps, None)

    rows = {row.user_id: row for row in InvitationEmail.objects.all()}
    assert set(rows) == {pending.pk, recorded.pk}
    assert (rows[pending.pk].last_sent_at, rows[pending.pk].times_sent) == (
        rome(2026, 11, 2, 8, 30),
        1,
    )
    assert rows[recorded.pk].last_sent_at == rome(2026, 12, 3, 10, 15)
