"""Rate limits per IP address and per e-mail address for public forms that
send mail or start a payment (donations, opportunity enquiries, challenge
applications), on Django's cache (Redis in production)."""

from django.core.cache import cache


def client_ip(request):
    """The address the reverse proxy saw (the last X-Forwarded-For entry,
    which a client cannot forge), or the direct peer."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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
