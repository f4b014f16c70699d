"""The partner's way in the Wagtail admin, and who sees what."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import booking
from courses.models import CourseSession, SessionAttendance, Signup, SignupStatus
from courses.models.bookings import Attendance

from .signup_factories import STAFF_GROUP, SignupFactory, make_course, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(committing_client):
    """Requests end as in production: e-mails queued on commit are sent."""
    return committing_client


@pytest.fixture
def world(home, django_user_model):
    alfa = make_partner(home, "Cooperativa Alfa")
    beta = make_partner(home, "Officina Beta")
    course_a, (session_a,) = make_course(alfa, capacity=2, title="Sartoria")
    course_b, (session_b,) = make_course(beta, capacity=2, title="Saldatura")
    a1 = SignupFactory(session=session_a, first_name="Anna")
    b1 = SignupFactory(session=session_b, first_name="Bruno")
    alfa_user = django_user_model.objects.create_user("alfa", password="pw")
    alfa_user.groups.add(alfa.group)
    beta_user = django_user_model.objects.create_user("beta", password="pw")
    beta_user.groups.add(beta.group)
    staff = Group.objects.get_or_create(name=STAFF_GROUP)[0]
    staff.permissions.add(Permission.objects.get(codename="access_admin"))
    staff_user = django_user_model.objects.create_user("staff", password="pw")
    staff_user.groups.add(staff)
    nobody = django_user_model.objects.create_user("nobody", password="pw")
    nobody.groups.add(staff.__class__.objects.create(name="Other editors"))
    nobody.groups.first().permissions.add(Permission.objects.get(codename="access_admin"))
    return locals()


def assert_refused(response):
    """Wagtail answers PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def test_partners_see_only_their_own_signups(client, world):
    client.force_login(world["alfa_user"])
    listing = text(client.get(reverse("course_signups:list")))
    assert "Anna" in listing and "Bruno" not in listing
    overview = text(client.get(reverse("course_signups:overview")))
    assert "Sartoria" in overview and "Saldatura" not in overview
    # The other partner's session, sign-up actions and exports are out of reach.
    session_b = world["session_b"]
    # (A 404 under /admin/ is redirected by LocaleMiddleware to /it/admin/..., also 404.)
    response = client.get(reverse("course_signups:session", args=[session_b.pk]), follow=True)
    assert response.status_code == 404
    url = reverse("course_signups:action", args=[world["b1"].pk, "cancel"])
    assert client.post(url, follow=True).status_code == 404
    assert world["b1"].__class__.objects.get(pk=world["b1"].pk).status == "confirmed"
    csv = client.get(reverse("course_signups:export", args=["csv"])).content.decode()
    assert "Anna" in csv and "Bruno" not in csv
    csv = client.get(
        reverse("course_signups:export", args=["csv"]) + f"?session={session_b.pk}"
    ).content.decode()
    assert "Bruno" not in csv
    assert_refused(client.get(reverse("course_signups:person")))


def test_staff_see_everything(client, world):
    client.force_login(world["staff_user"])
    listing = text(client.get(reverse("course_signups:list")))
    assert "Anna" in listing and "Bruno" in listing


def test_users_of_no_partner_see_nothing(client, world):
    client.force_login(world["nobody"])
    assert_refused(client.get(reverse("course_signups:list")))
    assert_refused(client.get(reverse("course_signups:export", args=["xlsx"])))
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "Anna" not in dashboard.content.decode()


def test_filters_and_exports(client, world):
    SignupFactory(session=world["session_a"], first_name="Carla", status=SignupStatus.WAITLISTED)
    SignupFactory(session=world["session_a"], first_name="=HYPERLINK(1)")
    client.force_login(world["alfa_user"])
    listing = text(client.get(reverse("course_signups:list") + "?status=waitlisted"))
    assert "Carla" in listing and "Anna" not in listing
    response = client.get(reverse("course_signups:export", args=["xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Corso", "Incontro", "Stato")
    names = [row[4] for row in rows[1:]]
    assert names == ["Anna", "Carla", "'=HYPERLINK(1)"]
    waiting = next(row for row in rows if row[4] == "Carla")
    assert waiting[3] == "1"
    response = client.get(reverse("course_signups:export", args=["csv"]) + "?status=bogus")
    assert response.status_code == 200 and "Anna" not in response.content.decode()


def started(session, hours_ago=1):
    """Move the session so that it began `hours_ago` hours ago."""
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    CourseSession.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )


def action_forms(response, signup):
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f"tr.signup-row[data-signup='{signup.pk}']")
    return [form["action"].rstrip("/").rsplit("/", 1)[-1] for form in row.select("form")]


