"""An import's rows, prepared apart from the database: in a second process where it can fork.

Reading a dictionary file, folding keys and building search terms take about as long as the
database takes to write the rows. A forked process does the first while the importing one
does the second, so an import runs at the pace of the slower half instead of their sum.

Rows carry their primary keys, counted up from the ids the importer expects the database to
hand out next; the importer claims them batch by batch and renumbers a batch only if somebody
else took ids meanwhile (BatchRows.renumbered).
"""

import dataclasses
import functools
import gc
import multiprocessing
import operator
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import wordfreq

from lookup.normalization import initial_of, normalize_key
from lookup.terms import entry_terms

ENTRY_COLUMNS = [
    "id", "dictionary_id", "language_id", "headword", "search_key", "initial", "part_of_speech", "grammar",
    "pronunciation", "frequency_rank", "is_published", "created_at", "updated_at",
]  # fmt: skip
SENSE_COLUMNS = ["id", "entry_id", "position", "gloss"]
TERM_COLUMNS = ["entry_id", "language_id", "kind", "key", "rank"]
# The order of the search indexes (all of a batch's rows share a language): rows inserted in
# it land beside each other in the B-trees, which cut the database's time for a batch by a tenth.
_KEY, _RANK = ENTRY_COLUMNS.index("search_key"), ENTRY_COLUMNS.index("frequency_rank")
_ENTRY_INDEX_ORDER = operator.itemgetter(_KEY)
_TERM_KIND = operator.itemgetter(TERM_COLUMNS.index("kind"))
_TERM_KEY = operator.itemgetter(TERM_COLUMNS.index("key"))
EXAMPLE_COLUMNS = ["entry_id", "sense_id", "text", "translation", "position"]

FREQUENT_WORDS = 100_000
# Allocations between young-generation collections while importing (Python's default is 700).
IMPORT_GC_THRESHOLD = 20_000


@functools.cache
def frequency_ranks(language_code: str) -> dict[str, int]:
    """Return {search key: rank} of a language's most frequent words (1 = most frequent).

    From wordfreq's word lists; empty for languages it does not cover.
    """
    try:
        words = wordfreq.top_n_list(language_code, FREQUENT_WORDS)
    except LookupError:
        return {}
    finally:
        # wordfreq keeps the language's whole list (40 MB for German) for later calls: none come.
        wordfreq.get_frequency_list.cache_clear()
    ranks: dict[str, int] = {}
    for rank, word in enumerate(words, start=1):
        ranks.setdefault(normalize_key(word), rank)
    return ranks


@dataclass(frozen=True)
class RowContext:
    """What every row of one dictionary's import shares, as the database driver takes it."""

    dictionary_id: int
    language_id: int
    language_code: str
    now: object
    published: object
    # Rank entries by their order in the file (the starter set) instead of by wordfreq.
    rank_by_order: bool = False


@dataclass
class BatchRows:
    """One batch of entries as table rows (tuples in the order of the *_COLUMNS lists)."""

    first_entry_id: int
    first_sense_id: int
    entries: list
    senses: list
    terms: list
    examples: list

    def ranked(self, ranks: dict[str, int]) -> "BatchRows":
        """Return the rows with each entry the file gave no rank ranked by its search key in ranks."""
        if not ranks:
            return self
        entries = [
            row
            if row[_RANK] is not None or row[_KEY] not in ranks
            else (*row[:_RANK], ranks[row[_KEY]], *row[_RANK + 1 :])
            for row in self.entries
        ]
        return dataclasses.replace(self, entries=entries)

    def glosses(self) -> list[tuple[int, str]]:
        """Return (sense id, gloss) of every sense, for the full-text index."""
        return [(sense_id, gloss) for sense_id, _, _, gloss in self.senses]

    def has_ids(self, entry_ids, sense_ids) -> bool:
        """Return whether the claimed ids (ascending) are the ones the rows were numbered with."""
        return _is_run(entry_ids, self.first_entry_id, len(self.entries)) and _is_run(
            sense_ids, self.first_sense_id, len(self.senses)
        )

    def renumbered(self, entry_ids, sense_ids) -> "BatchRows":
        """Return the rows with the claimed ids in place of the ones they were numbered with."""
        entry = dict(zip(range(self.first_entry_id, self.first_entry_id + len(self.entries)), entry_ids, strict=True))
        sense = dict(zip(range(self.first_sense_id, self.first_sense_id + len(self.senses)), sense_ids, strict=True))
        return BatchRows(
            first_entry_id=entry_ids[0],
            first_sense_id=sense_ids[0] if sense_ids else self.first_sense_id,
            entries=[(entry[row[0]], *row[1:]) for row in self.entries],
            senses=[(sense[row[0]], entry[row[1]], *row[2:]) for row in self.senses],
            terms=[(entry[row[0]], *row[1:]) for row in self.terms],
            examples=[(entry[row[0]], sense[row[1]], *row[2:]) for row in self.examples],
        )


def _is_run(ids, first: int, count: int) -> bool:
    # Ids come ascending from one session's sequence or counter: ends and length settle it.
    return len(ids) == count and (count == 0 or (ids[0] == first and ids[-1] == first + count - 1))


