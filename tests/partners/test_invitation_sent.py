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
INVITATIONS = "/admin/partners/invitations/"


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


def english_staff():
    from django.contrib.auth.models import Group

    from wagtail.users.models import UserProfile

    from partners.moderation import STAFF_GROUP_NAME

    user = User.objects.create_user("staff-en", "staff-en@example.org", "x")
    user.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


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


@pytest.mark.parametrize(
    ("sent", "shown", "until"),
    [
        # Late evening and midnight in Rome are another day in UTC.
        (rome(2026, 12, 3, 23, 59), "3 dicembre 2026, 23:59", "6 dicembre 2026, 23:59"),
        (rome(2026, 12, 4, 0, 0), "4 dicembre 2026, 00:00", "7 dicembre 2026, 00:00"),
        (rome(2026, 12, 3, 10, 15), "3 dicembre 2026, 10:15", "6 dicembre 2026, 10:15"),
    ],
)
def test_the_list_says_whether_the_link_still_works_around_its_expiry(
    client, directory, staff_user, sent, shown, until
):
    invite("anna@example.org", sent)
    client.force_login(staff_user)  # whose admin reads Italian
    expiry = sent + timedelta(days=3)

    with at(expiry):
        page = client.get(INVITATIONS).content.decode()
    assert f"Ultimo invio: {shown}" in page
    assert f"link valido fino al giorno {until}" in page
    assert "Link scaduto" not in page

    with at(expiry + timedelta(seconds=1)):
        page = client.get(INVITATIONS).content.decode()
    assert f"Ultimo invio: {shown}" in page
    assert "Link scaduto" in page and "invialo di nuovo" in page
    assert "link valido fino" not in page


def test_expired_links_come_first_flagged_and_resends_are_counted(client, directory, staff_user):
    """The list is newest invitation first; a link that no longer works
    goes to the top, with a status tag, whatever its date."""
    old = invite("vecchio@example.org", rome(2026, 11, 20, 9, 0), name="Bottega Vecchia")
    recent = invite("nuova@example.org", rome(2026, 12, 1, 9, 0), name="Bottega Nuova")
    with at(rome(2026, 12, 2, 18, 30)):
        resend_invitation(recent)
        resend_invitation(recent)
    never = invite_partner(
        "mai@example.org", name="Bottega Mai", partner_type="artisan", send_email=False
    ).user
    User.objects.filter(pk=recent.pk).update(date_joined=rome(2026, 12, 1, 9, 0))
    client.force_login(staff_user)
    with at(rome(2026, 12, 3, 12, 0)):
        page = client.get(INVITATIONS).content.decode()
    assert "Invito dell&#x27;1 dicembre 2026, e-mail in italiano" in page
    assert "Ultimo invio: 2 dicembre 2026, 18:30 (3 invii)" in page
    assert "link valido fino al giorno 5 dicembre 2026, 18:30" in page
    assert "Ultimo invio: 20 novembre 2026, 09:00 ·" in page  # sent once: no count
    assert 'class="w-status w-status--primary"' in page
    assert "Nessuna e-mail inviata" in page
    positions = [page.index(user.email) for user in (never, old, recent)]
    assert positions[2] > max(positions[:2])  # the working link last


def test_the_list_in_english(client, directory):
    anna = invite("anna@example.org", rome(2026, 12, 4, 0, 0))
    # The account's default date is taken from the real clock.
    User.objects.filter(pk=anna.pk).update(date_joined=rome(2026, 12, 4, 0, 0))
    client.force_login(english_staff())
    with at(rome(2026, 12, 5, 8, 0)):
        page = client.get(INVITATIONS).content.decode()
    # Written out, not as the short "12/04/2026", which reads as 12 April.
    assert "Invited on 4 December 2026, e-mail in Italian" in page
    assert "Last sent: 4 December 2026, 00:00" in page
    assert "link valid until 7 December 2026, 00:00" in page
    with at(rome(2026, 12, 7, 0, 1)):
        page = client.get(INVITATIONS).content.decode()
    assert "Link expired" in page and "send it again" in page


def test_partners_still_may_not_see_the_list(client, directory, partner_a):
    invite("anna@example.org", rome(2026, 12, 3, 10, 15))
    _partner, partner_user = partner_a
    client.force_login(partner_user)
    # Wagtail turns the view's PermissionDenied into a redirect to the
    # dashboard, with its "no permission" message.
    response = client.get(INVITATIONS, follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert "anna@example.org" not in response.content.decode()


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


INVITE = "/admin/partners/invite/"


def invite_again(client, email):
    """Staff type a pending person's address into the invite form again."""
    data = {"email": email, "name": "Altro", "partner_type": "artisan", "language": "it"}
    response = client.post(INVITE, data)
    assert response.status_code == 400
    return response.content.decode()


def test_the_invite_form_says_when_the_last_e_mail_went_and_whether_its_link_works(
    client, directory, staff_user
):
    anna = invite("anna@example.org", rome(2026, 12, 3, 23, 59), language="en")
    User.objects.filter(pk=anna.pk).update(date_joined=rome(2026, 12, 3, 12, 0))
    client.force_login(staff_user)  # whose admin reads Italian

    with at(rome(2026, 12, 5, 8, 0)):
        page = invite_again(client, "anna@example.org")
    assert "è stata invitata il giorno 3 dicembre 2026 (e-mail in inglese)" in page
    assert (
        "L'e-mail di invito è partita il giorno 3 dicembre 2026, 23:59; "
        "il suo link è valido fino al giorno 6 dicembre 2026, 23:59." in page
    )
    # Where else to send it again: the list of pending invitations.
    assert f'dagli <a href="{INVITATIONS}">inviti in attesa della password</a>' in page

    with at(rome(2026, 12, 8, 9, 30)):
        resend_invitation(anna)
        resend_invitation(anna)
    with at(rome(2026, 12, 12, 10, 0)):
        page = invite_again(client, "anna@example.org")
    assert (
        "L'ultima delle 3 e-mail di invito è partita il giorno 8 dicembre 2026, 09:30; "
        "il suo link è scaduto il giorno 11 dicembre 2026, 09:30." in page
    )
    assert "3 dicembre 2026, 23:59" not in page


def test_the_invite_form_says_plainly_when_no_e_mail_was_ever_sent(client, directory):
    never = invite_partner(
        "mai@example.org", name="Bottega Mai", partner_type="artisan", send_email=False
    ).user
    User.objects.filter(pk=never.pk).update(date_joined=rome(2026, 12, 1, 9, 0))
    client.force_login(english_staff())
    page = invite_again(client, "mai@example.org")
    assert "mai@example.org was invited on 1 December 2026 (e-mail in Italian)" in page
    assert (
        "No invitation e-mail was ever sent to them: they have no link to choose a password."
        in page
    )
    assert "went on" not in page
    assert f'from the <a href="{INVITATIONS}">invitations waiting for a password</a>' in page


def test_the_invite_form_in_english_after_one_e_mail(client, directory):
    invite("anna@example.org", rome(2026, 12, 4, 0, 0))
    client.force_login(english_staff())
    with at(rome(2026, 12, 5, 8, 0)):
        page = invite_again(client, "anna@example.org")
    assert (
        "The invitation e-mail went on 4 December 2026, 00:00; "
        "its link works until 7 December 2026, 00:00." in page
    )
