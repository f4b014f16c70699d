"""What each server process keeps of the feeds between requests: compressed
bodies and the pages feed addresses name, under the feed generation, so a
repeated request reads only the generation from the shared cache and runs
no query, and any change is seen at once."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

from courses import feeds
from courses.feeds import ProcessMemo

from .feed_helpers import events, make_world, parse, uid

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def test_memo_keeps_the_most_recently_used_within_its_budget():
    memo = ProcessMemo(10)
    memo.set("a", b"1234")
    memo.set("b", b"1234")
    assert memo.get("a") == b"1234"  # now the most recent
    memo.set("c", b"1234")  # 12 > 10: the least recently used goes
    assert memo.get("b") is None
    assert memo.get("a") == memo.get("c") == b"1234"
    assert memo.used == 8
    memo.set("a", b"123456")  # replacing counts the new size only
    assert memo.used == 10
    memo.set("huge", b"x" * 11)  # more than the whole budget: not kept
    assert memo.get("huge") is None
    assert memo.get("a") == b"123456"


def test_memo_tells_a_kept_none_from_a_missing_key():
    memo = ProcessMemo(3, cost=lambda value: 1)
    missing = object()
    memo.set("gone", None)
    assert memo.get("gone", missing) is None
    assert memo.get("never", missing) is missing


@pytest.fixture
def world(home):
    return make_world(home)


def addresses(world):
    return [
        reverse("feeds:academy"),
        reverse("feeds:course", args=[world["computer"].pk]),
        reverse("feeds:partner", args=[world["alfa"].pk]),
        reverse("feeds:topic", args=["informatica"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(4))
def test_a_repeated_request_runs_no_query_and_reads_no_body(client, world, monkeypatch, index):
    address = addresses(world)[index]
    first = client.get(address, **GZIP)
    read = []
    original = feeds.cache.get

    def counting_get(key, *args, **kwargs):
        read.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(feeds.cache, "get", counting_get)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(address, **GZIP)
    assert again.status_code == 200
    assert again.content == first.content
    assert not [q["sql"] for q in queries if "SELECT" in q["sql"]]
    assert read == [feeds.GENERATION_KEY]


@pytest.mark.django_db
def test_a_body_the_process_lost_comes_from_the_shared_cache(client, world):
    first = client.get(reverse("feeds:academy"), **GZIP)
    feeds.BODIES.clear()  # as in another server process
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("feeds:academy"), **GZIP)
    assert again.content == first.content
    assert not [q["sql"] for q in queries if "SELECT" in q["sql"]]


@pytest.mark.django_db
def test_feeds_of_a_page_unpublished_or_restricted_since_are_gone(client, world):
    course = reverse("feeds:course", args=[world["computer"].pk])
    partner = reverse("feeds:partner", args=[world["beta"].pk])
    assert uid(world["sessions"]["computer1"]) in events(parse(client.get(course)))
    assert uid(world["sessions"]["cv"]) in events(parse(client.get(partner)))
    world["computer"].unpublish()
    assert client.get(course).status_code == 404
    PageViewRestriction.objects.create(
        page=world["beta"], restriction_type="password", password="x"
    )
    assert client.get(partner).status_code == 404


@pytest.mark.django_db
def test_a_renamed_course_is_renamed_in_its_feed(client, world):
    course = reverse("feeds:course", args=[world["computer"].pk])
    assert b"Computer di base" in client.get(course).content
    world["computer"].title = "Il computer per tutti"
    world["computer"].save_revision().publish()
    cal = parse(client.get(course))
    assert str(cal["X-WR-CALNAME"]).startswith("Il computer per tutti")
