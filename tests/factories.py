"""Factories for the pages and models of every app."""

import factory
import wagtail_factories

from home.choices import ProjectArea
from home.models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accademia Territoriale"
    hero_title = "Impara un mestiere"
    hero_text = "Corsi gratuiti nell'Adda Martesana."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pagina {n}")
    intro = "Una pagina di prova."

    class Meta:
        model = StandardPage


def furnish_home(home, pages, image=None):
    """The home page as the demo's: an area block per page of `pages` and a
    featured-pages block with them; with `image`, a hero image linking to
    the first of them. Published."""
    if image is not None:
        home.hero_image = image
        home.hero_link = pages[0]
    home.areas = [
        ("area", {"area": area, "title": f"Area {i}", "text": "Testo", "page": page})
        for i, (area, page) in enumerate(zip(ProjectArea.values, pages, strict=False))
    ]
    home.body = [("featured_pages", {"heading": "Per cominciare", "pages": pages})]
    home.save_revision().publish()
