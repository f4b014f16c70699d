"""The citizen's way, through HTTP and the outbox."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from academy_site.date_articles import date_with_article
from courses import booking
from courses.choices import SessionStatus, SignupMode
from courses.models import Signup, SignupReminder, SignupStatus
from courses.models.bookings import QuestionKind
from courses.signup_links import action_url, participant_token
from courses.templatetags import signup_tags
from home.cache import placeholder, rendering_for_cache

from .signup_factories import (
    add_question,
    form_data,
    make_course,
    make_partner,
    press_the_button,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(committing_client):
    """Requests end as in production: e-mails queued on commit are sent."""
    return committing_client


@pytest.fixture
def partner(home):
    return make_partner(home)


@pytest.fixture
def course_and_session(partner):
    course, sessions = make_course(partner)
    return course, sessions[0]


def signup_url(session, lang="it"):
    with translation.override(lang):
        return reverse("signups:session", args=[session.uid])


def links(message):
    return re.findall(r"http://testserver(/\S+)", message.body)


def link(message, action):
    return next(url for url in links(message) if f"/signup/{action}/" in url)


def test_standalone_page_shows_an_accessible_form(client, course_and_session):
    course, session = course_and_session
    add_question(course, required=True)
    response = client.get(signup_url(session))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    form = html.select_one("form.signup-form")
    names = {field["name"] for field in form.select("input, select")}
    assert {"first_name", "last_name", "email", "phone", "comune", "privacy"} <= names
    assert {"future_courses", "website", "started", "csrfmiddlewaretoken"} <= names
    # Every visible field has a label; the comune offers the four and "other".
    for field in form.select("input[type=text], input[type=email], select"):
        assert html.select_one(f'label[for="{field["id"]}"]'), field["name"]
    options = [o["value"] for o in form.select("select[name=comune] option")]
    assert options == ["", "pioltello", "rodano", "segrate", "vimodrone", "other"]
    assert "Ti serve il servizio di baby-sitting?" in form.get_text()
    assert "3 posti liberi" in html.get_text()


def test_english_page_speaks_english(client, course_and_session):
    course, session = course_and_session
    add_question(course)
    response = client.get(signup_url(session, "en"))
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "Do you need childcare?" in text
    assert "Sign me up" in text and "3 seats free" in text


def test_sign_up_confirm_and_get_the_calendar(client, course_and_session):
    course, session = course_and_session
    add_question(course)
    question = course.signup_questions.get()
    response = client.post(
        signup_url(session), form_data(**{f"q_{question.pk}": "yes", "future_courses": "on"})
    )
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert signup.status == SignupStatus.RESERVED
    assert signup.future_courses_consent is True
    assert signup.answers == [{"question": question.label, "answer": "yes"}]
    assert signup.expires_at - timezone.now() > datetime.timedelta(hours=47)
    page = client.get(response["Location"])
    assert "Il tuo posto è prenotato" in page.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.rossi@example.org"]
    assert "Conferma" in message.subject and course.title in message.subject
    html = message.alternatives[0][0]
    assert "Conferma il mio indirizzo e-mail" in html
    assert not message.attachments

    confirmed = press_the_button(client, link(message, "confirm"))
    assert confirmed.status_code == 200
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CONFIRMED and signup.email_confirmed_at
    message = mail.outbox[1]
    assert "Hai un posto" in message.subject
    assert "Via Roma 1" in message.body
    assert any("/signup/mine/" in url for url in links(message))
    name, content, mimetype = message.attachments[0]
    assert name == "session.ics" and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(session.uid))
    assert int(event["SEQUENCE"]) == session.sequence
    assert event.decoded("DTSTART") == session.start
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Rome"
    assert str(event["SUMMARY"]) == course.title
    # Confirming twice changes nothing and sends nothing more.
    assert client.post(link(mail.outbox[0], "confirm")).status_code == 200
    assert len(mail.outbox) == 2


def test_the_calendar_attachment_names_its_charset_once(client, course_and_session):
    _course, session = course_and_session
    client.post(signup_url(session), form_data())
    press_the_button(client, link(mail.outbox[0], "confirm"))
    sent = mail.outbox[1].message()
    [part] = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    # A parameter given twice ("charset=utf-8; charset=\"utf-8\"") is invalid
    # MIME (RFC 2045); strict mail clients drop such an attachment.
    assert part["Content-Type"].lower().count("charset") == 1
    assert part.get_content_charset() == "utf-8"
    assert Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")


def test_full_session_puts_people_on_the_waiting_list_in_order(client, partner):
    _course, (session,) = make_course(partner, capacity=1)
    for n in range(3):
        client.post(signup_url(session), form_data(email=f"p{n}@example.org"))
    statuses = list(Signup.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["reserved", "waitlisted", "waitlisted"]
    last = Signup.objects.order_by("id").last()
    assert last.waitlist_position() == 2
    response = client.post(signup_url(session), form_data(email="p3@example.org"), follow=True)
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "Sei in lista d'attesa" in text and "3" in text
    assert "lista d'attesa" in mail.outbox[-1].body


def test_signing_up_again_resends_instead_of_taking_a_second_place(client, course_and_session):
    _course, session = course_and_session
    client.post(signup_url(session), form_data())
    response = client.post(
        signup_url(session), form_data(email="Maria.Rossi@EXAMPLE.org"), follow=True
    )
    assert Signup.objects.count() == 1
    assert len(mail.outbox) == 2
    assert "eri già iscritto" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Questo campo è obbligatorio"),
        ({"email": "not-an-email"}, "indirizzo email valido"),
        ({"privacy": None}, "Accetta l&#x27;informativa"),
        ({"comune": "milano"}, "Scegli un&#x27;opzione valida"),
        ({"website": "http://spam.example"}, "Lascia vuoto"),
        ({"started": "tampered"}, "Il modulo si è danneggiato"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client, course_and_session, overrides, message
):
    _course, session = course_and_session
    response = client.post(signup_url(session), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signup.objects.count() == 0 and mail.outbox == []


def test_an_address_with_a_too_long_local_part_is_refused_keeping_the_rest(
    client, course_and_session
):
    """Mail servers refuse more than 64 characters before the @: the sign-up
    used to be stored and its confirmation lost."""
    _course, session = course_and_session
    email = "m" * 65 + "@example.org"
    response = client.post(signup_url(session), form_data(email=email, phone="333 1234567"))
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "La parte prima della @ può avere al massimo 64 caratteri" in page.get_text()
    assert page.select_one("input[name=first_name]")["value"] == "Maria"
    assert page.select_one("input[name=phone]")["value"] == "333 1234567"
    assert page.select_one("input[name=email]")["value"] == email
    assert Signup.objects.count() == 0 and mail.outbox == []


def test_a_form_sent_too_fast_is_refused(client, course_and_session):
    _course, session = course_and_session
    page = BeautifulSoup(client.get(signup_url(session)).content, "html.parser")
    started = page.select_one("input[name=started]")["value"]
    response = client.post(signup_url(session), form_data(started=started))
    assert response.status_code == 400
    assert "Molto veloce" in response.content.decode() or "molto veloce" in (
        response.content.decode()
    )
    assert Signup.objects.count() == 0


@pytest.mark.parametrize("change", ["cancelled", "past", "deadline"])
def test_closed_sessions_refuse_sign_ups(client, course_and_session, change):
    _course, session = course_and_session
    now = timezone.now()
    if change == "cancelled":
        session.status = SessionStatus.CANCELLED
    elif change == "past":
        session.start, session.end = now - datetime.timedelta(hours=3), now
    else:
        session.signup_deadline = now - datetime.timedelta(minutes=1)
    session.save()
    page = client.get(signup_url(session))
    assert "signup-form" not in page.content.decode()
    response = client.post(signup_url(session), form_data())
    assert response.status_code == 409
    assert Signup.objects.count() == 0 and mail.outbox == []


def test_rate_limits(client, course_and_session, settings):
    _course, session = course_and_session
    settings.SIGNUP_RATE_LIMITS = {"ip": (100, 60), "email": (2, 60)}
    for _ in range(2):
        assert client.post(signup_url(session), form_data()).status_code == 302
    response = client.post(signup_url(session), form_data())
    assert response.status_code == 429
    settings.SIGNUP_RATE_LIMITS = {"ip": (1, 60), "email": (100, 60)}
    from django.core.cache import cache

    cache.clear()
    assert client.post(signup_url(session), form_data(email="a@example.org")).status_code == 302
    response = client.post(signup_url(session), form_data(email="b@example.org"))
    assert response.status_code == 429
    assert "Troppe iscrizioni" in response.content.decode()
    assert Signup.objects.count() == 2


def unchanged(signup):
    """The sign-up as stored, to compare before and after a request."""
    return Signup.objects.values().get(pk=signup.pk)


def test_opening_the_confirm_link_only_asks(client, course_and_session):
    """Mail scanners open every link of a message: opening the link (GET or
    HEAD) confirms nothing and sends nothing; the page's button does."""
    course, session = course_and_session
    client.post(signup_url(session), form_data())
    signup = Signup.objects.get()
    before = unchanged(signup)
    url = link(mail.outbox[0], "confirm")

    page = client.get(url)
    assert page.status_code == 200
    html = BeautifulSoup(page.content, "html.parser")
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert course.title in html.get_text() and date_line(session) in html.get_text()
    (form,) = html.find_all("form", method="post")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    (button,) = form.find_all("button", type="submit")
    assert button.get_text(strip=True) == "Conferma la mia iscrizione"
    assert "button--large" in button["class"]
    assert client.head(url).status_code == 200
    assert unchanged(signup) == before and len(mail.outbox) == 1
    assert client.put(url).status_code == 405
    assert unchanged(signup) == before

    confirmed = client.post(url)
    assert "Grazie, il tuo indirizzo e-mail è confermato" in confirmed.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CONFIRMED and signup.email_confirmed_at
    assert len(mail.outbox) == 2


