from django import template

from academy_site.date_articles import date_with_article
from academy_site.short_dates import short_date as format_short_date

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value, style="day"):
    """{{ session.start|short_date:"day_time" }}: "gio 4 feb 2027, 18:30" /
    "Thu 4 Feb 2027, 18:30" (the styles: academy_site/short_dates.py)."""
    return format_short_date(value, style)


@register.filter
def with_article(value, article):
    """{{ day|date:"j F Y"|with_article:"il" }}: "l'8 dicembre 2026", "il 9
    dicembre 2026" in Italian, the plain date in English, for a translation
    that leaves the article out (academy_site/date_articles.py)."""
    return date_with_article(value, article)
