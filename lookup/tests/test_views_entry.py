import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from lookup.models import SavedWord, WordList
from lookup.queries import forget_languages
from lookup.tests.factories import (
    DictionaryFactory,
    EntryFactory,
    ExampleFactory,
    LanguageFactory,
    SavedWordFactory,
    SenseFactory,
    WordListFactory,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    entry = EntryFactory(headword="maison", pronunciation="/mɛzɔ̃/", grammar="fem")
    first = SenseFactory(entry=entry, position=1, gloss="house")
    SenseFactory(entry=entry, position=2, gloss="home")
    ExampleFactory(sense=first, text="Ma maison est grande.", translation="My house is big.")
    return entry


def test_each_example_shows_under_its_own_sense_and_loose_ones_after_them(client, entry):
    second = entry.senses.get(position=2)
    ExampleFactory(entry=entry, sense=second, text="À la maison.", position=1)
    ExampleFactory(entry=entry, sense=None, text="Maison de campagne.", position=1)
    html = client.get(entry.get_absolute_url()).content.decode()
    positions = [
        html.index(text) for text in ["house", "Ma maison est grande.", "home", "À la maison.", "Maison de campagne."]
    ]
    assert positions == sorted(positions)


def save_url(entry):
    return reverse("lookup:entry-save", args=[entry.pk])


def test_entry_page_shows_headword_senses_examples_and_source(client, entry):
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assertTemplateUsed(response, "lookup/entry_detail.html")
    for text in ["maison", "/mɛzɔ̃/", "fem", "house", "home", "Ma maison est grande.", "My house is big."]:
        assertContains(response, text)
    assertContains(response, entry.dictionary.name)
    assertContains(response, "CC0-1.0")


def test_entry_url_without_or_with_wrong_slug_redirects_to_canonical(client, entry):
    assertRedirects(client.get(f"/entries/{entry.pk}/"), entry.get_absolute_url(), status_code=301)
    assertRedirects(client.get(f"/entries/{entry.pk}/wrong/"), entry.get_absolute_url(), status_code=301)


def test_arabic_entry_renders_right_to_left_with_unicode_slug(client):
    arabic = DictionaryFactory(source_language=LanguageFactory(code="ar"))
    entry = EntryFactory(dictionary=arabic, headword="كِتَاب")
    SenseFactory(entry=entry, gloss="book")
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, 'lang="ar" dir="rtl">كِتَاب</h1>')


def test_missing_entry_is_404(client):
    assert client.get("/entries/999999/").status_code == 404


@pytest.mark.parametrize("pk", [2**63, 10**30])
def test_an_id_too_big_for_the_database_is_404(client, pk):
    assert client.get(f"/entries/{pk}/").status_code == 404
    assert client.post(f"/entries/{pk}/+save/").status_code == 404


def test_unpublished_entry_is_404_for_visitors_and_learners_but_not_staff(client, user):
    entry = EntryFactory(is_published=False)
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assertContains(client.get(entry.get_absolute_url()), "only staff see this")


def test_entry_page_lists_which_of_my_lists_hold_it(user_client, user, entry):
    SavedWordFactory(word_list=WordListFactory(owner=user, name="Home words"), entry=entry)
    SavedWordFactory(word_list=WordListFactory(name="Stranger's list"), entry=entry)
    response = user_client.get(entry.get_absolute_url())
    assertContains(response, "In your lists")
    assertContains(response, "Home words")
    assertNotContains(response, "Stranger")


def test_entry_page_query_count(user_client, user, entry, django_assert_max_num_queries):
    for position in range(3, 10):
        ExampleFactory(sense=SenseFactory(entry=entry, position=position))
    WordListFactory.create_batch(3, owner=user)
    # session, user, entry+language+dictionary, senses, examples (all of them, once), my lists,
    # lists holding it, languages
    with django_assert_max_num_queries(8):
        assert user_client.get(entry.get_absolute_url()).status_code == 200


def test_save_into_new_list_named_on_the_spot(user_client, user, entry):
    response = user_client.post(save_url(entry), {"new_list_name": "Furniture", "note": "feminine!"})
    assertRedirects(response, entry.get_absolute_url(), fetch_redirect_response=False)
    saved = SavedWord.objects.get()
    assert saved.word_list.owner == user
    assert saved.word_list.name == "Furniture"
    assert saved.note == "feminine!"


def test_save_form_offers_first_a_list_that_lacks_the_word(user_client, user, entry):
    full = WordListFactory(owner=user, name="A list")
    WordListFactory(owner=user, name="B list")
    SavedWordFactory(word_list=full, entry=entry)
    form = user_client.get(entry.get_absolute_url()).context["save_form"]
    assert form["word_list"].value() == WordList.objects.get(name="B list").pk


def test_save_into_an_existing_list(user_client, user, entry):
    word_list = WordListFactory(owner=user)
    user_client.post(save_url(entry), {"word_list": word_list.pk})
    assert list(word_list.saved_words.values_list("entry", flat=True)) == [entry.pk]


