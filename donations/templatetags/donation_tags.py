from django import template

from wagtail.models import Locale

from home import home_lists

from .. import progress
from ..progress import fund_pages

register = template.Library()


@register.inclusion_tag("donations/tags/fund_progress.html")
def fund_progress():
    """The Solidarity Fund's progress bar, for the home page (its page read
    with the home page's other lists, home/home_lists.py, when they were)."""
    locale = Locale.get_active()
    found = home_lists.recall_list("fund", locale)
    page = found[0] if found else None
    if found is None:
        page = fund_pages(locale).first()
    if page is None:
        return {"fund_page": None}
    return {"fund_page": page, "progress": progress.for_page(page)}
