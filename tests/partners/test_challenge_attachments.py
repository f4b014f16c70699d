"""Attachments: checked by their content, size-limited, stored privately."""

import pytest

from django.conf import settings

from partners.applications import MAX_ATTACHMENT_BYTES
from partners.models import ApplicationAttachment, ChallengeApplication

from .challenge_factories import (
    PDF_BYTES,
    ChallengePageFactory,
    application_data,
    png_bytes,
    private_media,  # noqa: F401
    upload,
)
from .factories import PartnerIndexPageFactory, onboard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


@pytest.fixture
def challenge(home):
    PartnerIndexPageFactory(parent=home)
    partner = onboard("Forno Delta")[0]
    return ChallengePageFactory(parent=partner)


def post(client, challenge, **files):
    return client.post(challenge.url + "apply/", {**application_data(), **files})


def test_a_pdf_and_an_image_are_kept_privately_under_random_names(client, challenge):
    response = post(
        client,
        challenge,
        attachment_1=upload("Curriculum Anna.pdf", PDF_BYTES, "application/pdf"),
        attachment_2=upload("foto.png", png_bytes(), "image/png"),
    )
    assert response.status_code == 303
    attachments = list(ApplicationAttachment.objects.order_by("pk"))
    assert [a.original_name for a in attachments] == ["Curriculum Anna.pdf", "foto.png"]
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]
    for attachment in attachments:
        path = attachment.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        assert "Anna" not in attachment.file.name and "foto" not in attachment.file.name
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018 - private files have no URL


def test_a_file_of_a_type_we_do_not_accept_is_refused(client, challenge):
    response = post(client, challenge, attachment_1=upload("notes.txt", b"just some text\n"))
    assert response.status_code == 400
    assert "non è un tipo di file che accettiamo" in response.content.decode()
    assert ChallengeApplication.objects.count() == 0
    assert ApplicationAttachment.objects.count() == 0


def test_a_file_whose_extension_lies_is_refused(client, challenge):
    fake_pdf = upload("curriculum.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    html_as_image = upload("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    for fake, kind in ((fake_pdf, "PDF"), (html_as_image, "JPG")):
        response = post(client, challenge, attachment_1=fake)
        assert response.status_code == 400
        # Not "a type we do not accept": the name says one we do.
        assert (
            f"si chiama come un file {kind}, ma dentro non lo è: forse è danneggiato"
            in response.content.decode()
        )
    assert ChallengeApplication.objects.count() == 0


def test_the_type_comes_from_the_content_not_the_name(client, challenge):
    response = post(client, challenge, attachment_1=upload("scan.pdf", png_bytes()))
    assert response.status_code == 303
    attachment = ApplicationAttachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


def test_a_file_too_large_is_refused(client, challenge):
    big = upload("grande.pdf", PDF_BYTES + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf")
    response = post(client, challenge, attachment_1=big)
    assert response.status_code == 400
    assert "è troppo grande" in response.content.decode()
    assert ChallengeApplication.objects.count() == 0


def test_no_attachment_is_reachable_at_a_public_url(client, challenge):
    post(client, challenge, attachment_1=upload("cv.pdf", PDF_BYTES, "application/pdf"))
    attachment = ApplicationAttachment.objects.get()
    name = attachment.file.name
    for url in (f"/media/{name}", f"/media/private/{name}", f"/{name}", f"/documents/{name}"):
        assert client.get(url).status_code == 404
    # Anonymous visitors are sent to the admin login, never given the file.
    response = client.get(f"/admin/challenges/attachments/{attachment.pk}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
