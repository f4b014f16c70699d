"""Turning what people type into a query every search backend accepts."""

import re
import unicodedata

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
