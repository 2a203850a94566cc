import json
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from lookup import fulltext, import_rows
from lookup.bulk import BulkWriter
from lookup.import_rows import ENTRY_COLUMNS, EXAMPLE_COLUMNS, SENSE_COLUMNS, TERM_COLUMNS, BatchRows, RowContext
from lookup.languages import KNOWN_LANGUAGES, two_letter_code
from lookup.models import Dictionary, Entry, Example, Language, SavedWord, SearchTerm, Sense, WordList
from lookup.queries import forget_languages
from lookup.readers import MAX_SENSES, JsonLinesReader
from lookup.terms import entry_terms

STARTER_DIRECTORY = Path(__file__).resolve().parent / "starter"


class ListNameTaken(ValueError):
    """The owner already has a list by that name."""


def create_list(*, owner, name: str, description: str = "", language: Language | None = None) -> WordList:
    """Create a list for owner; raise ListNameTaken if one has that name (even in a race)."""
    try:
        with transaction.atomic():
            return WordList.objects.create(owner=owner, name=name, description=description, language=language)
    except IntegrityError as error:
        if WordList.objects.owned_by(owner).named(name).exists():
            raise ListNameTaken(name) from error
        raise


def get_or_create_list(*, owner, name: str) -> WordList:
    """Return owner's list called name (compared without case), creating it if needed."""
    word_list = WordList.objects.owned_by(owner).named(name).first()
    if word_list is None:
        try:
            word_list = create_list(owner=owner, name=name)
        except ListNameTaken:  # made meanwhile by a double-submitted form
            word_list = WordList.objects.owned_by(owner).named(name).get()
    return word_list


@transaction.atomic
def save_entry(
    *,
    user,
    entry: Entry,
    word_list: WordList | None = None,
    new_list_name: str = "",
    note: str = "",
    context: str = "",
) -> tuple[SavedWord, bool]:
    """Save entry into word_list, or into the user's list named new_list_name (made if needed).

    Return the saved word and whether it is new; saving again keeps the first one.
    """
    if word_list is None:
        word_list = get_or_create_list(owner=user, name=new_list_name)
    elif word_list.owner_id != user.pk:
        raise PermissionError("Cannot save into another user's list.")
    return SavedWord.objects.get_or_create(
        word_list=word_list, entry=entry, defaults={"note": note, "context": context}
    )


def language_for_code(code: str) -> Language:
    """Return the Language for an ISO 639-1 or -3 code, creating it with a known name if needed."""
    code = two_letter_code(code)
    name, rtl = KNOWN_LANGUAGES.get(code, (code, False))
    direction = Language.Direction.RTL if rtl else Language.Direction.LTR
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": name, "direction": direction})
    return language


BATCH_SIZE = 5000


@dataclass
class ImportSummary:
    dictionary: Dictionary
    entries: int = 0
    senses: int = 0
    examples: int = 0
    skipped: int = 0
    merged: int = 0
    relinked: int = 0
    kept_as_own_words: int = 0
    seconds: float = 0.0

    @property
    def entries_per_second(self) -> float:
        """Entries read from the file per second (before merging split entries)."""
        return (self.entries + self.merged) / self.seconds if self.seconds else 0.0


def _row_context(writer: BulkWriter, dictionary: Dictionary, *, rank_by_order: bool = False) -> RowContext:
    return RowContext(
        dictionary_id=dictionary.pk,
        language_id=dictionary.source_language_id,
        language_code=dictionary.source_language.code,
        now=writer.now(),
        published=writer.true(),
        rank_by_order=rank_by_order,
    )


