"""Wagtail's Italian said "Questo pagina è attualmente in attesa di
moderazione" to a partner whose page waits for the staff; the project's
corrections (academy_site/wagtail_locale) say "Questa pagina"."""

import pathlib
import re

import polib
import pytest
from bs4 import BeautifulSoup

from django.utils import translation
from django.utils.translation import gettext, ngettext

from wagtail.models import Page

from ..partners.test_permissions import edit_form_data

FIXES = pathlib.Path(__file__).resolve().parents[2] / "academy_site/wagtail_locale/it/LC_MESSAGES"


def page_sentence(msgid):
    return gettext(msgid) % {"model_name": Page._meta.verbose_name}


def test_the_corrections_win_over_wagtail_s_italian():
    entries = polib.pofile(str(FIXES / "django.po"))
    assert len(entries) >= 2
    with translation.override("it"):
        for entry in entries:
            if entry.msgid_plural:
                assert ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
                assert ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[2]
                texts = entry.msgstr_plural.values()
            else:
                assert gettext(entry.msgid) == entry.msgstr, entry.msgid
                texts = [entry.msgstr]
            for text in texts:
                assert not re.search(r"\bquesto %\(model_name\)s", text, re.IGNORECASE), text
        assert page_sentence("This %(model_name)s is currently awaiting moderation.") == (
            "Questa pagina è attualmente in attesa di moderazione."
        )
        # Wagtail: "Nessuno può fare modifiche finché pagina è bloccato".
        assert page_sentence("No one can make changes while the %(model_name)s is locked") == (
            "Nessuno può fare modifiche finché la pagina è bloccata"
        )


def test_wagtail_s_other_strings_stay_wagtail_s():
    with translation.override("it"):
        assert gettext("Locked by another user") == "Bloccata da un altro utente"
    with translation.override("en"):
        assert page_sentence("This %(model_name)s is currently awaiting moderation.") == (
            "This page is currently awaiting moderation."
        )


@pytest.mark.django_db
def test_a_partner_whose_page_waits_reads_questa_pagina(client, partner_a, staff_user):
    partner, user = partner_a
    client.force_login(user)
    data = edit_form_data(client, partner)
    response = client.post(f"/admin/pages/{partner.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302
    page = BeautifulSoup(client.get(f"/admin/pages/{partner.pk}/edit/").content, "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "Questa pagina è attualmente in attesa di moderazione." in text
    assert "Solo i revisori di questa attività possono modificare la pagina." in text
    assert "Questo pagina" not in text


@pytest.mark.django_db
def test_a_venue_with_errors_is_not_run_into_the_verb(client, staff_user):
    """Wagtail's Italian said "sedenon può essere creato a causa di errori"."""
    client.force_login(staff_user)
    response = client.post("/admin/snippets/courses/venue/add/", {"name": ""})
    assert response.status_code == 200
    text = " ".join(str(message) for message in response.context["messages"]).strip()
    assert text == "Impossibile creare sede a causa di errori."
