import json

import pytest
from django.db import IntegrityError

from lookup.models import Dictionary, Entry, SavedWord, Sense
from lookup.services import DictionaryFileError, load_starter_set, save_entry
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


def write_starter(tmp_path, lines):
    (tmp_path / "dictionaries.json").write_text(
        json.dumps([{"file": "x.jsonl", "name": "X", "source_language": "fr", "target_language": "en"}])
    )
    (tmp_path / "x.jsonl").write_text("\n".join(lines), encoding="utf-8")


def test_reloading_keeps_curators_edits_and_adds_new_entries(tmp_path):
    chat = '{"headword": "chat", "part_of_speech": "noun", "senses": [{"gloss": "cat"}]}'
    write_starter(tmp_path, [chat])
    load_starter_set(directory=tmp_path)
    Sense.objects.filter(entry__headword="chat").update(gloss="cat (curated)")
    chien = '{"headword": "chien", "part_of_speech": "noun", "senses": [{"gloss": "dog"}]}'
    write_starter(tmp_path, [chat, chien])
    assert load_starter_set(directory=tmp_path) == {"dictionaries": 1, "created": 1, "kept": 1}
    assert Sense.objects.get(entry__headword="chat").gloss == "cat (curated)"
    assert Dictionary.objects.get().entry_count == 2


@pytest.mark.parametrize(
    "bad_line",
    ["{not json", '{"part_of_speech": "noun"}', '{"headword": "chat", "senses": []}', "[1, 2]"],
)
def test_malformed_starter_file_changes_nothing_and_names_the_line(tmp_path, bad_line):
    write_starter(tmp_path, ['{"headword": "chien", "senses": [{"gloss": "dog"}]}', bad_line])
    with pytest.raises(DictionaryFileError, match="x.jsonl, line 2"):
        load_starter_set(directory=tmp_path)
    assert not Entry.objects.exists()
    assert not Dictionary.objects.exists()