def test_a_confirmed_link_shows_the_confirmation_without_a_button(client, course_and_session):
    _course, session = course_and_session
    client.post(signup_url(session), form_data())
    press_the_button(client, link(mail.outbox[0], "confirm"))
    signup = Signup.objects.get()
    before = unchanged(signup)
    page = client.get(link(mail.outbox[0], "confirm"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Grazie, il tuo indirizzo e-mail è confermato" in text and "<form" not in text
    assert unchanged(signup) == before and len(mail.outbox) == 2


def test_a_waiting_list_place_is_confirmed_from_its_own_page(client, partner):
    _course, (session,) = make_course(partner, capacity=1)
    client.post(signup_url(session), form_data(email="first@example.org"))
    client.post(signup_url(session), form_data(email="second@example.org"))
    page = client.get(link(mail.outbox[1], "confirm"))
    assert "tenere il tuo posto in lista d'attesa" in page.content.decode()
    assert Signup.objects.get(email="second@example.org").email_confirmed_at is None


def test_the_confirm_page_speaks_english(client, course_and_session):
    _course, session = course_and_session
    client.post(signup_url(session, "en"), form_data())
    url = link(mail.outbox[0], "confirm")
    assert url.startswith("/en/signup/confirm/")
    page = client.get(url)
    html = BeautifulSoup(page.content, "html.parser")
    assert html.html["lang"] == "en"
    assert html.h1.get_text(strip=True) == "Confirm your e-mail address"
    assert html.find("button", type="submit").get_text(strip=True) == "Confirm my sign-up"
    assert "You have a seat" in client.post(url).content.decode()


def test_the_still_coming_link_only_asks(client, course_and_session, committed):
    """The reminder's "yes, I'm still coming": opening it records nothing;
    the page and its button name the date it answers for."""
    course, session = course_and_session
    client.post(signup_url(session), form_data())
    press_the_button(client, link(mail.outbox[0], "confirm"))
    signup = Signup.objects.get()
    committed(booking.send_reminders, within=datetime.timedelta(days=8))
    reminder = SignupReminder.objects.get()
    before = unchanged(signup), SignupReminder.objects.values().get()
    url = link(mail.outbox[-1], "coming")
    page = client.get(url)
    assert page.status_code == 200
    html = BeautifulSoup(page.content, "html.parser")
    assert course.title in html.get_text() and date_line(session) in html.get_text()
    (form,) = html.find_all("form", method="post")
    day = day_of(session)
    with translation.override("it"):
        on_day = date_with_article(day, "il")
    assert form.find("button", type="submit").get_text(strip=True) == f"Sì, vengo {on_day}"
    assert client.head(url).status_code == 200
    assert client.put(url).status_code == 405
    assert (unchanged(signup), SignupReminder.objects.values().get()) == before

    answered = client.post(url).content.decode()
    assert "Grazie, a presto" in answered and day in answered
    reminder.refresh_from_db()
    assert reminder.still_coming_at is not None
    # Opened again, the link shows the answer given, without a button.
    again = client.get(url).content.decode()
    assert "Grazie, a presto" in again and "<form" not in again
    # A sign-up that no longer holds a seat is told so, on GET as on POST.
    client.post(action_url(signup, "cancel").removeprefix("http://testserver"))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 409
        assert "non ha più un posto" in response.content.decode()


def day_of(session, language="it"):
    """A session's day as the "still coming" button names it."""
    with translation.override(language):
        return date_format(timezone.localtime(session.start), "j F")


@pytest.mark.parametrize("action", ["confirm", "cancel", "release", "coming", "done", "mine"])
def test_tampered_links_are_refused_clearly(client, course_and_session, action):
    _course, session = course_and_session
    client.post(signup_url(session), form_data())
    signup = Signup.objects.get()
    token = link(mail.outbox[0], "confirm").rstrip("/").rsplit("/", 1)[1]
    url = reverse(f"signups:{action}", args=[token[:-2] + "xx"])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Questo link non è valido" in response.content.decode()
    # A confirm token is not a cancel token either.
    if action == "cancel":
        assert client.post(reverse("signups:cancel", args=[token])).status_code == 400
    signup.refresh_from_db()
    assert signup.status == SignupStatus.RESERVED


def test_cancel_passes_the_seat_to_the_first_waiting(client, partner):
    _course, (session,) = make_course(partner, capacity=1)
    client.post(signup_url(session), form_data(email="first@example.org"))
    client.post(signup_url(session), form_data(email="second@example.org"))
    client.post(signup_url(session), form_data(email="third@example.org"))
    press_the_button(client, link(mail.outbox[1], "confirm"))  # second confirms while waiting
    mail.outbox.clear()
    first = Signup.objects.get(email="first@example.org")
    from courses.signup_links import action_url

    url = action_url(first, "cancel").removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Signup.objects.get(pk=first.pk).status == SignupStatus.RESERVED  # GET changes nothing
    response = client.post(url)
    assert "Hai annullato" in response.content.decode() or response.status_code == 200
    statuses = dict(Signup.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": "cancelled",
        "second@example.org": "confirmed",
        "third@example.org": "waitlisted",
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "annullata" in subjects["first@example.org"]
    assert "liberato un posto" in subjects["second@example.org"]
    promoted = next(m for m in mail.outbox if m.to == ["second@example.org"])
    assert promoted.attachments  # confirmed seat: calendar attached
    assert client.post(url).status_code == 409


def cancelled_page_text(client, signup):
    from courses.signup_links import action_url

    url = action_url(signup, "cancel").removeprefix("http://testserver")
    before = BeautifulSoup(client.get(url).content, "html.parser").select_one("main").get_text(" ")
    after = BeautifulSoup(client.post(url).content, "html.parser").select_one("main").get_text(" ")
    return before, after


def test_cancel_says_the_seat_passed_on_only_when_it_did(client, partner):
    _course, (session,) = make_course(partner, capacity=2)
    client.post(signup_url(session), form_data(email="first@example.org"))
    client.post(signup_url(session), form_data(email="second@example.org"))
    client.post(signup_url(session), form_data(email="third@example.org"))
    first, second, third = Signup.objects.order_by("id")
    passed_on = "è passato alla prossima persona in lista d'attesa"
    # Someone waits: the seat passes on, and the page says so.
    before, after = cancelled_page_text(client, first)
    assert "il tuo posto passa subito alla prossima persona" in before
    assert passed_on in after
    # Nobody waits any more: the seat is free again, it passed to nobody,
    # and the page asking says so before.
    before, after = cancelled_page_text(client, second)
    assert "il tuo posto passa" not in before and "torna libero" in before
    assert passed_on not in after and "è di nuovo libero" in after
    # A person on the waiting list had no seat to give.
    client.post(signup_url(session), form_data(email="fourth@example.org"))
    client.post(signup_url(session), form_data(email="fifth@example.org"))
    fifth = Signup.objects.get(email="fifth@example.org")
    assert fifth.status == SignupStatus.WAITLISTED
    mail.outbox.clear()
    before, after = cancelled_page_text(client, fifth)
    assert "lasci la lista d'attesa" in before and "il tuo posto passa" not in before
    assert passed_on not in after and "non sei più in lista d'attesa" in after
    # Nor does the e-mail tell someone who had no seat that it passed on.
    (cancelled,) = mail.outbox
    assert "annullata" in cancelled.subject
    assert "è passato a qualcun altro" not in cancelled.body
    assert "puoi iscriverti di nuovo" in cancelled.body


@pytest.mark.parametrize("action", ["cancel", "release"])
def test_the_cancel_page_has_its_button_before_the_dates(client, partner, action):
    """A series lists every date: on a phone they pushed the button two
    screens down. The button follows the sentence that says where the seat
    goes; the dates come after it, under "When and where". Opening the link
    (GET or HEAD, as mail scanners do) changes nothing."""
    _course, sessions = make_course(partner, capacity=1, signup_mode=SignupMode.SERIES, sessions=3)
    client.post(signup_url(sessions[0]), form_data(email="first@example.org"))
    client.post(signup_url(sessions[0]), form_data(email="second@example.org"))
    press_the_button(client, link(mail.outbox[0], "confirm"))
    first = Signup.objects.get(email="first@example.org")
    before, sent = unchanged(first), len(mail.outbox)
    url = action_url(first, action).removeprefix("http://testserver")

    assert client.head(url).status_code == 200
    assert client.put(url).status_code == 405
    assert unchanged(first) == before and len(mail.outbox) == sent

    page = client.get(url)
    assert page.status_code == 200
    children = BeautifulSoup(page.content, "html.parser").select_one(".signup-result")
    children = children.find_all(recursive=False)
    names = [child.name for child in children]
    at = names.index("form")
    where = next(
        i for i, child in enumerate(children) if "passa subito alla prossima" in child.get_text()
    )
    # Only the series' "for every remaining session" note may stand between.
    assert at - where == (2 if action == "release" else 1)
    assert children[at + 1].name == "h2" and children[at + 1].get_text() == "Quando e dove"
    assert children[at + 2]["class"] == ["signup-when"]
    assert [date_line(s) in children[at + 2].get_text() for s in sessions] == [True] * 3
    assert not any(date_line(s) in child.get_text() for s in sessions for child in children[:at])
    assert unchanged(first) == before and len(mail.outbox) == sent


def test_my_signups_page(client, partner):
    _course, (session,) = make_course(partner, capacity=1)
    client.post(signup_url(session), form_data(email="a@example.org"))
    client.post(signup_url(session), form_data(email="b@example.org"))
    press_the_button(client, link(mail.outbox[1], "confirm"))
    mine = link(mail.outbox[-1], "mine")
    page = client.get(mine)
    assert page.status_code == 200
    html = BeautifulSoup(page.content, "html.parser")
    assert "a@example.org" not in html.get_text(" ")
    # The waiting-list state is said once, with the position.
    (row,) = html.select(".signup-row")
    assert "Posizione 1 in lista d'attesa" in row.get_text(" ")
    assert row.get_text(" ").lower().count("lista d'attesa") == 1


def mine_rows(client, signup, lang="it"):
    with translation.override(lang):
        address = reverse("signups:mine", args=[participant_token(signup.participant)])
    html = BeautifulSoup(client.get(address).content, "html.parser")
    return html.select(".signup-row")


def test_my_signups_page_shows_every_date_of_a_series(client, partner):
    _course, sessions = make_course(partner, signup_mode=SignupMode.SERIES, sessions=3)
    client.post(signup_url(sessions[0]), form_data())
    signup = Signup.objects.get()
    (row,) = mine_rows(client, signup)
    shown = [time["datetime"] for time in row.select(".signup-dates time")]
    assert shown == [timezone.localtime(s.start).isoformat() for s in sessions]
    assert "3 date" in row.get_text(" ")
    # A date the organiser cancelled says so, on that date only.
    sessions[1].status = SessionStatus.CANCELLED
    sessions[1].save()
    (row,) = mine_rows(client, signup)
    marked = [bool(li.select(".signup-badge--cancelled")) for li in row.select(".signup-dates li")]
    assert marked == [False, True, False]
    assert "Incontro annullato" not in row.get_text(" ")
    # A series under way is still coming up, and can still be cancelled.
    sessions[0].start -= datetime.timedelta(days=30)
    sessions[0].end -= datetime.timedelta(days=30)
    sessions[0].save()
    (row,) = mine_rows(client, signup, "en")
    assert "3 dates" in row.get_text(" ")
    assert row.find_parent("ul").find_previous("h2").get_text() == "Coming up"
    assert row.select_one("a[href*='/signup/cancel/']")


def test_a_long_series_shows_its_span_and_every_date_on_demand(client, partner):
    _course, sessions = make_course(partner, signup_mode=SignupMode.SERIES, sessions=8)
    client.post(signup_url(sessions[0]), form_data())
    (row,) = mine_rows(client, Signup.objects.get())
    summary = row.select(".signup-dates-summary time")
    assert [t["datetime"] for t in summary] == [
        timezone.localtime(s.start).isoformat() for s in (sessions[0], sessions[-1])
    ]
    assert len(row.select("details .signup-dates li")) == 8


def test_my_signups_page_takes_a_constant_number_of_queries(
    client, partner, english, home_en, django_assert_max_num_queries
):
    _one, (single,) = make_course(partner, capacity=1)
    client.post(signup_url(single, "en"), form_data(email="other@example.org"))
    client.post(signup_url(single, "en"), form_data())
    signup = Signup.objects.get(email="maria.rossi@example.org")
    address = reverse("signups:mine", args=[participant_token(signup.participant)])
    with CaptureQueriesContext(connection) as queries:
        client.get("/en" + address[3:])
    few = len(queries)
    for _i in range(3):
        _course, sessions = make_course(
            partner, capacity=1, signup_mode=SignupMode.SERIES, sessions=3
        )
        client.post(signup_url(sessions[0], "en"), form_data(email="first@example.org"))
        client.post(signup_url(sessions[0], "en"), form_data())
    with django_assert_max_num_queries(few):
        response = client.get("/en" + address[3:])
    html = BeautifulSoup(response.content, "html.parser")
    assert len(html.select(".signup-row")) == 4
    assert len(html.select(".signup-dates li")) == 9


def test_english_sign_up_gets_english_e_mails(client, course_and_session):
    _course, session = course_and_session
    client.post(signup_url(session, "en"), form_data())
    message = mail.outbox[0]
    assert "Please confirm your e-mail address" in message.subject
    assert "/en/signup/confirm/" in message.body
    assert Signup.objects.get().language == "en"
    press_the_button(client, link(message, "confirm"))
    assert "You have a seat" in mail.outbox[1].subject


def test_series_sign_up_covers_every_session(client, partner):
    _course, sessions = make_course(partner, signup_mode=SignupMode.SERIES, sessions=3)
    # The later sessions point to the first.
    response = client.get(signup_url(sessions[2]))
    assert response.status_code == 302 and str(sessions[0].uid) in response["Location"]
    client.post(signup_url(sessions[0]), form_data())
    press_the_button(client, link(mail.outbox[0], "confirm"))
    cal = Calendar.from_ical(mail.outbox[1].attachments[0][1])
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert len(uids) == 3
    # The personal calendar feed lists every session too, not only the
    # first one that carries the sign-up; a session cancelled shows so.
    sessions[1].status = SessionStatus.CANCELLED
    sessions[1].save()
    participant = Signup.objects.get().participant
    feed = client.get(reverse("feeds:personal", args=[participant.feed_token]))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in events}
    assert set(statuses) == uids
    assert sorted(statuses.values()) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]


def test_a_cancelled_date_of_a_series_is_told_to_the_series_sign_ups(client, partner, committed):
    _course, sessions = make_course(partner, signup_mode=SignupMode.SERIES, sessions=3)
    client.post(signup_url(sessions[0]), form_data())
    press_the_button(client, link(mail.outbox[0], "confirm"))
    mail.outbox.clear()
    # The sign-ups hang on the first session; the organiser cancels the second.
    sessions[1].status = SessionStatus.CANCELLED
    committed(sessions[1].save)
    (message,) = mail.outbox
    assert "Incontro annullato" in message.subject
    told, listed = message.body.split("Quando e dove")
    assert "annullato questo incontro" in told and "resta valida per le altre date" in told
    assert date_line(sessions[1]) in told and date_line(sessions[0]) not in told
    for session in sessions:
        assert date_line(session) in listed
    cal = Calendar.from_ical(message.attachments[0][1])
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in cal.walk("VEVENT")}
    assert statuses[f"{sessions[1].uid}@accademia-territoriale"] == "CANCELLED"


