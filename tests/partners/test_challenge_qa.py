"""What a QA pass through the challenge calls found, as their users meet it:
the citizen filling in the form on a phone, the applicant who withdraws, the
partner who reviews and downloads."""

import datetime
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.utils import timezone

from home.models import SiteFooter
from partners.applications import make_token
from partners.choices import ApplicationStatus
from partners.models import ApplicationAttachment

from ..factories import StandardPageFactory
from .challenge_factories import (
    PDF_BYTES,
    ChallengePageFactory,
    add_question,
    application_data,
    private_media,  # noqa: F401
    upload,
)
from .factories import PartnerIndexPageFactory, onboard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def partner(home):
    PartnerIndexPageFactory(parent=home)
    return onboard("Officina Delta")


@pytest.fixture
def challenge(partner):
    return ChallengePageFactory(parent=partner[0], title="Riparare i resi", slug="riparare-i-resi")


def form_of(response):
    return BeautifulSoup(response.content, "html.parser").find("form", class_="application-form")


# --- the form on a phone ------------------------------------------------------


def test_the_phone_fills_in_the_contact_details(client, challenge):
    form = form_of(client.get(challenge.url + "apply/"))
    assert form.find(id="id_name")["autocomplete"] == "name"
    assert form.find(id="id_email")["autocomplete"] == "email"
    phone = form.find(id="id_phone")
    assert (phone["type"], phone["autocomplete"]) == ("tel", "tel")
    assert form.find(id="id_organisation")["autocomplete"] == "organization"


def test_the_team_name_says_when_it_is_needed_before_it_is_refused(client, challenge):
    form = form_of(client.get(challenge.url + "apply/"))
    organisation = form.find(id="id_organisation")
    help_text = form.find(id=organisation["aria-describedby"]).get_text()
    assert help_text == "Obbligatorio se ti candidi come squadra o come nuova impresa."


def test_the_privacy_notice_can_be_read_from_the_consent(client, home, challenge):
    privacy = StandardPageFactory(parent=home, title="Informativa sulla privacy", slug="privacy")
    privacy.save_revision().publish()
    footer = SiteFooter.load()
    footer.privacy_page = privacy
    footer.save()
    consent = form_of(client.get(challenge.url + "apply/")).find(id="id_privacy").parent.parent
    link = consent.find("a")
    assert link["href"] == "/it/privacy/"
    assert link.get_text() == "Leggi l'informativa sulla privacy (si apre in una nuova scheda)"


# --- the partner's review -------------------------------------------------------


@pytest.fixture
def application(client, challenge):
    response = client.post(
        challenge.url + "apply/", application_data(name="Rosa Esposito", email="rosa@example.org")
    )
    assert response.status_code == 303
    mail.outbox.clear()
    return challenge.applications.get()


def review_form(client, application):
    """The review form as the browser sends it back: its fields' values."""
    page = BeautifulSoup(
        client.get(f"/admin/challenges/applications/{application.pk}/").content, "html.parser"
    )
    form = page.find("textarea", attrs={"name": "note"}).find_parent("form")
    selected = form.find("select", attrs={"name": "status"}).find("option", selected=True)
    return {
        "status": selected["value"],
        "note": form.find("textarea", attrs={"name": "note"}).get_text().strip(),
    }


def review(client, application, django_capture_on_commit_callbacks, **changes):
    data = {**review_form(client, application), **changes}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/admin/challenges/applications/{application.pk}/", data)


def test_a_new_status_never_carries_the_note_written_for_the_last_one(
    client, partner, application, django_capture_on_commit_callbacks
):
    client.force_login(partner[1])
    review(
        client,
        application,
        django_capture_on_commit_callbacks,
        status=ApplicationStatus.SHORTLISTED,
        note="Vi aspettiamo al colloquio il 25 gennaio alle 10.",
    )
    assert "25 gennaio" in mail.outbox[-1].body
    # Weeks later the partner turns it down, touching only the status.
    response = review(
        client, application, django_capture_on_commit_callbacks, status="not_selected"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].subject.endswith(": Non selezionata")
    assert "25 gennaio" not in mail.outbox[-1].body
    application.refresh_from_db()
    assert application.status_note == ""


def test_the_detail_shows_the_note_sent_with_the_status(
    client, partner, application, django_capture_on_commit_callbacks
):
    client.force_login(partner[1])
    review(
        client,
        application,
        django_capture_on_commit_callbacks,
        status=ApplicationStatus.SHORTLISTED,
        note="Vi aspettiamo al colloquio il 25 gennaio alle 10.",
    )
    detail = client.get(f"/admin/challenges/applications/{application.pk}/").content.decode()
    assert "Nota inviata a chi si è candidato" in detail and "25 gennaio" in detail


