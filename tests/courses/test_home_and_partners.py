"""What courses add to other pages: the home page, partner profiles (the
course card) and observatories (needs answered by courses or not)."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.template.loader import render_to_string
from django.test import RequestFactory

from partners.choices import NeedSource, Sector
from partners.models import LabourNeed, ObservatoryPage

from .conftest import publish


@pytest.mark.django_db
def test_home_page_shows_next_sessions_and_new_courses(client, world):
    soup = BeautifulSoup(client.get("/it/").content, "html.parser")
    upcoming = [a.get_text(strip=True) for a in soup.select(".upcoming-sessions .session-row a")]
    assert upcoming[0] == "Sartoria per ricominciare"
    assert set(upcoming) == {"Sartoria per ricominciare", "Saldatura a filo", "Excel per il lavoro"}
    assert "Bozza" not in upcoming and "Riservato" not in upcoming
    featured = [a.get_text(strip=True) for a in soup.select(".featured .course-card h3 a")]
    # The newest first, only courses with dates ahead.
    assert featured == ["Saldatura a filo", "Excel per il lavoro", "Sartoria per ricominciare"]
    assert soup.select_one(".upcoming-sessions a.button")["href"] == "/it/corsi/"


@pytest.mark.django_db
def test_course_card_renders_for_a_partner_profile(world, rf):
    """Partner profiles include `child.listing_card_template` with `child`."""
    request = rf.get("/")
    html = render_to_string(
        world.saldatura.listing_card_template,
        {"child": world.saldatura, "page": world.artisan, "request": request},
    )
    card = BeautifulSoup(html, "html.parser")
    assert card.select_one("h3 a").get_text(strip=True) == "Saldatura a filo"
    assert "Rodano" in card.get_text()
    also = render_to_string(
        world.excel.listing_card_template, {"page": world.excel, "request": request}
    )
    assert "Excel per il lavoro" in also


@pytest.mark.django_db
def test_observatory_splits_needs_answered_by_courses_from_open_ones(world, home, italian):
    def need(title):
        return LabourNeed.objects.create(
            title=title,
            comune="pioltello",
            sector=Sector.TAILORING,
            expressed_by=NeedSource.COMPANIES,
            noted_on=datetime.date(2026, 10, 1),
            locale=italian,
        )

    answered, unanswered = need("Sarte"), need("Magazzinieri")
    world.sartoria.labour_needs = [answered]
    publish(world.sartoria)
    world.draft.labour_needs = [unanswered]  # a draft answers nothing yet
    world.draft.save_revision()
    observatory = ObservatoryPage(title="Osservatorio di Pioltello", slug="oss", comune="pioltello")
    home.add_child(instance=observatory)
    split = observatory.needs_with_courses()
    assert split["answered"] == [(answered, [world.sartoria])]
    assert split["unanswered"] == [unanswered]
    html = render_to_string(
        "courses/includes/needs_with_courses.html",
        {"page": observatory, "request": RequestFactory().get("/")},
    )
    soup = BeautifulSoup(html, "html.parser")
    assert "Magazzinieri" in soup.select_one(".needs-open").get_text()
    link = soup.select_one(".needs-answered a")
    assert link["href"] == world.sartoria.url and link.get_text() == "Sartoria per ricominciare"


def _seats_text(soup, selector, title):
    for item in soup.select(selector):
        if title in item.get_text(" ", strip=True):
            return item.get_text(" ", strip=True)
    raise AssertionError(f"{title} not in {selector}")


@pytest.mark.django_db
def test_cards_and_next_dates_count_the_seats_taken(client, world):
    """A card says how many places are left, and "Full" once every seat is
    taken, as the course page does; not the session's capacity."""
    from courses.models import SignupStatus

    from .signup_factories import SignupFactory

    [session] = world.saldatura.sessions.all()
    session.capacity = 2
    session.save()
    SignupFactory(session=session)
    soup = BeautifulSoup(client.get(world.catalogue.url).content, "html.parser")
    assert "1 posto libero su 2" in _seats_text(soup, ".course-card", "Saldatura a filo")
    SignupFactory(session=session, status=SignupStatus.RESERVED)
    SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    for url, selector in [
        (world.catalogue.url, ".course-card"),
        (world.artisan.url, ".course-card"),
        ("/it/", ".featured .course-card"),
        ("/it/", ".upcoming-sessions .session-row"),
    ]:
        text = _seats_text(
            BeautifulSoup(client.get(url).content, "html.parser"), selector, "Saldatura a filo"
        )
        assert "Completo" in text, (url, selector, text)
        assert "2 posti" not in text, (url, selector, text)
    card = _seats_text(
        BeautifulSoup(client.get(world.catalogue.url).content, "html.parser"),
        ".course-card",
        "Saldatura a filo",
    )
    assert "1 in lista d'attesa" in card