def date_line(session):
    """A session's date and hours as the Italian e-mails write them."""
    with translation.override("it"):
        return Template('{{ s.start|date:"l j F Y" }}, {{ s.start|time:"H:i" }}').render(
            Context({"s": session})
        )


def test_signup_form_tag_renders_the_form(course_and_session, home):
    _course, session = course_and_session
    request = RequestFactory().get("/it/")
    html = Template("{% load signup_tags %}{% signup_form session %}").render(
        Context({"session": session, "request": request})
    )
    assert f'action="/it/signup/{session.uid}/"' in html
    assert 'name="privacy"' in html


def test_a_course_page_with_a_form_for_each_date_gives_every_field_its_own_id(client, partner):
    course, sessions = make_course(partner, sessions=2)
    add_question(course, kind=QuestionKind.YES_NO)
    soup = BeautifulSoup(client.get(course.url).content, "html.parser")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    forms = soup.select("form.signup-form")
    assert len(forms) == 2
    for form in forms:
        for label in form.select("label[for]"):
            assert form.select_one(f'[id="{label["for"]}"]'), label["for"]
        for described in form.select("[aria-describedby]"):
            for name in described["aria-describedby"].split():
                assert form.select_one(f'[id="{name}"]'), name
    assert forms[0].select_one("#id_first_name")  # the first date's as on the sign-up page
    for session, section in zip(sessions, soup.select("section.signup"), strict=True):
        heading = soup.select_one(f'[id="{section["aria-labelledby"]}"]')
        assert heading.name == "h3" and heading.parent is section
        assert section.find_parent(id=f"signup-{session.uid}")  # the date's sign-up anchor


