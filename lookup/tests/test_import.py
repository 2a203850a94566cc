import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lookup.models import Dictionary, Entry, Example, Language, SavedWord, SearchTerm, Sense
from lookup.readers import MAX_EXAMPLES, MAX_FREQUENCY_RANK, MAX_GLOSS, MAX_SENSES, JsonLinesReader
from lookup.services import import_dictionary
from lookup.tests.factories import SavedWordFactory, WordListFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def run(*args):
    out = StringIO()
    call_command("import_dictionary", *map(str, args), stdout=out)
    return out.getvalue()


def snapshot():
    return (Dictionary.objects.count(), Entry.objects.count(), Sense.objects.count(), Example.objects.count())


def test_import_dictd_with_languages_and_metadata_from_the_freedict_name():
    out = run(DATA / "freedict-fra-eng.index")
    assert "Imported Test French-English Dictionary: 6 entries, 8 senses, 1 examples" in out
    assert "entries/s" in out and "skipped 1" in out
    dictionary = Dictionary.objects.get()
    assert (dictionary.source_language.code, dictionary.target_language.code) == ("fr", "en")
    assert dictionary.source_language.name == "French"
    assert (dictionary.version, dictionary.url, dictionary.entry_count) == ("0.2", "https://example.org/test-dict", 6)
    assert dictionary.licence.startswith("GNU General Public License")
    tete = Entry.objects.get(headword="tête")
    assert (tete.search_key, tete.initial, tete.language.code) == ("tete", "t", "fr")
    assert list(tete.senses.values_list("position", "gloss")) == [(1, "head"), (2, "top, leading part")]


@pytest.mark.parametrize(
    ("name", "source", "count"),
    [("sample.jsonl", "de", 3), ("sample.csv", "es", 3), ("sample.tsv", "ar", 2), ("sample.tei", "es", 2)],
)
def test_import_each_format(name, source, count):
    out = run(DATA / name, "--source-lang", source, "--target-lang", "en")
    assert f"{count} entries" in out
    assert Entry.objects.filter(language__code=source).count() == count


def test_arabic_import_makes_a_right_to_left_language():
    run(DATA / "sample.tsv", "--source-lang", "ara", "--target-lang", "eng", "--name", "Arabic test")
    assert Language.objects.get(code="ar").direction == "rtl"
    assert Entry.objects.get(headword="كِتَاب").search_key == "كتاب"


def test_reimporting_is_refused_without_replace_and_changes_nothing():
    run(DATA / "freedict-fra-eng.index")
    before = snapshot()
    with pytest.raises(CommandError, match="already imported; give --replace"):
        run(DATA / "freedict-fra-eng.index")
    assert snapshot() == before


def test_replace_swaps_the_version_and_saved_words_follow_their_entries():
    run(DATA / "freedict-fra-eng.index")
    word_list = WordListFactory()
    chat = SavedWordFactory(word_list=word_list, entry=Entry.objects.get(headword="chat"), note="mine")
    gone = Entry.objects.get(headword="chanter")
    SavedWordFactory(word_list=word_list, entry=gone)
    old_ids = set(Entry.objects.values_list("pk", flat=True))
    # The "new version" lacks chanter: its saved word must survive as the learner's own word.
    new = DATA.parent / "data" / "sample.jsonl"
    out = run(
        new, "--name", "Test French-English Dictionary", "--source-lang", "fr", "--target-lang", "en", "--replace"
    )
    assert "saved words follow their entries" in out
    assert Dictionary.objects.count() == 1
    assert not Entry.objects.filter(pk__in=old_ids).exists()
    chat.refresh_from_db()
    assert chat.entry is None and chat.headword == "chat" and chat.gloss == "cat" and chat.note == "mine"
    kept = SavedWord.objects.get(headword="chanter")
    assert kept.gloss == "sing"


def test_replace_relinks_to_the_matching_entry():
    run(DATA / "freedict-fra-eng.index")
    saved = SavedWordFactory(entry=Entry.objects.get(headword="tête"))
    out = run(DATA / "freedict-fra-eng.index", "--replace")
    assert "1 saved words follow their entries, 0 kept" in out
    saved.refresh_from_db()
    assert saved.entry.headword == "tête"
    assert saved.entry.dictionary == Dictionary.objects.get()


