"""Find a word inside a gloss through a full-text index instead of a search term per word.

Reverse lookup kept a SearchTerm row for every word of a short gloss item ("mouse" of
"computer mouse"), two of every five rows an import wrote. Whole items stay search terms
(ranked, the direct translations); the words inside glosses come from full text:

- SQLite: an FTS5 table over lookup_sense.gloss (external content), kept in step with the
  senses by triggers, so admin edits and other single-row writes need no code of their own.
  FTS5 flushes its buffer to disk for every statement a trigger runs (25 µs a row), so bulk
  imports and removals drop the triggers inside their transaction, update the index one
  statement per batch, and create the triggers again (lookup/fulltext.py).
- PostgreSQL: a GIN index over to_tsvector('simple', gloss); queries name the same expression.

Django rebuilds a SQLite table (and drops its triggers) when a later migration alters a column
of lookup_sense: such a migration must create the triggers again (see TRIGGERS).
"""

from django.db import migrations

FTS_TABLE = "lookup_sense_fts"

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "gloss, content='lookup_sense', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
]
TRIGGERS = [
    f"""CREATE TRIGGER lookup_sense_fts_insert AFTER INSERT ON lookup_sense BEGIN
        INSERT INTO {FTS_TABLE} (rowid, gloss) VALUES (new.id, new.gloss); END""",
    f"""CREATE TRIGGER lookup_sense_fts_delete AFTER DELETE ON lookup_sense BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, gloss) VALUES ('delete', old.id, old.gloss); END""",
    f"""CREATE TRIGGER lookup_sense_fts_update AFTER UPDATE OF gloss ON lookup_sense BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, gloss) VALUES ('delete', old.id, old.gloss);
        INSERT INTO {FTS_TABLE} (rowid, gloss) VALUES (new.id, new.gloss); END""",
]
SQLITE_FILL = [f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')"]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS lookup_sense_fts_insert",
    "DROP TRIGGER IF EXISTS lookup_sense_fts_delete",
    "DROP TRIGGER IF EXISTS lookup_sense_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRESQL_CREATE = [
    "CREATE INDEX sense_gloss_fts_idx ON lookup_sense USING gin (to_tsvector('simple'::regconfig, gloss))"
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS sense_gloss_fts_idx"]


def create_full_text(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {
        "sqlite": SQLITE_CREATE + TRIGGERS + SQLITE_FILL,
        "postgresql": POSTGRESQL_CREATE,
    }.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_full_text(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_word_terms(apps, schema_editor):
    """Delete the per-word gloss terms (rank 10 and up) that full text now answers."""
    SearchTerm = apps.get_model("lookup", "SearchTerm")
    SearchTerm.objects.filter(kind="gloss", rank__gte=10).delete()


class Migration(migrations.Migration):
    dependencies = [("lookup", "0013_ranked_key_index")]

    operations = [
        migrations.RunPython(create_full_text, drop_full_text),
        # Going back leaves words inside glosses unfound until `manage.py rebuild_search_index`.
        migrations.RunPython(drop_word_terms, migrations.RunPython.noop),
    ]
