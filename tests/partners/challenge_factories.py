"""Factories and helpers for the challenge calls and their applications."""

import datetime
import io

import factory
import pytest
import wagtail_factories
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners.choices import Eligibility, Offer, Sector
from partners.models import (
    ChallengeApplication,
    ChallengeIndexPage,
    ChallengePage,
    ChallengeQuestion,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


class ChallengeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Sfide"
    slug = "sfide"

    class Meta:
        model = ChallengeIndexPage


class ChallengePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Sfida {n:03d}")
    problem = "<p>Ci serve un'idea.</p>"
    offers = factory.LazyFunction(lambda: [Offer.MENTORING])
    eligibility = factory.LazyFunction(lambda: [Eligibility.INDIVIDUAL, Eligibility.TEAM])
    sector = Sector.CRAFTS
    comuni = factory.LazyFunction(lambda: ["pioltello"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))

    class Meta:
        model = ChallengePage


def add_question(challenge, label, required=True, long_answer=True):
    return ChallengeQuestion.objects.create(
        challenge=challenge,
        label=label,
        required=required,
        long_answer=long_answer,
        locale_id=challenge.locale_id,
        sort_order=challenge.questions.count(),
    )


def make_application(challenge, **fields):
    now = timezone.now()
    values = {
        "reference": f"SF-TEST-{ChallengeApplication.objects.count() + 1:04d}",
        "applicant_type": Eligibility.INDIVIDUAL,
        "name": "Anna Verdi",
        "email": "anna@example.org",
        "idea": "Un'idea.",
        "privacy_consent_at": now,
        "sharing_consent_at": now,
    }
    values.update(fields)
    return ChallengeApplication.objects.create(challenge=challenge, **values)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#0b5d57").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def application_data(**overrides):
    data = {
        "applicant_type": Eligibility.INDIVIDUAL,
        "name": "Anna Verdi",
        "email": "anna@example.org",
        "phone": "",
        "organisation": "",
        "team_members": "",
        "idea": "Un laboratorio di riparazione nel quartiere.",
        "privacy": "on",
        "sharing": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def private_media(settings, tmp_path):
    """Attachments go to a temporary private folder, apart from MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT
