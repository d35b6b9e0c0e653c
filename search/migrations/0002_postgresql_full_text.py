"""PostgreSQL only: extensions, unaccented text search configurations, GIN indexes. Nothing on SQLite.

- `unaccent` and `pg_trgm` (trusted extensions: the database owner may create them);
- `french_unaccent` / `english_unaccent`: the `french` / `english` configurations with the `unaccent`
  dictionary before the stemmer, i.e. `to_tsvector('french', unaccent(text))`, usable by ts_headline;
- GIN index on the tsvector, trigram GIN indexes on the normalised titles and on the vocabulary.
"""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'english_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION english_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END
    $$
    """,
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_trgm ON search_searchentry USING gin (title_norm gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
