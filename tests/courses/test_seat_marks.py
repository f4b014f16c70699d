"""Places written as pages are served (courses/seat_marks.py): a sign-up
leaves every cached page and fragment warm, yet every page shows the places
left as they are now."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from courses import booking, seat_marks
from courses.models import CourseSession, SignupStatus
from home.cache import content_generation, seats_generation
from home.models import SiteFooter
from home.request_memo import RequestMemoMiddleware

from .signup_factories import SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    SiteFooter.load()  # created on first use, which counts as a change


def _pages(world):
    return [
        (world.catalogue.url, ".course-card"),
        (world.artisan.url, ".course-card"),
        ("/it/", ".featured .course-card"),
        ("/it/", ".upcoming-sessions .session-row"),
        (world.saldatura.url, ".course-sessions"),
    ]


def _item(content, selector, title):
    soup = BeautifulSoup(content, "html.parser")
    if selector == ".course-sessions":
        return soup.select_one("main")
    for item in soup.select(selector):
        if title in item.get_text(" ", strip=True):
            return item
    raise AssertionError(f"{title} not in {selector}")


def _served(rf, view):
    """The response of `view` to a GET, through the middleware that lets
    templates write marks and fills them."""
    return RequestMemoMiddleware(seat_marks.SeatMarksMiddleware(view))(rf.get("/"))


def _sign_up(session, email):
    return booking.sign_up(
        session, first_name="Anna", last_name="Verdi", email=email, comune="rodano"
    ).signup


def test_a_sign_up_leaves_cached_pages_warm_and_their_places_current(client, world):
    [session] = world.saldatura.sessions.all()
    session.capacity = 1
    session.save()
    for url, _selector in _pages(world):
        client.get(url)
    content, seats = content_generation(), seats_generation()

    _sign_up(session, "anna@example.org")

    assert content_generation() == content  # nothing cached went stale
    assert seats_generation() != seats
    for url, selector in _pages(world):
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert b"[[seats:" not in response.content
        text = _item(response.content, selector, "Saldatura a filo").get_text(" ", strip=True)
        assert "Completo" in text, (url, selector, text)
        assert "1 posto" not in text, (url, selector, text)
    card = _item(client.get(world.catalogue.url).content, ".course-card", "Saldatura a filo")
    assert "course-card--full" in card["class"]
    page = BeautifulSoup(client.get(world.saldatura.url).content, "html.parser")
    assert page.select_one(".signup-form button").get_text(strip=True) == (
        "Mettimi in lista d'attesa"
    )
    assert "Al completo" in page.select_one(".signup-seats").get_text()

    # A cancellation frees the seat again, on the same cached pages.
    booking.cancel(session.signups.get().pk)
    for url, selector in _pages(world):
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        text = _item(response.content, selector, "Saldatura a filo").get_text(" ", strip=True)
        assert "Completo" not in text, (url, selector, text)
    card = _item(client.get(world.catalogue.url).content, ".course-card", "Saldatura a filo")
    assert "course-card--full" not in card["class"]
    assert "1 posto libero su 1" in card.get_text(" ", strip=True)
    page = BeautifulSoup(client.get(world.saldatura.url).content, "html.parser")
    assert page.select_one(".signup-form button").get_text(strip=True) == "Iscrivimi"


def test_a_cached_page_reads_the_places_once_after_a_sign_up(
    client, world, django_assert_num_queries
):
    [session] = world.saldatura.sessions.all()
    client.get(world.saldatura.url)
    client.get(world.catalogue.url)
    with django_assert_num_queries(0):
        assert client.get(world.saldatura.url)["X-Page-Cache"] == "hit"
    SignupFactory(session=session)
    with django_assert_num_queries(1):  # its sessions' places, for every page
        assert client.get(world.saldatura.url)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(0):  # kept under the new seats generation
        assert client.get(world.saldatura.url)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(1):  # the other cards' sessions; this one's is kept
        assert client.get(world.catalogue.url)["X-Page-Cache"] == "hit"


def test_places_are_written_in_the_language_of_the_page(world):
    [session] = CourseSession.objects.with_seats().filter(page=world.saldatura)
    SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    token = seat_marks._token()
    page = (
        f"<p>[[seats:{token}:places:it:{session.pk}]]</p>"
        f"<p>[[seats:{token}:places:en:{session.pk}]]</p>"
        f"<p>[[seats:{token}:form-button:en:{session.pk}]]</p>"
        f'<li class="card{""}[[seats:{token}:card-full:it:{session.pk}]]">'
    ).encode()
    filled = seat_marks.fill(page).decode()
    assert "12 posti liberi su 12" in filled
    assert "12 places left of 12" in filled
    assert "Sign me up" in filled
    assert 'class="card"' in filled


def test_text_that_looks_like_a_mark_is_left_as_written(client, world):
    [session] = world.saldatura.sessions.all()
    typed = f"[[seats:0123456789abcdef:places:it:{session.pk}]]"
    world.saldatura.intro = f"Scrivete {typed} per provare."
    world.saldatura.save_revision().publish()
    assert typed in client.get(world.saldatura.url).content.decode()


def test_outside_a_request_the_places_are_written_directly(world):
    [session] = CourseSession.objects.with_seats().filter(page=world.saldatura)
    assert not seat_marks.marking()
    with override("it"):
        assert seat_marks.mark("places", session).strip() == "12 posti liberi su 12"
        assert seat_marks.mark("card-full", [session]) == ""


def test_a_state_kept_is_never_older_than_its_generations(client, world):
    """The rows a request reads are kept under the generations read before
    them: a sign-up committed after the read moves the seats generation, so
    the state read before it is never served under the new one."""
    [session] = world.saldatura.sessions.all()
    client.get(world.saldatura.url)
    before = seats_generation()
    SignupFactory(session=session)
    assert seats_generation() != before
    text = _item(client.get(world.saldatura.url).content, ".course-sessions", "").get_text()
    assert "11 posti liberi su 12" in text


def test_a_session_not_saved_yet_is_written_directly(rf):
    """A preview can show sessions that have no row yet: no state to read,
    so their places are written as they are, never left as a mark."""
    unsaved = CourseSession(capacity=8, status="scheduled")

    def view(request):
        assert seat_marks.marking()
        return HttpResponse(seat_marks.mark("places", unsaved))

    with override("it"):
        response = _served(rf, view)
    assert response.content.decode().strip() == "8 posti"


def test_a_course_change_makes_only_its_own_places_cold(client, world):
    """Places are kept per their course's version (home/cache.py): a change
    to one course (its session's capacity here) makes its sessions' places
    cold and leaves every other course's as they were kept."""
    [changed] = world.saldatura.sessions.all()
    [other] = world.excel.sessions.all()
    wanted = {changed.pk: changed.page_id, other.pk: other.page_id}
    seat_marks.states(wanted)
    with CaptureQueriesContext(connection) as queries:
        seat_marks.states(wanted)
    assert len(queries) == 0

    changed.capacity = 3
    changed.save()
    with CaptureQueriesContext(connection) as queries:
        found = seat_marks.states(wanted)
    assert found[changed.pk].capacity == 3
    assert found[other.pk].capacity == other.capacity
    [read] = queries
    assert f'"courses_coursesession"."id" IN ({changed.pk})' in read["sql"]

    # Through the catalogue: the changed card shows its new places.
    client.get(world.catalogue.url)
    changed.capacity = 2
    changed.save()
    content = client.get(world.catalogue.url).content
    assert "2 posti liberi su 2" in _item(content, ".course-card", "Saldatura a filo").get_text(
        " ", strip=True
    )


def test_marks_name_their_sessions_courses_and_older_marks_still_fill(rf, world):
    """A mark names each session with its course ("12.7"); a mark written
    before they did ("12"), still in a cache after an upgrade, is filled
    the same."""
    [session] = CourseSession.objects.with_seats().filter(page=world.saldatura)
    token = seat_marks._token()
    written = []

    def view(request):
        written.append(str(seat_marks.mark("places", session)))
        return HttpResponse(written[-1])

    with override("it"):
        response = _served(rf, view)
    assert written == [f"[[seats:{token}:places:it:{session.pk}.{world.saldatura.pk}]]"]
    assert response.content.decode().strip() == "12 posti liberi su 12"
    page = (
        f"<p>[[seats:{token}:places:it:{session.pk}.{session.page_id}]]</p>"
        f"<p>[[seats:{token}:places:it:{session.pk}]]</p>"
    ).encode()
    filled = seat_marks.fill(page).decode()
    assert filled.count("12 posti liberi su 12") == 2


def test_places_read_before_their_course_changed_are_not_kept_under_it(rf, world):
    """A request reads a session's places, then its course changes before
    the page leaves: what it read is shown on that page, but never kept
    under the course's new version, where the next page would find it."""
    [session] = world.saldatura.sessions.all()

    def view(request):
        [counted] = CourseSession.objects.with_seats().filter(pk=session.pk)
        session.capacity = 4
        session.save()  # another editor's change, committed meanwhile
        return HttpResponse(seat_marks.mark("places", counted))

    with override("it"):
        response = _served(rf, view)
    assert response.content.decode().strip() == "12 posti liberi su 12"
    assert seat_marks.states({session.pk: session.page_id})[session.pk].capacity == 4


def test_places_read_before_their_course_changed_are_not_kept_under_generations_read_earlier(
    rf, world
):
    """The whole-page cache fills a page with the generations it read when
    the request began: a row read later, before its course changed, is
    still never kept under the course's new version."""
    [session] = world.saldatura.sessions.all()

    def view(request):
        began = seat_marks.request_generations()
        [counted] = CourseSession.objects.with_seats().filter(pk=session.pk)
        session.capacity = 4
        session.save()  # another editor's change, committed meanwhile
        content = f"<p>{seat_marks.mark('places', counted)}</p>".encode()
        return HttpResponse(seat_marks.fill(content, began))

    with override("it"):
        response = _served(rf, view)
    assert "12 posti liberi su 12" in response.content.decode()
    assert seat_marks.states({session.pk: session.page_id})[session.pk].capacity == 4
