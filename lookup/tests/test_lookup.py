"""What a learner types finds what they mean: /api/search/ and the search page."""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from lookup.models import Entry
from lookup.queries import _rows
from lookup.services import reindex_entries
from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory, SenseFactory

pytestmark = pytest.mark.django_db

API = reverse("lookup:api-search")


def make(dictionary, headword, *glosses, **fields):
    entry = EntryFactory(dictionary=dictionary, headword=headword, **fields)
    for position, gloss in enumerate(glosses, start=1):
        SenseFactory(entry=entry, position=position, gloss=gloss)
    return entry


@pytest.fixture
def dictionaries():
    german = DictionaryFactory(name="deu-eng", source_language=LanguageFactory(code="de", name="German"))
    french = DictionaryFactory(name="fra-eng", source_language=LanguageFactory(code="fr", name="French"))
    arabic = DictionaryFactory(name="ara-eng", source_language=LanguageFactory(code="ar", name="Arabic"))
    spanish = DictionaryFactory(name="spa-eng", source_language=LanguageFactory(code="es", name="Spanish"))
    make(german, "Maus", "mouse", frequency_rank=900)
    make(german, "Vogel", "bird", frequency_rank=700)
    make(german, "Vogelhaus", "bird house, aviary")
    make(german, "Haus", "house", "home", frequency_rank=100)
    make(german, "Hausaufgabe", "homework", frequency_rank=3000)
    make(german, "Hausarzt", "family doctor", frequency_rank=5000)
    make(german, "Äpfel", "apples")
    make(german, "Apfel", "apple", frequency_rank=800)
    make(french, "chanter", "to sing", frequency_rank=600)
    make(french, "tête", "head")
    make(french, "pomme de terre", "potato")
    make(arabic, "الكتاب", "the book")
    make(arabic, "أَب", "father")
    make(arabic, "مُدَرِّسَة", "teacher (female)")
    japanese = DictionaryFactory(name="jpn-eng", source_language=LanguageFactory(code="ja", name="Japanese"))
    make(japanese, "本", "book, volume", pronunciation="ほん")
    make(spanish, "año", "year", frequency_rank=50)
    make(spanish, "ano", "anus", frequency_rank=9000)
    reindex_entries(Entry.objects.all())


def api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def first_five(client, **params):
    return [(result["headword"], result["match"]) for result in api(client, **params)[:5]]


@pytest.mark.parametrize(
    ("query", "lang", "expected", "match"),
    [
        ("tete", "fr", "tête", "exact"),
        ("TÊTE", None, "tête", "exact"),
        ("كتاب", "ar", "الكتاب", "exact"),  # listed only with the article
        ("اب", "ar", "أَب", "exact"),  # another alef form, no harakat
        ("أب", "ara", "أَب", "exact"),
        ("مدرسة", "ar", "مُدَرِّسَة", "exact"),  # no shadda, no harakat
        ("مـدرسـة", "ar", "مُدَرِّسَة", "exact"),  # tatweel
        ("Mäuse", "de", "Maus", "lemma"),
        ("chantons", "fr", "chanter", "lemma"),
        ("haus", "deu", "Hausaufgabe", "prefix"),
        ("hosue", None, "Haus", "fuzzy"),
        ("bird", "de", "Vogel", "reverse"),
        ("to sing", None, "chanter", "reverse"),
        ("terre", "fr", "pomme de terre", "phrase"),
        ("ほん", "ja", "本", "exact"),  # typed in kana
        ("本", "jpn", "本", "exact"),
    ],
)
def test_learner_queries_find_the_entry_in_the_first_five(client, dictionaries, query, lang, expected, match):
    params = {"q": query, **({"lang": lang} if lang else {})}
    results = first_five(client, **params)
    assert (expected, match) in results, results


def test_exact_spelling_ranks_before_folded_twins(client, dictionaries):
    assert first_five(client, q="año")[:2] == [("año", "exact"), ("ano", "exact")]
    assert first_five(client, q="Äpfel", lang="de")[0] == ("Äpfel", "exact")