def _write_rows(writer: BulkWriter, rows: BatchRows, summary: ImportSummary) -> None:
    """Claim the batch's ids, renumbering it if they are not the expected ones, and insert its rows."""
    entry_ids = writer.allocate_ids(Entry, len(rows.entries))
    sense_ids = writer.allocate_ids(Sense, len(rows.senses))
    if not rows.has_ids(entry_ids, sense_ids):
        rows = rows.renumbered(entry_ids, sense_ids)
    writer.insert(Entry, ENTRY_COLUMNS, rows.entries)
    writer.insert(Sense, SENSE_COLUMNS, rows.senses)
    fulltext.add_glosses(writer.connection, rows.glosses())
    writer.insert(SearchTerm, TERM_COLUMNS, rows.terms)
    writer.insert(Example, EXAMPLE_COLUMNS, rows.examples)
    summary.entries += len(rows.entries)
    summary.senses += len(rows.senses)
    summary.examples += len(rows.examples)


def _fill_dictionary(dictionary: Dictionary, reader, summary: ImportSummary, progress=None) -> None:
    """Write the reader's entries into dictionary while a second process reads and prepares the next ones."""
    writer = BulkWriter()
    with (
        writer.import_settings([Entry, Sense]),
        fulltext.triggers_paused(writer.connection),
        import_rows.fewer_collections(),
    ):
        for rows in import_rows.read_in_parallel(
            reader,
            _row_context(writer, dictionary),
            first_entry_id=writer.expected_next_id(Entry),
            first_sense_id=writer.expected_next_id(Sense),
            size=BATCH_SIZE,
        ):
            _write_rows(writer, rows, summary)
            if progress:
                progress(len(rows.entries))
    summary.skipped = getattr(reader, "skipped", 0)
    dictionary.entry_count = summary.entries
    dictionary.save(update_fields=["entry_count", "updated_at"])


# Position stride: entry n of a group keeps its senses from (n-1) * stride + 1, room for all it may have.
SENSES_PER_MERGED_ENTRY = MAX_SENSES
MAX_MERGED_ENTRIES = 320  # positions are small integers (< 32,767)


def _merge_split_entries(dictionary: Dictionary, summary: ImportSummary) -> None:
    """Merge the entries of one headword, part of speech and grammar into the first of them.

    Some dictionaries (FreeDict deu-eng) give each sense its own entry; a learner expects one
    entry with numbered senses. Senses keep their order; examples and search terms follow.
    The database does it in a handful of set-based statements, through a temporary table.
    """
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in (Entry, Sense, Example, SearchTerm)}
    with connection.cursor() as cursor:
        # Most dictionaries repeat no headword. Finding that out reads the (dictionary, headword)
        # index alone, where numbering the entries below sorts them all: a tenth of an import.
        cursor.execute(
            f"SELECT 1 FROM {table[Entry]} WHERE dictionary_id = %s GROUP BY headword HAVING COUNT(*) > 1 LIMIT 1",
            [dictionary.pk],
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"""CREATE TEMPORARY TABLE import_merge AS
            SELECT id AS old_id, keep_id, (n - 1) * {SENSES_PER_MERGED_ENTRY} AS shift FROM (
                SELECT id, MIN(id) OVER same AS keep_id, ROW_NUMBER() OVER same AS n
                FROM {table[Entry]} WHERE dictionary_id = {int(dictionary.pk)}
                WINDOW same AS (PARTITION BY headword, part_of_speech, grammar ORDER BY id)
            ) numbered WHERE n > 1 AND n <= {MAX_MERGED_ENTRIES}"""
        )
        cursor.execute("SELECT COUNT(*) FROM import_merge")
        merged = cursor.fetchone()[0]
        if merged:
            cursor.execute(
                f'UPDATE {table[Sense]} SET entry_id = m.keep_id, "position" = "position" + m.shift '
                f"FROM import_merge m WHERE {table[Sense]}.entry_id = m.old_id"
            )
            for model in (Example, SearchTerm):
                cursor.execute(
                    f"UPDATE {table[model]} SET entry_id = m.keep_id "
                    f"FROM import_merge m WHERE {table[model]}.entry_id = m.old_id"
                )
            cursor.execute(f"DELETE FROM {table[Entry]} WHERE id IN (SELECT old_id FROM import_merge)")
        cursor.execute("DROP TABLE import_merge")
    if not merged:
        return
    summary.merged = merged
    summary.entries -= merged
    dictionary.entry_count = summary.entries
    dictionary.save(update_fields=["entry_count", "updated_at"])