def batch_rows(
    records: list[dict], context: RowContext, *, first_entry_id: int, first_sense_id: int, rank_base: int = 0
):
    """Return the rows of records, numbered from the first ids; rank_base counts earlier records.

    Entries the file gives no rank stay unranked here (BatchRows.ranked ranks them), unless
    the context ranks them by their order in the file.
    """
    code, language_id = context.language_code, context.language_id
    entries, senses, terms, examples = [], [], [], []
    sense_id = first_sense_id
    for offset, record in enumerate(records):
        entry_id = first_entry_id + offset
        key = normalize_key(record["headword"])[:255]
        rank = record["frequency_rank"] or (rank_base + offset + 1 if context.rank_by_order else None)
        entries.append(
            (
                entry_id, context.dictionary_id, language_id, record["headword"], key, initial_of(key),
                record["part_of_speech"], record["grammar"], record["pronunciation"], rank, context.published,
                context.now, context.now,
            )
        )  # fmt: skip
        glosses = []
        for position, sense in enumerate(record["senses"], start=1):
            senses.append((sense_id, entry_id, position, sense["gloss"]))
            glosses.append(sense["gloss"])
            for number, example in enumerate(sense["examples"], start=1):
                examples.append((entry_id, sense_id, example["text"], example["translation"], number))
            sense_id += 1
        terms.extend(
            (entry_id, language_id, kind, term, term_rank)
            for kind, term, term_rank in entry_terms(
                search_key=key, language_code=code, glosses=glosses, pronunciation=record["pronunciation"]
            )
        )
    entries.sort(key=_ENTRY_INDEX_ORDER)
    # By kind and key: two stable sorts on one column each took a third of the time of one on both.
    terms.sort(key=_TERM_KEY)
    terms.sort(key=_TERM_KIND)
    return BatchRows(first_entry_id, first_sense_id, entries, senses, terms, examples)


def batches(
    records: Iterable[dict], context: RowContext, *, first_entry_id: int, first_sense_id: int, size: int
) -> Iterator[BatchRows]:
    """Yield the rows of records, size records at a time, numbered on from the first ids."""
    ranks = _ranks(context)
    for rows in _unranked_batches(
        records, context, first_entry_id=first_entry_id, first_sense_id=first_sense_id, size=size
    ):
        yield rows.ranked(ranks)


def _ranks(context: RowContext) -> dict[str, int]:
    return {} if context.rank_by_order else frequency_ranks(context.language_code)


def _unranked_batches(
    records: Iterable[dict], context: RowContext, *, first_entry_id: int, first_sense_id: int, size: int
) -> Iterator[BatchRows]:
    batch, done = [], 0
    for record in records:
        batch.append(record)
        if len(batch) == size:
            rows = batch_rows(
                batch, context, first_entry_id=first_entry_id, first_sense_id=first_sense_id, rank_base=done
            )
            yield rows
            first_entry_id += len(rows.entries)
            first_sense_id += len(rows.senses)
            done += len(batch)
            batch = []
    if batch:
        yield batch_rows(batch, context, first_entry_id=first_entry_id, first_sense_id=first_sense_id, rank_base=done)


@contextmanager
def fewer_collections():
    """Collect garbage less often while importing, and never look at objects older than the import.

    An import allocates millions of short-lived dicts, lists and tuples; every 700 of them set
    off a collection, and the oldest generation's walked every object Django had loaded as
    well: a tenth of an import. Rows hold no reference cycles, so reference counting still
    frees them at once. A process forked inside inherits this.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(IMPORT_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class ReaderProcessDied(RuntimeError):
    """The process reading the dictionary ended without finishing or saying why."""


def read_in_parallel(reader, context: RowContext, *, first_entry_id: int, first_sense_id: int, size: int):
    """Yield batches(reader, …) prepared by a forked process while the caller writes the previous ones.

    Runs in this process where the platform cannot fork. The reader's errors, and the count of
    entries it skipped (reader.skipped), come back to this process. This one ranks the entries
    (BatchRows.ranked) while the forked one reads the first batch.
    """
    numbering = {"first_entry_id": first_entry_id, "first_sense_id": first_sense_id, "size": size}
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from batches(reader, context, **numbering)
        return
    fork = multiprocessing.get_context("fork")
    receiver, sender = fork.Pipe(duplex=False)  # a pipe's small buffer keeps the reader a batch ahead at most
    process = fork.Process(target=_prepare, args=(sender, reader, context, numbering), daemon=True)
    process.start()
    sender.close()
    try:
        # Here, not in the reader: this process would only wait for the first batch meanwhile,
        # and loading them (0.3-0.6 s) held up every batch the reader sends.
        ranks = _ranks(context)
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                process.join(timeout=10)
                raise ReaderProcessDied(f"the reading process ended with exit code {process.exitcode}") from None
            if kind == "error":
                raise payload
            if kind == "done":
                reader.skipped = payload
                return
            yield payload.ranked(ranks)
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()


def _prepare(sender, reader, context: RowContext, numbering: dict) -> None:
    """Send each batch's rows, then ("done", entries skipped) or ("error", what went wrong)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the importer, which ends this process
    try:
        for rows in _unranked_batches(reader, context, **numbering):
            sender.send(("rows", rows))
        sender.send(("done", getattr(reader, "skipped", 0)))
    except BaseException as error:  # noqa: BLE001 - whatever stopped the reader, the importer raises it
        try:
            sender.send(("error", error))
        except Exception:  # an error that cannot be pickled still reaches the importer, as text
            sender.send(("error", ReaderProcessDied(f"{type(error).__name__}: {error}")))
    finally:
        sender.close()