def _form_fields(session, language, data=None, privacy_url="/it/privacy/"):
    """The sign-up form's fields as the course page renders them for the
    shared cache (a preview or a single visitor's page: `for_cache=False`)."""
    from courses.signup_views import new_form

    with translation.override(language):
        form = new_form(session, data)
        if data is not None:
            form.is_valid()
        context = Context({"form": form, "privacy_url": privacy_url})
        return Template("{% load signup_tags %}{% signup_fields %}").render(context)


@pytest.fixture
def nothing_kept():
    signup_tags._fields_kept.clear()
    yield signup_tags._fields_kept
    signup_tags._fields_kept.clear()


def test_empty_forms_fields_are_kept_per_questions_and_language(partner, nothing_kept):
    asked, _session = make_course(partner)
    add_question(asked)
    asked_session = asked.sessions.get()
    plain_session = make_course(partner)[1][0]
    with rendering_for_cache():
        italian = _form_fields(asked_session, "it")
        english = _form_fields(asked_session, "en")
        plain = _form_fields(plain_session, "it")
        plain_english = _form_fields(plain_session, "en")
        assert _form_fields(asked_session, "it") == italian
        other_site = _form_fields(asked_session, "it", privacy_url="/it/dati-personali/")
    assert len(nothing_kept) == 5
    assert 'href="/it/privacy/"' in italian and 'href="/it/dati-personali/"' in other_site
    assert "Ti serve il servizio di baby-sitting?" in italian and "Nome" in italian
    assert "Do you need childcare?" in english and "First name" in english
    assert "baby-sitting" not in plain and "Nome" in plain
    assert "First name" in plain_english
    # The per-visitor value stays a placeholder, filled for each visitor.
    assert all(placeholder("signup-started") in html for html in nothing_kept.values())


