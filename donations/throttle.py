"""Card-testing bots hammer public donation forms: at most a few checkout
sessions per IP address and per e-mail address in a window of time."""

from django.core.cache import cache

LIMITS = (
    # (what, how many, seconds)
    ("ip", 6, 10 * 60),
    ("email", 4, 60 * 60),
)


def client_ip(request):
    """The address the reverse proxy saw (the last X-Forwarded-For entry,
    which a client cannot forge), or the direct peer."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow(request, email):
    """Count one attempt; False when any limit is exceeded."""
    values = {"ip": client_ip(request), "email": email.strip().lower()}
    allowed = True
    for what, limit, seconds in LIMITS:
        key = f"donations:throttle:{what}:{values[what]}"
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds)
            count = 1
        if count > limit:
            allowed = False
    return allowed
