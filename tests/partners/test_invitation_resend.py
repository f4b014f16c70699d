"""Sending a partner's invitation again: staff resend it to a person who has
not chosen a password yet (the e-mail went to spam, the mail server was
down, the link expired), from the list of pending invitations or from the
invite form when they type that person's address again."""

import io
import re
import smtplib

import pytest

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from partners.onboarding import invite_partner

from .factories import choose_password

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/admin/password_reset/confirm/([^/]+)/([^/]+)/)")
INVITATIONS = "/admin/partners/invitations/"


def resend_url(user):
    return f"/admin/partners/invitations/{user.pk}/resend/"


def link_in(message):
    path, uidb64, token = LINK.search(message.body).groups()
    return path, int(force_str(urlsafe_base64_decode(uidb64))), token


def link_works(user, token):
    user = User.objects.get(pk=user.pk)
    return default_token_generator.check_token(user, token)


@pytest.fixture
def invitee(directory):
    """Invited in English, link never used."""
    invitation = invite_partner(
        "joe@example.org", name="Joe's Workshop", partner_type="artisan", language="en"
    )
    return invitation.user


def test_resend_sends_a_fresh_working_link_in_the_invitation_language(client, invitee, staff_user):
    [first] = mail.outbox
    _path, _uid, old_token = link_in(first)
    client.force_login(staff_user)  # whose admin reads Italian

    response = client.post(resend_url(invitee), follow=True)
    assert response.redirect_chain == [(INVITATIONS, 302)]
    assert "Invito inviato di nuovo a joe@example.org per Joe&#x27;s Workshop" in (
        response.content.decode()
    )
    [_first, again] = mail.outbox
    assert again.to == ["joe@example.org"]
    assert again.subject == "Your invitation to the Territorial Academy: Joe's Workshop"
    assert "Choose your password" in again.body
    path, uid, token = link_in(again)
    assert uid == invitee.pk and token != old_token
    # Only the latest link works: the first one no longer sets a password.
    assert not link_works(invitee, old_token)
    client.logout()
    assert choose_password(client, path, "Ago-e-filo-2026").status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password("Ago-e-filo-2026")


def test_resend_in_italian_for_a_person_invited_in_italian(client, directory, staff_user):
    user = invite_partner("anna@example.org", name="Forno Anna", partner_type="artisan").user
    client.force_login(staff_user)
    client.post(resend_url(user))
    [_first, again] = mail.outbox
    assert "invito" in again.subject and "Forno Anna" in again.subject
    assert "Scegli la tua password" in again.alternatives[0][0]


def test_the_list_shows_pending_invitations_with_a_resend_button(
    client, invitee, staff_user, partner_a
):
    partner, partner_user = partner_a
    partner_user.set_password("chosen-already")
    partner_user.save()
    client.force_login(staff_user)
    page = client.get(INVITATIONS).content.decode()
    assert "joe@example.org" in page and "Joe&#x27;s Workshop" in page
    assert f'action="{resend_url(invitee)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert partner_user.email not in page  # chose a password
    assert staff_user.email not in page  # no partner's invitee
    # Reached from the invite page, which counts them.
    invite_page = client.get("/admin/partners/invite/").content.decode()
    assert f'href="{INVITATIONS}"' in invite_page
    assert "1 invito è in attesa della password" in invite_page


def test_only_staff_may_see_or_resend_invitations(client, invitee, staff_user, partner_a):
    _partner, partner_user = partner_a
    password = User.objects.get(pk=invitee.pk).password
    client.force_login(partner_user)
    response = client.get(INVITATIONS)
    assert response.status_code in (302, 403)
    assert "joe@example.org" not in response.content.decode()
    response = client.post(resend_url(invitee))
    assert response.status_code in (302, 403)
    client.logout()
    assert client.post(resend_url(invitee)).status_code == 302  # to the login
    assert len(mail.outbox) == 1  # the first invitation only
    assert User.objects.get(pk=invitee.pk).password == password

    client.force_login(staff_user)
    assert client.get(resend_url(invitee)).status_code == 405  # a link cannot send
    assert len(mail.outbox) == 1


def test_a_person_who_chose_a_password_is_not_invited_again(client, invitee, staff_user):
    invitee.set_password("chosen-already")
    invitee.save()
    client.force_login(staff_user)
    response = client.post(resend_url(invitee), follow=True)
    assert response.status_code == 200
    assert "joe@example.org ha già scelto la password" in response.content.decode()
    assert len(mail.outbox) == 1
    invitee.refresh_from_db()
    assert invitee.check_password("chosen-already")
    # Nor a staff member, who is nobody's invitee.
    response = client.post(resend_url(staff_user), follow=True)
    assert "ha già scelto la password" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_mail_failure_says_so_and_keeps_the_invitation(client, invitee, staff_user, monkeypatch):
    [first] = mail.outbox
    _path, _uid, old_token = link_in(first)

    def refuse(message):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    client.force_login(staff_user)
    response = client.post(resend_url(invitee), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Non è stato possibile inviare l&#x27;e-mail a joe@example.org" in page
    # Nothing changed: the link already sent still works, and the
    # invitation is still listed to try again.
    assert link_works(invitee, old_token)
    assert f'action="{resend_url(invitee)}"' in page


def test_the_invite_form_offers_to_resend_for_a_pending_address(client, invitee, staff_user):
    client.force_login(staff_user)
    data = {"email": "JOE@example.org", "name": "Altro", "partner_type": "artisan"}
    response = client.post("/admin/partners/invite/", {**data, "language": "it"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "ha già ricevuto un invito ma non ha ancora scelto la password" in page
    assert "già usato da un altro account" not in page
    assert "e-mail in inglese" in page
    assert f'action="{resend_url(invitee)}"' in page
    assert len(mail.outbox) == 1 and not User.objects.filter(username="Altro").exists()

    # An address whose owner chose a password: the plain refusal, no button.
    invitee.set_password("chosen-already")
    invitee.save()
    response = client.post("/admin/partners/invite/", {**data, "language": "it"})
    page = response.content.decode()
    assert "già usato da un altro account" in page
    assert resend_url(invitee) not in page


def test_the_command_resends_too(invitee):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("invite_partner", "joe@example.org", "--resend", stdout=out)
    assert "Invitation sent again to joe@example.org" in out.getvalue()
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].subject.startswith("Your invitation")
    with pytest.raises(CommandError, match="--resend"):
        call_command("invite_partner", "joe@example.org", "--name", "X", "--type", "artisan")
    invitee.set_password("chosen-already")
    invitee.save()
    with pytest.raises(CommandError, match="ha già scelto la password"):
        call_command("invite_partner", "joe@example.org", "--resend")


def test_the_list_reads_each_persons_partners_and_language_in_one_go(client, invitee, staff_user):
    """The list's queries do not grow with the people waiting."""
    client.force_login(staff_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INVITATIONS).status_code == 200
        return len(captured)

    queries()  # the admin's own first-request reads
    one = queries()
    for number in range(3):
        invite_partner(
            f"persona{number}@example.org",
            name=f"Bottega {number}",
            partner_type="artisan",
            language="it" if number % 2 else "en",
        )
    assert queries() == one
    page = client.get(INVITATIONS).content.decode()
    assert "Bottega 2" in page and "e-mail in italiano" in page and "e-mail in inglese" in page
