"""Nobody sees, changes or learns of another learner's lists: every id-taking URL answers 404."""

import pytest
from django.urls import reverse

from lookup.models import SavedWord, WordList
from lookup.tests.factories import SavedWordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim_word():
    return SavedWordFactory(note="private note", word_list__name="Private list")


def list_urls(word):
    pk = word.word_list_id
    return {
        "list-detail": reverse("lookup:list-detail", args=[pk]),
        "list-edit": reverse("lookup:list-edit", args=[pk]),
        "list-delete": reverse("lookup:list-delete", args=[pk]),
    }


def word_urls(word):
    return {
        "word-update": reverse("lookup:word-update", args=[word.word_list_id, word.pk]),
        "word-remove": reverse("lookup:word-remove", args=[word.word_list_id, word.pk]),
    }


@pytest.mark.parametrize("name", ["list-detail", "list-edit", "list-delete"])
def test_another_user_gets_404_on_get(user_client, victim_word, name):
    response = user_client.get(list_urls(victim_word)[name])
    assert response.status_code == 404
    assert b"Private list" not in response.content


@pytest.mark.parametrize("name", ["list-edit", "list-delete"])
def test_another_user_gets_404_on_post_and_changes_nothing(user_client, victim_word, name):
    response = user_client.post(list_urls(victim_word)[name], {"name": "hijacked"})
    assert response.status_code == 404
    assert WordList.objects.get().name == "Private list"


@pytest.mark.parametrize("name", ["word-update", "word-remove"])
def test_another_user_gets_404_on_word_urls_and_changes_nothing(user_client, victim_word, name):
    prefix = f"w{victim_word.pk}"
    response = user_client.post(word_urls(victim_word)[name], {f"{prefix}-status": "known", f"{prefix}-note": "x"})
    assert response.status_code == 404
    victim_word.refresh_from_db()
    assert (victim_word.status, victim_word.note) == ("new", "private note")


ALL_ID_URLS = ["list-detail", "list-edit", "list-delete", "word-update", "word-remove"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_ID_URLS)
def test_every_id_url_answers_404_whatever_the_method(user_client, victim_word, name, method):
    url = {**list_urls(victim_word), **word_urls(victim_word)}[name]
    assert getattr(user_client, method)(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_missing_and_foreign_ids_answer_the_same(user_client, victim_word, method):
    foreign = getattr(user_client, method)(reverse("lookup:list-detail", args=[victim_word.word_list_id]))
    missing = getattr(user_client, method)(reverse("lookup:list-detail", args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_owner_gets_405_for_a_wrong_method(client, victim_word):
    client.force_login(victim_word.word_list.owner)
    assert client.post(list_urls(victim_word)["list-detail"]).status_code == 405
    assert client.get(word_urls(victim_word)["word-remove"]).status_code == 405
    assert SavedWord.objects.count() == 1


def test_visitor_is_sent_to_log_in_for_every_list_url(client, victim_word):
    for url in [*list_urls(victim_word).values(), *word_urls(victim_word).values()]:
        response = client.post(url) if "word" in url else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    assert SavedWord.objects.count() == 1


def test_saving_into_another_users_list_is_refused(user_client, victim_word):
    response = user_client.post(
        reverse("lookup:entry-save", args=[victim_word.entry_id]), {"word_list": victim_word.word_list_id}
    )
    assert response.status_code == 400
    assert b"Private list" not in response.content
    assert SavedWord.objects.count() == 1


def test_another_users_lists_never_show_on_entry_pages(user_client, victim_word):
    response = user_client.get(victim_word.entry.get_absolute_url())
    assert response.status_code == 200
    assert b"Private list" not in response.content


@pytest.mark.parametrize("name", ALL_ID_URLS)
def test_an_id_too_big_for_the_database_is_404(user_client, name):
    huge = 2**63
    args = [huge, huge] if name.startswith("word-") else [huge]
    assert user_client.get(reverse(f"lookup:{name}", args=args)).status_code == 404
    assert user_client.post(reverse(f"lookup:{name}", args=args)).status_code == 404
