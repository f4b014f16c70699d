"""Signed links in sign-up e-mails: no password, nothing guessable.

Each link carries the sign-up (or participant) id signed with the site's
secret and a salt per action, so a link for "confirm" cannot be replayed as
"cancel", and a changed character gives a clear "link not valid" page."""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from home.links import public_url

ACTIONS = ("confirm", "cancel", "coming", "release", "done")
SALT = "courses.signup.%s"


def make_token(signup, action):
    assert action in ACTIONS  # noqa: S101 - programming error
    return signing.dumps(signup.pk, salt=SALT % action, compress=False)


def read_token(token, action, max_age=None):
    """The sign-up id in a token, or None if it was tampered with."""
    try:
        value = signing.loads(token, salt=SALT % action, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def participant_token(participant):
    return signing.dumps(participant.pk, salt=SALT % "me")


def read_participant_token(token):
    try:
        value = signing.loads(token, salt=SALT % "me")
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def absolute(path):
    return public_url(path)


def action_url(signup, action, language=None):
    with translation.override(language or signup.language):
        return absolute(reverse(f"signups:{action}", args=[make_token(signup, action)]))


def my_signups_url(participant, language=None):
    with translation.override(language or participant.language):
        return absolute(reverse("signups:mine", args=[participant_token(participant)]))
