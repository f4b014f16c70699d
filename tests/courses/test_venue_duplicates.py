"""No second venue with the same name in the same comune: the session's
venue chooser, shared by every editor, would list two identical entries.
Names match whatever their capitals and spaces; the editor is told, in
Italian, to choose the venue already in the list."""

import json

import pytest
from bs4 import BeautifulSoup

from django.core.exceptions import ValidationError
from django.utils import translation

from courses.models import Venue
from home.choices import Comune

from .factories import VenueFactory
from .test_venue_permissions import ADD, CHOOSER_CREATE, edit_url, venue_data

pytestmark = pytest.mark.django_db

ALREADY = "Nell'elenco c'è già una sede chiamata «Biblioteca civica» a Pioltello"


def form_errors(response):
    return " ".join(
        e.get_text(" ", strip=True)
        for e in BeautifulSoup(response.content, "html.parser").select(".error-message")
    )


@pytest.fixture
def library(partner_b):
    """A venue another partner added."""
    return VenueFactory(
        name="Biblioteca civica", comune=Comune.PIOLTELLO, added_by_group=partner_b[0].group
    )


@pytest.mark.parametrize(
    "name", ["Biblioteca civica", "  biblioteca   CIVICA ", "BIBLIOTECA Civica"]
)
def test_a_partner_cannot_add_a_venue_already_in_the_list(client, partner_a, library, name):
    client.force_login(partner_a[1])
    response = client.post(ADD, venue_data(name=name))
    assert response.status_code == 200
    assert ALREADY in form_errors(response)
    assert Venue.objects.count() == 1
    # What was typed is still in the form.
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name='address']")["value"] == venue_data()["address"]


def test_the_chooser_s_new_venue_tab_says_so_too(client, partner_a, library):
    client.force_login(partner_a[1])
    response = json.loads(client.post(CHOOSER_CREATE, venue_data(name="biblioteca civica")).content)
    assert response["step"] == "reshow_creation_form"
    assert ALREADY in BeautifulSoup(response["htmlFragment"], "html.parser").get_text()
    assert Venue.objects.count() == 1


def test_the_same_name_in_another_comune_is_another_venue(client, partner_a, library):
    client.force_login(partner_a[1])
    response = client.post(ADD, venue_data(name="Biblioteca civica", comune="segrate"))
    assert response.status_code == 302, form_errors(response)
    assert Venue.objects.filter(name="Biblioteca civica").count() == 2


def test_a_venue_keeps_its_own_name_and_cannot_take_another_s(client, partner_a, library):
    client.force_login(partner_a[1])
    own = VenueFactory(name="Bottega Alfa", added_by_group=partner_a[0].group)
    data = venue_data(name="Bottega  alfa", address=own.address, comune=own.comune)
    assert client.post(edit_url(own), data).status_code == 302
    response = client.post(edit_url(own), {**data, "name": "Biblioteca Civica"})
    assert response.status_code == 200
    assert ALREADY in form_errors(response)
    own.refresh_from_db()
    assert own.name == "Bottega  alfa"


def test_the_message_in_english(library):
    venue = Venue(name="biblioteca civica", address="Via Roma 1", comune=Comune.PIOLTELLO)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        venue.full_clean()
    assert raised.value.message_dict["name"] == [
        'A venue called "Biblioteca civica" in Pioltello is already in the list: choose '
        "that one for your sessions, or give this one a name that tells them apart."
    ]
