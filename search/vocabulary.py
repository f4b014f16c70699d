"""Spelling suggestions ("did you mean") from the site's own words.

Wagtail's database backend offers no suggestions, so the words of what
people look for here (titles of courses, partners, challenges and
opportunities, topic names, labour needs, the comuni) are gathered once per
language and content generation (home/cache.py) and kept in the cache; a
suggestion is a difflib comparison against a few thousand words at most.
"""

import difflib
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import DateField, F, IntegerField, Value

from wagtail.models import Page

from home.cache import generation
from home.choices import Comune
from home.request_memo import locales_by_code

from .text import WORD, fold, stem

MIN_LENGTH = 3
CLOSE_ENOUGH = 0.75
_NO_DAY = Value(None, output_field=DateField())
_NO_KIND = Value(None, output_field=IntegerField())


def _texts(locale, promoted=None):
    """The texts whose words the site knows in `locale`; the query strings
    editors promoted something for (search/views.py `promotions`) are added
    to `promoted` (if given), read in the same query."""
    from courses.catalogue import topic_rows
    from courses.models import CoursePage
    from courses.search_text import WORDS
    from partners.models import ChallengePage, LabourNeed, OpportunityPage, PartnerPage

    models = (CoursePage, PartnerPage, ChallengePage, OpportunityPage)
    pages = Page.objects.live().public().filter(locale=locale).type(*models)
    needs = LabourNeed.objects.filter(locale=locale)
    titles, need_titles = {}, []
    for part, content_type_id, title in _titles(pages, needs):
        if part == PAGES:
            titles.setdefault(content_type_id, []).append(title)
        elif part == NEEDS:
            need_titles.append(title)
        elif promoted is not None:
            promoted.add(title)
    for model in models:
        yield from titles.get(ContentType.objects.get_for_model(model).pk, [])
    yield from (topic.name for topic in topic_rows() if topic.locale_id == locale.pk)
    yield from need_titles
    yield from Comune.labels
    yield from WORDS.get(locale.language_code, {}).values()


PAGES, NEEDS, PROMOTED = 0, 1, 2


def _titles(pages, needs):
    """(PAGES, content type id, title) for `pages` in tree order, then
    (NEEDS, None, title) for `needs` in their own order (comune, newest
    first), then (PROMOTED, None, query string) for each editors' pick:
    one query for all three (UNION ALL), each part sorted by the database
    as it was when they were apart."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    pages = pages.order_by().annotate(
        part=Value(PAGES), kind=F("content_type_id"), key=F("path"), day=_NO_DAY
    )
    needs = needs.order_by().annotate(
        part=Value(NEEDS), kind=_NO_KIND, key=F("comune"), day=F("noted_on")
    )
    picks = SearchPromotion.objects.order_by().annotate(
        part=Value(PROMOTED),
        kind=_NO_KIND,
        key=F("query__query_string"),
        day=_NO_DAY,
        title=F("query__query_string"),
    )
    columns = ("part", "kind", "key", "day", "title")
    combined = pages.values_list(*columns).union(
        needs.values_list(*columns), picks.values_list(*columns), all=True
    )
    return [
        (part, kind, title)
        for part, kind, _key, _day, title in combined.order_by("part", "key", "-day")
    ]


def vocabulary(language):
    """{folded word: (word as written, how often)} for `language`."""
    return _kept(language)[0]


def promoted_queries(language):
    """The normalised query strings editors promoted something for, kept
    with the vocabulary of `language` (so a search reads them with no query
    of their own; a saved or deleted SearchPromotion moves the content
    generation, home/cache.py); None when `language` has no locale."""
    return _kept(language)[1]


def _kept(language):
    """(vocabulary, promoted query strings) of `language`, kept per
    content generation (of the site and the courses: no gift changes them)."""
    key = f"search-vocabulary:{generation('courses')}:{language}"
    kept = cache.get(key)
    if kept is None:
        locale = locales_by_code().get(language)  # (read once per request)
        counts = Counter()
        written = {}
        promoted = set()
        if locale is not None:
            for text in _texts(locale, promoted):
                for word in WORD.findall(text):
                    if len(word) >= MIN_LENGTH and not word.isdigit():
                        folded = fold(word)
                        counts[folded] += 1
                        written.setdefault(folded, word.lower())
        words = {folded: (written[folded], count) for folded, count in counts.items()}
        kept = (words, frozenset(promoted) if locale is not None else None)
        cache.set(key, kept, 24 * 3600)
    return kept


def closest(term, words):
    """The site's word nearest to `term`, or None."""
    folded = fold(term)
    if folded in words or len(folded) < MIN_LENGTH or folded.isdigit():
        return None
    close = difflib.get_close_matches(folded, list(words), n=1, cutoff=CLOSE_ENOUGH)
    if close:
        return words[close[0]][0]
    prefix = stem(term)
    same_start = [w for w in words if w.startswith(prefix) and w != folded]
    if same_start:
        best = max(same_start, key=lambda w: (words[w][1], -len(w)))
        return words[best][0]
    return None


def suggest(terms, language):
    """`terms` with each unknown word replaced by the nearest known one, or
    None when nothing would change."""
    words = vocabulary(language)
    changed = False
    suggestion = []
    for term in terms:
        replacement = closest(term, words)
        if replacement and fold(replacement) != fold(term):
            changed = True
            suggestion.append(replacement)
        else:
            suggestion.append(term)
    return suggestion if changed else None


def related(term, words, limit=4):
    """Other words of the site that start like `term` ("sarta": "sartoria",
    "sarte"...), the most frequent first: the forms stemming misses."""
    folded = fold(term)
    if len(folded) < 4 or folded.isdigit():
        return []
    prefix = stem(term)
    found = [w for w in words if w.startswith(prefix) and w != folded]
    found.sort(key=lambda w: (-words[w][1], w))
    return [words[w][0] for w in found[:limit]]


def expanded(terms, language):
    """[[term, related words...], ...] for each term."""
    words = vocabulary(language)
    return [[term, *related(term, words)] for term in terms]
