from django import template
from django.utils import timezone

from wagtail.models import Locale

from home.index_pages import index_page

from ..models import ChallengePage

register = template.Library()

HOME_LIMIT = 3


@register.inclusion_tag("partners/challenges/tags/open_challenges.html", takes_context=True)
def open_challenges(context, limit=HOME_LIMIT):
    """The open challenge calls in the current language (nearest deadline
    first), with a link to the challenge index; for the home page."""
    now = timezone.now()
    locale = Locale.get_active()
    challenges = (
        ChallengePage.objects.live()
        .public()
        .filter(locale=locale, opens_at__lte=now, closes_at__gt=now)
        .select_related("locale", "listing_image")
        .order_by("closes_at", "pk")[:limit]
    )
    index = index_page("partners.ChallengeIndexPage", locale.pk)
    return {
        "challenges": list(challenges),
        "index": index,
        "request": context.get("request"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
