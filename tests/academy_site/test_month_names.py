"""Italian dates write the month in lower case ("20 gennaio 2026"), where
Django's Italian catalogue capitalised it ("20 Gennaio 2026") in every date
of the site, its e-mails and the admin (academy_site/month_names.py);
abbreviated months and weekdays as well (academy_site/short_dates.py)."""

import datetime

from django.template import Context, Template
from django.utils import dateformat, translation

from academy_site.short_dates import short_date

TUESDAY = datetime.date(2026, 1, 20)


def test_italian_dates_write_the_month_in_lower_case():
    with translation.override("it"):
        assert dateformat.format(TUESDAY, "l j F Y") == "Martedì 20 gennaio 2026"
        assert dateformat.format(TUESDAY, "E") == "gennaio"
        assert dateformat.format(datetime.date(2026, 12, 8), "j F") == "8 dicembre"
        assert Template('{{ day|date:"j F Y" }}').render(Context({"day": TUESDAY})) == (
            "20 gennaio 2026"
        )
        # Abbreviations are in lower case too ("mar 20 gen 2026"): Django's "D"
        # and "M" capitalise them, so the site writes them with `short_date`.
        assert short_date(TUESDAY, "day") == "mar 20 gen 2026"
        assert short_date(TUESDAY, "month") == "gen"


def test_english_dates_keep_their_capitals():
    with translation.override("en"):
        assert dateformat.format(TUESDAY, "l j F Y") == "Tuesday 20 January 2026"
        assert dateformat.format(TUESDAY, "E") == "January"
