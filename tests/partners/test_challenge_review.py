"""Reviewing applications in the admin: each partner sees only its own,
staff see all, attachments only for those reviewers, an e-mail per status
change in the applicant's language, CSV/XLSX export."""

import csv as csv_module
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, User
from django.core import mail

from partners.choices import ApplicationStatus
from partners.models import ApplicationAttachment

from .challenge_factories import (
    PDF_BYTES,
    ChallengePageFactory,
    application_data,
    private_media,  # noqa: F401
    upload,
)
from .factories import onboard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _apply(client, challenge, name, language="it"):
    data = application_data(name=name, email=f"{name.split()[0].lower()}@example.org")
    data["attachment_1"] = upload(f"{name}.pdf", PDF_BYTES, "application/pdf")
    url = challenge.url + "apply/"
    if language == "en":
        url = url.replace("/it/", "/en/", 1)
    response = client.post(url, data)
    assert response.status_code == 303
    return challenge.applications.get(name=name)


@pytest.fixture
def setting(client, directory):
    partner_a, user_a = onboard("Sartoria Alfa")
    partner_b, user_b = onboard("Officina Beta")
    challenge_a = ChallengePageFactory(parent=partner_a, title="Sfida Alfa")
    challenge_b = ChallengePageFactory(parent=partner_b, title="Sfida Beta")
    app_a = _apply(client, challenge_a, "Anna Alfa")
    app_b = _apply(client, challenge_b, "Bea Beta")
    mail.outbox.clear()
    return {"a": (user_a, challenge_a, app_a), "b": (user_b, challenge_b, app_b)}


def detail(application):
    return f"/admin/challenges/applications/{application.pk}/"


def download(application):
    attachment = ApplicationAttachment.objects.get(application=application)
    return f"/admin/challenges/attachments/{attachment.pk}/"


def test_a_partner_sees_only_the_applications_to_its_own_challenges(client, setting):
    user_a, _challenge, app_a = setting["a"]
    _user_b, _challenge_b, app_b = setting["b"]
    client.force_login(user_a)
    listing = client.get("/admin/challenges/applications/").content.decode()
    assert app_a.reference in listing and app_b.reference not in listing
    assert client.get(detail(app_a)).status_code == 200
    assert client.get(detail(app_b)).status_code == 403
    own = client.get(download(app_a))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF_BYTES
    assert "attachment" in own["Content-Disposition"]
    assert client.get(download(app_b)).status_code == 403
    response = client.post(detail(app_b), {"status": ApplicationStatus.SELECTED})
    assert response.status_code == 403
    app_b.refresh_from_db()
    assert app_b.status == ApplicationStatus.RECEIVED


def test_staff_see_every_application_and_attachment(client, setting, staff_user):
    client.force_login(staff_user)
    listing = client.get("/admin/challenges/applications/").content.decode()
    for _user, _challenge, application in setting.values():
        assert application.reference in listing
        assert client.get(detail(application)).status_code == 200
        assert client.get(download(application)).status_code == 200


def test_other_admin_users_see_nothing(client, setting):
    editor = User.objects.create_user("editor", "editor@example.org", "x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/challenges/applications/").status_code == 403
    _user, _challenge, application = setting["a"]
    assert client.get(detail(application)).status_code == 403
    assert client.get(download(application)).status_code == 403
    menu = client.get("/admin/").content.decode()
    assert "/admin/challenges/applications/" not in menu


def test_each_status_change_is_e_mailed_in_the_applicants_language(
    client, directory, django_capture_on_commit_callbacks, english
):
    partner, user = onboard("Bottega Zeta")
    challenge = ChallengePageFactory(parent=partner, title="Sfida Zeta")
    challenge_en = challenge.copy_for_translation(english, copy_parents=True)
    challenge_en.title = "Zeta challenge"
    challenge_en.save_revision().publish()
    application = _apply(client, challenge, "Eve English", language="en")
    mail.outbox.clear()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail(application),
            {"status": ApplicationStatus.SHORTLISTED, "note": "Ci vediamo per un colloquio."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eve@example.org"]
    assert message.subject == f"Your application {application.reference}: Shortlisted"
    assert "Zeta challenge" in message.body and "Ci vediamo per un colloquio." in message.body
    # The same status again (only the note changes): no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(application), {"status": ApplicationStatus.SHORTLISTED, "note": "x"})
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(application), {"status": ApplicationStatus.SELECTED})
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.endswith(": Selected")


