"""Inviting partners: the function, the command and the admin view."""

import io
import re
import smtplib

import pytest

from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from partners.models import PartnerPage

from .factories import choose_password

pytestmark = pytest.mark.django_db


def counts():
    return (
        PartnerPage.objects.count(),
        User.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        len(mail.outbox),
    )


def invite(*args):
    out = io.StringIO()
    call_command("invite_partner", *args, stdout=out)
    return out.getvalue()


def test_command_creates_partner_group_collection_user_and_sends_invitation(client, directory):
    output = invite(
        "Maria@Fili.example",
        "--name",
        "Sartoria Fili",
        "--type",
        "artisan",
        "--comune",
        "rodano",
        "--sector",
        "tailoring",
        "--first-name",
        "Maria",
    )
    assert "Sartoria Fili" in output
    partner = PartnerPage.objects.get(slug="sartoria-fili")
    assert partner.get_parent().specific == directory
    assert not partner.live
    assert partner.comuni == ["rodano"]
    user = User.objects.get(email="maria@fili.example")
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [partner.group]
    assert user.has_perm("wagtailadmin.access_admin")
    assert {p.permission.codename for p in partner.group.page_permissions.all()} == {
        "add_page",
        "change_page",
    }
    assert {p.page_id for p in partner.group.page_permissions.all()} == {partner.pk}
    collection_perms = GroupCollectionPermission.objects.filter(group=partner.group)
    assert {p.collection_id for p in collection_perms} == {partner.collection_id}
    assert {p.permission.codename for p in collection_perms} == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    # The invitation, in Italian by default, with a working set-password link.
    [message] = mail.outbox
    assert message.to == ["maria@fili.example"]
    assert "Sartoria Fili" in message.subject and "invito" in message.subject
    html = message.alternatives[0][0]
    assert "Scegli la tua password" in html
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+/)", message.body)
    assert choose_password(client, link.group(1), "Ago-e-filo-2026").status_code == 302
    user.refresh_from_db()
    assert user.check_password("Ago-e-filo-2026")


def test_invitation_in_english(directory):
    invite("joe@example.org", "--name", "Joe's", "--type", "company", "--language", "en")
    [message] = mail.outbox
    assert message.subject == "Your invitation to the Territorial Academy: Joe's"
    assert "Choose your password" in message.body


def test_second_invitation_adds_a_user_to_the_same_group(directory):
    invite("uno@example.org", "--name", "Forno", "--type", "artisan")
    partner = PartnerPage.objects.get(slug="forno")
    before = (PartnerPage.objects.count(), Group.objects.count(), Collection.objects.count())
    invite("due@example.org", "--partner", "forno")
    assert (
        PartnerPage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
    ) == before
    assert set(partner.group.user_set.values_list("email", flat=True)) == {
        "uno@example.org",
        "due@example.org",
    }
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "non è un indirizzo e-mail valido"),
        ("taken@example.org", "è già usato da un altro account"),
    ],
)
def test_bad_email_creates_nothing(directory, email, message):
    User.objects.create_user("someone", "taken@example.org")
    before = counts()
    with pytest.raises(CommandError, match=message):
        invite(email, "--name", "Officina", "--type", "artisan")
    assert counts() == before


def test_duplicate_invitation_creates_nothing(directory):
    invite("uno@example.org", "--name", "Forno", "--type", "artisan")
    before = counts()
    with pytest.raises(CommandError, match="ha già ricevuto un invito"):
        invite("UNO@example.org", "--partner", "forno")
    with pytest.raises(CommandError, match="Esiste già un partner"):
        invite("altro@example.org", "--name", "Forno", "--type", "artisan")
    assert counts() == before


def test_missing_directory_creates_nothing(home):
    before = counts()
    with pytest.raises(CommandError, match="elenco dei partner"):
        invite("uno@example.org", "--name", "Forno", "--type", "artisan")
    assert counts() == before


# --- The admin view --------------------------------------------------------


def test_invite_view_is_for_staff_only(client, directory, staff_user):
    partner_user = User.objects.create_user("p", "p@example.org")
    partner_user.groups.add(Group.objects.create(name="Partner: X"))
    partner_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(partner_user)
    assert client.get("/admin/partners/invite/").status_code in (302, 403)
    assert "/admin/partners/invite/" not in client.get("/admin/").content.decode()

    client.force_login(staff_user)
    assert "/admin/partners/invite/" in client.get("/admin/").content.decode()
    assert client.get("/admin/partners/invite/").status_code == 200


def test_invite_view_invites_and_reports_errors(client, directory, staff_user):
    client.force_login(staff_user)
    data = {
        "email": "anna@example.org",
        "name": "Bottega Anna",
        "partner_type": "artisan",
        "language": "it",
        "comuni": ["segrate"],
    }
    response = client.post("/admin/partners/invite/", data)
    partner = PartnerPage.objects.get(slug="bottega-anna")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{partner.pk}/edit/"
    assert len(mail.outbox) == 1

    before = counts()
    for bad_email, error in [
        ("anna@", "non è un indirizzo e-mail valido"),
        # Invited, no password chosen yet: staff are offered to resend it.
        ("anna@example.org", "ha già ricevuto un invito"),
    ]:
        response = client.post(
            "/admin/partners/invite/", {**data, "email": bad_email, "name": "Altra"}
        )
        assert response.status_code == 400
        assert error in response.content.decode()
    assert counts() == before

    response = client.post(
        "/admin/partners/invite/",
        {"email": "bruno@example.org", "partner": partner.pk, "language": "en"},
    )
    assert response.status_code == 302
    assert partner.group.user_set.filter(email="bruno@example.org").exists()
    assert mail.outbox[-1].subject.startswith("Your invitation")


def test_invite_view_reports_a_wrong_address_with_the_other_errors(client, directory, staff_user):
    """The address was checked only once the rest of the form was valid:
    staff mended the name and type, sent again, and only then learnt that
    the address was wrong. Now every error shows at once, and nothing is
    created."""
    client.force_login(staff_user)
    before = counts()
    response = client.post("/admin/partners/invite/", {"email": "anna@", "language": "it"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“anna@” non è un indirizzo e-mail valido" in page
    assert "Indica il nome del nuovo partner" in page
    assert "Scegli il tipo del nuovo partner" in page

    long_local_part = "a" * 65 + "@example.org"
    response = client.post(
        "/admin/partners/invite/",
        {"email": long_local_part, "name": "Bottega", "partner_type": "artisan", "language": "it"},
    )
    assert response.status_code == 400
    assert "al massimo 64 caratteri" in response.content.decode()
    assert counts() == before


def test_invite_view_reports_a_mail_failure_and_creates_nothing(
    client, directory, staff_user, monkeypatch
):
    """The mail server down when staff invited: an error page, and staff
    did not know whether anything had been created. Now the form says so,
    with what was typed, and nothing is half-created."""

    def refuse(message):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    client.force_login(staff_user)
    before = counts()
    response = client.post(
        "/admin/partners/invite/",
        {
            "email": "anna@example.org",
            "name": "Bottega Anna",
            "partner_type": "artisan",
            "language": "it",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Non è stato possibile inviare l&#x27;e-mail di invito a anna@example.org" in page
    assert 'value="Bottega Anna"' in page
    assert counts() == before
