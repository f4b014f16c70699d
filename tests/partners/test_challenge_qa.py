"""What a QA pass through the challenge calls found, as their users meet it:
the citizen filling in the form on a phone, the applicant who withdraws, the
partner who reviews and downloads."""

import pytest
from bs4 import BeautifulSoup

from django.core import mail

from home.models import SiteFooter
from partners.choices import ApplicationStatus

from ..factories import StandardPageFactory
from .challenge_factories import (
    ChallengePageFactory,
    application_data,
    private_media,  # noqa: F401
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
