"""Feeds over HTTP: conditional requests, caching, query counts, the
personal feed's secrecy, and only live public pages."""

import datetime
import re

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

from courses import feeds
from courses.choices import SignupMode
from courses.models import SignupStatus
from courses.signup_links import participant_token
from tests.partners.challenge_factories import ChallengePageFactory
from tests.partners.opportunity_factories import OpportunityPageFactory

from .factories import CoursePageFactory, CourseSessionFactory, PartnerPageFactory
from .feed_helpers import events, make_world, parse, soon, uid
from .signup_factories import ParticipantFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home):
    return make_world(home)


def academy():
    return reverse("feeds:academy")


def test_conditional_requests_get_304_until_something_changes(client, world):
    first = client.get(academy())
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(academy(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    not_modified = client.get(academy(), HTTP_IF_MODIFIED_SINCE=modified)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert not not_modified.content
    assert client.get(academy(), HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # A publish changes the feed: new ETag, full answer.
    world["cv"].title = "Scrivere un buon CV"
    world["cv"].save_revision().publish()
    changed = client.get(academy(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Scrivere un buon CV" in changed.content


def test_cached_body_needs_no_feed_queries(client, world):
    client.get(academy())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(academy()).status_code == 200
    assert not [q["sql"] for q in queries if "SELECT" in q["sql"]]


def feed_queries(client, address):
    client.get(address)  # warm the site root paths and locale caches
    feeds.bump_generation()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def add_courses(world, count):
    """`count` courses of three sessions each, and as many challenge calls and
    opportunities with a deadline (the partner's and Pioltello's feeds show
    them too)."""
    for _i in range(count):
        ChallengePageFactory(parent=world["alfa"], comuni=["pioltello"], closes_at=soon(30))
        OpportunityPageFactory(parent=world["alfa"], comune="pioltello", deadline=soon(25))
        course = CoursePageFactory(parent=world["alfa"])
        course.topics.set([world["topic"]])
        course.save()
        for day in range(3):
            CourseSessionFactory(
                page=course,
                venue=world["sessions"]["computer1"].venue,
                start=soon(20 + day),
                end=soon(20 + day, 12),
            )


@pytest.mark.parametrize(
    "name",
    ["academy", "partner", "topic", "comune", "filtered", "personal", "academy_en"],
)
def test_feeds_take_a_constant_number_of_queries(
    client, world, name, english, django_assert_num_queries
):
    participant = ParticipantFactory()

    def address():
        return {
            "academy": academy(),
            "academy_en": "/en" + academy()[3:],
            "partner": reverse("feeds:partner", args=[world["alfa"].pk]),
            "topic": reverse("feeds:topic", args=["informatica"]),
            "comune": reverse("feeds:comune", args=["pioltello"]),
            "filtered": reverse("feeds:filtered") + f"?partner={world['alfa'].pk}&free=1",
            "personal": reverse("feeds:personal", args=[participant.feed_token]),
        }[name]

    def sign_up_everywhere():
        from courses.models import CourseSession, Signup

        done = set(Signup.objects.filter(participant=participant).values_list("session", flat=True))
        for i, session in enumerate(CourseSession.objects.exclude(pk__in=done)):
            status = SignupStatus.WAITLISTED if i % 2 else SignupStatus.CONFIRMED
            SignupFactory(participant=participant, session=session, status=status)

    add_courses(world, 2)
    sign_up_everywhere()
    small = feed_queries(client, address())
    add_courses(world, 12)
    sign_up_everywhere()
    feeds.bump_generation()
    with django_assert_num_queries(small):
        response = client.get(address())
    found = events(parse(response))
    assert len(found) >= 3 * 12
    if name in ("academy", "academy_en", "partner", "comune"):
        assert sum(key.startswith("challenge-") for key in found) == 14
        assert sum(key.startswith("opportunity-") for key in found) == 14


def test_personal_feed_shows_the_state_of_each_place(client, world, english, home_en):
    participant = ParticipantFactory()
    s = world["sessions"]
    confirmed = SignupFactory(participant=participant, session=s["computer1"])
    for _i in range(2):
        SignupFactory(session=s["cv"], status=SignupStatus.WAITLISTED)
    SignupFactory(participant=participant, session=s["cv"], status=SignupStatus.WAITLISTED)
    SignupFactory(participant=participant, session=s["computer2"], status=SignupStatus.CANCELLED)
    address = reverse("feeds:personal", args=[participant.feed_token])
    response = client.get(address)
    assert "private" in response["Cache-Control"]
    cal = parse(response)
    found = events(cal)
    assert set(found) == {uid(x) for x in s.values()}
    assert str(found[uid(s["computer1"])]["STATUS"]) == "CONFIRMED"
    waiting = found[uid(s["cv"])]
    assert str(waiting["STATUS"]) == "TENTATIVE"
    assert "numero 3 in lista" in str(waiting["DESCRIPTION"])
    assert str(found[uid(s["computer2"])]["STATUS"]) == "CANCELLED"
    # The same UIDs as the public feeds, in both languages.
    english_feed = events(parse(client.get("/en" + address[3:])))
    assert set(english_feed) == set(found)
    assert "number 3 on the waiting list" in str(english_feed[uid(s["cv"])]["DESCRIPTION"])
    assert set(found) <= set(events(parse(client.get(academy()))))
    # A new sign-up after a cancellation shows the live place, once.
    confirmed.status = SignupStatus.CANCELLED
    confirmed.save()
    SignupFactory(participant=participant, session=s["computer1"])
    again = events(parse(client.get(address)))
    assert str(again[uid(s["computer1"])]["STATUS"]) == "CONFIRMED"
    assert len(again) == 3


def test_personal_feed_keeps_each_session_of_a_series_by_its_own_date(client, world):
    """A series sign-up hangs on the course's first session; the feed's
    window for past sessions applies to each session, not to that first
    date, so a long course stays in the calendar while its dates do."""
    course = CoursePageFactory(parent=world["alfa"], signup_mode=SignupMode.SERIES)
    venue = world["sessions"]["computer1"].venue
    past = feeds.PAST_WINDOW.days
    days = {"gone": -past - 10, "recent": -past + 10, "next": 7}
    series = {
        name: CourseSessionFactory(page=course, venue=venue, start=soon(day), end=soon(day, 12))
        for name, day in days.items()
    }
    participant = ParticipantFactory()
    SignupFactory(participant=participant, session=series["gone"])
    found = events(parse(client.get(reverse("feeds:personal", args=[participant.feed_token]))))
    assert set(found) == {uid(series["recent"]), uid(series["next"])}
    assert str(found[uid(series["next"])]["STATUS"]) == "CONFIRMED"


def test_personal_feed_is_secret_and_revocable(client, world):
    participant = ParticipantFactory()
    SignupFactory(participant=participant, session=world["sessions"]["cv"])
    old = reverse("feeds:personal", args=[participant.feed_token])
    assert client.get(old).status_code == 200
    assert (
        client.get(reverse("feeds:personal", args=["x" + participant.feed_token])).status_code
        == 404
    )
    assert client.get(reverse("feeds:personal", args=["nope"])).status_code == 404
    # "My sign-ups" shows the address and a button for a new one.
    mine_token = participant_token(participant)
    mine = client.get(reverse("signups:mine", args=[mine_token]))
    assert participant.feed_token in mine.content.decode()
    # The page signs its own link (with its own timestamp): read it from the page.
    prefix = reverse("feeds:new_personal_link", args=["x"]).removesuffix("x/")
    rotate = re.search(rf'"({re.escape(prefix)}[^"]+)"', mine.content.decode()).group(1)
    assert client.get(rotate).status_code == 405
    assert client.post(reverse("feeds:new_personal_link", args=["forged"])).status_code == 400
    response = client.post(rotate)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert client.get(old).status_code == 404
    new = reverse("feeds:personal", args=[participant.feed_token])
    assert new != old
    assert client.get(new).status_code == 200
    page = client.get(response["Location"])
    assert participant.feed_token in page.content.decode()
    assert 'role="status"' in page.content.decode()


def test_only_live_public_courses_reach_feeds(client, world):
    alfa = world["alfa"]
    venue = world["sessions"]["computer1"].venue
    draft = CoursePageFactory(parent=alfa, title="Bozza", live=False)
    private = CoursePageFactory(parent=alfa, title="Riservato")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    unpublished = CoursePageFactory(parent=alfa, title="Ritirato")
    hidden = [
        CourseSessionFactory(page=page, venue=venue, start=soon(3), end=soon(3, 12))
        for page in (draft, private, unpublished)
    ]
    visible = uid(world["sessions"]["computer1"])
    before = events(parse(client.get(academy())))
    assert uid(hidden[2]) in before
    unpublished.unpublish()
    participant = ParticipantFactory()
    for session in hidden:
        SignupFactory(participant=participant, session=session)
    addresses = [
        academy(),
        reverse("feeds:partner", args=[alfa.pk]),
        reverse("feeds:topic", args=["informatica"]),
        reverse("feeds:comune", args=["pioltello"]),
        reverse("feeds:filtered"),
        reverse("feeds:personal", args=[participant.feed_token]),
    ]
    for address in addresses:
        found = events(parse(client.get(address)))
        assert not {uid(s) for s in hidden} & set(found), address
    assert visible in events(parse(client.get(academy())))
    for page in (draft, private, unpublished):
        assert client.get(reverse("feeds:course", args=[page.pk])).status_code == 404
    for session in hidden:
        assert client.get(reverse("feeds:session", args=[session.uid])).status_code == 404
    # A private partner section hides its courses too.
    group = Group.objects.create(name="Solo staff")
    restriction = PageViewRestriction.objects.create(page=alfa, restriction_type="groups")
    restriction.groups.add(group)
    assert visible not in events(parse(client.get(academy())))


def test_pages_advertise_their_feeds(client, world):
    home = client.get("/it/")
    html = home.content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert "webcal://testserver/it/feeds/academy.ics" in html
    assert "https://calendar.google.com/calendar/render?cid=http%3A%2F%2Ftestserver%2Fit" in html
    # (A partner without courses: course cards come with the catalogue.)
    gamma = PartnerPageFactory(parent=world["alfa"].get_parent(), title="Gamma")
    partner = client.get(gamma.url).content.decode()
    feed = reverse("feeds:partner", args=[gamma.pk])
    assert 'type="text/calendar" title="Corsi di Gamma' in partner
    assert f'href="http://testserver{feed}"' in partner
    directory = client.get(gamma.get_parent().url).content.decode()
    assert 'href="http://testserver/it/feeds/academy.ics"' in directory


def test_subscribe_links(rf, world):
    from django.template import Context, Template

    html = Template('{% load feed_tags %}{% feed_subscribe "partner" partner %}').render(
        Context({"partner": world["alfa"], "request": rf.get("/")})
    )
    feed = reverse("feeds:partner", args=[world["alfa"].pk])
    assert f'href="webcal://testserver{feed}"' in html
    assert f'href="http://testserver{feed}"' in html
    assert "calendar/render?cid=http%3A%2F%2Ftestserver%2Fit%2Ffeeds%2Fpartner" in html


def test_google_is_given_the_https_address_of_a_feed(rf, world):
    """Google Calendar reads a webcal:// address as plain http://: it gets
    the feed's own address, https on a site served over https."""
    from django.template import Context, Template

    html = Template('{% load feed_tags %}{% feed_subscribe "academy" %}').render(
        Context({"request": rf.get("/", secure=True)})
    )
    assert "calendar/render?cid=https%3A%2F%2Ftestserver%2Fit%2Ffeeds%2Facademy.ics" in html
    assert 'href="webcal://testserver/it/feeds/academy.ics"' in html
    assert "cid=webcal" not in html


def test_feeds_answer_head_requests(client, world):
    """Calendar apps and link checkers ask with HEAD before subscribing."""
    for url in (academy(), reverse("feeds:partner", args=[world["alfa"].pk])):
        response = client.head(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["ETag"]


@pytest.mark.parametrize("name", ["course", "partner"])
def test_a_page_id_beyond_any_page_is_not_found(client, world, name):
    assert client.get(f"/it/feeds/{name}/99999999999999999999.ics").status_code == 404
    assert client.get(f"/it/feeds/{name}/2147483648.ics").status_code == 404


def test_add_to_calendar_links(rf, world):
    from urllib.parse import parse_qs, urlsplit

    from bs4 import BeautifulSoup

    from django.template import Context, Template

    session = world["sessions"]["computer1"]
    course = session.page
    course.title = "Cucito & riparazioni: più facile?"  # (as a page being rendered)
    venue = session.venue
    request = rf.get("/")
    html = Template(
        "{% load feed_tags %}{% add_to_calendar session course %}{% add_to_calendar session %}"
    ).render(Context({"session": session, "course": course, "request": request}))
    start = session.start.astimezone(datetime.UTC)
    end = session.end.astimezone(datetime.UTC)
    assert f"http://testserver/it/feeds/session/{session.uid}.ics" in html
    links = BeautifulSoup(html, "html.parser").select("a[target=_blank]")
    assert len(links) == 4
    place = f"{venue.name}, {venue.address}"
    url = f"http://testserver{course.url}"
    for google, outlook in (links[0:2], links[2:4]):
        google, outlook = urlsplit(google["href"]), urlsplit(outlook["href"])
        assert google[:3] == ("https", "calendar.google.com", "/calendar/render")
        assert parse_qs(google.query) == {
            "action": ["TEMPLATE"],
            "text": [course.title],
            "dates": [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"],
            "details": [url],
            "location": [place],
            "ctz": ["Europe/Rome"],
        }
        assert outlook[:3] == ("https", "outlook.live.com", "/calendar/0/deeplink/compose")
        assert parse_qs(outlook.query) == {
            "path": ["/calendar/action/compose"],
            "rru": ["addevent"],
            "subject": [course.title],
            "startdt": [f"{start:%Y-%m-%dT%H:%M:%SZ}"],
            "enddt": [f"{end:%Y-%m-%dT%H:%M:%SZ}"],
            "body": [url],
            "location": [place],
        }


def test_a_sign_up_changes_the_personal_feed_and_leaves_public_feeds_cached(client, world):
    participant = ParticipantFactory()
    personal = reverse("feeds:personal", args=[participant.feed_token])
    public_etag = client.get(academy())["ETag"]
    personal_etag = client.get(personal)["ETag"]
    SignupFactory(participant=participant, session=world["sessions"]["cv"])
    assert client.get(academy(), HTTP_IF_NONE_MATCH=public_etag).status_code == 304
    changed = client.get(personal, HTTP_IF_NONE_MATCH=personal_etag)
    assert changed.status_code == 200
    assert uid(world["sessions"]["cv"]) in events(parse(changed))
    # A session edit changes both.
    personal_etag = changed["ETag"]
    session = world["sessions"]["cv"]
    session.note = "Aula 2"
    session.save()
    assert client.get(academy(), HTTP_IF_NONE_MATCH=public_etag).status_code == 200
    assert client.get(personal, HTTP_IF_NONE_MATCH=personal_etag).status_code == 200


def test_a_filtered_calendar_is_named_after_its_filters(client, world, english):
    path = reverse("feeds:filtered")
    query = f"?topic=informatica&partner={world['alfa'].pk}&comune=pioltello&free=1"
    calendar = parse(client.get(path + query))
    assert str(calendar["X-WR-CALNAME"]) == (
        "Corsi: Informatica, Cooperativa Alfa, Pioltello, gratuiti · Accademia Territoriale"
    )
    assert "Informatica, Cooperativa Alfa, Pioltello, gratuiti." in str(calendar["X-WR-CALDESC"])
    calendar = parse(client.get("/en" + path[3:] + "?format=online&q=cv"))
    assert str(calendar["X-WR-CALNAME"]) == "Courses: “cv”, Online · Territorial Academy"
    calendar = parse(client.get(path))
    assert str(calendar["X-WR-CALNAME"]) == "Selezione di corsi · Accademia Territoriale"