def test_direct_translation_outranks_a_phrase_that_contains_it(client, dictionaries):
    headwords = [headword for headword, match in first_five(client, q="bird", lang="de") if match == "reverse"]
    assert headwords[0] == "Vogel"


def test_a_word_inside_a_gloss_finds_its_entry_behind_whole_translations(client, dictionaries):
    # "house" is a whole gloss of Haus and a word of Vogelhaus's "bird house" (full text).
    results = [pair for pair in first_five(client, q="house", lang="de") if pair[1] == "reverse"]
    assert results[:2] == [("Haus", "reverse"), ("Vogelhaus", "reverse")]
    assert ("Hausarzt", "reverse") in first_five(client, q="doctor", lang="de")


def test_full_text_follows_gloss_edits_and_deletions(client, dictionaries):
    sense = Entry.objects.get(headword="Hausarzt").senses.get()
    sense.gloss = "general practitioner"
    sense.save()
    assert ("Hausarzt", "reverse") not in first_five(client, q="doctor", lang="de")
    assert ("Hausarzt", "reverse") in first_five(client, q="practitioner", lang="de")
    sense.delete()
    assert ("Hausarzt", "reverse") not in first_five(client, q="practitioner", lang="de")


def test_words_in_glosses_respect_language_and_publication(client, dictionaries):
    Entry.objects.filter(headword="Vogelhaus").update(is_published=False)
    assert ("Vogelhaus", "reverse") not in first_five(client, q="house", lang="de")
    assert all(headword != "Hausarzt" for headword, _ in first_five(client, q="doctor", lang="fr"))


@pytest.mark.parametrize("query", ['"house', "house*", "NEAR(house bird)", "house OR bird", "the", "-", "'"])
def test_full_text_syntax_in_a_query_is_plain_text(client, dictionaries, query):
    response = client.get(API, {"q": query, "lang": "de"})
    assert response.status_code in (200, 400)


def test_a_typo_one_edit_away_is_repaired_on_every_database(client, dictionaries):
    assert first_five(client, q="Vgoel", lang="de")[0] == ("Vogel", "fuzzy")  # a swap
    assert first_five(client, q="Hausarztt", lang="de")[0] == ("Hausarzt", "fuzzy")  # a letter too many


def test_a_typo_two_edits_away_is_repaired_by_trigrams_on_postgresql(client, dictionaries):
    results = first_five(client, q="Hosarzt", lang="de")  # two edits from Hausarzt
    if connection.vendor == "postgresql":
        assert results[0] == ("Hausarzt", "fuzzy")
    else:  # SQLite repairs one edit only
        assert results == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_repeated_lookups_run_as_prepared_statements_with_the_same_answers(client, dictionaries):
    def look_up_each():
        return [first_five(client, q=q, lang="de") for q in ("Haus", "Vogel", "Hausa", "Vgoel", "bird")]

    first = look_up_each()
    for _ in range(5):  # psycopg prepares a query after five runs on one connection
        again = look_up_each()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any("lookup_searchterm" in statement for statement in prepared)
    assert again == first
    assert [results[0][1] for results in first] == ["exact", "exact", "prefix", "fuzzy", "reverse"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan_cache_mode is PostgreSQL's")
def test_prepared_lookups_reuse_one_generic_plan_and_leave_the_connection_as_it_was(client, dictionaries):
    for _ in range(8):  # psycopg prepares a statement once it has run five times
        assert first_five(client, q="Haus", lang="de")[0] == ("Haus", "exact")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%probe0%lookup_searchterm%"],
        )
        plans = cursor.fetchall()
        cursor.execute("SHOW plan_cache_mode")
        mode = cursor.fetchone()[0]
    assert plans and all(generic > 0 and custom == 0 for generic, custom in plans)
    assert mode == "auto"  # other statements, one-off ones among them, still get plans of their own


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_pages_of_results_of_any_length_share_one_prepared_statement(client, dictionaries):
    # One result, two, several: the statement reading them must not depend on how many there are.
    for _ in range(6):  # psycopg prepares a statement once it has run five times
        for q in ("Vogel", "Haus", "haus", "Hausa"):
            assert api(client, q=q, lang="de")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%s.gloss%"])
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 1
    assert api(client, q="Vogel", lang="de")[0]["glosses"] == ["bird"]


