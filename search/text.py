"""Words in, words out: what the search does with text, the same on every
backend. Pure functions, no database."""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from home.search_query import clean_search_query

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
# Words that say nothing about what people look for on this site; dropped
# when the query has other words ("corso cucito" is "cucito").
NOISE = {
    "it": {"corso", "corsi", "il", "lo", "la", "i", "gli", "le", "un", "una", "di", "da", "a",
           "in", "per", "con", "su", "e", "o", "del", "della", "dei", "delle", "al", "alla"},
    "en": {"course", "courses", "class", "classes", "the", "a", "an", "of", "for", "in", "on",
           "to", "and", "or", "with", "at"},
}  # fmt: skip


@lru_cache(maxsize=8192)
def fold(text):
    """Lower case without accents: "Città" → "citta". Kept for the words
    met most (a search ranks and highlights hundreds of texts, thousands of
    words, most of them the same few hundred)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_terms(raw, language="it"):
    """The words of a query that are worth searching for, at most MAX_TERMS.

    Only letters and digits survive, so nothing a backend parses specially
    (quotes, colons, asterisks, parentheses, NUL) ever reaches it."""
    words = WORD.findall(clean_search_query(raw).replace("_", " "))
    words = [word for word in words if word.strip("_")][:MAX_TERMS]
    noise = NOISE.get(language, set()) | NOISE["it"]
    kept = [word for word in words if word.lower() not in noise]
    return kept or words


def stem(term):
    """A prefix that catches the other forms of a word: "sartorie" → "sarto"."""
    term = fold(term)
    if len(term) <= 4:
        return term
    return term[: max(4, len(term) - 3)]


def highlight(text, terms):
    """`text` escaped, with the words that start like a query term in <mark>."""
    text = text or ""
    stems = [stem(term) for term in terms if term]
    if not stems:
        return escape(text)
    out = []
    last = 0
    for match in WORD.finditer(text):
        word = match.group(0)
        folded = fold(word)
        if any(folded.startswith(s) for s in stems):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def excerpt(texts, terms, length=180):
    """The first of `texts` that mentions a term, cut around the first
    mention to about `length` characters, highlighted; else the first text."""
    texts = [" ".join(strip_tags(text).split()) for text in texts if text]
    if not texts:
        return ""
    stems = [stem(term) for term in terms]
    for text in texts:
        for match in WORD.finditer(text):
            if any(fold(match.group(0)).startswith(s) for s in stems):
                start = max(0, match.start() - length // 3)
                if start:
                    space = text.find(" ", start)
                    start = space + 1 if 0 <= space < match.start() else start
                piece = text[start : start + length]
                if start + length < len(text):
                    piece = piece.rsplit(" ", 1)[0] + " …"
                if start:
                    piece = "… " + piece
                return highlight(piece, terms)
    text = texts[0]
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0] + " …"
    return highlight(text, terms)