def _delete_dictionary(dictionary: Dictionary) -> None:
    """Delete a dictionary and its rows in five statements, without loading them into memory.

    Its saved words must already point elsewhere (entries are PROTECTed from them).
    """
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in (Entry, Sense, Example, SearchTerm)}
    its_entries = f"SELECT id FROM {table[Entry]} WHERE dictionary_id = %s"
    with fulltext.triggers_paused(connection), connection.cursor() as cursor:
        fulltext.remove_glosses(
            connection, f"SELECT id, gloss FROM {table[Sense]} WHERE entry_id IN ({its_entries})", [dictionary.pk]
        )
        for model in (SearchTerm, Example, Sense):
            cursor.execute(f"DELETE FROM {table[model]} WHERE entry_id IN ({its_entries})", [dictionary.pk])
        cursor.execute(f"DELETE FROM {table[Entry]} WHERE dictionary_id = %s", [dictionary.pk])
    dictionary.delete()


def _relink_saved_words(old: Dictionary, new: Dictionary, summary: ImportSummary) -> None:
    """Point saved words at the new version's entry with the same headword and part of speech.

    A saved word whose entry has no match keeps the headword and gloss as the learner's own word.
    """
    saved = SavedWord.objects.filter(entry__dictionary=old).select_related("entry").prefetch_related("entry__senses")
    wanted = {(word.entry.headword, word.entry.part_of_speech) for word in saved}
    matches = {}
    for entry in new.entries.filter(headword__in={headword for headword, _ in wanted}).order_by("pk"):
        matches.setdefault((entry.headword, entry.part_of_speech), entry)
    for word in saved:
        match = matches.get((word.entry.headword, word.entry.part_of_speech))
        if match is not None:
            word.entry = match
            summary.relinked += 1
        else:
            senses = word.entry.senses.all()
            word.headword, word.gloss = word.entry.headword, "; ".join(sense.gloss for sense in senses)
            word.entry = None
            summary.kept_as_own_words += 1
        # One saved word per entry per list: a relinked twin is dropped only if the same list
        # already holds the new entry, which keeps the learner's words intact.
        if match is not None and SavedWord.objects.filter(word_list_id=word.word_list_id, entry=match).exists():
            word.delete()
            continue
        word.save(update_fields=["entry", "headword", "gloss"])


def import_dictionary(
    *,
    reader,
    name: str = "",
    source_language: str = "",
    target_language: str = "",
    replace: bool = False,
    progress=None,
) -> ImportSummary:
    """Import every entry a reader yields as one dictionary, all or nothing.

    A dictionary of the same name is never duplicated: without replace the import is refused;
    with it the new version takes the old one's place in the same transaction, and saved words
    follow their entries to it. Its time runs to the commit: PostgreSQL checks the foreign keys
    of the copied rows only then.
    """
    started = time.perf_counter()
    with transaction.atomic():
        metadata = reader.metadata
        name = name or metadata["name"]
        old = Dictionary.objects.filter(name=name).first()
        if old is not None and not replace:
            raise DictionaryExists(name)
        dictionary = Dictionary.objects.create(
            name=f"{name} (importing)" if old else name,
            source_language=language_for_code(source_language),
            target_language=language_for_code(target_language),
            description=metadata.get("description", "")[:5000],
            licence=metadata.get("licence", "")[:200],
            url=metadata.get("url", "")[:500],
            version=metadata.get("version", "")[:50],
        )
        summary = ImportSummary(dictionary=dictionary)
        _fill_dictionary(dictionary, reader, summary, progress)
        _merge_split_entries(dictionary, summary)
        if old is not None:
            _relink_saved_words(old, dictionary, summary)
            _delete_dictionary(old)
            dictionary.name = name
            dictionary.save(update_fields=["name"])
        transaction.on_commit(forget_languages)
    summary.seconds = time.perf_counter() - started
    return summary


