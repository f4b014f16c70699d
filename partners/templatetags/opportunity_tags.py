"""Opportunities on other pages: the home page's "closing soon", the
opportunities that list a course or challenge, and an opportunity's state."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Locale

from home import home_lists
from home.cache import allow_cached_form
from home.index_pages import index_page

from ..opportunity_listing import closing_soon
from ..opportunity_listing import opportunities_for as find_opportunities_for

register = template.Library()

CLOSING_SOON_DAYS = 7


def _index(locale):
    return index_page("partners.OpportunityIndexPage", locale.pk)


@register.inclusion_tag("partners/opportunities/tags/opportunity_list.html", takes_context=True)
def opportunities_closing_soon(context, limit=3):
    """A few open opportunities, the nearest deadline first (home page;
    read with its other lists, home/home_lists.py, when they were)."""
    locale = Locale.get_active()
    opportunities = home_lists.recall_list("opportunities", locale, limit)
    if opportunities is None:
        opportunities = closing_soon(locale, limit)
    return {
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        "request": context.get("request"),
        "opportunities": opportunities,
        "heading": _("Opportunities closing soon"),
        "heading_id": "opportunities-closing-soon",
        "css_class": "opportunities-teaser",
        "index": _index(locale),
    }


@register.inclusion_tag("partners/opportunities/tags/opportunity_list.html", takes_context=True)
def opportunities_for(context, page, limit=6):
    """Open opportunities that list `page` among their related courses and
    challenges ("after this course"). Works on any page."""
    return {
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        "request": context.get("request"),
        "opportunities": find_opportunities_for(page, Locale.get_active(), limit),
        "heading": _("After this: opportunities in the network"),
        "heading_id": "opportunities-for-page",
        "css_class": "opportunities-related",
        "index": None,
    }


@register.simple_tag
def opportunity_state(opportunity):
    """{"open": ..., "closing_soon": ...} against the time of the request."""
    now = timezone.now()
    is_open = opportunity.is_open(now)
    soon = (
        is_open
        and not opportunity.ongoing
        and opportunity.deadline is not None
        and opportunity.deadline - now <= datetime.timedelta(days=CLOSING_SOON_DAYS)
    )
    return {"open": is_open, "closing_soon": soon}


@register.simple_tag(takes_context=True)
def enquiry_form_cacheable(context):
    """Declare that the enquiry form differs between visitors only by its
    CSRF token and its "shown at" time, both filled for each visitor, so the
    opportunity page may come from the whole-page cache (home/cache.py)."""
    allow_cached_form(context["request"])
    return ""