def test_malformed_file_imports_nothing_and_names_the_line(tmp_path):
    path = tmp_path / "freedict-deu-eng.jsonl"
    good = '{"headword": "Haus", "senses": [{"gloss": "house"}]}\n'
    path.write_text(good * 4500 + "{oops\n", encoding="utf-8")  # fails after two full batches
    with pytest.raises(CommandError, match=r"Nothing was imported: freedict-deu-eng.jsonl, line 4501"):
        run(path)
    assert snapshot() == (0, 0, 0, 0)


def test_failed_replace_keeps_the_old_version(tmp_path):
    run(DATA / "freedict-fra-eng.index")
    before = snapshot()
    path = tmp_path / "broken.jsonl"
    path.write_text('{"headword": "x", "senses": [{"gloss": "y"}]}\n[]\n', encoding="utf-8")
    with pytest.raises(CommandError):
        run(path, "--name", "Test French-English Dictionary", "--source-lang", "fr", "--target-lang", "en", "--replace")
    assert snapshot() == before


class InterruptedReader(JsonLinesReader):
    def __iter__(self):
        for number, record in enumerate(super().__iter__()):
            if number == 2:
                raise KeyboardInterrupt
            yield record


def test_interrupted_import_leaves_the_database_as_it_was(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"headword": "a", "senses": [{"gloss": "b"}]}\n' * 5, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        import_dictionary(reader=InterruptedReader(path), source_language="fr", target_language="en")
    assert snapshot() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sample.jsonl"], "Give --source-lang and --target-lang"),
        (["sample.jsonl", "--source-lang", "f1", "--target-lang", "en"], "not an ISO 639"),
        (["freedict-fra-deu.index"], "freedict-fra-deu.index: no such file"),
        (["words.txt", "--source-lang", "fr", "--target-lang", "en"], "cannot tell the format"),
    ],
)
def test_bad_command_lines_are_explained(args, message):
    with pytest.raises(CommandError, match=message):
        run(DATA / args[0], *args[1:])


