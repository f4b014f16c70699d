"""Short dates: "gio 4 feb 2027, 18:30" in Italian, "Thu 4 Feb 2027, 18:30"
in English.

Django's "D" and "M" date formats capitalise abbreviated weekdays and
months in every language ("Gio 4 Feb 2027"); Italian writes them in lower
case, like the full month names (academy_site/month_names.py). Every short
date of the site, its e-mails and the admin goes through `short_date` (the
template filter of the same name, home/templatetags/date_tags.py), so the
styles and the case rule live here only. A template that opens a sentence
with a short date capitalises it itself (`|capfirst`)."""

import datetime

from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.translation import get_language

# The styles a template may ask for.
STYLES = {
    "day": "D j M Y",  # gio 4 feb 2027
    "day_time": "D j M Y, H:i",  # gio 4 feb 2027, 18:30
    "date": "j M Y",  # 4 feb 2027
    "month": "M",  # feb
}

# Languages whose abbreviated weekdays and months are written in lower case.
LOWER_CASE_ABBREVIATIONS = {"it"}


class _ShortDateFormat(DateFormat):
    def __init__(self, value, lower_case):
        super().__init__(value)
        self.lower_case = lower_case

    def D(self):
        return super().D().lower() if self.lower_case else super().D()

    def M(self):
        return super().M().lower() if self.lower_case else super().M()


def short_date(value, style="day"):
    """`value` (a date or datetime; aware ones in the current time zone) in
    one of the `STYLES`, in the active language."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (get_language() or "").split("-")[0]
    return _ShortDateFormat(value, language in LOWER_CASE_ABBREVIATIONS).format(STYLES[style])
