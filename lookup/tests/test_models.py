import pytest
from django.db import connection
from django.db.models import ProtectedError

from lookup.models import SavedWord
from lookup.tests.factories import DictionaryFactory, EntryFactory, SavedWordFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_saved_entry_is_refused_and_keeps_the_learners_word():
    saved = SavedWordFactory(note="my note")
    with pytest.raises(ProtectedError):
        saved.entry.delete()
    assert SavedWord.objects.get().note == "my note"


def test_entry_url_carries_a_readable_slug():
    assert EntryFactory(headword="Straße").get_absolute_url().endswith("/straße/".replace("ß", "%C3%9F"))


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
