"""PostgreSQL only: text search configurations with accent folding.

`accademia_it` and `accademia_en` are the Italian and English
configurations with `unaccent` before the stemmer, `accademia_simple` the
unstemmed one for autocomplete (search/backends/database.py uses them).
`unaccent` is a trusted extension (PostgreSQL 13+): the database owner can
create it. Where it cannot be created, the configurations are made without
it (stemming still works, accents then must match) and a warning says so.
On SQLite and MySQL this migration does nothing.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)

CONFIGURATIONS = [
    ("accademia_it", "pg_catalog.italian", "italian_stem"),
    ("accademia_en", "pg_catalog.english", "english_stem"),
    ("accademia_simple", "pg_catalog.simple", "simple"),
]
TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT accademia_unaccent")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("RELEASE SAVEPOINT accademia_unaccent")
            unaccent = True
        except Exception:  # noqa: BLE001 - any refusal means "no unaccent"
            cursor.execute("ROLLBACK TO SAVEPOINT accademia_unaccent")
            unaccent = False
            logger.warning(
                "The PostgreSQL extension 'unaccent' could not be created: search will "
                "not fold accents. Ask the database administrator to run "
                "CREATE EXTENSION unaccent; then run this migration again."
            )
        for name, template, dictionary in CONFIGURATIONS:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {template})")
            dictionaries = f"unaccent, {dictionary}" if unaccent else dictionary
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {TOKENS} "
                f"WITH {dictionaries}"
            )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _template, _dictionary in CONFIGURATIONS:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_requests_and_missed_queries")]

    operations = [migrations.RunPython(create_configurations, drop_configurations)]
