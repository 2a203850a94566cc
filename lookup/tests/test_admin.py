import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from lookup.models import Entry
from lookup.readers import MAX_GLOSS
from lookup.tests.factories import (
    DictionaryFactory,
    EntryFactory,
    ExampleFactory,
    SavedWordFactory,
    SenseFactory,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOOKUP_MODELS = ["language", "dictionary", "entry", "sense", "example", "wordlist", "savedword"]


@pytest.fixture
def curator(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return user


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def data():
    dictionary = DictionaryFactory()
    for number in range(5):
        entry = EntryFactory(dictionary=dictionary, headword=f"mot{number}")
        ExampleFactory(sense=SenseFactory(entry=entry))
        SavedWordFactory(entry=entry)
    return dictionary


@pytest.mark.parametrize("model", [*LOOKUP_MODELS, "user"])
def test_every_changelist_and_add_page_loads_for_a_superuser(superuser_client, data, model):
    app = "users" if model == "user" else "lookup"
    assert superuser_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["language", "dictionary", "entry", "sense", "example"])
def test_curator_can_open_dictionary_changelists(client, curator, data, model):
    assert client.get(reverse(f"admin:lookup_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["admin:users_user_changelist", "admin:lookup_wordlist_changelist", "admin:lookup_savedword_changelist"]
)
def test_curator_cannot_touch_users_or_their_lists(client, curator, data, url_name):
    assert client.get(reverse(url_name)).status_code == 403


def test_curator_cannot_edit_a_user(client, curator):
    victim = UserFactory()
    url = reverse("admin:users_user_change", args=[victim.pk])
    assert client.post(url, {"username": "renamed", "is_staff": "on"}).status_code == 403
    victim.refresh_from_db()
    assert victim.username != "renamed" and not victim.is_staff


def test_curator_edits_an_entry_and_its_senses_inline(client, curator, data):
    entry = Entry.objects.first()
    sense = entry.senses.get()
    example = entry.examples.get()
    url = reverse("admin:lookup_entry_change", args=[entry.pk])
    assertContains(client.get(url), "Came from")
    response = client.post(
        url,
        {
            "headword": "Tête",
            "dictionary": entry.dictionary_id,
            "part_of_speech": "noun",
            "grammar": "fem",
            "pronunciation": "/tɛt/",
            "frequency_rank": "",
            "is_published": "on",
            "senses-TOTAL_FORMS": "2",
            "senses-INITIAL_FORMS": "1",
            "senses-0-id": sense.pk,
            "senses-0-entry": entry.pk,
            "senses-0-position": "1",
            "senses-0-gloss": "head",
            "senses-1-position": "2",
            "senses-1-gloss": "top, leading part",
            "examples-TOTAL_FORMS": "1",
            "examples-INITIAL_FORMS": "1",
            "examples-0-id": example.pk,
            "examples-0-entry": entry.pk,
            "examples-0-sense": sense.pk,
            "examples-0-position": "1",
            "examples-0-text": "J'ai mal à la tête.",
            "examples-0-translation": "I have a headache.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert (entry.headword, entry.search_key, entry.initial) == ("Tête", "tete", "t")
    assert list(entry.senses.values_list("gloss", flat=True)) == ["head", "top, leading part"]
    assert entry.examples.get().text == "J'ai mal à la tête."


def test_a_gloss_longer_than_imports_take_is_refused_and_changes_nothing(client, curator, data):
    entry = Entry.objects.first()
    sense = entry.senses.get()
    too_long = "mot " * (MAX_GLOSS // 4) + "x"  # PostgreSQL's full-text index refuses one of over 1 MB
    response = client.post(
        reverse("admin:lookup_sense_change", args=[sense.pk]),
        {"entry": entry.pk, "position": "1", "gloss": too_long},
    )
    assertContains(response, f"Ensure this value has at most {MAX_GLOSS} characters")
    response = client.post(
        reverse("admin:lookup_entry_change", args=[entry.pk]),
        {
            "headword": entry.headword,
            "dictionary": entry.dictionary_id,
            "is_published": "on",
            "senses-TOTAL_FORMS": "1",
            "senses-INITIAL_FORMS": "1",
            "senses-0-id": sense.pk,
            "senses-0-entry": entry.pk,
            "senses-0-position": "1",
            "senses-0-gloss": too_long,
            "examples-TOTAL_FORMS": "0",
            "examples-INITIAL_FORMS": "0",
        },
    )
    assertContains(response, f"Ensure this value has at most {MAX_GLOSS} characters")
    sense.refresh_from_db()
    assert len(sense.gloss) < 100


@pytest.mark.parametrize(("model", "field"), [("savedword", "entry"), ("entry", "dictionary"), ("wordlist", "owner")])
def test_admin_pickers_find_nothing_for_a_nul_character(superuser_client, data, model, field):
    # The pickers' autocomplete hands the term to the database, which on PostgreSQL answered 500.
    params = {"app_label": "lookup", "model_name": model, "field_name": field}
    assert superuser_client.get(reverse("admin:autocomplete"), {**params, "term": ""}).json()["results"]
    response = superuser_client.get(reverse("admin:autocomplete"), {**params, "term": "\x00"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_admin_search_by_headword_and_gloss(superuser_client, data):
    entry = Entry.objects.first()
    SenseFactory(entry=entry, gloss="unmistakable")
    url = reverse("admin:lookup_entry_changelist")
    assertContains(superuser_client.get(url, {"q": "unmistakable"}), entry.headword)
    assertContains(superuser_client.get(url, {"q": entry.headword}), entry.headword)


def test_unpublish_and_publish_actions(client, curator, data):
    url = reverse("admin:lookup_entry_changelist")
    ids = list(Entry.objects.values_list("pk", flat=True)[:2])
    response = client.post(url, {"action": "unpublish", "_selected_action": ids}, follow=True)
    assertContains(response, "Unpublished 2 entries.")
    assert Entry.objects.filter(is_published=False).count() == 2
    client.post(url, {"action": "publish", "_selected_action": ids})
    assert not Entry.objects.filter(is_published=False).exists()


def test_visitors_browse_counts_follow_the_curators_changes_at_once(
    client, curator, data, django_capture_on_commit_callbacks
):
    unsaved = SenseFactory(entry=EntryFactory(dictionary=data, headword="mot9")).entry
    browse = reverse("lookup:browse", args=[data.source_language.code])
    visitor = Client()

    def assert_letter_count(count):
        response = visitor.get(browse, {"letter": "m"})
        assertContains(response, f'<small class="text-body-secondary">({count})</small>', html=True)

    assert_letter_count(6)
    entry = Entry.objects.get(headword="mot0")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:lookup_entry_changelist"), {"action": "unpublish", "_selected_action": [entry.pk]})
    assert_letter_count(5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:lookup_entry_delete", args=[unsaved.pk]), {"post": "yes"})
    assert_letter_count(4)


@pytest.mark.parametrize("model", ["entry", "sense", "example", "dictionary", "wordlist", "savedword"])
def test_changelist_query_count_is_constant(superuser_client, django_assert_max_num_queries, model):
    dictionary = DictionaryFactory()
    for number in range(30):
        entry = EntryFactory(dictionary=dictionary, headword=f"mot{number}")
        ExampleFactory(sense=SenseFactory(entry=entry))
        SavedWordFactory(entry=entry)
    DictionaryFactory.create_batch(5)
    with django_assert_max_num_queries(12):
        assert superuser_client.get(reverse(f"admin:lookup_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("examples", [2, 12])
def test_entry_change_page_query_count_is_constant(superuser_client, django_assert_max_num_queries, examples):
    entry = EntryFactory()
    senses = SenseFactory.create_batch(3, entry=entry)
    for number in range(examples):
        ExampleFactory(sense=senses[number % 3])
    with django_assert_max_num_queries(16):
        response = superuser_client.get(reverse("admin:lookup_entry_change", args=[entry.pk]))
    assert response.status_code == 200
    # Every example row, and the blank row for a new one, offers the entry's senses.
    assertContains(response, f">{senses[0]}</option>", count=examples + 1)
