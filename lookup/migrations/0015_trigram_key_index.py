"""Typo repair on PostgreSQL: a trigram index over entry search keys (pg_trgm).

One-edit typos are found by exact probes of the key index ("hosue" -> "house"); a word
further off is found by trigram similarity, ordered by it, through this GIN index. pg_trgm is
a trusted extension (PostgreSQL 13+): the database's owner may create it. SQLite has no
trigram similarity and keeps to one-edit repair.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX entry_key_trgm_idx ON lookup_entry USING gin (search_key gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS entry_key_trgm_idx"


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("lookup", "0014_gloss_full_text")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
