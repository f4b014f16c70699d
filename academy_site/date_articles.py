"""A date after an article in Italian: "l'8 dicembre", "il 9 dicembre".

Italian puts the article, or a preposition joined with it, before a date:
"chiude il 9 dicembre", "dal 9", "fino al 9", "del 9". Before a day read
with a vowel, 1 (uno), 8 (otto) and 11 (undici), the article elides: "l'8
dicembre", "dall'1", "fino all'11", "dell'8" ("il 8" is wrong). The day
written "01" or "08" reads the same and elides the same ("l'08/12/2026").
The site writes the first of the month "1", so "l'1 dicembre", in every
format (a numeric date cannot take "1°").

A translation therefore does not write the article before a date: the
sentence gets the date with its article from `date_with_article` (the
template filter `with_article`, home/templatetags/date_tags.py), which
writes it only in Italian. English keeps its preposition in the msgid
("Closes on %(date)s" / "Chiude %(date)s") and gets the plain date."""

import re

from django.utils.translation import get_language

# Each article and joined preposition, and its elided form.
ELIDED = {
    "il": "l'",
    "al": "all'",
    "dal": "dall'",
    "del": "dell'",
    "nel": "nell'",
    "sul": "sull'",
}
# Days read with a vowel: uno, otto, undici.
VOWEL_DAYS = {1, 8, 11}
LEADING_DAY = re.compile(r"\d+")


def date_with_article(text, article):
    """`text`, a date as written ("8 dicembre 2026", "08/12/2026 18:30",
    "martedì 8 dicembre"), after `article` ("il", "al", "dal", "del", "nel",
    "sul") elided as the day asks, in Italian; unchanged in any other
    language. A date that opens with its weekday takes the article whole
    ("il martedì 8 dicembre")."""
    if article not in ELIDED:
        raise ValueError(f"Not an article this helper knows: {article!r}")
    text = str(text)
    if not text or (get_language() or "").split("-")[0] != "it":
        return text
    day = LEADING_DAY.match(text)
    if day and int(day.group()) in VOWEL_DAYS:
        return ELIDED[article] + text
    return f"{article} {text}"