def test_a_bad_status_is_refused_and_a_withdrawn_application_stays_withdrawn(client, setting):
    user_a, _challenge, app_a = setting["a"]
    client.force_login(user_a)
    assert client.post(detail(app_a), {"status": "withdrawn"}).status_code == 400
    app_a.status = ApplicationStatus.WITHDRAWN
    app_a.save()
    client.post(detail(app_a), {"status": ApplicationStatus.SELECTED})
    app_a.refresh_from_db()
    assert app_a.status == ApplicationStatus.WITHDRAWN
    assert mail.outbox == []


def test_exports_hold_only_the_reviewers_applications(client, setting):
    user_a, _challenge, app_a = setting["a"]
    _user_b, _challenge_b, app_b = setting["b"]
    client.force_login(user_a)
    csv = client.get("/admin/challenges/applications/?export=csv")
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode()
    assert app_a.reference in text and "anna@example.org" in text
    assert app_b.reference not in text
    xlsx = client.get("/admin/challenges/applications/?export=xlsx")
    assert xlsx.status_code == 200
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert app_a.reference in values and app_b.reference not in values


def test_csv_export_does_not_hand_spreadsheets_a_formula(client, setting):
    """An applicant's text that starts like a formula is exported as text
    (home.exports guards CSV; Wagtail guards XLSX)."""
    user_a, _challenge, app_a = setting["a"]
    app_a.idea = '=HYPERLINK("http://evil.example","click")'
    app_a.save()
    client.force_login(user_a)
    response = client.get("/admin/challenges/applications/?export=csv")
    rows = list(csv_module.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + app_a.idea in cells
    assert not [cell for cell in cells if cell.startswith("=")]
    disposition = response["Content-Disposition"]
    assert 'filename="challenge-applications-' in disposition


def test_a_challenge_with_applications_cannot_be_deleted(client, setting, staff_user):
    _user, challenge, _application = setting["a"]
    client.force_login(staff_user)
    response = client.post(f"/admin/pages/{challenge.pk}/delete/")
    assert response.status_code == 302
    assert challenge.__class__.objects.filter(pk=challenge.pk).exists()


def test_the_detail_names_the_applicants_language(client, setting):
    user_a, _challenge, app_a = setting["a"]
    client.force_login(user_a)
    soup = BeautifulSoup(client.get(detail(app_a)).content, "html.parser")
    language = soup.find("dt", string="Lingua").find_next_sibling("dd")
    assert language.get_text(strip=True) == "Italiano"


def test_the_applicant_is_one_person_a_team_or_a_new_business(client, setting):
    """Who applied is named in the singular ("Si candida come: Una
    squadra"), where it read the call's eligibility ("Squadre")."""
    user_a, challenge, app_a = setting["a"]
    app_a.applicant_type = "team"
    app_a.save(update_fields=["applicant_type"])
    client.force_login(user_a)
    soup = BeautifulSoup(client.get(detail(app_a)).content, "html.parser")
    applying_as = soup.find("dt", string="Si candida come").find_next_sibling("dd")
    assert applying_as.get_text(strip=True) == "Una squadra"
    form = BeautifulSoup(client.get(challenge.url + "apply/").content, "html.parser")
    offered = {
        label.get_text(" ", strip=True) for label in form.select("label[for^=id_applicant_type_]")
    }
    assert offered <= {"Una persona", "Una squadra", "Una nuova impresa"} and offered
