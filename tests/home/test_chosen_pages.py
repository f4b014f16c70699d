"""The home page's areas and featured pages: each chosen page is read once,
in the visitor's language, and shown as Wagtail's page chooser would show
it, whether it is live, a draft, private, untranslated or gone."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail import blocks
from wagtail.models import Page, PageViewRestriction

from home.cache import bump_content_generation
from home.demo import translate
from home.localize import chosen_page_ids

from ..factories import StandardPageFactory, furnish_home


@pytest.fixture
def chosen(home, home_en, english):
    translated = StandardPageFactory(parent=home, title="Tradotta", slug="tradotta")
    translate(translated, {"Tradotta": "Translated", "tradotta": "translated"}, english)
    untranslated = StandardPageFactory(parent=home, title="Solo italiano", slug="solo-italiano")
    draft = StandardPageFactory(parent=home, title="Bozza", slug="bozza", live=False)
    private = StandardPageFactory(parent=home, title="Riservata", slug="riservata")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    pages = {
        "translated": translated,
        "untranslated": untranslated,
        "draft": draft,
        "private": private,
    }
    furnish_home(home, list(pages.values()))
    furnish_home(home_en, list(pages.values()))
    return pages


def test_the_chosen_ids_come_from_the_raw_data_without_converting_the_blocks(home, chosen):
    home = Page.objects.get(pk=home.pk).specific
    with CaptureQueriesContext(connection) as captured:
        ids = chosen_page_ids(home.areas, home.body)
    assert len(captured) == 0
    pks = [page.pk for page in chosen.values()]
    assert ids == pks + pks


@pytest.mark.parametrize("language", ["it", "en"])
def test_each_chosen_page_is_shown_as_the_chooser_would_show_it(client, chosen, language):
    html = client.get(f"/{language}/").content.decode()
    if language == "en":
        assert html.count('href="/en/translated/">') == 2
        assert "Tradotta" not in html
    else:
        assert html.count('href="/it/tradotta/">') == 2
    for slug in ("solo-italiano", "bozza", "riservata"):
        assert html.count(f'href="/it/{slug}/">') == 2


def test_a_chosen_page_that_is_gone_is_shown_without_its_link_as_before(client, home, chosen):
    gone = {"area": "network", "title": "Sparita", "text": "Testo", "page": 999999}
    home.areas = [*home.areas.raw_data, {"type": "area", "value": gone}]
    home.save_revision().publish()
    html = client.get("/it/").content.decode()
    assert "<h3>Sparita</h3>" in html
    assert html.count('href="/it/tradotta/">') == 2


def test_the_choosers_read_no_page_the_template_read(client, chosen, monkeypatch):
    read_by_chooser = []
    original = blocks.ChooserBlock.bulk_to_python

    def spy(self, values):
        read_by_chooser.append(list(values))
        return original(self, values)

    monkeypatch.setattr(blocks.ChooserBlock, "bulk_to_python", spy)
    for language in ("it", "en"):
        bump_content_generation()
        assert client.get(f"/{language}/").status_code == 200
    assert read_by_chooser == []


def test_a_preview_of_the_home_page_shows_the_pages_chosen_in_it(home, chosen):
    home = Page.objects.get(pk=home.pk).specific
    choose_unsaved = [chosen["draft"], chosen["translated"]]
    home.body = [("featured_pages", {"heading": "Anteprima", "pages": choose_unsaved})]
    response = home.make_preview_request()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anteprima" in html
    assert html.index('href="/it/bozza/">') < html.rindex('href="/it/tradotta/">')
