"""Opportunities and enquiries in the admin: each partner works in its own
section and reads its own enquiries; staff see all; nobody else sees any."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, User
from django.utils import timezone

from partners.models import OpportunityPage

from .opportunity_factories import EnquiryFactory, OpportunityPageFactory
from .test_permissions import edit_form_data

pytestmark = pytest.mark.django_db

ENQUIRIES = "/admin/partners/enquiries/"


@pytest.fixture
def enquiries(partner_a, partner_b):
    a, _ua = partner_a
    b, _ub = partner_b
    opp_a = OpportunityPageFactory(parent=a, title="Tirocinio in sartoria")
    opp_b = OpportunityPageFactory(parent=b, title="Saldatore cercasi")
    EnquiryFactory(
        opportunity=opp_a, opportunity_title=opp_a.title, partner=a, email="per-alfa@example.org"
    )
    EnquiryFactory(
        opportunity=opp_b, opportunity_title=opp_b.title, partner=b, email="per-beta@example.org"
    )


def test_each_partner_sees_only_its_enquiries(client, partner_a, partner_b, staff_user, enquiries):
    _a, user_a = partner_a
    _b, user_b = partner_b
    client.force_login(user_a)
    response = client.get(ENQUIRIES)
    assert response.status_code == 200
    assert "per-alfa@example.org" in response.text
    assert "per-beta@example.org" not in response.text
    export = client.get(ENQUIRIES + "?export=csv")
    body = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "per-alfa@example.org" in body and "per-beta@example.org" not in body
    # The menu shows the item to partners.
    assert ENQUIRIES in client.get("/admin/").text

    client.force_login(user_b)
    response = client.get(ENQUIRIES)
    assert "per-beta@example.org" in response.text
    assert "per-alfa@example.org" not in response.text

    client.force_login(staff_user)
    response = client.get(ENQUIRIES)
    assert "per-alfa@example.org" in response.text and "per-beta@example.org" in response.text


def test_other_admin_users_see_no_enquiries(client, enquiries):
    editor = User.objects.create_user("editor", "editor@example.org", "x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(ENQUIRIES).status_code == 403
    assert client.get(ENQUIRIES + "?export=csv").status_code == 403
    assert ENQUIRIES not in client.get("/admin/").text
    client.logout()
    assert client.get(ENQUIRIES).status_code == 302  # to the login


def _new_opportunity_data(client, parent, **fields):
    url = f"/admin/pages/add/partners/opportunitypage/{parent.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form[data-edit-form]") or soup.select_one("main form")
    data = {}
    for field in form.select("input[name]"):
        if field.get("type") not in ("checkbox", "radio", "submit", "button", "file"):
            data[field["name"]] = field.get("value", "")
    deadline = timezone.localtime() + datetime.timedelta(days=20)
    data.update(
        {
            "title": "Tirocinio di cucito",
            "slug": "tirocinio-di-cucito",
            "kind": "internship",
            "intro": "Tre mesi in bottega.",
            "audiences": ["unemployed"],
            "comune": "rodano",
            "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
            "apply_method": "form",
            **fields,
        }
    )
    return url, data


def test_partner_adds_opportunities_in_its_own_section_only(client, partner_a, partner_b):
    own, user = partner_a
    other, _user_b = partner_b
    client.force_login(user)
    url, data = _new_opportunity_data(client, own)
    response = client.post(url, {**data, "action-submit": "1"})
    assert response.status_code == 302, response.content[:2000]
    page = OpportunityPage.objects.get(slug="tirocinio-di-cucito")
    assert page.get_parent().pk == own.pk
    assert not page.live  # waits for the staff
    # Not under another partner.
    assert client.get(f"/admin/pages/add/partners/opportunitypage/{other.pk}/").status_code in (
        302,
        403,
    )
    response = client.post(
        f"/admin/pages/add/partners/opportunitypage/{other.pk}/", {**data, "slug": "presa"}
    )
    assert response.status_code in (302, 403)
    assert not OpportunityPage.objects.filter(slug="presa").exists()


def test_editor_form_explains_deadline_and_apply_mistakes(client, partner_a):
    own, user = partner_a
    client.force_login(user)
    url, data = _new_opportunity_data(client, own, deadline="", apply_method="link", apply_url="")
    response = client.post(url, {**data, "action-submit": "1"})
    assert response.status_code == 200
    text = response.text
    assert "Indica una scadenza, oppure spunta “sempre aperta” se non c&#x27;è." in text
    assert "Indica il link dove ci si candida." in text
    assert not OpportunityPage.objects.filter(slug="tirocinio-di-cucito").exists()


def test_partner_edits_its_opportunity_but_not_anothers(client, partner_a, partner_b):
    own, user = partner_a
    other, _user_b = partner_b
    mine = OpportunityPageFactory(parent=own, title="Della sartoria")
    theirs = OpportunityPageFactory(parent=other, title="Dell'officina")
    client.force_login(user)
    data = edit_form_data(client, mine)
    data["intro"] = "Nuova descrizione."
    assert (
        client.post(f"/admin/pages/{mine.pk}/edit/", {**data, "action-submit": "1"}).status_code
        == 302
    )
    mine.refresh_from_db()
    assert mine.get_latest_revision().as_object().intro == "Nuova descrizione."
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code in (302, 403)
    client.post(f"/admin/pages/{theirs.pk}/edit/", {**data, "action-publish": "1"})
    theirs.refresh_from_db()
    assert theirs.latest_revision is None and theirs.intro != "Nuova descrizione."


def test_editor_form_refuses_a_deadline_already_past(client, partner_a):
    """A deadline typed with last year's date was accepted: the opportunity
    went straight into the archive, and nobody could apply."""
    own, user = partner_a
    client.force_login(user)
    last_year = timezone.localtime() - datetime.timedelta(days=300)
    url, data = _new_opportunity_data(client, own, deadline=last_year.strftime("%Y-%m-%d %H:%M"))
    response = client.post(url, {**data, "action-submit": "1"})
    assert response.status_code == 200
    assert "Questa scadenza è già passata: controlla la data e l&#x27;anno." in response.text
    assert not OpportunityPage.objects.filter(slug="tirocinio-di-cucito").exists()
