"""Card-testing bots hammer public donation forms: at most a few checkout
sessions per IP address and per e-mail address in a window of time."""

from home import throttle

LIMITS = (
    # (what, how many, seconds)
    ("ip", 6, 10 * 60),
    ("email", 4, 60 * 60),
)


def allow(request, email):
    """Count one attempt; False when any limit is exceeded."""
    return throttle.allow(request, email, LIMITS, "donations:throttle")
