from django import template

from wagtail.models import Locale

from .. import progress
from ..models import DonationPage

register = template.Library()


@register.inclusion_tag("donations/tags/fund_progress.html")
def fund_progress():
    """The Solidarity Fund's progress bar, for the home page."""
    page = (
        DonationPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .order_by("path")
        .first()
    )
    if page is None:
        return {"fund_page": None}
    return {"fund_page": page, "progress": progress.for_page(page)}
