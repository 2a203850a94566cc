"""Rows straight to the database driver's bulk path: executemany on SQLite, COPY on PostgreSQL.

Imports write hundreds of thousands of rows; building a Django model instance and compiling
SQL for each of them costs ten times what the database itself spends. A BulkWriter takes plain
tuples instead, and hands out primary keys up front so that child rows can point at their
parents without reading anything back.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from itertools import chain

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

# SQLite's page cache while importing (its default is 2 MB): new index entries land all over
# million-row indexes, and each page that must be read back costs more than the insert. 64 MB
# cut an import's work by a sixth; more pushed its memory towards the 300 MB it must stay under.
IMPORT_CACHE_KB = 65_536
# Rows per INSERT statement on SQLite. Each statement run costs its own set-up and, on a table
# with AUTOINCREMENT, a read and write of sqlite_sequence: one per row (executemany) took
# about a third longer to write an import's rows.
SQLITE_ROWS_PER_STATEMENT = 100
# PostgreSQL's GIN pending list while importing (its default is 4 MB).
GIN_PENDING_KB = 65_536


class BulkWriter:
    """Insert plain rows into a model's table through the open connection, in its transaction."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        connection = connections[alias]
        connection.ensure_connection()
        self.connection = connection
        self.vendor = connection.vendor
        self._next_id: dict[str, int] = {}

    def now(self):
        """Return the current time as this database stores a DateTimeField."""
        return (
            self.connection.ops.adapt_datetimefield_value(timezone.now()) if self.vendor == "sqlite" else timezone.now()
        )

    def true(self):
        """Return True as this database's driver takes it in a bulk row."""
        return 1 if self.vendor == "sqlite" else True

    @contextmanager
    def import_settings(self, models):
        """Tune the connection for bulk inserts into models' tables, for the length of the block.

        SQLite: a larger page cache. PostgreSQL: GIN indexes (trigram keys, full text) gather
        new entries in a longer pending list and merge it into the index once, at the end of
        the block, inside the import's time, instead of every 4 MB: 0.6 s less of the 10 s that
        100,000 entries took.
        """
        if self.vendor == "sqlite":
            raw = self.connection.connection
            (previous,) = raw.execute("PRAGMA cache_size").fetchone()
            raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KB}")
            try:
                yield
            finally:
                raw.execute(f"PRAGMA cache_size = {int(previous)}")
        elif self.vendor == "postgresql":
            if not self.connection.in_atomic_block:
                raise RuntimeError("tune the connection for an import only inside its transaction")
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('gin_pending_list_limit')")
                (previous,) = cursor.fetchone()
                cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [f"{GIN_PENDING_KB}kB"])
            yield
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT gin_clean_pending_list(i.indexrelid::regclass) FROM pg_index i"
                    " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
                    " WHERE am.amname = 'gin' AND i.indrelid = ANY(%s::regclass[])",
                    [[model._meta.db_table for model in models]],
                )
                cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [previous])
        else:
            yield

    def expected_next_id(self, model) -> int:
        """Return the id that allocate_ids will most likely start at next, for rows numbered ahead of it.

        SQLite's is certain (the import holds the write lock); PostgreSQL's holds unless another
        session takes ids from the sequence meanwhile, which the caller must check.
        """
        if self.vendor == "postgresql":
            (taken,) = self.allocate_ids(model, 1)  # spent, so that the next ids follow it
            return taken + 1
        return self._sqlite_next_id(model._meta.db_table)

    def allocate_ids(self, model, count: int) -> Sequence[int]:
        """Reserve count primary keys of model's table and return them in ascending order."""
        if count == 0:
            return []
        table = model._meta.db_table
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [row[0] for row in cursor.fetchall()]
        first = self._sqlite_next_id(table)
        self._next_id[table] = first + count
        return range(first, first + count)

    def _sqlite_next_id(self, table: str) -> int:
        if table not in self._next_id:
            # Inside the import's transaction SQLite holds the write lock, so nobody else can take
            # these ids; AUTOINCREMENT never reuses one, so start past both the rows and the counter.
            with self.connection.cursor() as cursor:
                quoted = self.connection.ops.quote_name(table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
                highest = max(highest, cursor.fetchone()[0])
            self._next_id[table] = highest + 1
        return self._next_id[table]

    def insert(self, model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Insert rows (tuples in the order of columns) into model's table."""
        table = model._meta.db_table
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        raw = self.connection.connection  # the driver's own connection, in Django's transaction
        with self.connection.wrap_database_errors:  # raise Django's IntegrityError etc., as the ORM does
            self._insert(raw, quote(table), names, len(columns), rows)

    def _insert(self, raw, table, names, width, rows):
        if self.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elif self.vendor == "sqlite":
            _sqlite_insert(raw, table, names, width, rows)
        else:
            placeholders = ", ".join(["%s"] * width)
            with raw.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", list(rows))


def _sqlite_insert(raw, table: str, names: str, width: int, rows: Iterable[Sequence]) -> None:
    """Insert rows into a SQLite table through the driver's connection raw, many rows per statement."""
    rows = list(rows)
    row = f"({', '.join('?' * width)})"
    for start in range(0, len(rows), SQLITE_ROWS_PER_STATEMENT):
        chunk = rows[start : start + SQLITE_ROWS_PER_STATEMENT]
        values = ", ".join([row] * len(chunk))
        raw.execute(f"INSERT INTO {table} ({names}) VALUES {values}", list(chain.from_iterable(chunk)))
