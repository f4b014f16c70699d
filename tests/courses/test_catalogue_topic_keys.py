"""The catalogue reads its courses' topic keys with their ids: the cards it
shows after a change need no query of their own for them, and show the
same topics, by name."""

import pytest
from bs4 import BeautifulSoup

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.cache import bump_content_generation

from .conftest import publish
from .factories import TopicFactory

pytestmark = pytest.mark.django_db

CARD_TOPIC_KEYS = 'SELECT "courses_coursepage_topics"."coursepage_id" AS "courses"'


def card_topics(response):
    """The topics of each card, their symbol first."""
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [topic.get_text(" ", strip=True) for topic in card.select(".topic")]
        for card in page.select(".course-topics")
    ]


@pytest.mark.parametrize("query", ["", "?q=sartoria", "?q=introvabile"])
def test_the_cards_after_a_change_read_no_topic_keys(client, world, query):
    world.sartoria.topics = [TopicFactory(name="Ago e filo"), world.topic_sartoria]
    publish(world.sartoria)
    url = world.catalogue.url + query
    client.get(url)
    bump_content_generation()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert not [q["sql"] for q in queries if q["sql"].startswith(CARD_TOPIC_KEYS)]
    if query != "?q=introvabile":
        names = [[name.split(" ", 1)[1] for name in card] for card in card_topics(response)]
        assert ["Ago e filo", "Sartoria"] in names