def test_new_list_name_matching_an_existing_list_reuses_it(user_client, user, entry):
    word_list = WordListFactory(owner=user, name="Verbs")
    user_client.post(save_url(entry), {"new_list_name": "verbs"})
    assert WordList.objects.count() == 1
    assert word_list.saved_words.count() == 1


def test_saving_twice_keeps_one_item(user_client, user, entry):
    word_list = WordListFactory(owner=user)
    user_client.post(save_url(entry), {"word_list": word_list.pk})
    response = user_client.post(save_url(entry), {"word_list": word_list.pk}, follow=True)
    assert word_list.saved_words.count() == 1
    assertContains(response, "is already in")


def test_save_returns_to_the_page_it_came_from(user_client, entry):
    response = user_client.post(save_url(entry), {"new_list_name": "A", "next": "/search/?q=maison"})
    assertRedirects(response, "/search/?q=maison", fetch_redirect_response=False)


def test_save_refuses_offsite_next(user_client, entry):
    response = user_client.post(save_url(entry), {"new_list_name": "A", "next": "https://evil.example/"})
    assertRedirects(response, entry.get_absolute_url(), fetch_redirect_response=False)


def test_save_without_list_or_name_shows_error_and_saves_nothing(user_client, entry):
    WordListFactory()  # somebody else's
    response = user_client.post(save_url(entry), {"word_list": "", "new_list_name": "   ", "note": "kept"})
    assertContains(response, "Choose a list or name a new one.", status_code=400)
    assertContains(response, "kept", status_code=400)
    assert not SavedWord.objects.exists()


def test_save_into_somebody_elses_list_is_refused(user_client, entry):
    stranger_list = WordListFactory()
    response = user_client.post(save_url(entry), {"word_list": stranger_list.pk})
    assert response.status_code == 400
    assert not SavedWord.objects.exists()


def test_htmx_save_swaps_the_form_in_place(user_client, user, entry):
    response = user_client.post(save_url(entry), {"new_list_name": "Nouns", "compact": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assertTemplateUsed(response, "lookup/partials/save_form.html")
    assertContains(response, "Saved to")
    assertContains(response, "Nouns")
    assertNotContains(response, "<html")


def test_htmx_save_error_comes_back_in_the_fragment(user_client, entry):
    long_name = "x" * 101
    response = user_client.post(save_url(entry), {"new_list_name": long_name, "compact": "1"}, HTTP_HX_REQUEST="true")
    assertContains(response, "at most 100 characters", status_code=400)
    assertTemplateUsed(response, "lookup/partials/save_form.html")
    assert not SavedWord.objects.exists()


def test_htmx_compact_save_error_keeps_what_was_typed(user_client, user, entry):
    word_list = WordListFactory(owner=user, name="Verbs")
    long_name = "x" * 101
    response = user_client.post(
        save_url(entry), {"word_list": "", "new_list_name": long_name, "compact": "1"}, HTTP_HX_REQUEST="true"
    )
    assertContains(response, f'<select name="word_list" id="id_word_list_{entry.pk}"', status_code=400)
    assertContains(response, '<option value="" selected>New list…</option>', status_code=400)
    assertContains(response, f'<option value="{word_list.pk}">Verbs</option>', status_code=400)
    assertContains(response, 'form-control-sm is-invalid"', status_code=400)
    assertContains(response, f'value="{long_name}"', status_code=400)


def test_visitor_on_an_entry_page_is_asked_to_log_in_and_come_back(client, entry):
    response = client.get(entry.get_absolute_url())
    assertContains(response, f'href="/accounts/login/?next={entry.get_absolute_url()}"')


def test_visitor_who_saves_is_sent_to_log_in_and_back(client, entry):
    response = client.post(save_url(entry), {"new_list_name": "x", "next": "/search/?q=maison"})
    assertRedirects(response, "/accounts/login/?next=/search/%3Fq%3Dmaison", fetch_redirect_response=False)
    assert not SavedWord.objects.exists()


def test_htmx_save_after_the_session_expired_loads_the_login_page_whole(client, entry):
    response = client.post(
        save_url(entry),
        {"new_list_name": "x", "next": "/search/?q=maison"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/search/?q=maison",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fsearch%2F%3Fq%3Dmaison"


def test_an_entry_whose_headword_is_save_opens(client):
    entry = EntryFactory(headword="save")
    response = client.get(f"/entries/{entry.pk}/", follow=True)
    assert response.status_code == 200
    assertContains(response, "save</h1>")


def test_save_requires_post(user_client, entry):
    assert user_client.get(save_url(entry)).status_code == 405


def test_save_checks_csrf(user, entry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(save_url(entry), {"new_list_name": "x"}).status_code == 403
    assert not SavedWord.objects.exists()


def test_dictionary_url_is_a_link_only_when_it_is_a_web_address(client):
    entry = EntryFactory(dictionary__url="javascript:alert(1)")
    assertNotContains(client.get(entry.get_absolute_url()), "javascript:")
    entry.dictionary.url = "https://freedict.org/"
    entry.dictionary.save()
    forget_languages()  # as the admin does when a dictionary is saved: pages show the cached catalogue's
    assertContains(client.get(entry.get_absolute_url()), 'href="https://freedict.org/"')
