import pytest
from django.db import IntegrityError, connection, transaction

from lookup.bulk import SQLITE_ROWS_PER_STATEMENT, BulkWriter
from lookup.import_rows import ENTRY_COLUMNS
from lookup.models import Entry, SearchTerm
from lookup.tests.factories import DictionaryFactory, EntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def entry_row(writer, pk, dictionary, headword):
    now = writer.now()
    language = dictionary.source_language_id
    return (pk, dictionary.pk, language, headword, headword, headword[0], "", "", "", None, writer.true(), now, now)


def test_ids_handed_out_are_new_and_ascending_and_later_inserts_do_not_reuse_them():
    dictionary = DictionaryFactory()
    existing = EntryFactory(dictionary=dictionary, headword="alt")
    with transaction.atomic():
        writer = BulkWriter()
        ids = list(writer.allocate_ids(Entry, 3))
        assert ids == sorted(ids) and min(ids) > existing.pk and len(set(ids)) == 3
        assert min(writer.allocate_ids(Entry, 2)) > max(ids)
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, f"neu{pk}") for pk in ids])
    assert set(Entry.objects.values_list("headword", flat=True)) == {"alt", *(f"neu{pk}" for pk in ids)}
    later = EntryFactory(dictionary=dictionary, headword="danach")
    assert later.pk > max(ids)


def test_rows_written_by_the_driver_read_back_through_the_orm():
    dictionary = DictionaryFactory()
    with transaction.atomic():
        writer = BulkWriter()
        (pk,) = writer.allocate_ids(Entry, 1)
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, "Straße")])
        writer.insert(
            SearchTerm,
            ["entry_id", "language_id", "kind", "key", "rank"],
            [(pk, dictionary.source_language_id, "gloss", "street", 0)],
        )
    entry = Entry.objects.get(pk=pk)
    assert entry.headword == "Straße" and entry.is_published and entry.created_at is not None
    assert entry.search_terms.get().key == "street"


@pytest.mark.parametrize("count", [1, SQLITE_ROWS_PER_STATEMENT, 2 * SQLITE_ROWS_PER_STATEMENT + 7])
def test_every_row_is_written_once_however_the_statements_split_them(count):
    dictionary = DictionaryFactory()
    with transaction.atomic():
        writer = BulkWriter()
        ids = writer.allocate_ids(Entry, count)
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, f"wort{pk}") for pk in ids])
    assert sorted(Entry.objects.values_list("pk", "headword")) == [(pk, f"wort{pk}") for pk in ids]


def test_a_failed_transaction_leaves_nothing_behind():
    dictionary = DictionaryFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        writer = BulkWriter()
        ids = writer.allocate_ids(Entry, 2)
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, f"w{pk}") for pk in ids])
        raise RuntimeError("interrupted")
    assert not Entry.objects.exists()


def test_a_database_error_is_raised_as_djangos_and_nothing_is_kept():
    dictionary = DictionaryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        writer = BulkWriter()
        (pk,) = writer.allocate_ids(Entry, 1)
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, "eins")])
        writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, "same id again")])
    assert not Entry.objects.exists()


def test_the_import_page_cache_is_given_back_afterwards():
    writer = BulkWriter()
    if writer.vendor != "sqlite":
        pytest.skip("SQLite's page cache only")
    before = writer.connection.connection.execute("PRAGMA cache_size").fetchone()
    with transaction.atomic(), writer.import_settings([Entry]):
        assert writer.connection.connection.execute("PRAGMA cache_size").fetchone() != before
    assert writer.connection.connection.execute("PRAGMA cache_size").fetchone() == before


def test_postgresql_merges_new_gin_entries_into_the_index_before_the_block_ends():
    writer = BulkWriter()
    if writer.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN pending list only")
    dictionary = DictionaryFactory()

    def pending_pages():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pending_pages FROM pgstatginindex('entry_key_trgm_idx')")
            return cursor.fetchone()[0]

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
            cursor.execute("SHOW gin_pending_list_limit")
            (before,) = cursor.fetchone()
        with writer.import_settings([Entry]):
            ids = writer.allocate_ids(Entry, 200)
            writer.insert(Entry, ENTRY_COLUMNS, [entry_row(writer, pk, dictionary, f"wort{pk}") for pk in ids])
            assert pending_pages() > 0
        assert pending_pages() == 0
        with connection.cursor() as cursor:
            cursor.execute("SHOW gin_pending_list_limit")
            assert cursor.fetchone() == (before,)
        transaction.set_rollback(True)
