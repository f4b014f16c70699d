"""Turning what people type into a query every search backend accepts."""

import re
import unicodedata

from django import forms

MAX_QUERY_LENGTH = 200
# Double quotes open phrases in SQLite FTS5 and PostgreSQL tsquery parsing;
# an unbalanced one makes the database reject the query.
_UNSAFE = re.compile(r'["\\]')
_SPACES = re.compile(r"\s+")


def clean_search_query(text):
    """Drop control characters and quotes, fold whitespace, cap the length."""
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in text or ""
    )
    text = _UNSAFE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()[:MAX_QUERY_LENGTH]


class SearchTextField(forms.CharField):
    """A form field for text to search for: what people type, made safe
    for every search backend (`clean_search_query`), so that a quote or a
    backslash searches for the words around it instead of failing. The
    text as typed is validated first (too long is an error, as before)."""

    def clean(self, value):
        return clean_search_query(super().clean(value))
