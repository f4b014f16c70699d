"""Signed links in sign-up e-mails: no password, nothing guessable.

Each link carries the sign-up (or participant) id signed with the site's
secret and a salt per action, so a link for "confirm" cannot be replayed as
"cancel", and a changed character gives a clear "link not valid" page.
A reminder's "still coming" link also names the date it answers for: its
token signs the pair [sign-up id, session id] (links sent before carry the
sign-up id alone; see `read_dated_token`)."""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from home.links import public_url

ACTIONS = ("confirm", "cancel", "coming", "release", "done")
SALT = "courses.signup.%s"


def make_token(signup, action, session=None):
    """The signed sign-up id; with `session`, the pair [sign-up, session]."""
    assert action in ACTIONS  # noqa: S101 - programming error
    value = signup.pk if session is None else [signup.pk, session.pk]
    return signing.dumps(value, salt=SALT % action, compress=False)


def _loads(token, action, max_age):
    try:
        return signing.loads(token, salt=SALT % action, max_age=max_age)
    except signing.BadSignature:
        return None


def read_token(token, action, max_age=None):
    """The sign-up id in a token, or None if it was tampered with."""
    value = _loads(token, action, max_age)
    return value if _is_id(value) else None


def read_dated_token(token, action):
    """(sign-up id, session id) of a token naming its date; (sign-up id,
    None) for a token made before links named one; None if tampered with."""
    value = _loads(token, action, None)
    if _is_id(value):
        return value, None
    if isinstance(value, list) and len(value) == 2 and all(map(_is_id, value)):
        return value[0], value[1]
    return None


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


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


def action_url(signup, action, language=None, session=None):
    with translation.override(language or signup.language):
        token = make_token(signup, action, session)
        return absolute(reverse(f"signups:{action}", args=[token]))


def my_signups_url(participant, language=None):
    with translation.override(language or participant.language):
        return absolute(reverse("signups:mine", args=[participant_token(participant)]))