def test_a_form_with_errors_or_for_one_visitor_is_rendered_as_it_is(
    course_and_session, nothing_kept
):
    _course, session = course_and_session
    with rendering_for_cache():
        _form_fields(session, "it")
        with_errors = _form_fields(session, "it", form_data(first_name="", email="no"))
    assert 'class="errorlist' in with_errors and 'value="Maria"' not in with_errors
    assert 'value="Rossi"' in with_errors  # what was typed is kept
    own = _form_fields(session, "it")
    assert placeholder("signup-started") not in own and 'name="started"' in own
    assert len(nothing_kept) == 1


def test_session_marked_full_by_its_organiser_offers_only_the_waiting_list(
    client, course_and_session
):
    _course, session = course_and_session
    session.status = SessionStatus.FULL
    session.save()
    html = BeautifulSoup(client.get(signup_url(session)).content, "html.parser")
    assert "lista d'attesa" in html.select_one(".signup-seats").get_text()
    client.post(signup_url(session), form_data(email="luca@example.org"))
    assert Signup.objects.get(participant__email="luca@example.org").status == (
        SignupStatus.WAITLISTED
    )


@pytest.mark.parametrize("failure", ["queue", "mail server"])
def test_a_failing_e_mail_keeps_the_stored_sign_up(
    client, course_and_session, monkeypatch, caplog, failure
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("down")

    if failure == "queue":  # the task backend refuses the job
        monkeypatch.setattr("django_tasks.backends.immediate.ImmediateBackend.enqueue", broken)
    else:  # the task runs, sending fails
        monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    _course, session = course_and_session
    response = client.post(signup_url(session), form_data())
    assert response.status_code == 302
    assert Signup.objects.get().status == SignupStatus.RESERVED
    assert mail.outbox == []
    assert "ConnectionRefusedError" in caplog.text


def test_series_course_page_shows_the_seats_of_the_course_not_of_each_date(client, partner):
    course, sessions = make_course(partner, signup_mode=SignupMode.SERIES, sessions=3, capacity=1)
    client.post(signup_url(sessions[0]), form_data())
    page = BeautifulSoup(client.get(course.url).content, "html.parser")
    places = [
        dd.get_text(" ", strip=True)
        for dt in page.select(".session-cards dt")
        if dt.get_text(strip=True) == "Posti"
        for dd in [dt.find_next_sibling("dd")]
    ]
    # The one seat went to the whole course: no later date says it is free.
    assert places == ["Completo"]


def test_my_signups_page_lists_what_comes_up_soonest_first(client, partner):
    """Coming up, the sign-ups were listed latest first: a course in three
    months above the one tomorrow. A series under way counts by its next
    date."""
    later, (later_session,) = make_course(partner, title="Più avanti")
    later_session.start += datetime.timedelta(days=60)
    later_session.end += datetime.timedelta(days=60)
    later_session.save()
    series, sessions = make_course(
        partner, title="Già iniziato", signup_mode=SignupMode.SERIES, sessions=3
    )
    soon, (soon_session,) = make_course(partner, title="Presto")
    for session in (later_session, sessions[0], soon_session):
        client.post(signup_url(session), form_data())
    sessions[0].start -= datetime.timedelta(days=20)
    sessions[0].end -= datetime.timedelta(days=20)
    sessions[0].save()
    soon_session.start += datetime.timedelta(days=5)
    soon_session.end += datetime.timedelta(days=5)
    soon_session.save()
    rows = mine_rows(client, Signup.objects.filter(session=soon_session).get())
    titles = [row.select_one("h3").get_text(strip=True) for row in rows]
    assert titles == ["Già iniziato", "Presto", "Più avanti"]
