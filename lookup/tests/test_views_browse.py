import pytest
from django.core.cache import cache
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from lookup import queries
from lookup.queries import forget_languages
from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory, SenseFactory
from users.tests.factories import UserFactory

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


@pytest.mark.parametrize("code", ["xx", "f\x00r"])  # PostgreSQL cannot compare text holding NUL: it was a 500
def test_browse_unknown_language_is_404(client, code):
    assert client.get(browse(code)).status_code == 404


def test_browse_hides_unpublished(client, french):
    EntryFactory(dictionary=french, headword="abîme", is_published=False)
    assertNotContains(client.get(browse("fr"), {"letter": "a"}), "abîme")


def test_browse_is_paginated(client):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="de"))
    for number in range(60):
        EntryFactory(dictionary=dictionary, headword=f"Wort{number:02}")
    assertContains(client.get(browse("de"), {"letter": "w"}), "Page 1 of 2")
    assertContains(client.get(browse("de"), {"letter": "w", "page": 2}), "Wort59")


def test_browse_query_count_is_constant(client, french, django_assert_num_queries):
    for number in range(40):
        entry = EntryFactory(dictionary=french, headword=f"avion{number}")
        SenseFactory.create_batch(2, entry=entry)
    # languages and dictionaries, letters, count, the page with its glosses
    with django_assert_num_queries(4):
        assert client.get(browse("fr"), {"letter": "a"}).status_code == 200


def test_browse_reads_only_the_page_once_letters_and_counts_are_cached(client, french, django_assert_num_queries):
    client.get(browse("fr"), {"letter": "e"})
    with django_assert_num_queries(1):
        assertContains(client.get(browse("fr"), {"letter": "e", "page": 2}), "(3)")


def test_browse_counts_again_once_dictionaries_change(client, french):
    assertContains(client.get(browse("fr"), {"letter": "b"}), "(1)")
    EntryFactory(dictionary=french, headword="bonjour")
    forget_languages()  # as imports and the admin do once they have changed dictionaries
    assertContains(client.get(browse("fr"), {"letter": "b"}), "(2)")


def test_browse_counts_again_once_this_process_sees_another_changed_dictionaries(client, french, monkeypatch):
    monkeypatch.setattr(queries, "CATALOGUE_CHECK_SECONDS", 60)
    assertContains(client.get(browse("fr"), {"letter": "b"}), "(1)")
    EntryFactory(dictionary=french, headword="bonjour")
    cache.incr(queries.CATALOGUE_VERSION_KEY)  # what forget_languages() in another process leaves
    assertContains(client.get(browse("fr"), {"letter": "b"}), "(1)")  # this process's copy, until it checks
    monkeypatch.setattr(queries, "CATALOGUE_CHECK_SECONDS", 0)
    assertContains(client.get(browse("fr"), {"letter": "b"}), "(2)")


def test_browse_shows_staff_unpublished_entries_with_a_badge(client, french):
    EntryFactory(dictionary=french, headword="abîme", is_published=False)
    badge = '<span class="badge text-bg-warning">unpublished</span>'
    visitor = client.get(browse("fr"), {"letter": "a"})
    assertNotContains(visitor, "abîme")
    assertNotContains(visitor, badge)
    assertContains(visitor, "(1)")
    client.force_login(UserFactory(is_staff=True))
    staff = client.get(browse("fr"), {"letter": "a"})
    assertContains(staff, "abîme")
    assertContains(staff, badge, count=1)
    assertContains(staff, "(2)")


def test_browse_learners_do_not_see_unpublished_entries(client, french):
    EntryFactory(dictionary=french, headword="abîme", is_published=False)
    client.force_login(UserFactory())
    assertNotContains(client.get(browse("fr"), {"letter": "a"}), "abîme")


def test_browse_rows_show_the_first_two_glosses_in_order_and_link_the_entry(client):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="de"))
    entry = EntryFactory(dictionary=dictionary, headword="Haus", part_of_speech="noun")
    SenseFactory(entry=entry, position=3, gloss="third")
    SenseFactory(entry=entry, position=1, gloss="house")
    SenseFactory(entry=entry, position=2, gloss="home & <hearth>")
    bare = EntryFactory(dictionary=dictionary, headword="Hm?!", part_of_speech="")
    response = client.get(browse("de"), {"letter": "h"})
    assertContains(response, f'<a href="{entry.get_absolute_url()}" lang="de" class="fw-semibold">Haus</a>', html=True)
    assertContains(response, '<span class="small text-body-secondary">noun</span>', html=True)
    assertContains(response, "<bdi>house; home &amp; &lt;hearth&gt;</bdi>")
    assertNotContains(response, "third")
    assertContains(response, f'<a href="{bare.get_absolute_url()}" lang="de" class="fw-semibold">Hm?!</a>', html=True)
    assertContains(response, "— <bdi></bdi>")


def test_browse_headword_without_a_slug_links_by_id(client, french):
    entry = EntryFactory(dictionary=french, headword="!?")
    content = client.get(browse("fr"), {"letter": "!"}).content.decode()
    assert f'href="{reverse("lookup:entry-detail", args=[entry.pk])}"' in content


def test_browse_page_out_of_range_shows_the_last_page_and_a_bad_page_the_first(client):
    dictionary = DictionaryFactory(source_language=LanguageFactory(code="de"))
    for number in range(60):
        EntryFactory(dictionary=dictionary, headword=f"Wort{number:02}")
    last = client.get(browse("de"), {"letter": "w", "page": 99})
    assertContains(last, "Page 2 of 2")
    assertContains(last, "Wort59")
    assertNotContains(last, "Wort49")
    assertContains(last, "(60)")
    first = client.get(browse("de"), {"letter": "w", "page": "abc"})
    assertContains(first, "Page 1 of 2")
    assertContains(first, "Wort49")
    assertNotContains(first, "Wort50")


def test_browse_language_without_entries_says_so(client):
    LanguageFactory(code="en")
    assertContains(client.get(browse("en")), "There are no English entries yet.")