def test_a_note_without_a_new_status_is_not_lost_nor_said_to_be_sent(
    client, partner, application, django_capture_on_commit_callbacks
):
    client.force_login(partner[1])
    response = review(
        client, application, django_capture_on_commit_callbacks, note="Mandateci il preventivo."
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("textarea", attrs={"name": "note"}).get_text().strip() == (
        "Mandateci il preventivo."
    )
    error = page.find("ul", class_="errorlist").get_text()
    assert "scegli il nuovo stato" in error and "rosa@example.org" in error
    assert mail.outbox == []
    application.refresh_from_db()
    assert (application.status, application.status_note) == (ApplicationStatus.RECEIVED, "")
    # Saving without any change says so.
    response = review(client, application, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    messages = client.get(response["Location"]).content.decode()
    assert "Non è cambiato nulla" in messages
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("sent_as", "saved_as"),
    [
        ("offerta.hta", "offerta.pdf"),
        ("progetto riparazioni.pdf", "progetto riparazioni.pdf"),
        ("Progetto.PDF", "Progetto.pdf"),
    ],
)
def test_a_download_is_saved_with_the_extension_of_what_the_file_is(
    client, partner, challenge, sent_as, saved_as
):
    data = application_data(attachment_1=upload(sent_as, PDF_BYTES, "application/pdf"))
    assert client.post(challenge.url + "apply/", data).status_code == 303
    attachment = ApplicationAttachment.objects.get()
    assert attachment.original_name == sent_as  # what the applicant sent, as they named it
    client.force_login(partner[1])
    detail = client.get(f"/admin/challenges/applications/{attachment.application_id}/")
    link = BeautifulSoup(detail.content, "html.parser").find(
        "a", href=f"/admin/challenges/attachments/{attachment.pk}/"
    )
    assert link.get_text() == saved_as
    response = client.get(f"/admin/challenges/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{saved_as}"' in disposition or quote(saved_as) in disposition
    assert b"".join(response.streaming_content) == PDF_BYTES


# --- the applicant's link ---------------------------------------------------------


def test_the_link_says_how_to_correct_an_application_and_leads_to_a_new_one(
    client, challenge, application
):
    link = f"/it/candidature-sfide/{make_token(application)}/"
    page = client.get(link).content.decode()
    assert "Una candidatura inviata non si può modificare. Per correggere qualcosa" in page
    response = client.post(link, {"confirm": "withdraw"})
    new_one = BeautifulSoup(response.content, "html.parser").find(
        "a", string="Invia una nuova candidatura"
    )
    assert new_one["href"] == "/it/rete/officina-delta/riparare-i-resi/apply/"
    # The form it leads to takes the corrected application.
    data = application_data(name="Rosa Esposito", email="rosa@example.org", phone="333 1234567")
    assert client.post(new_one["href"], data).status_code == 303
    assert list(challenge.applications.values_list("status", "phone")) == [
        (ApplicationStatus.RECEIVED, "333 1234567"),
        (ApplicationStatus.WITHDRAWN, ""),
    ]
    # Once the call is closed, the withdrawn application offers no new one.
    challenge.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    challenge.save()
    closed = client.get(link).content.decode()
    assert "Questa candidatura è stata ritirata." in closed
    assert "Invia una nuova candidatura" not in closed


def test_an_application_sent_after_the_deadline_gives_back_what_was_written(client, challenge):
    add_question(challenge, "Che competenze avete?")
    client.get(challenge.url + "apply/")  # the form, while the call is open
    challenge.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    challenge.save()
    data = application_data(
        idea="Un laboratorio di riparazione <b>nel quartiere</b>.",
        question_1="Elettronica e saldatura.",
    )
    response = client.post(challenge.url + "apply/", data)
    assert response.status_code == 410
    page = BeautifulSoup(response.content, "html.parser")
    assert "non accetta più candidature" in page.find(class_="notice--error").get_text()
    kept = {
        page.find("label", attrs={"for": box["id"]}).get_text(): box.get_text()
        for box in page.select(".written-text textarea[readonly]")
    }
    assert kept == {
        "Che competenze avete?": "Elettronica e saldatura.",
        "La tua idea": "Un laboratorio di riparazione <b>nel quartiere</b>.",
    }
    assert not challenge.applications.exists()


def test_the_list_shows_status_and_applicant_first(client, partner, application):
    client.force_login(partner[1])
    page = BeautifulSoup(client.get("/admin/challenges/applications/").content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("table thead th")]
    assert headings[:3] == ["Riferimento", "Stato", "Candidato/a"]
    cells = [td.get_text(" ", strip=True) for td in page.select("table tbody tr td")]
    assert cells[1:3] == ["Ricevuta", "Rosa Esposito"]
