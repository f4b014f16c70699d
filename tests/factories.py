"""Factories for the pages and models of every app."""

import factory
import wagtail_factories

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