def test_mark_attendance_and_move_from_the_waiting_list(client, world):
    session = world["session_a"]
    SignupFactory(session=session, first_name="Dario")  # now full (2 seats)
    waiting = SignupFactory(session=session, first_name="Elena", status=SignupStatus.WAITLISTED)
    client.force_login(world["alfa_user"])
    client.post(reverse("course_signups:action", args=[waiting.pk, "seat"]))
    waiting.refresh_from_db()
    session.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    assert session.capacity == 3  # one seat added, nobody lost theirs
    assert "posto" in mail.outbox[-1].subject or "seat" in mail.outbox[-1].subject
    started(session)  # the session took place
    url = reverse("course_signups:action", args=[world["a1"].pk, "attended"])
    assert client.post(url, {"session": session.pk}).status_code == 302
    assert mark(world["a1"], session) == Attendance.ATTENDED
    url = reverse("course_signups:action", args=[waiting.pk, "absent"])
    assert client.post(url, {"session": session.pk}).status_code == 302
    assert mark(waiting, session) == Attendance.ABSENT


def mark(signup, session):
    """The sign-up's attendance at the session, None if not marked."""
    return (
        SessionAttendance.objects.filter(signup=signup, session=session)
        .values_list("status", flat=True)
        .first()
    )


def test_attendance_cannot_be_marked_before_the_session_starts(client, world):
    """Present or absent at a session still to come was accepted (a mistaken
    tap on the wrong row); now it is refused with a message and the buttons
    appear only once the session has started."""
    session, anna = world["session_a"], world["a1"]
    client.force_login(world["alfa_user"])
    session_url = reverse("course_signups:session", args=[session.pk])
    for page in (session_url, reverse("course_signups:list")):
        assert action_forms(client.get(page), anna) == ["cancel"]
    for action in ("attended", "absent"):
        url = reverse("course_signups:action", args=[anna.pk, action])
        response = client.post(url, {"session": session.pk, "next": session_url}, follow=True)
        assert "Le presenze si possono segnare solo dopo l'inizio dell'incontro." in text(response)
        assert mark(anna, session) is None
    with pytest.raises(booking.BookingError) as refused:
        booking.mark_attendance(
            anna.pk,
            session.pk,
            Attendance.ATTENDED,
            now=session.start - datetime.timedelta(minutes=1),
        )
    assert refused.value.code == "not_started"
    booking.mark_attendance(anna.pk, session.pk, Attendance.ATTENDED, now=session.start)
    assert mark(anna, session) == Attendance.ATTENDED
    started(session, hours_ago=0)
    assert action_forms(client.get(session_url), anna) == ["attended", "absent", "cancel"]


def test_partner_cancels_a_signup_and_the_seat_passes_on(client, world):
    session = world["session_a"]
    SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    client.force_login(world["alfa_user"])
    client.post(reverse("course_signups:action", args=[world["a1"].pk, "cancel"]))
    assert Signup.objects.get(pk=world["a1"].pk).status == SignupStatus.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {world["a1"].email, waiting.email}


def test_capacity_raise_promotes_and_lowering_stops_at_seats_given(client, world):
    session = world["session_a"]
    SignupFactory(session=session)
    waiting = SignupFactory(session=session, status=SignupStatus.WAITLISTED)
    client.force_login(world["alfa_user"])
    url = reverse("course_signups:session", args=[session.pk])
    response = client.post(url, {"capacity": "1"})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.capacity == 2
    client.post(url, {"capacity": "3"})
    session.refresh_from_db()
    waiting.refresh_from_db()
    assert session.capacity == 3 and waiting.status == SignupStatus.CONFIRMED


def assisted(**extra):
    data = {
        "first_name": "Giovanni",
        "last_name": "Verdi",
        "email": "",
        "phone": "333 1234567",
        "comune": "rodano",
        "language": "it",
        "consent_given": "on",
    }
    data.update(extra)
    return data


def test_assisted_signup_by_phone_follows_the_same_rules(client, world):
    session = world["session_a"]
    client.force_login(world["alfa_user"])
    url = reverse("course_signups:session", args=[session.pk])
    assert client.post(url, assisted(consent_given="")).status_code == 400
    assert client.post(url, assisted(phone="")).status_code == 400
    assert client.post(url, assisted()).status_code == 302
    signup = Signup.objects.get(first_name="Giovanni")
    assert signup.status == SignupStatus.CONFIRMED
    assert signup.entered_by == world["alfa_user"] and signup.channel == "assisted"
    assert signup.privacy_consent_at is not None
    # The session is now full (2 seats): the next goes on the waiting list.
    client.post(url, assisted(first_name="Luca", email="luca@example.org"))
    luca = Signup.objects.get(first_name="Luca")
    assert luca.status == SignupStatus.WAITLISTED
    assert "lista d'attesa" in mail.outbox[-1].subject
    page = text(client.get(url))
    assert "2 / 2" in page


