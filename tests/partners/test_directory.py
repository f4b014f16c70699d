"""The public directory, profiles and observatories."""

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from partners.choices import DISTRICT, PartnerType, Sector
from partners.models import ObservatoryPage, PartnerIndexPage, PartnerPage

from .challenge_factories import ChallengePageFactory
from .factories import (
    LabourNeedFactory,
    ObservatoryPageFactory,
    PartnerPageFactory,
)

pytestmark = pytest.mark.django_db


class TestPartnerTree(WagtailPageTestCase):
    def test_partner_pages_live_in_the_directory(self):
        self.assertAllowedParentPageTypes(PartnerIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(PartnerPage, {PartnerIndexPage})
        self.assertAllowedSubpageTypes(PartnerIndexPage, {PartnerPage})

    def test_observatories_go_under_home_or_an_area_page(self):
        self.assertAllowedParentPageTypes(ObservatoryPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(ObservatoryPage, set())


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".partner-card-title a")]


def test_directory_filters_by_type_comune_and_sector(client, directory):
    PartnerPageFactory(
        parent=directory, title="Sartoria Rodano", comuni=["rodano"], sectors=[Sector.TAILORING]
    )
    PartnerPageFactory(
        parent=directory,
        title="Consorzio",
        comuni=[DISTRICT],
        partner_type=PartnerType.THIRD_SECTOR,
        sectors=[Sector.CARE],
    )
    PartnerPageFactory(
        parent=directory,
        title="Logistica Segrate",
        comuni=["segrate"],
        partner_type=PartnerType.COMPANY,
        sectors=[Sector.LOGISTICS],
    )
    draft = PartnerPageFactory(parent=directory, title="Bozza", comuni=["rodano"])
    draft.unpublish()

    assert titles(client.get("/it/rete/")) == ["Consorzio", "Logistica Segrate", "Sartoria Rodano"]
    # A partner working in the whole district matches every comune.
    assert titles(client.get("/it/rete/?comune=rodano")) == ["Consorzio", "Sartoria Rodano"]
    assert titles(client.get("/it/rete/?type=company")) == ["Logistica Segrate"]
    assert titles(client.get("/it/rete/?sector=care&comune=segrate")) == ["Consorzio"]


def test_empty_result_says_which_filter_to_relax(client, directory):
    PartnerPageFactory(
        parent=directory, title="Sartoria Rodano", comuni=["rodano"], sectors=[Sector.TAILORING]
    )
    response = client.get("/it/rete/?comune=segrate&sector=tailoring")
    assert response.status_code == 200
    assert titles(response) == []
    soup = BeautifulSoup(response.content, "html.parser")
    notice = soup.select_one(".empty-result").get_text(" ", strip=True)
    assert "Comune: Segrate" in notice
    link = soup.select_one(".empty-result a")["href"]
    assert link == "/it/rete/?sector=tailoring"
    assert titles(client.get(link)) == ["Sartoria Rodano"]


def test_bad_filter_values_and_page_numbers_do_not_break_the_directory(client, directory):
    PartnerPageFactory(parent=directory, title="Sartoria")
    response = client.get("/it/rete/?type=nonsense&page=999")
    assert response.status_code == 200
    assert titles(response) == ["Sartoria"]


def test_directory_paginates(client, directory):
    for number in range(14):
        PartnerPageFactory(parent=directory, title=f"Partner {number:02d}")
    first = client.get("/it/rete/")
    assert len(titles(first)) == 12
    second = client.get("/it/rete/?page=2")
    assert titles(second) == ["Partner 12", "Partner 13"]


def directory_queries(client, url):
    client.get(url)  # renditions of new logos are created on the first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(titles(response))


@pytest.mark.parametrize("url", ["/it/rete/", "/it/rete/?comune=pioltello&sector=crafts"])
def test_directory_query_count_does_not_grow_with_partners(client, directory, url):
    def add(count):
        for _ in range(count):
            PartnerPageFactory(parent=directory, logo=wagtail_factories.ImageFactory())

    add(2)
    few = directory_queries(client, url)
    add(9)
    many = directory_queries(client, url)
    assert (few[1], many[1]) == (2, 11)
    assert few[0] == many[0]


def test_english_directory_shows_untranslated_partners_in_italian(client, directory, english):
    translated = PartnerPageFactory(parent=directory, title="Sartoria")
    PartnerPageFactory(parent=directory, title="Officina")
    directory_en = directory.copy_for_translation(english)
    directory_en.save_revision().publish()
    translated_en = translated.copy_for_translation(english)
    translated_en.title = "Tailor's shop"
    translated_en.save_revision().publish()
    response = client.get("/en/rete/")
    assert titles(response) == ["Officina", "Tailor's shop"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".partner-card[lang=it]").h2.get_text(strip=True) == "Officina"


def test_profile_shows_details_and_its_public_children(client, directory, home):
    partner = PartnerPageFactory(
        parent=directory,
        title="Sartoria Fili",
        comuni=["rodano", "segrate"],
        sectors=[Sector.TAILORING],
        phone="+39 02 1234",
        email="info@fili.example",
        accessibility_notes="Ingresso senza gradini.",
        instagram_url="https://instagram.com/fili",
    )
    # Each kind of child has its card (courses: tests/courses).
    ChallengePageFactory(parent=partner, title="Corso di cucito", slug="corso-di-cucito")
    hidden = Page(title="Bozza nascosta", slug="bozza")
    partner.add_child(instance=hidden)
    hidden.unpublish()

    response = client.get("/it/rete/sartoria-fili/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    for expected in (
        "Rodano, Segrate",
        "Sartoria e tessile",
        "+39 02 1234",
        "info@fili.example",
        "Ingresso senza gradini.",
        "Instagram",
        "Corso di cucito",
    ):
        assert expected in text
    assert "Bozza nascosta" not in text


def test_observatory_lists_the_needs_of_its_comune_in_the_page_language(client, home, english):
    parent = StandardPage(title="Osservatori", slug="osservatori-civici")
    home.add_child(instance=parent)
    parent.save_revision().publish()
    observatory = ObservatoryPageFactory(parent=parent, slug="segrate")
    need = LabourNeedFactory(title="Magazzinieri", comune="segrate")
    untranslated = LabourNeedFactory(title="Panettieri", comune="segrate")
    LabourNeedFactory(title="Saldatori", comune="vimodrone")
    need_en = need.copy_for_translation(english)
    need_en.title = "Warehouse workers"
    need_en.save()

    it = client.get("/it/osservatori-civici/segrate/").content.decode()
    assert "Magazzinieri" in it and "Panettieri" in it
    assert "Saldatori" not in it and "Warehouse workers" not in it

    parent.copy_for_translation(english).save_revision().publish()
    observatory.copy_for_translation(english).save_revision().publish()
    en = client.get("/en/osservatori-civici/segrate/").content.decode()
    assert "Warehouse workers" in en and "Magazzinieri" not in en
    # A need not translated yet is shown in Italian rather than hidden.
    assert untranslated.title in en
