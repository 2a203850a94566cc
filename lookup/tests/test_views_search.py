import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory, SenseFactory, WordListFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("lookup:search")


@pytest.fixture
def french():
    return DictionaryFactory(source_language=LanguageFactory(code="fr"))


@pytest.fixture
def arabic():
    return DictionaryFactory(source_language=LanguageFactory(code="ar"))


def entry_with_gloss(dictionary, headword, gloss, **fields):
    entry = EntryFactory(dictionary=dictionary, headword=headword, **fields)
    SenseFactory(entry=entry, position=1, gloss=gloss)
    return entry


def test_empty_search_invites_typing(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assertTemplateUsed(response, "lookup/search.html")
    assertContains(response, "Type a word")


def test_a_site_without_dictionaries_answers_searches_with_nothing_found(client):
    assert client.get(SEARCH, {"q": "chat"}).status_code == 200
    response = client.get(reverse("lookup:api-search"), {"q": "chat"})
    assert response.status_code == 200 and response.json()["results"] == []
    response = client.get(reverse("lookup:api-autocomplete"), {"q": "ch"})
    assert response.status_code == 200


def test_search_ignores_case_and_accents(client, french):
    entry_with_gloss(french, "tête", "head")
    response = client.get(SEARCH, {"q": "TETE"})
    assertContains(response, "tête")
    assertContains(response, "head")


def test_arabic_typed_without_diacritics_finds_the_entry(client, arabic):
    entry = entry_with_gloss(arabic, "كِتَاب", "book")
    response = client.get(SEARCH, {"q": "كتاب", "lang": "ar"})
    assertContains(response, entry.get_absolute_url())
    assertContains(response, 'dir="rtl"')


def test_arabic_with_other_alef_form_and_tatweel_finds_the_entry(client, arabic):
    entry_with_gloss(arabic, "أَب", "father")
    assertContains(client.get(SEARCH, {"q": "اب"}), "father")
    entry_with_gloss(arabic, "كِتَاب", "book")
    assertContains(client.get(SEARCH, {"q": "كتـــاب"}), "book")


def test_exact_matches_come_before_prefix_matches(client, french):
    entry_with_gloss(french, "chateau", "castle", frequency_rank=1)
    entry_with_gloss(french, "chat", "cat", frequency_rank=500)
    content = client.get(SEARCH, {"q": "chat"}).content.decode()
    assert content.index("cat") < content.index("castle")


def test_exact_spelling_ranks_before_folded_twin(client):
    spanish = DictionaryFactory(source_language=LanguageFactory(code="es", name="Spanish"))
    entry_with_gloss(spanish, "ano", "anus", frequency_rank=1)
    entry_with_gloss(spanish, "año", "year", frequency_rank=2)
    content = client.get(SEARCH, {"q": "año"}).content.decode()
    assert content.index("year") < content.index("anus")


def test_prefix_finds_longer_words(client, french):
    entry_with_gloss(french, "maison", "house")
    assertContains(client.get(SEARCH, {"q": "mai"}), "maison")


def test_language_filter_limits_results(client, french):
    entry_with_gloss(french, "main", "hand")
    german = DictionaryFactory(source_language=LanguageFactory(code="de"))
    entry_with_gloss(german, "Main", "Main (river)")
    response = client.get(SEARCH, {"q": "main", "lang": "de"})
    assertContains(response, "Main (river)")
    assertNotContains(response, "hand")


def test_query_stays_in_the_box(client, french):
    response = client.get(SEARCH, {"q": "maison", "lang": "fr"})
    assertContains(response, 'value="maison"')
    assertContains(response, '<option value="fr" selected>', html=False)


def test_no_results_says_so(client, french):
    response = client.get(SEARCH, {"q": "zzzz"})
    assert response.status_code == 200
    assertContains(response, "Nothing found for")


@pytest.mark.parametrize("query", ["x" * 10_000, "a" * 101])
def test_absurdly_long_query_gets_a_friendly_400(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 400
    assertContains(response, "too long to be a word", status_code=400)


def test_control_characters_are_stripped_not_fatal(client, french):
    entry_with_gloss(french, "maison", "house")
    response = client.get(SEARCH, {"q": "\x00mais\x07"})
    assertContains(response, "maison")
    assertContains(response, 'value="mais"')


def test_a_bidi_override_in_the_query_is_not_echoed_to_reorder_the_page(client, french):
    entry_with_gloss(french, "maison", "house")
    response = client.get(SEARCH, {"q": "mai\u202eson"})
    assertContains(response, "for “<bdi>maison</bdi>”")
    assertNotContains(response, "\u202e")


def test_punctuation_only_query_is_refused_kindly(client):
    response = client.get(SEARCH, {"q": "'''"})
    assertContains(response, "Type letters", status_code=400)


def test_unknown_language_code_is_refused_kindly(client):
    response = client.get(SEARCH, {"q": "chat", "lang": "xx"})
    assertContains(response, "Select a valid choice", status_code=400)


def test_unpublished_entries_are_hidden_from_visitors_but_shown_to_staff(client, french):
    entry_with_gloss(french, "cachette", "hiding place", is_published=False)
    assertNotContains(client.get(SEARCH, {"q": "cachette"}), "hiding place")
    client.force_login(UserFactory(is_staff=True))
    assertContains(client.get(SEARCH, {"q": "cachette"}), "hiding place")


def test_results_are_paginated(client, french):
    for number in range(25):
        entry_with_gloss(french, f"mot{number:02}", f"word {number}")
    first = client.get(SEARCH, {"q": "mot"})
    assertContains(first, "Page 1 of 2")
    second = client.get(SEARCH, {"q": "mot", "page": 2})
    assertContains(second, "mot24")
    assertNotContains(second, "mot00")


def test_a_result_shows_its_first_three_glosses_escaped_and_names_itself_to_screen_readers(client, french):
    entry = EntryFactory(dictionary=french, headword="maison", part_of_speech="n")
    for position, gloss in enumerate(["house", "home & <hearth>", "household", "firm"], start=1):
        SenseFactory(entry=entry, position=position, gloss=gloss)
    response = client.get(SEARCH, {"q": "maison"})
    assertContains(response, "<bdi>house; home &amp; &lt;hearth&gt;; household</bdi>", html=False)
    assertNotContains(response, "firm")
    assertContains(response, 'Log in to save<span class="visually-hidden"> “maison”</span>')
    assertContains(response, f'href="{entry.get_absolute_url()}" lang="fr" dir="ltr">maison</a>')


def test_visitor_sees_log_in_to_save_returning_here(client, french):
    entry_with_gloss(french, "chat", "cat")
    response = client.get(SEARCH, {"q": "chat"})
    assertContains(response, "Log in to save")
    assertContains(response, "/accounts/login/?next=/search/%3Fq%3Dchat")


def test_signed_in_learner_sees_save_form_with_their_lists(user_client, user, french):
    entry_with_gloss(french, "chat", "cat")
    WordListFactory(owner=user, name="Animals")
    WordListFactory(name="Somebody else's list")
    response = user_client.get(SEARCH, {"q": "chat"})
    assertContains(response, "Animals")
    assertNotContains(response, "Somebody else")
    assertContains(response, "Save “chat” to list")  # each result's controls name it to screen readers
    assertContains(response, 'Save<span class="visually-hidden"> “chat”</span>')


@pytest.mark.parametrize("rows", [3, 30])
def test_search_page_query_count_is_constant(
    user_client, user, french, django_assert_num_queries, session_queries, rows
):
    word_list = WordListFactory(owner=user)
    for number in range(rows):
        entry = entry_with_gloss(french, f"chat{number}", f"cat {number}")
        SenseFactory(entry=entry, position=2)
        word_list.saved_words.create(entry=entry)
    # dictionaries (cached after), (session,) user; the lookup's probes (exact, other forms and
    # phrase words, reverse, prefix) as one statement; words inside glosses ("chat" is no
    # headword); the page's entries with their senses; my lists and the lists holding them
    with django_assert_num_queries(7 + session_queries):
        response = user_client.get(SEARCH, {"q": "chat"})
    assert response.status_code == 200


def test_search_field_in_error_is_marked_for_assistive_technology(client):
    response = client.get(SEARCH, {"q": "a" * 101})
    assertContains(
        response,
        'class="textinput form-control is-invalid" aria-invalid="true" aria-describedby="id_q_error" id="id_q"',
        status_code=400,
    )
    assertContains(response, '<div id="id_q_error" class="invalid-feedback">', status_code=400)
    assertContains(response, '<option value="" selected>All languages</option>', status_code=400)


def test_a_language_with_several_dictionaries_offers_a_choice_of_them(client, french):
    second = DictionaryFactory(name="Second French", source_language=french.source_language)
    entry_with_gloss(french, "chat", "cat")
    response = client.get(SEARCH, {"q": "chat", "lang": "fr", "dictionary": second.pk})
    assertContains(response, f'<option value="{second.pk}" selected>Second French</option>')
    assertContains(response, f'<option value="{french.pk}">{french.name}</option>')
    assertNotContains(client.get(SEARCH, {"q": "chat"}), 'name="dictionary"')


def test_each_result_offers_first_a_list_that_lacks_the_word(user_client, user, french):
    entry = entry_with_gloss(french, "chat", "cat")
    full = WordListFactory(owner=user, name="A list")
    fresh = WordListFactory(owner=user, name="B list")
    full.saved_words.create(entry=entry)
    response = user_client.get(SEARCH, {"q": "chat"})
    assertContains(response, f'<option value="{fresh.pk}" selected>B list</option>')
    assertContains(response, f'<option value="{full.pk}">A list</option>')
    assertContains(response, f'In your lists: <a href="{full.get_absolute_url()}">A list</a>')
    assertContains(response, f'<select name="word_list" id="id_word_list_{entry.pk}"')


def test_a_learner_without_lists_is_offered_a_new_one(user_client, french):
    entry_with_gloss(french, "chat", "cat")
    response = user_client.get(SEARCH, {"q": "chat"})
    assertContains(response, '<option value="">New list…</option>')
    assertContains(response, 'value="My words"')


def test_a_dictionary_imported_since_the_catalogue_was_cached_still_names_its_results(client, french):
    entry_with_gloss(french, "maison", "house")
    assertContains(client.get(SEARCH, {"q": "maison"}), french.name)  # the catalogue is cached now
    newer = DictionaryFactory(name="Newer French", source_language=french.source_language)
    entry_with_gloss(newer, "maisonnette", "small house")  # not through the admin: nothing told the cache
    response = client.get(SEARCH, {"q": "maisonnette"})
    assertContains(response, "maisonnette")
    assertContains(response, "Newer French")
