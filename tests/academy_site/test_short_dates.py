"""Short dates: Italian writes abbreviated weekdays and months in lower case
("gio 4 feb 2027"), English capitalises them ("Thu 4 Feb 2027"); Django's
"D" and "M" capitalise them in every language (academy_site/short_dates.py)."""

import datetime
import re
import zoneinfo

import pytest
from bs4 import BeautifulSoup

from django.template import Context, Template
from django.utils import timezone, translation

from academy_site.short_dates import short_date

from ..courses.conftest import world  # noqa: F401 (fixture)

ROME = zoneinfo.ZoneInfo("Europe/Rome")
# Thursday 4 February 2027, 18:30 in Italy (17:30 UTC).
EVENING = datetime.datetime(2027, 2, 4, 17, 30, tzinfo=datetime.UTC)


def render(template, value):
    return Template("{% load date_tags %}" + template).render(Context({"value": value}))


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("it", "day", "gio 4 feb 2027"),
        ("it", "day_time", "gio 4 feb 2027, 18:30"),
        ("it", "date", "4 feb 2027"),
        ("it", "month", "feb"),
        ("en", "day", "Thu 4 Feb 2027"),
        ("en", "day_time", "Thu 4 Feb 2027, 18:30"),
        ("en", "date", "4 Feb 2027"),
        ("en", "month", "Feb"),
    ],
)
def test_short_dates_in_both_languages(language, style, expected):
    with translation.override(language), timezone.override(ROME):
        assert short_date(EVENING, style) == expected
        assert render('{{ value|short_date:"' + style + '" }}', EVENING) == expected


def test_a_plain_date_and_the_default_style():
    with translation.override("it"):
        assert render("{{ value|short_date }}", datetime.date(2026, 12, 8)) == "mar 8 dic 2026"
        assert render("{{ value|short_date }}", None) == ""
    with translation.override("en"):
        assert render("{{ value|short_date }}", datetime.date(2026, 12, 8)) == "Tue 8 Dec 2026"


def test_a_sentence_that_opens_with_a_short_date_capitalises_it():
    with translation.override("it"), timezone.override(ROME):
        assert render('{{ value|short_date:"day"|capfirst }}', EVENING) == "Gio 4 feb 2027"


@pytest.mark.django_db
def test_the_course_cards_write_italian_short_dates_in_lower_case(client, world):  # noqa: F811
    soup = BeautifulSoup(client.get("/it/corsi/").content, "html.parser")
    dates = [time.get_text() for time in soup.select(".course-card time")]
    assert dates
    for text in dates:
        assert re.fullmatch(r"[a-zì]{3} \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d", text), text
