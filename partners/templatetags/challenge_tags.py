from django import template
from django.utils import timezone

from wagtail.models import Locale

from home import home_lists
from home.index_pages import index_page

from ..challenge_index import open_calls

register = template.Library()

HOME_LIMIT = 3


@register.inclusion_tag("partners/challenges/tags/open_challenges.html", takes_context=True)
def open_challenges(context, limit=HOME_LIMIT):
    """The open challenge calls in the current language (nearest deadline
    first), with a link to the challenge index; for the home page (read
    with its other lists, home/home_lists.py, when they were)."""
    locale = Locale.get_active()
    challenges = home_lists.recall_list("challenges", locale, limit)
    if challenges is None:
        challenges = list(
            open_calls(locale, timezone.now()).select_related("locale", "listing_image")[:limit]
        )
    index = index_page("partners.ChallengeIndexPage", locale.pk)
    return {
        "challenges": challenges,
        "index": index,
        "request": context.get("request"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
