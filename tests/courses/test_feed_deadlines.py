"""Challenge and opportunity deadlines in the calendar feeds: which feeds
carry them, their UID and SEQUENCE, language, the past window, and that only
live public pages appear."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

from courses import feeds
from tests.partners.challenge_factories import ChallengePageFactory
from tests.partners.opportunity_factories import OpportunityPageFactory

from .feed_helpers import events, make_world, parse

pytestmark = pytest.mark.django_db


def deadline(days, hour=12):
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(home):
    world = make_world(home)
    world["challenge"] = ChallengePageFactory(
        parent=world["alfa"],
        title="Riparare i resi",
        listing_summary="Un servizio di riparazione.",
        comuni=["pioltello"],
        closes_at=deadline(9),
    )
    world["opportunity"] = OpportunityPageFactory(
        parent=world["beta"], title="Tirocinio in logistica", comune="segrate", deadline=deadline(6)
    )
    world["ongoing"] = OpportunityPageFactory(
        parent=world["beta"], title="Consulenza legale", deadline=None, ongoing=True
    )
    return world


def challenge_uid(page):
    return f"challenge-{page.translation_key}@accademia-territoriale"


def opportunity_uid(page):
    return f"opportunity-{page.translation_key}@accademia-territoriale"


def feed(client, name, *args, language="it"):
    address = reverse(f"feeds:{name}", args=args)
    if language != "it":
        address = f"/{language}" + address[3:]
    return events(parse(client.get(address)))


def test_academy_feed_has_each_deadline_as_an_instant_event(client, world):
    found = feed(client, "academy")
    challenge, opportunity = world["challenge"], world["opportunity"]
    event = found[challenge_uid(challenge)]
    assert event["DTSTART"].dt == challenge.closes_at
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Rome"
    assert "DTEND" not in event and "DURATION" not in event
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["SUMMARY"]) == "Scadenza della sfida: Riparare i resi"
    assert str(event["URL"]) == f"http://testserver{challenge.url}"
    assert "Un servizio di riparazione." in str(event["DESCRIPTION"])
    assert "Cooperativa Alfa" in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == 0
    event = found[opportunity_uid(opportunity)]
    assert event["DTSTART"].dt == opportunity.deadline
    assert str(event["SUMMARY"]) == "Scadenza: Tirocinio in logistica"
    assert "Comune di Segrate" in str(event["DESCRIPTION"])
    # No deadline, no event.
    assert opportunity_uid(world["ongoing"]) not in found


def test_partner_and_comune_feeds_carry_their_own_deadlines_course_feed_none(client, world):
    alfa, beta = world["alfa"], world["beta"]
    challenge = challenge_uid(world["challenge"])
    opportunity = opportunity_uid(world["opportunity"])
    assert challenge in feed(client, "partner", alfa.pk)
    assert opportunity not in feed(client, "partner", alfa.pk)
    assert opportunity in feed(client, "partner", beta.pk)
    assert challenge not in feed(client, "partner", beta.pk)
    assert challenge in feed(client, "comune", "pioltello")
    assert opportunity not in feed(client, "comune", "pioltello")
    assert opportunity in feed(client, "comune", "segrate")
    assert not {challenge, opportunity} & set(feed(client, "comune", "rodano"))
    assert not {challenge, opportunity} & set(feed(client, "course", world["computer"].pk))
    assert not {challenge, opportunity} & set(feed(client, "topic", "informatica"))
    assert not {challenge, opportunity} & set(feed(client, "filtered"))


def test_english_feed_same_uid_translated_title_and_english_url(client, world, english, home_en):
    challenge = world["challenge"]
    world["alfa"].get_parent().copy_for_translation(english)
    world["alfa"].copy_for_translation(english).save_revision().publish()
    translated = challenge.copy_for_translation(english)
    translated.title = "Repairing returns"
    translated.save_revision().publish()
    it, en = feed(client, "academy"), feed(client, "academy", language="en")
    assert set(it) == set(en)
    event = en[challenge_uid(challenge)]
    assert str(event["SUMMARY"]) == "Challenge deadline: Repairing returns"
    assert str(event["URL"]).startswith("http://testserver/en/")
    assert event["DTSTART"].dt == challenge.closes_at
    # Not translated: the Italian title, under the same UID.
    event = en[opportunity_uid(world["opportunity"])]
    assert str(event["SUMMARY"]) == "Deadline: Tirocinio in logistica"


def test_sequence_grows_when_the_deadline_moves_and_only_then(client, world):
    challenge = world["challenge"]
    key = challenge_uid(challenge)
    assert int(feed(client, "academy")[key]["SEQUENCE"]) == 0
    challenge.title = "Riparare i resi, seconda edizione"
    challenge.save_revision().publish()
    assert int(feed(client, "academy")[key]["SEQUENCE"]) == 0
    challenge.closes_at += datetime.timedelta(days=3)
    revision = challenge.save_revision()
    revision.publish()
    event = feed(client, "academy")[key]
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == challenge.closes_at
    # Publishing an older revision moves the deadline back: the counter still grows.
    old = challenge.revisions.order_by("pk").first()
    old.publish()
    assert int(feed(client, "academy")[key]["SEQUENCE"]) == 2


def test_publishing_and_unpublishing_refresh_the_cached_feed(client, world):
    opportunity = world["opportunity"]
    key = opportunity_uid(opportunity)
    first = client.get(reverse("feeds:academy"))
    assert key in events(parse(first))
    opportunity.unpublish()
    response = client.get(reverse("feeds:academy"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert key not in events(parse(response))
    opportunity.save_revision().publish()
    assert key in feed(client, "academy")


def test_drafts_private_and_old_deadlines_stay_out(client, world):
    alfa = world["alfa"]
    draft = ChallengePageFactory(parent=alfa, live=False)
    private = OpportunityPageFactory(parent=alfa)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    recent = ChallengePageFactory(
        parent=alfa,
        opens_at=deadline(-40),
        closes_at=deadline(-30),
    )
    old = OpportunityPageFactory(parent=alfa, deadline=deadline(-(feeds.PAST_WINDOW.days + 1)))
    found = feed(client, "academy")
    assert challenge_uid(recent) in found
    assert challenge_uid(draft) not in found
    assert opportunity_uid(private) not in found
    assert opportunity_uid(old) not in found
