"""Feeds compressed for the clients that ask (every calendar app sends
Accept-Encoding: gzip), plain for the others, each with its own ETag; and
conditional requests answered without reading the body."""

import gzip

import pytest

from django.urls import reverse

from courses import feeds
from courses.feed_views import accepts_gzip

from .feed_helpers import events, make_world, parse, uid
from .signup_factories import ParticipantFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def world(home):
    return make_world(home)


def academy():
    return reverse("feeds:academy")


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("first", ["identity", "gzip"])
def test_gzip_clients_get_the_same_body_compressed(client, world, first):
    # Whichever comes first builds the body; the other gets it from the cache.
    if first == "identity":
        plain = client.get(academy())
        packed = client.get(academy(), **GZIP)
    else:
        packed = client.get(academy(), **GZIP)
        plain = client.get(academy())
    assert packed.status_code == plain.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert packed["Content-Type"] == plain["Content-Type"] == "text/calendar; charset=utf-8"
    assert packed.content[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.content) == plain.content
    assert "Content-Encoding" not in plain
    assert uid(world["sessions"]["cv"]) in events(parse(plain))
    assert packed["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert packed["Content-Disposition"] == plain["Content-Disposition"]
    assert packed["Cache-Control"] == plain["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "header",
    ["", "identity", "deflate, br", "gzip;q=0", "br, gzip; q=0.000", "*;q=0", "gzip;q=zero"],
)
def test_clients_that_refuse_gzip_get_the_plain_body(rf, header):
    assert not accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING=header))


@pytest.mark.parametrize(
    "header", ["gzip", "GZIP", "x-gzip", "br;q=1.0, gzip;q=0.5", "*", "deflate, *;q=0.1"]
)
def test_clients_that_take_gzip(rf, header):
    assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING=header))


def test_both_representations_vary_on_accept_encoding(client, world):
    plain = client.get(academy())
    packed = client.get(academy(), **GZIP)
    assert "accept-encoding" in vary(plain)
    assert "accept-encoding" in vary(packed)
    assert "accept-encoding" in vary(client.get(academy(), HTTP_IF_NONE_MATCH=plain["ETag"]))


def test_each_representation_is_304_on_its_own_etag(client, world):
    plain = client.get(academy())
    packed = client.get(academy(), **GZIP)
    assert plain["ETag"] != packed["ETag"]
    again = client.get(academy(), HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP)
    assert again.status_code == 304
    assert again["ETag"] == packed["ETag"]
    assert not again.content
    assert client.get(academy(), HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    # The other representation's ETag does not match: the client gets this one.
    crossed = client.get(academy(), HTTP_IF_NONE_MATCH=plain["ETag"], **GZIP)
    assert crossed.status_code == 200
    assert crossed["Content-Encoding"] == "gzip"
    crossed = client.get(academy(), HTTP_IF_NONE_MATCH=packed["ETag"])
    assert crossed.status_code == 200
    assert crossed.content == plain.content


def test_conditional_requests_do_not_read_the_body(client, world, monkeypatch):
    plain = client.get(academy())
    packed = client.get(academy(), **GZIP)

    def no_body(*args, **kwargs):
        raise AssertionError("the body was read for a conditional request")

    monkeypatch.setattr(feeds, "cached_body", no_body)
    assert client.get(academy(), HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 304
    assert client.get(academy(), HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    since = plain["Last-Modified"]
    assert client.get(academy(), HTTP_IF_MODIFIED_SINCE=since, **GZIP).status_code == 304


def test_a_changed_session_changes_both_representations(client, world):
    plain = client.get(academy())
    packed = client.get(academy(), **GZIP)
    session = world["sessions"]["cv"]
    session.note = "Portare il proprio CV su una chiavetta."
    session.save()
    plain_now = client.get(academy(), HTTP_IF_NONE_MATCH=plain["ETag"])
    packed_now = client.get(academy(), HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP)
    assert plain_now.status_code == packed_now.status_code == 200
    assert plain_now["ETag"] not in (plain["ETag"], packed["ETag"])
    assert packed_now["ETag"] not in (plain["ETag"], packed["ETag"])
    assert packed_now["ETag"] == plain_now["ETag"][:-1] + '-gzip"'
    assert gzip.decompress(packed_now.content) == plain_now.content
    assert b"chiavetta" in plain_now.content


def test_personal_feeds_are_compressed_too(client, world):
    participant = ParticipantFactory()
    address = reverse("feeds:personal", args=[participant.feed_token])
    plain = client.get(address)
    packed = client.get(address, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["Cache-Control"] == "private, max-age=300"
    assert client.get(address, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 304


def test_feeds_stay_out_of_the_page_cache(client, world, settings):
    """The page cache would keep a second copy of the body and answer every
    conditional request with it (200) under Cache-Control: no-cache."""
    settings.PAGE_CACHE_SECONDS = 300
    for headers in ({}, GZIP):
        first = client.get(academy(), **headers)
        assert "X-Page-Cache" not in first
        assert first["Cache-Control"] == "public, max-age=300"
        again = client.get(academy(), HTTP_IF_NONE_MATCH=first["ETag"], **headers)
        assert again.status_code == 304
        assert "X-Page-Cache" not in again
    english = client.get("/en" + academy()[3:], **GZIP)
    assert english.status_code == 200
    assert "X-Page-Cache" not in english
