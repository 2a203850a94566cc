import gc
import multiprocessing
import os

import pytest
from django.db import transaction

from lookup import import_rows
from lookup.bulk import BulkWriter
from lookup.import_rows import ENTRY_COLUMNS, ReaderProcessDied, RowContext, batch_rows, read_in_parallel
from lookup.models import Entry, Example, SearchTerm, Sense
from lookup.readers import DictionaryFileError, make_record
from lookup.services import ImportSummary, _row_context, _write_rows
from lookup.tests.factories import DictionaryFactory, EntryFactory, SenseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def record(headword, *glosses, example=None):
    senses = [{"gloss": gloss, "examples": []} for gloss in glosses]
    if example:
        senses[0]["examples"].append({"text": example, "translation": ""})
    return make_record(headword=headword, senses=senses)


CONTEXT = RowContext(dictionary_id=1, language_id=1, language_code="de", now="now", published=1)


class Records:
    """A reader of ready-made records, optionally failing after some of them."""

    def __init__(self, count, fail_after=None, error=None):
        self.count, self.fail_after, self.error = count, fail_after, error
        self.skipped = 0

    def __iter__(self):
        for number in range(self.count):
            if number == self.fail_after:
                if self.error is None:
                    os._exit(3)  # as if the process were killed
                raise self.error
            if number % 10 == 9:
                self.skipped += 1
                continue
            yield record(f"Wort{number}", f"word {number}", "term", example=f"Satz {number}")


def test_rows_are_numbered_from_the_first_ids_and_point_at_each_other():
    rows = batch_rows(
        [record("Haus", "house", "home", example="Das Haus")], CONTEXT, first_entry_id=7, first_sense_id=20
    )
    assert [row[0] for row in rows.entries] == [7]
    assert [row[:3] for row in rows.senses] == [(20, 7, 1), (21, 7, 2)]
    assert rows.examples[0][:2] == (7, 20)
    assert {row[0] for row in rows.terms} == {7} and ("gloss", "house", 0) in [row[2:] for row in rows.terms]
    assert rows.glosses() == [(20, "house"), (21, "home")]


def test_a_batchs_entries_and_terms_come_in_the_order_of_their_search_indexes():
    rows = batch_rows(
        [record("Zebra", "zebra"), record("Apfel", "apple", "pome"), record("Maus", "mouse")],
        CONTEXT,
        first_entry_id=1,
        first_sense_id=1,
    )
    assert [row[3] for row in rows.entries] == ["Apfel", "Maus", "Zebra"]
    assert [row[0] for row in rows.entries] == [2, 3, 1]  # each keeps its own id
    assert [row[3] for row in rows.terms] == ["apple", "mouse", "pome", "zebra"]


def test_collections_are_rarer_while_importing_and_as_before_afterwards():
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with import_rows.fewer_collections():
        assert gc.get_threshold()[0] == import_rows.IMPORT_GC_THRESHOLD > threshold[0]
        assert gc.get_freeze_count() > frozen
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_a_batch_numbered_with_ids_somebody_took_is_renumbered_before_it_is_written():
    dictionary = DictionaryFactory()
    taken = EntryFactory(dictionary=dictionary, headword="schon da")
    SenseFactory(entry=taken, gloss="already there")
    with transaction.atomic():
        writer = BulkWriter()
        rows = batch_rows(
            [record("Haus", "house", "home", example="Das Haus"), record("Maus", "mouse")],
            _row_context(writer, dictionary),
            first_entry_id=taken.pk,  # stale: that id belongs to another entry
            first_sense_id=taken.senses.get().pk,
        )
        _write_rows(writer, rows, ImportSummary(dictionary=dictionary))
    taken.refresh_from_db()
    assert (taken.headword, list(taken.senses.values_list("gloss", flat=True))) == ("schon da", ["already there"])
    haus = Entry.objects.get(headword="Haus")
    assert haus.pk > taken.pk
    assert list(haus.senses.values_list("position", "gloss")) == [(1, "house"), (2, "home")]
    example = Example.objects.get()
    assert (example.entry_id, example.sense_id) == (haus.pk, haus.senses.get(position=1).pk)
    assert set(SearchTerm.objects.filter(key="mouse").values_list("entry__headword", flat=True)) == {"Maus"}


def test_expected_next_id_is_where_the_next_allocation_starts():
    EntryFactory()
    with transaction.atomic():
        writer = BulkWriter()
        expected = writer.expected_next_id(Sense)
        assert list(writer.allocate_ids(Sense, 3)) == [expected, expected + 1, expected + 2]


def test_a_second_process_prepares_the_same_rows_as_this_one():
    numbering = {"first_entry_id": 100, "first_sense_id": 500, "size": 4}
    here = list(import_rows.batches(Records(13), CONTEXT, **numbering))
    reader = Records(13)
    there = list(read_in_parallel(reader, CONTEXT, **numbering))
    assert [rows.entries for rows in there] == [rows.entries for rows in here]
    assert [rows.terms for rows in there] == [rows.terms for rows in here]
    assert [rows.first_sense_id for rows in there] == [500, 508, 516]
    assert reader.skipped == 1  # counted in the other process, reported back
    assert multiprocessing.active_children() == []


class Listed(list):
    """Records as a reader gives them, with its count of skipped entries."""

    skipped = 0


@pytest.mark.parametrize("prepare", [import_rows.batches, read_in_parallel])
def test_entries_are_ranked_by_how_frequent_their_word_is_unless_the_file_ranks_them(prepare):
    ranked_in_file = {**record("der", "the"), "frequency_rank": 7}
    records = Listed([record("Haus", "house"), record("Xylofonwort", "made up"), ranked_in_file])
    rows = list(prepare(records, CONTEXT, first_entry_id=1, first_sense_id=1, size=2))
    rank_of = {row[3]: row[ENTRY_COLUMNS.index("frequency_rank")] for batch in rows for row in batch.entries}
    assert rank_of == {"Haus": import_rows.frequency_ranks("de")["haus"], "Xylofonwort": None, "der": 7}
    assert rank_of["Haus"] < 1000


def test_the_readers_error_is_raised_here_with_its_message():
    reader = Records(10, fail_after=5, error=DictionaryFileError("words.jsonl, line 6: not JSON"))
    with pytest.raises(DictionaryFileError, match="line 6: not JSON"):
        list(read_in_parallel(reader, CONTEXT, first_entry_id=1, first_sense_id=1, size=2))
    assert multiprocessing.active_children() == []


def test_a_reading_process_that_dies_is_reported_not_waited_for():
    with pytest.raises(ReaderProcessDied, match="exit code 3"):
        list(read_in_parallel(Records(10, fail_after=5), CONTEXT, first_entry_id=1, first_sense_id=1, size=2))


def test_the_reading_process_ends_when_the_importer_stops_early():
    batches = read_in_parallel(Records(10_000), CONTEXT, first_entry_id=1, first_sense_id=1, size=10)
    next(batches)
    batches.close()  # as when writing a batch fails
    assert multiprocessing.active_children() == []