def refresh_planner_statistics() -> None:
    """Refresh the database's statistics after a bulk import or removal (outside a transaction).

    PostgreSQL: VACUUM ANALYZE the search tables, so that the rows an import replaced or rolled
    back stop slowing the planner (it probes index ends, dead entries included) and index-only
    scans work. SQLite: PRAGMA optimize, which analyses what changed.
    """
    if connection.in_atomic_block:  # VACUUM cannot run in a transaction; autovacuum will see to it
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Entry, Sense, Example, SearchTerm)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


class DictionaryExists(ValueError):
    """A dictionary of that name is already imported."""


@transaction.atomic
def load_starter_set(*, directory: Path = STARTER_DIRECTORY) -> dict[str, int]:
    """Load the shipped starter dictionaries that are new, or newer than the loaded version.

    A newer version only adds entries the database lacks (matched by headword and part of
    speech); existing entries are left alone, so curators' edits, renames and deletions stay,
    and saved words keep their entries. Return counts of dictionaries and entries added.
    """
    counts = {"dictionaries": 0, "created": 0, "kept": 0}
    for meta in json.loads((directory / "dictionaries.json").read_text(encoding="utf-8")):
        version = str(meta.get("version", ""))
        dictionary = Dictionary.objects.filter(name=meta["name"]).first()
        if dictionary is not None and dictionary.version == version:
            counts["kept"] += dictionary.entry_count
            continue
        if dictionary is None:
            dictionary = Dictionary.objects.create(
                name=meta["name"],
                source_language=language_for_code(meta["source_language"]),
                target_language=language_for_code(meta["target_language"]),
                description=meta.get("description", ""),
                licence=meta.get("licence", ""),
                url=meta.get("url", ""),
            )
        existing = set(dictionary.entries.values_list("headword", "part_of_speech"))
        new_records = []
        for record in JsonLinesReader(directory / meta["file"], strict=True):  # the shipped set keeps every entry
            key = (record["headword"], record["part_of_speech"])
            if key in existing:
                counts["kept"] += 1
                continue
            existing.add(key)
            new_records.append(record)
        summary = ImportSummary(dictionary=dictionary)
        writer = BulkWriter()
        for rows in import_rows.batches(
            new_records,
            _row_context(writer, dictionary, rank_by_order=True),
            first_entry_id=writer.expected_next_id(Entry),
            first_sense_id=writer.expected_next_id(Sense),
            size=BATCH_SIZE,
        ):
            _write_rows(writer, rows, summary)
        counts["created"] += summary.entries
        dictionary.version = version
        dictionary.entry_count = dictionary.entries.count()
        dictionary.save(update_fields=["version", "entry_count", "updated_at"])
        counts["dictionaries"] += 1
    transaction.on_commit(forget_languages)
    return counts


@transaction.atomic
def reindex_entries(entries) -> int:
    """Recompute the search key, browse letter and extra search terms of entries; return how many."""
    count = 0
    for entry in entries.select_related("language").prefetch_related("senses").iterator(chunk_size=BATCH_SIZE):
        entry.set_search_fields()
        Entry.objects.filter(pk=entry.pk).update(search_key=entry.search_key, initial=entry.initial)
        entry.search_terms.all().delete()
        SearchTerm.objects.bulk_create(
            SearchTerm(entry=entry, language_id=entry.language_id, kind=kind, key=key, rank=rank)
            for kind, key, rank in entry_terms(
                search_key=entry.search_key,
                language_code=entry.language.code,
                glosses=[sense.gloss for sense in entry.senses.all()],
                pronunciation=entry.pronunciation,
            )
        )
        count += 1
    return count