def test_entries_split_by_sense_are_merged_into_one_entry_per_headword(tmp_path):
    path = tmp_path / "split.jsonl"
    lines = [
        '{"headword": "über", "part_of_speech": "preposition", "senses": [{"gloss": "over", "examples": '
        '[{"text": "über die Brücke", "translation": "over the bridge"}]}]}',
        '{"headword": "Haus", "part_of_speech": "noun", "senses": [{"gloss": "house"}]}',
        '{"headword": "über", "part_of_speech": "preposition", "senses": [{"gloss": "about"}, {"gloss": "via"}]}',
        '{"headword": "über", "part_of_speech": "adverb", "senses": [{"gloss": "left over"}]}',
        '{"headword": "über", "part_of_speech": "preposition", "senses": [{"gloss": "above"}]}',
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    out = run(path, "--source-lang", "de", "--target-lang", "en")
    assert "3 entries" in out and "2 entries merged" in out
    preposition = Entry.objects.get(headword="über", part_of_speech="preposition")
    assert list(preposition.senses.values_list("gloss", flat=True)) == ["over", "about", "via", "above"]
    assert preposition.examples.get().text == "über die Brücke"
    assert Dictionary.objects.get().entry_count == 3
    assert set(SearchTerm.objects.filter(key="about").values_list("entry_id", flat=True)) == {preposition.pk}
    assert not SearchTerm.objects.exclude(entry__in=Entry.objects.all()).exists()


def test_entries_at_the_databases_limits_are_kept_and_those_past_them_skipped(tmp_path):
    def line(headword, senses, **fields):
        return json.dumps({"headword": headword, "senses": senses, **fields}) + "\n"

    example = {"text": "Satz", "translation": "sentence"}
    long_gloss = " ".join(f"word{n:05}" for n in range(MAX_GLOSS // 10))[:MAX_GLOSS]
    path = tmp_path / "limits.jsonl"
    path.write_text(
        line("hundert", [{"gloss": f"first {n}"} for n in range(MAX_SENSES)])
        + line("hundert", [{"gloss": f"second {n}"} for n in range(MAX_SENSES)])  # merged behind the first
        + line("lang", [{"gloss": long_gloss, "examples": [example] * MAX_EXAMPLES}], frequency_rank=MAX_FREQUENCY_RANK)
        + line("zu viele", [{"gloss": f"sense {n}"} for n in range(MAX_SENSES + 1)])
        + line("zu lang", [{"gloss": long_gloss + " x"}])
        + line("leer", []),
        encoding="utf-8",
    )
    out = run(path, "--source-lang", "de", "--target-lang", "en")
    assert "2 entries" in out and "1 entries merged" in out and "skipped 3" in out
    hundred = Entry.objects.get(headword="hundert")
    glosses = [f"first {n}" for n in range(MAX_SENSES)] + [f"second {n}" for n in range(MAX_SENSES)]
    assert list(hundred.senses.values_list("gloss", flat=True)) == glosses
    long = Entry.objects.get(headword="lang")
    assert long.frequency_rank == MAX_FREQUENCY_RANK and long.examples.count() == MAX_EXAMPLES
    assert long.senses.get().gloss == long_gloss


def test_a_rank_past_the_databases_integers_imports_nothing_and_names_the_line(tmp_path):
    path = tmp_path / "ranks.jsonl"
    path.write_text(
        '{"headword": "gut", "senses": [{"gloss": "good"}]}\n'
        '{"headword": "sehr", "senses": [{"gloss": "very"}], "frequency_rank": 3000000000}\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"Nothing was imported: ranks.jsonl, line 2: frequency_rank must be"):
        run(path, "--source-lang", "de", "--target-lang", "en")
    assert snapshot() == (0, 0, 0, 0)


def test_a_nul_character_imports_nothing_and_names_the_line(tmp_path):
    path = tmp_path / "nul.jsonl"  # PostgreSQL cannot store one: this was a database traceback
    path.write_text('{"headword": "gut", "senses": [{"gloss": "go\\u0000od"}]}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was imported: nul.jsonl, line 1: gloss holds a NUL character"):
        run(path, "--source-lang", "de", "--target-lang", "en")
    assert snapshot() == (0, 0, 0, 0)


def test_replace_removes_every_row_of_the_old_version():
    run(DATA / "freedict-fra-eng.index")
    old_entries = set(Entry.objects.values_list("pk", flat=True))
    run(DATA / "freedict-fra-eng.index", "--replace")
    for model in (Sense, Example, SearchTerm):
        assert not model.objects.filter(entry_id__in=old_entries).exists()
    assert Entry.objects.count() == 6


def gloss_word_hits(word):
    """Return the headwords a word inside a gloss finds, through the full-text index alone."""
    from django.db import connection

    from lookup.fulltext import GLOSS_FTS_TABLE

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {GLOSS_FTS_TABLE} ({GLOSS_FTS_TABLE}) VALUES ('integrity-check')")
            cursor.execute(f"SELECT rowid FROM {GLOSS_FTS_TABLE} WHERE {GLOSS_FTS_TABLE} MATCH %s", [word])
        else:
            cursor.execute(
                "SELECT id FROM lookup_sense WHERE to_tsvector('simple'::regconfig, gloss) @@ "
                "plainto_tsquery('simple'::regconfig, %s)",
                [word],
            )
        sense_ids = [row[0] for row in cursor.fetchall()]
    return sorted(Sense.objects.filter(pk__in=sense_ids).values_list("entry__headword", flat=True))


def test_full_text_index_follows_imports_replacements_and_rollbacks(tmp_path):
    run(DATA / "freedict-fra-eng.index")
    assert gloss_word_hits("leading") == ["tête"]  # "top, leading part"
    run(DATA / "freedict-fra-eng.index", "--replace")
    assert gloss_word_hits("leading") == ["tête"]  # the new version's, once
    path = tmp_path / "broken.jsonl"
    path.write_text('{"headword": "x", "senses": [{"gloss": "leading light"}]}\n[]\n', encoding="utf-8")
    with pytest.raises(CommandError):
        run(path, "--source-lang", "fr", "--target-lang", "en")
    assert gloss_word_hits("leading") == ["tête"]
    Sense.objects.filter(gloss="top, leading part").update(gloss="top")  # one row: the triggers again
    assert gloss_word_hits("leading") == []
    assert gloss_word_hits("top") == ["tête"]