def test_a_failing_lookup_takes_its_generic_plan_setting_back(dictionaries):
    with pytest.raises(DatabaseError), transaction.atomic():
        _rows("SELECT id FROM lookup_no_such_table", [], generic_plan=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone()[0] == "auto"
        cursor.execute("SELECT COUNT(*) FROM lookup_entry")
        assert cursor.fetchone()[0] == Entry.objects.count()


def test_prefix_completions_come_most_frequent_first(client, dictionaries):
    completions = [headword for headword, match in first_five(client, q="haus", lang="de") if match == "prefix"]
    assert completions == ["Hausaufgabe", "Hausarzt"]


def test_api_result_shape(client, dictionaries):
    result = api(client, q="Vogel")[0]
    assert result == {
        "headword": "Vogel",
        "language": "de",
        "dictionary": "deu-eng",
        "part_of_speech": "noun",
        "pronunciation": "",
        "glosses": ["bird"],
        "url": result["url"],
        "match": "exact",
    }
    assert result["url"].startswith("http://testserver/entries/")


def test_api_limit(client, dictionaries):
    assert len(api(client, q="h", limit=2)) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give a word"),
        ({"q": "x" * 500}, "too long"),
        ({"q": "haus", "limit": "many"}, "limit must be"),
        ({"q": "haus", "lang": "xx"}, "valid choice"),
    ],
)
def test_api_refuses_bad_requests_with_a_message(client, dictionaries, params, message):
    response = client.get(API, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_api_hides_unpublished_entries(client, dictionaries):
    Entry.objects.filter(headword="Vogel").update(is_published=False)
    assert "Vogel" not in [result["headword"] for result in api(client, q="bird")]


def test_api_query_count_is_constant(client, dictionaries, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        api(client, q="haus", lang="de")


def test_autocomplete_offers_frequent_completions(client, dictionaries):
    response = client.get(reverse("lookup:api-autocomplete"), {"q": "Hau", "lang": "de"})
    assert response.json()["suggestions"] == ["Haus", "Hausaufgabe", "Hausarzt"]


def test_autocomplete_for_htmx_is_a_datalist_fragment(client, dictionaries):
    response = client.get(reverse("lookup:api-autocomplete"), {"q": "Hau"}, HTTP_HX_REQUEST="true")
    assertContains(response, '<option value="Haus"></option>', html=True)


def test_search_page_labels_how_results_matched(client, dictionaries):
    response = client.get(reverse("lookup:search"), {"q": "bird", "lang": "de"})
    assertContains(response, "Translated as this word")
    assertContains(response, 'data-match="reverse"')


def test_search_page_lets_the_learner_choose_a_dictionary(client, dictionaries):
    german = LanguageFactory(code="de")
    other = DictionaryFactory(name="Another German dictionary", source_language=german)
    make(other, "Vogel", "fowl")
    reindex_entries(Entry.objects.filter(dictionary=other))
    page = client.get(reverse("lookup:search"), {"q": "Vogel", "lang": "de"})
    assertContains(page, "Another German dictionary")
    only_other = client.get(reverse("lookup:search"), {"q": "Vogel", "lang": "de", "dictionary": other.pk})
    assertContains(only_other, "fowl")
    assert "bird" not in only_other.content.decode().split("result")[1]


def test_json_is_utf8_not_escaped(client, dictionaries):
    response = client.get(API, {"q": "كتاب"})
    assert "الكتاب" in response.content.decode()
    assert json.loads(response.content)["results"]
