"""PostgreSQL only: trigram indexes for the search's « name or commune contains » (ILIKE '%…%' on the listed
canteens). Skipped on other databases, and when the pg_trgm extension cannot be created."""

from django.db import migrations, transaction

INDEXES = [
    "CREATE INDEX IF NOT EXISTS stats_name_trgm ON territories_canteenstats "
    "USING gin (UPPER(name::text) gin_trgm_ops) WHERE listed",
    "CREATE INDEX IF NOT EXISTS stats_city_trgm ON territories_canteenstats "
    "USING gin (UPPER(city::text) gin_trgm_ops) WHERE listed",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # not allowed to: the search works without the index, only slower
            return
        for statement in INDEXES:
            cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS stats_name_trgm")
            cursor.execute("DROP INDEX IF EXISTS stats_city_trgm")


class Migration(migrations.Migration):
    dependencies = [("territories", "0003_stats_city_sort_keys_partial_indexes")]

    operations = [migrations.RunPython(create, drop)]
