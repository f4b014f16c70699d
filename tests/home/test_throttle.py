"""One client address for every rate limit (home/throttle.py), driven by
TRUSTED_PROXIES: a forged X-Forwarded-For never chooses whose limit counts."""

import pytest

from django.test import RequestFactory

from courses import throttle as signup_throttle
from home import throttle

FORGED = "203.0.113.66"
PROXY = "10.0.0.1"
VISITOR = "198.51.100.7"


def request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_without_proxies_the_peer_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert throttle.client_ip(request(remote=VISITOR)) == VISITOR
    assert throttle.client_ip(request(forwarded=FORGED, remote=VISITOR)) == VISITOR


def test_behind_one_proxy_its_entry_counts_not_the_clients(settings):
    settings.TRUSTED_PROXIES = 1
    assert throttle.client_ip(request(forwarded=VISITOR)) == VISITOR
    # The client sent its own header; the proxy appended the real address.
    assert throttle.client_ip(request(forwarded=f"{FORGED}, {VISITOR}")) == VISITOR
    assert throttle.client_ip(request()) == PROXY  # no header: not through the proxy


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXIES = 2
    assert throttle.client_ip(request(forwarded=f"{FORGED}, {VISITOR}, 10.0.0.2")) == VISITOR
    assert throttle.client_ip(request(forwarded=VISITOR)) == PROXY


def test_the_sign_up_limit_uses_the_same_address(settings):
    settings.TRUSTED_PROXIES = 1
    forwarded = request(forwarded=f"{FORGED}, {VISITOR}")
    assert signup_throttle.client_ip(forwarded) == throttle.client_ip(forwarded) == VISITOR


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_header_does_not_escape_the_limit(settings, proxies):
    settings.TRUSTED_PROXIES = proxies
    limits = [("ip", 2, 60)]
    remote = VISITOR if proxies == 0 else PROXY
    real = VISITOR if proxies else None
    allowed = [
        throttle.allow(
            request(forwarded=f"192.0.2.{n}" + (f", {real}" if real else ""), remote=remote),
            "x@example.org",
            limits,
            "test-throttle",
        )
        for n in range(3)
    ]
    assert allowed == [True, True, False]