def test_assisted_signup_speaks_of_the_person_not_to_them(client, world):
    """The desk's form reused the citizen's labels: staff signing someone up
    by phone read "Dove abiti?" and "Sì, scrivetemi dei prossimi corsi"."""
    client.force_login(world["alfa_user"])
    page = text(client.get(reverse("course_signups:session", args=[world["session_a"].pk])))
    assert "Dove abita la persona" in page and "Dove abiti?" not in page
    assert "Vuole notizie sui prossimi corsi" in page and "scrivetemi" not in page


def test_dashboard_panel_shows_fill_rate(client, world):
    client.force_login(world["alfa_user"])
    html = text(client.get(reverse("wagtailadmin_home")))
    assert "Sartoria" in html and "50%" in html and "Saldatura" not in html


def test_dashboard_panel_rows_say_what_their_numbers_are(client, world):
    """On a phone the cells fall under the course title, far from any column
    heading: each row names its numbers."""
    SignupFactory(session=world["session_a"], status=SignupStatus.WAITLISTED)
    client.force_login(world["alfa_user"])
    page = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    row = page.select_one("#upcoming-sessions-section tbody tr")
    seats = " ".join(row.get_text(" ").split())
    assert "Posti occupati: 1 / 2 (50%)" in seats and "In attesa: 1" in seats


def test_staff_export_and_erase_one_persons_data(client, world):
    client.force_login(world["staff_user"])
    a1 = world["a1"]
    waiting = SignupFactory(session=world["session_a"])
    url = reverse("course_signups:person")
    exported = client.post(url, {"email": a1.email, "action": "export"})
    assert exported.json()["signups"][0]["first_name"] == "Anna"
    client.post(url, {"email": a1.email, "action": "erase"})
    a1.refresh_from_db()
    assert a1.first_name == "" and a1.email == "" and a1.participant is None
    assert a1.status == SignupStatus.CANCELLED and a1.anonymised_at
    assert Signup.objects.filter(session=world["session_a"]).count() == 2  # counts kept
    assert waiting.pk


def test_a_course_with_signups_cannot_be_deleted(admin_client, world):
    course = world["course_a"]
    url = reverse("wagtailadmin_pages:delete", args=[course.pk])
    response = admin_client.post(url, follow=True)
    assert course.__class__.objects.filter(pk=course.pk).exists()
    assert "non può essere eliminato" in response.content.decode() or (
        "cannot be deleted" in response.content.decode()
    )
    # The partner's whole section cannot be deleted either.
    partner = world["alfa"]
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[partner.pk]))
    assert partner.__class__.objects.filter(pk=partner.pk).exists()


def test_bulk_delete_refuses_courses_with_signups(admin_client, world):
    course = world["course_a"]
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={course.pk}&childOf={course.get_parent().pk}"
    )
    response = admin_client.post(url, {"id": [course.pk]})
    assert response.status_code == 302
    assert course.__class__.objects.filter(pk=course.pk).exists()


def test_signup_tables_scroll_sideways_on_a_phone(client, world):
    """Wagtail's main column hides what overflows it (`w-overflow-x-hidden`):
    on a 390 px phone the status, attendance and action buttons, the last
    columns, were cut off and out of reach unless the table scrolls itself."""
    client.force_login(world["alfa_user"])
    pages = [
        (reverse("course_signups:overview"), "main table.listing"),
        (reverse("course_signups:list"), "main table.listing"),
        (reverse("course_signups:session", args=[world["session_a"].pk]), "main table.listing"),
        (reverse("wagtailadmin_home"), "[aria-labelledby=upcoming-sessions-heading] table"),
    ]
    for url, selector in pages:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        tables = soup.select(selector)
        assert tables, url
        for table in tables:
            assert "w-overflow-x-auto" in table.parent.get("class", []), url


def test_an_assisted_sign_up_without_its_author_does_not_show_a_question_mark(client, world):
    """A sign-up entered at the desk by an account deleted since read
    "inserita da ?" in the partner's list."""
    from courses.models.bookings import Channel

    SignupFactory(session=world["session_a"], first_name="Carla", channel=Channel.ASSISTED)
    client.force_login(world["alfa_user"])
    page = text(client.get(reverse("course_signups:session", args=[world["session_a"].pk])))
    assert "inserita da ?" not in page
    assert "inserita dall'organizzatore" in page
