"""Wagtail's database search backend, speaking each page's language on
PostgreSQL.

Wagtail's PostgreSQL backend indexes and queries everything with one text
search configuration. Here each object is indexed with the configuration of
its own locale (Italian stemming for Italian pages, English for English) and
a query is parsed with the configuration of the active language, which is
the visitor's: the search page only looks at pages of that language. The
configurations `accademia_it`, `accademia_en` and `accademia_simple` are
created by `search/migrations/0002_text_search_configurations.py`, with
`unaccent` before the stemmer so that "citta" finds "città".

On SQLite (development, tests) and MySQL this is Wagtail's own database
backend: SQLite's FTS5 `unicode61` tokenizer already folds accents, but it
does not stem.

Settings (WAGTAILSEARCH_BACKENDS["default"]): `LANGUAGE_CONFIGS`, a mapping
of language code to configuration, and `SEARCH_CONFIG`, the configuration
of objects without a locale (venues) and of languages not in the mapping.
"""

import copy

from modelsearch.backends import database
from modelsearch.backends.database.postgres import postgres

from django.db import connection
from django.utils import translation

PG_LANGUAGE_CONFIGS = {"it": "accademia_it", "en": "accademia_en"}
PG_DEFAULT_CONFIG = "accademia_it"
PG_AUTOCOMPLETE_CONFIG = "accademia_simple"


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for
    if connection.vendor == "postgresql":
        return LanguagePostgresSearchBackend(params)
    return database.SearchBackend(params)


def _locale_languages(objs):
    """{locale id: language code} for the objects' locales, in one query."""
    from wagtail.models import Locale

    ids = {getattr(obj, "locale_id", None) for obj in objs} - {None}
    if not ids:
        return {}
    return dict(Locale.objects.filter(pk__in=ids).values_list("pk", "language_code"))


class LanguageQueryCompiler(postgres.PostgresSearchQueryCompiler):
    def get_config(self, backend):
        # What has no locale (venues) was indexed with the default
        # configuration (`LanguageIndex`): a query in another language,
        # stemmed otherwise, would miss it ("sartoria": `sartor` in Italian,
        # `sartoria` in English).
        if not _has_locale(self.queryset.model):
            return backend.default_config
        return backend.config_for_language(translation.get_language())


def _has_locale(model):
    return any(field.name == "locale" for field in model._meta.get_fields())


class LanguageIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        """Index each object with the configuration of its language."""
        groups = {}
        languages = _locale_languages(objs)
        for obj in objs:
            language = languages.get(getattr(obj, "locale_id", None))
            groups.setdefault(self.backend.config_for_language(language), []).append(obj)
        for config, group in groups.items():
            index = copy.copy(self)
            index.backend = copy.copy(self.backend)
            index.backend.config = config
            super(LanguageIndex, index).add_items(model, group)


class LanguagePostgresSearchBackend(postgres.PostgresSearchBackend):
    """Wagtail's PostgreSQL backend with one text search configuration per language."""

    query_compiler_class = LanguageQueryCompiler
    index_class = LanguageIndex

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = params.get("LANGUAGE_CONFIGS", PG_LANGUAGE_CONFIGS)
        self.default_config = params.get("SEARCH_CONFIG") or PG_DEFAULT_CONFIG
        self.config = self.default_config
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", PG_AUTOCOMPLETE_CONFIG)

    def config_for_language(self, language):
        if language:
            language = language.split("-")[0]
        return self.language_configs.get(language, self.default_config)
