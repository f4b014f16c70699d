"""People who asked for a course are told, once, when one they can reach is
published; then their e-mail is erased."""

import pytest

from django.core import mail

from courses.choices import Format
from search import demand
from search.models import CourseRequest
from tests.courses.conftest import publish

pytestmark = pytest.mark.django_db


def ask(topic, comune, email="", consent=True, language="it"):
    return demand.create_request(
        wish="Vorrei imparare a cucire",
        comune=comune,
        topic=topic,
        email=email,
        consent=consent,
        language=language,
        source="catalogue",
    )


def test_publishing_a_course_tells_those_it_answers_once(world):
    mail.outbox.clear()
    told = ask(world.topic_sartoria, "pioltello", "anna@example.org", language="en")
    elsewhere = ask(world.topic_sartoria, "vimodrone", "bruno@example.org")
    other_topic = ask(world.topic_digitale, "pioltello", "carla@example.org")
    anonymous = ask(world.topic_sartoria, "pioltello")

    publish(world.sartoria)

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    message = mail.outbox[0]
    assert "A course you asked for" in message.subject  # in the person's language
    assert world.sartoria.title in message.subject
    assert world.sartoria.get_url() in message.body or "/it/" in message.body
    told.refresh_from_db()
    assert told.email == "" and told.consent_at is None
    assert told.notified_at is not None and told.notified_course_id == world.sartoria.pk
    for untouched in (elsewhere, other_topic, anonymous):
        untouched.refresh_from_db()
        assert untouched.notified_at is None
    assert CourseRequest.objects.get(pk=elsewhere.pk).email == "bruno@example.org"

    publish(world.sartoria)  # a second publication writes to nobody again
    assert len(mail.outbox) == 1


def test_an_online_session_reaches_every_comune(world):
    mail.outbox.clear()
    ask(world.topic_sartoria, "vimodrone", "bruno@example.org")
    session = world.sartoria.sessions.order_by("start").last()
    session.format = Format.ONLINE
    session.venue = None
    session.save()
    publish(world.sartoria)
    assert [message.to for message in mail.outbox] == [["bruno@example.org"]]
    assert "Un corso che hai chiesto" in mail.outbox[0].subject


def test_nobody_is_told_about_a_course_with_only_past_dates(world):
    mail.outbox.clear()
    ask(world.topic_digitale, "pioltello", "carla@example.org")
    world.past.topics = [world.topic_digitale]
    publish(world.past)
    assert mail.outbox == []
