import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse, set_script_prefix
from django.utils.text import slugify

from lookup.models import Entry, SavedWord, SearchTerm
from lookup.services import reindex_entries
from lookup.tests.factories import DictionaryFactory, EntryFactory, SavedWordFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_saved_entry_is_refused_and_keeps_the_learners_word():
    saved = SavedWordFactory(note="my note")
    with pytest.raises(ProtectedError):
        saved.entry.delete()
    assert SavedWord.objects.get().note == "my note"


def test_deleting_an_entry_deletes_its_search_terms():
    # The database no longer checks the terms' entry (migration 0018): the ORM's cascade must.
    entry, other = EntryFactory(headword="Haus"), EntryFactory(headword="Maus")
    for word in (entry, other):
        word.senses.create(gloss="dwelling, home")
    reindex_entries(Entry.objects.filter(pk__in=[entry.pk, other.pk]))
    assert SearchTerm.objects.filter(entry=entry).exists()
    entry.delete()
    assert set(SearchTerm.objects.values_list("entry_id", flat=True)) == {other.pk}


def test_entry_url_carries_a_readable_slug():
    assert EntryFactory(headword="Straße").get_absolute_url().endswith("/straße/".replace("ß", "%C3%9F"))


@pytest.mark.parametrize("headword", ["Haus", "tête-à-tête", "كتاب", "食べる", "?!", "a/b c", "100%"])
@pytest.mark.parametrize("prefix", ["/", "/langtool/"])
def test_entry_url_is_what_reverse_gives(headword, prefix):
    entry = EntryFactory(headword=headword)
    set_script_prefix(prefix)
    try:
        slug = slugify(headword, allow_unicode=True)
        expected = (
            reverse("lookup:entry-detail-slug", args=[entry.pk, slug])
            if slug
            else reverse("lookup:entry-detail", args=[entry.pk])
        )
        assert entry.get_absolute_url() == expected
    finally:
        set_script_prefix("/")


def test_dictionary_web_url_check():
    assert DictionaryFactory(url="https://freedict.org/").has_web_url
    assert not DictionaryFactory(url="javascript:alert(1)").has_web_url
    assert not DictionaryFactory(url="").has_web_url


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL collation only")
def test_search_key_compares_byte_by_byte_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'lookup_entry' AND column_name = 'search_key'"
        )
        assert cursor.fetchone()[0] == "C"
