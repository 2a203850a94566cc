"""The full-text index over glosses (migration 0014), and its upkeep in bulk on SQLite.

PostgreSQL indexes the expression to_tsvector('simple', gloss) and needs nothing from code.
SQLite's FTS5 table follows lookup_sense through triggers, which cost 25 µs a row (FTS5 flushes
its buffer for every statement a trigger runs): bulk writers drop them for their transaction
and update the index themselves, one statement per batch.
"""

from collections.abc import Iterable
from contextlib import contextmanager

GLOSS_FTS_TABLE = "lookup_sense_fts"
TRIGGER_PREFIX = "lookup_sense_fts_"


@contextmanager
def triggers_paused(connection):
    """Drop the index's triggers inside the caller's transaction and create them again after it.

    The caller keeps the index right meanwhile. A rollback brings the triggers back with the
    rest: SQLite's schema changes are transactional.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("pause the full-text triggers only inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'lookup_sense' AND name LIKE %s",
            [TRIGGER_PREFIX + "%"],
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                for _, sql in triggers:
                    cursor.execute(sql)


def add_glosses(connection, rows: Iterable[tuple[int, str]]) -> None:
    """Index new senses' glosses, given as (sense id, gloss), while the triggers are dropped."""
    if connection.vendor == "sqlite":
        with connection.wrap_database_errors:
            connection.connection.executemany(f"INSERT INTO {GLOSS_FTS_TABLE} (rowid, gloss) VALUES (?, ?)", rows)


def remove_glosses(connection, senses_sql: str, params) -> None:
    """Unindex the senses senses_sql selects (id, gloss), before they are deleted with the triggers dropped."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {GLOSS_FTS_TABLE} ({GLOSS_FTS_TABLE}, rowid, gloss) "
                f"SELECT 'delete', id, gloss FROM ({senses_sql}) AS gone",
                params,
            )
