import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory, SenseFactory

pytestmark = pytest.mark.django_db


def browse(code):
    return reverse("lookup:browse", args=[code])


@pytest.fixture
def french():
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="fr"))
    for headword in ["ami", "Été", "école", "bateau", "élève"]:
        SenseFactory(entry=EntryFactory(dictionary=dictionary, headword=headword), gloss=f"gloss of {headword}")
    return dictionary


def test_browse_shows_letter_index_from_normalised_keys(client, french):
    response = client.get(browse("fr"))
    assertTemplateUsed(response, "lookup/language_browse.html")
    content = response.content.decode()
    # "Été", "école" and "élève" all file under E; no separate É.
    assert "?letter=a" in content and "?letter=b" in content and "?letter=e" in content
    assert "letter=%C3%A9" not in content


def test_browse_defaults_to_first_letter(client, french):
    response = client.get(browse("fr"))
    assertContains(response, "ami")
    assertNotContains(response, "bateau")


def test_browse_letter_lists_words_alphabetically(client, french):
    content = client.get(browse("fr"), {"letter": "e"}).content.decode()
    assert content.index("école") < content.index("élève") < content.index("Été")
    assert "gloss of école" in content


def test_browse_unknown_letter_falls_back_to_first(client, french):
    assertContains(client.get(browse("fr"), {"letter": "\x00zz"}), "ami")


def test_browse_arabic_letters(client):
    arabic = DictionaryFactory(source_language=LanguageFactory(code="ar"))
    for headword in ["أَب", "إِسْم", "بَيْت"]:
        SenseFactory(entry=EntryFactory(dictionary=arabic, headword=headword))
    response = client.get(browse("ar"))
    content = response.content.decode()
    # Hamza forms of alef file under bare alef.
    assert "?letter=%D8%A7" in content and "?letter=%D8%A8" in content
    assert "أَب" in content and "إِسْم" in content
    assertContains(response, 'dir="rtl"')


def test_browse_unknown_language_is_404(client):
    assert client.get(browse("xx")).status_code == 404


def test_browse_hides_unpublished(client, french):
    EntryFactory(dictionary=french, headword="abîme", is_published=False)
    assertNotContains(client.get(browse("fr"), {"letter": "a"}), "abîme")


def test_browse_is_paginated(client):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="de"))
    for number in range(60):
        EntryFactory(dictionary=dictionary, headword=f"Wort{number:02}")
    assertContains(client.get(browse("de"), {"letter": "w"}), "Page 1 of 2")
    assertContains(client.get(browse("de"), {"letter": "w", "page": 2}), "Wort59")


def test_browse_query_count_is_constant(client, french, django_assert_max_num_queries):
    for number in range(40):
        entry = EntryFactory(dictionary=french, headword=f"avion{number}")
        SenseFactory.create_batch(2, entry=entry)
    # languages, language, letters, count, page, senses
    with django_assert_max_num_queries(6):
        assert client.get(browse("fr"), {"letter": "a"}).status_code == 200
