"""An independent parser reads our feeds: Mozilla's ical.js (Thunderbird),
from npm (package.json), run with the machine's Node.js. It must compute the
same UTC instants the site stored, in summer, in winter and in the hour that
repeats when daylight saving time ends."""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings
from django.urls import reverse

from .factories import CourseSessionFactory
from .feed_helpers import at, make_world, uid
from .test_feeds import last_sunday_of_october

SCRIPT = Path(__file__).with_name("icaljs_check.mjs")
ICALJS = Path(settings.BASE_DIR) / "node_modules" / "ical.js" / "package.json"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(NODE is None, reason="Node.js (`node`) is not installed"),
    pytest.mark.skipif(
        not ICALJS.exists(), reason="ical.js is not installed: run `npm ci` (make test does)"
    ),
]


def icaljs(tmp_path, body):
    feed = tmp_path / "feed.ics"
    feed.write_bytes(body)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [NODE, str(SCRIPT), str(feed)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def iso(dt):
    return dt.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_icaljs_reads_the_same_instants_the_site_stored(client, home, tmp_path):
    world = make_world(home)
    year = datetime.date.today().year + 1
    change = last_sunday_of_october(year)
    starts = {
        "july": at(year, 7, 14, 7, 0),  # 09:00 CEST
        "december": at(year, 12, 10, 8, 0),  # 09:00 CET
        "first 02:30": at(year, 10, change, 0, 30),
        "second 02:30": at(year, 10, change, 1, 30),
    }
    venue = world["sessions"]["cv"].venue
    made = {
        name: CourseSessionFactory(
            page=world["cv"], venue=venue, start=start, end=start + datetime.timedelta(hours=2)
        )
        for name, start in starts.items()
    }
    for address in (reverse("feeds:academy"), "/en" + reverse("feeds:academy")[3:]):
        parsed = icaljs(tmp_path, client.get(address).content)
        assert parsed["timezones"] == 1
        found = {event["uid"]: event for event in parsed["events"]}
        assert len(found) == len(parsed["events"]) == 3 + len(made)
        for name, session in made.items():
            session.refresh_from_db()
            event = found[uid(session)]
            assert event["start"] == iso(session.start), name
            assert event["end"] == iso(session.end), name
            assert event["status"] == "CONFIRMED"
        assert found[uid(made["july"])]["tzid"] == "Europe/Rome"
        assert found[uid(made["december"])]["tzid"] == "Europe/Rome"


def test_icaljs_reads_the_personal_feed(client, home, tmp_path):
    from courses.models import SignupStatus

    from .signup_factories import ParticipantFactory, SignupFactory

    world = make_world(home)
    participant = ParticipantFactory()
    SignupFactory(participant=participant, session=world["sessions"]["cv"])
    SignupFactory(
        participant=participant,
        session=world["sessions"]["computer1"],
        status=SignupStatus.WAITLISTED,
    )
    body = client.get(reverse("feeds:personal", args=[participant.feed_token])).content
    found = {e["uid"]: e for e in icaljs(tmp_path, body)["events"]}
    assert found[uid(world["sessions"]["cv"])]["status"] == "CONFIRMED"
    assert found[uid(world["sessions"]["computer1"])]["status"] == "TENTATIVE"


def test_icaljs_reads_deadlines_as_instants_at_the_closing_moment(client, home, tmp_path):
    from tests.partners.challenge_factories import ChallengePageFactory
    from tests.partners.opportunity_factories import OpportunityPageFactory

    world = make_world(home)
    year = datetime.date.today().year + 1
    closes = at(year, 7, 14, 21, 59)  # 23:59 CEST
    deadline = at(year, 12, 10, 11, 0)  # 12:00 CET
    challenge = ChallengePageFactory(parent=world["alfa"], closes_at=closes)
    opportunity = OpportunityPageFactory(parent=world["beta"], deadline=deadline)
    for address in (
        reverse("feeds:academy"),
        "/en" + reverse("feeds:academy")[3:],
        reverse("feeds:partner", args=[world["alfa"].pk]),
    ):
        found = {e["uid"]: e for e in icaljs(tmp_path, client.get(address).content)["events"]}
        event = found[f"challenge-{challenge.translation_key}@accademia-territoriale"]
        assert event["start"] == event["end"] == iso(closes)
        assert event["tzid"] == "Europe/Rome"
        assert event["sequence"] == 0
        if "partner" not in address:
            event = found[f"opportunity-{opportunity.translation_key}@accademia-territoriale"]
            assert event["start"] == event["end"] == iso(deadline)
