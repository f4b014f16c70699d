"""A date after an article in Italian: the article elides before a day read
with a vowel, "l'8 dicembre", "dall'1", "fino all'11" (academy_site/
date_articles.py); English gets the plain date."""

import datetime

import pytest

from django.template import Context, Template
from django.utils import translation

from academy_site.date_articles import date_with_article

# How an Italian reads each day of the month: the article elides before a vowel.
DAY_NAMES = [
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "undici",
    "dodici",
    "tredici",
    "quattordici",
    "quindici",
    "sedici",
    "diciassette",
    "diciotto",
    "diciannove",
    "venti",
    "ventuno",
    "ventidue",
    "ventitré",
    "ventiquattro",
    "venticinque",
    "ventisei",
    "ventisette",
    "ventotto",
    "ventinove",
    "trenta",
    "trentuno",
]
ARTICLES = {
    "il": "l'",
    "al": "all'",
    "dal": "dall'",
    "del": "dell'",
    "nel": "nell'",
    "sul": "sull'",
}


def expected(article, day, text):
    if DAY_NAMES[day - 1][0] in "aeiou":
        return ARTICLES[article] + text
    return f"{article} {text}"


@pytest.mark.parametrize("article", ARTICLES)
@pytest.mark.parametrize("day", range(1, 32))
def test_every_day_of_the_month_with_every_article(day, article):
    value = datetime.date(2026, 12, day)
    with translation.override("it"):
        for text in (f"{day} dicembre 2026", f"{value:%d/%m/%Y} 18:30", f"{value:%d} dicembre"):
            assert date_with_article(text, article) == expected(article, day, text)


def test_the_days_that_elide():
    with translation.override("it"):
        assert date_with_article("8 dicembre 2026", "il") == "l'8 dicembre 2026"
        assert date_with_article("9 dicembre 2026", "il") == "il 9 dicembre 2026"
        assert date_with_article("1 marzo 2027", "dal") == "dall'1 marzo 2027"
        assert date_with_article("11 gennaio 2027", "al") == "all'11 gennaio 2027"
        assert date_with_article("1 dicembre 2026", "del") == "dell'1 dicembre 2026"
        assert date_with_article("08/12/2026", "il") == "l'08/12/2026"
        assert date_with_article("18 dicembre 2026", "il") == "il 18 dicembre 2026"


def test_a_date_opening_with_its_weekday_takes_the_whole_article():
    with translation.override("it"):
        assert date_with_article("martedì 8 dicembre", "il") == "il martedì 8 dicembre"


@pytest.mark.parametrize("article", ARTICLES)
def test_english_gets_the_plain_date(article):
    with translation.override("en"):
        assert date_with_article("8 December 2026", article) == "8 December 2026"


def test_an_unknown_article_is_refused():
    with translation.override("it"), pytest.raises(ValueError, match="entro"):
        date_with_article("8 dicembre 2026", "entro")


def test_the_template_filter():
    template = Template('{% load date_tags %}{{ day|date:"j F Y"|with_article:"al" }}')
    context = Context({"day": datetime.date(2027, 1, 8)}, autoescape=False)
    with translation.override("it"):
        assert template.render(context) == "all'8 gennaio 2027"
        assert template.render(Context({"day": datetime.date(2027, 1, 9)})) == "al 9 gennaio 2027"
    with translation.override("en"):
        assert template.render(context) == "8 January 2027"
