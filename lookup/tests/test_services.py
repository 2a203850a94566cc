import json

import pytest
from django.db import IntegrityError

from lookup.models import Dictionary, Entry, SavedWord, Sense
from lookup.readers import DictionaryFileError
from lookup.services import (
    ListNameTaken,
    create_list,
    get_or_create_list,
    load_starter_set,
    save_entry,
)
from lookup.tests.factories import EntryFactory, SavedWordFactory, WordListFactory

pytestmark = pytest.mark.django_db


def test_save_entry_creates_named_list_once(user):
    entry = EntryFactory()
    first, created = save_entry(user=user, entry=entry, new_list_name="Verbs")
    again, created_again = save_entry(user=user, entry=entry, new_list_name="verbs")
    assert created and not created_again
    assert first == again
    assert user.word_lists.count() == 1


def test_save_entry_refuses_another_users_list(user):
    with pytest.raises(PermissionError):
        save_entry(user=user, entry=EntryFactory(), word_list=WordListFactory())
    assert not SavedWord.objects.exists()


def test_database_refuses_the_same_entry_twice_in_a_list():
    saved = SavedWordFactory()
    with pytest.raises(IntegrityError):
        SavedWord.objects.create(word_list=saved.word_list, entry=saved.entry)


def test_database_refuses_two_lists_with_one_name_per_owner():
    word_list = WordListFactory(name="Verbs")
    with pytest.raises(IntegrityError):
        WordListFactory(owner=word_list.owner, name="VERBS")


def test_starter_set_loads_real_dictionaries():
    counts = load_starter_set()
    assert counts["dictionaries"] >= 3
    assert Entry.objects.count() >= 300
    assert set(Dictionary.objects.values_list("source_language__code", flat=True)) >= {"ar", "fr", "de"}
    assert not Entry.objects.filter(part_of_speech="").exists()
    assert not Entry.objects.filter(senses__isnull=True).exists()
    for dictionary in Dictionary.objects.all():
        assert dictionary.licence
        assert dictionary.entry_count == dictionary.entries.count()


def test_starter_set_load_is_idempotent_and_keeps_saved_words(user):
    load_starter_set()
    entries, senses = Entry.objects.count(), Sense.objects.count()
    saved, _ = save_entry(user=user, entry=Entry.objects.get(headword="كِتَاب"), new_list_name="Arabic")
    counts = load_starter_set()
    assert counts["created"] == 0
    assert counts["kept"] == entries
    assert (Entry.objects.count(), Sense.objects.count()) == (entries, senses)
    assert SavedWord.objects.get(pk=saved.pk).entry.headword == "كِتَاب"


def write_starter(tmp_path, lines, version="1"):
    (tmp_path / "dictionaries.json").write_text(
        json.dumps(
            [{"file": "x.jsonl", "name": "X", "source_language": "fr", "target_language": "en", "version": version}]
        )
    )
    (tmp_path / "x.jsonl").write_text("\n".join(lines), encoding="utf-8")


CHAT = '{"headword": "chat", "part_of_speech": "noun", "senses": [{"gloss": "cat"}]}'
CHIEN = '{"headword": "chien", "part_of_speech": "noun", "senses": [{"gloss": "dog"}]}'


def test_reloading_the_same_version_keeps_curators_edits_renames_and_deletions(tmp_path):
    write_starter(tmp_path, [CHAT, CHIEN])
    load_starter_set(directory=tmp_path)
    Sense.objects.filter(entry__headword="chat").update(gloss="cat (curated)")
    Entry.objects.filter(headword="chat").update(headword="Chat")
    Entry.objects.filter(headword="chien").delete()
    assert load_starter_set(directory=tmp_path)["created"] == 0
    assert list(Entry.objects.values_list("headword", flat=True)) == ["Chat"]
    assert Sense.objects.get().gloss == "cat (curated)"


def test_a_newer_version_adds_only_missing_entries(tmp_path):
    write_starter(tmp_path, [CHAT])
    load_starter_set(directory=tmp_path)
    Sense.objects.filter(entry__headword="chat").update(gloss="cat (curated)")
    write_starter(tmp_path, [CHAT, CHIEN, CHIEN], version="2")
    assert load_starter_set(directory=tmp_path) == {"dictionaries": 1, "created": 1, "kept": 2}
    assert Sense.objects.get(entry__headword="chat").gloss == "cat (curated)"
    dictionary = Dictionary.objects.get()
    assert (dictionary.version, dictionary.entry_count) == ("2", 2)


@pytest.mark.parametrize(
    "bad_line",
    [
        "{not json",
        '{"part_of_speech": "noun"}',
        '{"headword": "chat", "senses": []}',
        "[1, 2]",
        '{"headword": "chat", "senses": [{"gloss": "cat", "examples": [{"translation": "no text"}]}]}',
        '{"headword": "chat", "frequency_rank": "often", "senses": [{"gloss": "cat"}]}',
        '{"headword": 7, "senses": [{"gloss": "cat"}]}',
    ],
)
def test_malformed_starter_file_changes_nothing_and_names_the_line(tmp_path, bad_line):
    write_starter(tmp_path, [CHIEN, bad_line])
    with pytest.raises(DictionaryFileError, match="x.jsonl, line 2"):
        load_starter_set(directory=tmp_path)
    assert not Entry.objects.exists()
    assert not Dictionary.objects.exists()


@pytest.mark.parametrize("twin", ["verbs", "VERBS", "Verbs"])
def test_create_list_refuses_a_name_the_constraint_considers_taken(user, twin):
    create_list(owner=user, name="Verbs")
    with pytest.raises(ListNameTaken):
        create_list(owner=user, name=twin)


def test_list_names_compare_as_the_database_lowercases_them(user_client, user):
    create_list(owner=user, name="k")
    # KELVIN SIGN lower-cases to "k" on PostgreSQL; the form must refuse it, not crash.
    response = user_client.post("/lists/", {"name": "\u212a"})
    assert response.status_code in (302, 400)  # created (SQLite: ASCII-only LOWER) or refused
    assert user.word_lists.named("\u212a").count() == 1  # never two by the database's own rule


def test_get_or_create_list_reuses_whatever_case(user):
    first = get_or_create_list(owner=user, name="Animals")
    assert get_or_create_list(owner=user, name="animals") == first
