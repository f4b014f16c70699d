"""The page tree rules and the editors' blocks."""

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail_localize.fields import TranslatableField, get_translatable_fields

from home.blocks import CallToActionBlock, ImageBlock
from home.models import HomePage, StandardPage
from home.search_query import clean_search_query
from partners.models import ObservatoryPage


class TestPageTree(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_pages_go_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        # The observatories may sit under an area page (partners app).
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage, ObservatoryPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)


@pytest.mark.django_db
def test_image_block_needs_alt_text_unless_decorative():
    block = ImageBlock()
    image = wagtail_factories.ImageFactory()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean({"image": image, "alt_text": "", "decorative": False, "caption": ""})
    assert list(error.value.block_errors) == ["alt_text"]
    decorative = {"image": image, "alt_text": "", "decorative": True, "caption": ""}
    assert block.clean(decorative)["decorative"] is True


def hero_alt(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.select_one(".hero-image img")["alt"]


@pytest.mark.django_db
def test_the_hero_image_is_described_in_the_visitors_language(client, home, home_en):
    """An image's description is written once, in one language; the home
    page's own text alternative is translated with the page, so an English
    reader is not read an Italian sentence."""
    translatable = {
        field.field_name
        for field in get_translatable_fields(HomePage)
        if isinstance(field, TranslatableField)
    }
    assert "hero_image_alt" in translatable
    image = wagtail_factories.ImageFactory(description="Foto della sartoria")
    for page in (home, home_en):
        page.hero_image = image
        page.save_revision().publish()
    assert hero_alt(client, "/it/") == hero_alt(client, "/en/") == "Foto della sartoria"
    home.hero_image_alt = "Due sarte al lavoro nel laboratorio"
    home.save_revision().publish()
    home_en.hero_image_alt = "Two tailors at work in the workshop"
    home_en.save_revision().publish()
    assert hero_alt(client, "/it/") == "Due sarte al lavoro nel laboratorio"
    assert hero_alt(client, "/en/") == "Two tailors at work in the workshop"


def test_call_to_action_needs_exactly_one_destination():
    block = CallToActionBlock()
    value = block.to_python({"title": "Iscriviti", "button_label": "Vai", "page": None, "url": ""})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)
    value = block.to_python(
        {"title": "Iscriviti", "button_label": "Vai", "page": None, "url": "https://example.org/"}
    )
    assert block.clean(value)["url"] == "https://example.org/"


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ('corso "cucito', "corso cucito"),
        ("saldatore\x00", "saldatore"),
        ("  excel\n serale ", "excel serale"),
        ("dell'arte", "dell'arte"),
        ("x" * 500, "x" * 200),
    ],
)
def test_search_queries_are_cleaned_of_what_breaks_backends(typed, cleaned):
    assert clean_search_query(typed) == cleaned


def test_the_search_text_field_cleans_what_it_accepts_and_refuses_what_is_too_long():
    from django import forms

    from home.search_query import SearchTextField

    class Form(forms.Form):
        q = SearchTextField(required=False, max_length=20)

    form = Form({"q": ' corso "sartoria\\ '})
    assert form.is_valid() and form.cleaned_data["q"] == "corso sartoria"
    assert "q" in Form({"q": "a" * 21}).errors
