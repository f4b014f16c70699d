"""Rate limits for the public sign-up form, on Django's cache (works with
the local-memory cache of tests and development and with Redis). The
visitor's address is `home.throttle.client_ip`, the same for every limit
of the site (TRUSTED_PROXIES)."""

from django.conf import settings
from django.core.cache import cache

from home.throttle import client_ip  # noqa: F401 - the one client address, re-exported


def limits():
    return getattr(
        settings,
        "SIGNUP_RATE_LIMITS",
        # (requests, seconds): generous per address, because a job centre's
        # desk computers share one; tight per e-mail.
        {"ip": (30, 3600), "email": (5, 3600)},
    )


def hit(scope, value, limit=None):
    """Count one request for `value`; False once the limit is passed.
    `limit`, (requests, seconds), is for forms other than the sign-up's."""
    limit, window = limit or limits()[scope]
    key = f"signup-rate:{scope}:{value}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        count = 1
    return count <= limit
