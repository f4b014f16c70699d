"""Rate limits per IP address and per e-mail address for public forms that
send mail or start a payment (donations, opportunity enquiries, challenge
applications), on Django's cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The visitor's address, as every rate limit of the site counts it.

    `TRUSTED_PROXIES` (settings, from the environment) is the number of
    reverse proxies in front of the site. 0: the direct peer (REMOTE_ADDR);
    an X-Forwarded-For header is ignored, since anybody can send one.
    N > 0: each proxy appends the address it saw, so the N-th entry from
    the right is the one the outermost proxy saw; entries further left
    come from the client and are not trusted. A header with fewer entries
    than proxies did not come through them all: REMOTE_ADDR."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < proxies:
        return remote
    return entries[-proxies]


def allow(request, email, limits, prefix):
    """Count one attempt; False when any of `limits`, a sequence of
    ("ip" or "email", how many, seconds), is exceeded."""
    values = {"ip": client_ip(request), "email": email.strip().lower()}
    allowed = True
    for what, limit, seconds in limits:
        key = f"{prefix}:{what}:{values[what]}"
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds)
            count = 1
        if count > limit:
            allowed = False
    return allowed
