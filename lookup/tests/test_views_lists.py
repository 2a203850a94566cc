import re

import pytest
from django.db import connection
from django.template.defaultfilters import date
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from lookup import queries
from lookup.models import SavedWord, WordList
from lookup.tests.factories import EntryFactory, SavedWordFactory, SenseFactory, WordListFactory

pytestmark = pytest.mark.django_db

LISTS = reverse("lookup:list-index")


@pytest.fixture
def word_list(user):
    return WordListFactory(owner=user, name="Kitchen", description="Things in the kitchen")


def saved(word_list, headword, gloss="gloss", **fields):
    entry = EntryFactory(headword=headword)
    SenseFactory(entry=entry, position=1, gloss=gloss)
    return SavedWordFactory(word_list=word_list, entry=entry, **fields)


def test_lists_need_login(client):
    response = client.get(LISTS)
    assertRedirects(response, f"/accounts/login/?next={LISTS}", fetch_redirect_response=False)


def test_my_lists_show_names_and_word_counts(user_client, word_list):
    saved(word_list, "couteau")
    saved(word_list, "fourchette")
    WordListFactory(name="Not mine")
    response = user_client.get(LISTS)
    assertTemplateUsed(response, "lookup/wordlist_list.html")
    assertContains(response, "Kitchen")
    assertContains(response, "2 words")
    assertNotContains(response, "Not mine")


def test_lists_page_query_count_is_constant(user_client, user, django_assert_max_num_queries):
    for _ in range(10):
        saved(WordListFactory(owner=user), "mot")
    # session, user, languages (search box), lists with counts, languages (new-list form)
    with django_assert_max_num_queries(5):
        assert user_client.get(LISTS).status_code == 200


def test_create_list(user_client, user):
    response = user_client.post(LISTS, {"name": "Verbs", "description": "irregular ones"})
    word_list = WordList.objects.get(owner=user)
    assertRedirects(response, word_list.get_absolute_url())
    assert word_list.description == "irregular ones"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "This field is required."), ("   ", "This field is required."), ("x" * 101, "at most 100 characters")],
)
def test_create_list_with_bad_name_shows_error_and_keeps_input(user_client, name, message):
    response = user_client.post(LISTS, {"name": name, "description": "kept text"})
    assertContains(response, message, status_code=400)
    assertContains(response, "kept text", status_code=400)
    assert not WordList.objects.exists()


def test_a_bidi_override_typed_into_a_list_name_is_dropped(user_client, user, word_list):
    user_client.post(LISTS, {"name": "Verbs\u202e \u2067irregular\u2069"})
    assert WordList.objects.filter(owner=user).order_by("pk").last().name == "Verbs irregular"
    response = user_client.post(LISTS, {"name": "Kitc\u202ehen"})  # the same name as an existing list
    assertContains(response, "already have a list with this name", status_code=400)


def test_list_names_are_unique_per_owner_ignoring_case(user_client, word_list):
    response = user_client.post(LISTS, {"name": "KITCHEN"})
    assertContains(response, "already have a list with this name", status_code=400)
    assert WordList.objects.count() == 1


def test_another_user_may_use_the_same_list_name(client, word_list, other_user):
    client.force_login(other_user)
    client.post(LISTS, {"name": "Kitchen"})
    assert WordList.objects.filter(name="Kitchen").count() == 2


def test_list_page_shows_words_first_gloss_note_and_status(user_client, word_list):
    saved(word_list, "couteau", gloss="knife", note="sharp", status=SavedWord.Status.LEARNING)
    response = user_client.get(word_list.get_absolute_url())
    assertTemplateUsed(response, "lookup/wordlist_detail.html")
    for text in ["couteau", "knife", 'value="sharp"', '<option value="learning" selected>']:
        assertContains(response, text)


def test_list_rows_link_the_entry_and_the_row_actions(user_client, word_list):
    item = saved(word_list, "couteau", gloss="knife")
    response = user_client.get(word_list.get_absolute_url())
    assertContains(response, f'<a class="fw-semibold" href="{item.entry.get_absolute_url()}"')
    assertContains(response, f'action="{word_url(item)}"')
    assertContains(response, f'action="{word_url(item, "remove")}"')
    assertContains(response, f"added {date(item.added_at, 'j M Y')}")


def test_list_rows_link_under_the_site_prefix(user_client, word_list):
    item = saved(word_list, "couteau")
    path = word_list.get_absolute_url()
    set_script_prefix("/langtool/")
    try:
        response = user_client.get(path)
        assertContains(response, f'action="{word_url(item)}"')
        assertContains(response, f'action="{word_url(item, "remove")}"')
        assert word_url(item).startswith("/langtool/")
    finally:
        set_script_prefix("/")


def test_learners_own_word_shows_its_gloss_without_a_link(user_client, word_list):
    SavedWord.objects.create(word_list=word_list, headword="gâteau maison", gloss="home-made cake")
    response = user_client.get(word_list.get_absolute_url())
    assertContains(response, '<span class="fw-semibold" dir="auto">gâteau maison</span>')
    assertContains(response, '<span dir="auto">home-made cake</span>')


def test_withdrawn_entry_stays_in_the_list_without_a_dead_link(user_client, word_list):
    item = saved(word_list, "voir", gloss="to see")
    item.entry.is_published = False
    item.entry.save()
    response = user_client.get(word_list.get_absolute_url())
    assertContains(response, "voir")
    assertContains(response, "withdrawn from the dictionary")
    assertNotContains(response, item.entry.get_absolute_url())


def test_list_page_sorts_by_date_or_alphabetically(user_client, word_list):
    saved(word_list, "zèbre")
    saved(word_list, "abricot")
    saved(word_list, "Épée")
    newest_first = user_client.get(word_list.get_absolute_url()).content.decode()
    assert newest_first.index("Épée") < newest_first.index("abricot") < newest_first.index("zèbre")
    alphabetical = user_client.get(word_list.get_absolute_url(), {"sort": "alpha"}).content.decode()
    assert alphabetical.index("abricot") < alphabetical.index("Épée") < alphabetical.index("zèbre")


def test_list_page_sorts_own_words_among_entries_ignoring_case(user_client, word_list):
    saved(word_list, "cerise")
    SavedWord.objects.create(word_list=word_list, headword="Banane maison", gloss="home-grown")
    saved(word_list, "abricot")
    alphabetical = user_client.get(word_list.get_absolute_url(), {"sort": "alpha"}).content.decode()
    assert alphabetical.index("abricot") < alphabetical.index("Banane maison") < alphabetical.index("cerise")


def test_list_page_pages_words_in_either_order(user_client, word_list):
    words = [saved(word_list, f"mot{number:02}") for number in range(30)]
    SavedWord.objects.filter(pk__in=[word.pk for word in words]).update(added_at=words[0].added_at)
    newest = user_client.get(word_list.get_absolute_url(), {"page": 2})
    assertContains(newest, "Page 2 of 2")
    assertContains(newest, "30 words")
    # Saved at the same moment: the latest saved first.
    assert [f"mot{number:02}" in newest.content.decode() for number in (0, 4, 5)] == [True, True, False]
    alphabetical = user_client.get(word_list.get_absolute_url(), {"sort": "alpha", "page": 99})
    assertContains(alphabetical, "Page 2 of 2")
    assertContains(alphabetical, "mot29")
    assertNotContains(alphabetical, "mot24")


def test_a_page_of_newest_words_is_read_from_the_index_in_its_order(word_list):
    words = [saved(word_list, f"mot{number:02}") for number in range(30)]
    # Words added together (one moment for all) are where an index without the id sorted them all.
    SavedWord.objects.filter(pk__in=[word.pk for word in words]).update(added_at=words[0].added_at)
    with CaptureQueriesContext(connection) as statements:
        queries.saved_word_rows(word_list, order=queries.SAVED_WORD_ORDERINGS["added"], limit=25, offset=0)
    (statement,) = statements.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test's tables are too small for the planner to choose an index on its own.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {statement['sql']}")
            plan = [line.strip() for (line,) in cursor.fetchall()]
            window = next(number for number, line in enumerate(plan) if line.startswith("->  Limit"))
            assert plan[window + 1].startswith("->  Index Scan Backward using savedword_list_added_id_idx")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {statement['sql']}")
            plan = [row[3] for row in cursor.fetchall()]
            assert any("USING INDEX savedword_list_added_id_idx (word_list_id=?)" in line for line in plan)


def test_list_page_shows_each_entrys_first_gloss_by_position(user_client, word_list):
    entry = EntryFactory(headword="voler")
    SenseFactory(entry=entry, position=2, gloss="to steal")
    SenseFactory(entry=entry, position=1, gloss="to fly")
    SavedWordFactory(word_list=word_list, entry=entry)
    response = user_client.get(word_list.get_absolute_url())
    assertContains(response, "to fly")
    assertNotContains(response, "to steal")


def test_list_page_escapes_what_learners_and_dictionaries_wrote_once(user_client, word_list):
    saved(word_list, "<b>&amp</b>", gloss="<i>gloss</i>", note='"quoted" & <note>')
    response = user_client.get(word_list.get_absolute_url())
    assertContains(response, "&lt;b&gt;&amp;amp&lt;/b&gt;", count=6)
    assertContains(response, "&lt;i&gt;gloss&lt;/i&gt;")
    assertContains(response, 'value="&quot;quoted&quot; &amp; &lt;note&gt;"')
    assertNotContains(response, "<b>")
    assertNotContains(response, "&amp;lt;")


def test_list_page_ignores_unknown_sort(user_client, word_list):
    assert user_client.get(word_list.get_absolute_url(), {"sort": "'; DROP TABLE"}).status_code == 200


def test_list_page_query_count_is_constant(user_client, word_list, django_assert_num_queries, session_queries):
    for number in range(30):
        saved(word_list, f"mot{number}")
    # (session,) user, list with its count, languages, words with their entries, languages and first glosses
    with django_assert_num_queries(4 + session_queries):
        assert user_client.get(word_list.get_absolute_url()).status_code == 200


def test_rename_and_describe_list(user_client, word_list):
    url = reverse("lookup:list-edit", args=[word_list.pk])
    assert user_client.get(url).status_code == 200
    response = user_client.post(url, {"name": "Cuisine", "description": "new"})
    assertRedirects(response, word_list.get_absolute_url())
    word_list.refresh_from_db()
    assert (word_list.name, word_list.description) == ("Cuisine", "new")


def test_renaming_to_own_name_with_other_case_is_allowed(user_client, word_list):
    user_client.post(reverse("lookup:list-edit", args=[word_list.pk]), {"name": "KITCHEN"})
    word_list.refresh_from_db()
    assert word_list.name == "KITCHEN"


def test_rename_to_another_of_my_lists_is_refused(user_client, user, word_list):
    WordListFactory(owner=user, name="Garden")
    response = user_client.post(reverse("lookup:list-edit", args=[word_list.pk]), {"name": "garden"})
    assertContains(response, "already have a list", status_code=400)
    word_list.refresh_from_db()
    assert word_list.name == "Kitchen"


def test_delete_list_asks_then_deletes_list_but_not_entries(user_client, word_list):
    item = saved(word_list, "couteau")
    url = reverse("lookup:list-delete", args=[word_list.pk])
    assertContains(user_client.get(url), "1 saved word")
    assert WordList.objects.exists()
    assertRedirects(user_client.post(url), LISTS)
    assert not WordList.objects.exists()
    assert not SavedWord.objects.exists()
    assert EntryFactory._meta.model.objects.filter(pk=item.entry_id).exists()


def word_url(item, action=""):
    name = "lookup:word-remove" if action == "remove" else "lookup:word-update"
    return reverse(name, args=[item.word_list_id, item.pk])


def test_update_status_and_note(user_client, word_list):
    item = saved(word_list, "couteau")
    prefix = f"w{item.pk}"
    response = user_client.post(word_url(item), {f"{prefix}-status": "known", f"{prefix}-note": "got it"})
    assertRedirects(response, word_list.get_absolute_url())
    item.refresh_from_db()
    assert (item.status, item.note) == ("known", "got it")


def test_update_with_bad_status_changes_nothing(user_client, word_list):
    item = saved(word_list, "couteau", note="before")
    prefix = f"w{item.pk}"
    response = user_client.post(
        word_url(item), {f"{prefix}-status": "mastered", f"{prefix}-note": "after"}, follow=True
    )
    assertContains(response, "was not changed")
    item.refresh_from_db()
    assert (item.status, item.note) == ("new", "before")


def test_htmx_update_returns_the_row(user_client, word_list):
    item = saved(word_list, "couteau")
    prefix = f"w{item.pk}"
    response = user_client.post(
        word_url(item), {f"{prefix}-status": "learning", f"{prefix}-note": ""}, HTTP_HX_REQUEST="true"
    )
    assertTemplateUsed(response, "lookup/partials/saved_word_row.html")
    assertContains(response, '<option value="learning" selected>')
    assertContains(response, "Saved.")


def test_remove_word(user_client, word_list):
    item = saved(word_list, "couteau")
    assertRedirects(user_client.post(word_url(item, "remove")), word_list.get_absolute_url())
    assert not SavedWord.objects.exists()


def test_htmx_remove_replaces_the_row_with_a_notice_and_updates_the_count(user_client, word_list):
    item = saved(word_list, "couteau")
    saved(word_list, "cuillère")
    response = user_client.post(word_url(item, "remove"), HTTP_HX_REQUEST="true")
    assertTemplateUsed(response, "lookup/partials/saved_word_removed.html")
    assertContains(response, "Removed “couteau”.")
    assertContains(response, f'<tr id="word-{item.pk}">')
    assertContains(response, '<span id="word-count" hx-swap-oob="true">1 word</span>', html=True)
    assert list(word_list.saved_words.values_list("entry__headword", flat=True)) == ["cuillère"]


def row_of(content, item):
    """Return the row of item in content, with its whitespace and csrf token evened out."""
    start = content.index(f'<tr id="word-{item.pk}">')
    row = content[start : content.index("</tr>", start)]
    return " ".join(re.sub('name="csrfmiddlewaretoken" value="[^"]*"', "csrf", row).split())


@pytest.mark.parametrize("kind", ["entry", "withdrawn", "own word"])
def test_htmx_update_returns_the_row_as_the_list_page_shows_it(user_client, word_list, kind):
    if kind == "own word":
        item = SavedWord.objects.create(word_list=word_list, headword="gâteau", gloss="cake", context="Un gâteau.")
    else:
        item = saved(word_list, "couteau", gloss="knife", note="sharp", context="Le couteau.")
        if kind == "withdrawn":
            EntryFactory._meta.model.objects.filter(pk=item.entry_id).update(is_published=False)
    prefix = f"w{item.pk}"
    response = user_client.post(
        word_url(item), {f"{prefix}-status": "new", f"{prefix}-note": item.note}, HTTP_HX_REQUEST="true"
    )
    alone = row_of(response.content.decode(), item)
    in_page = row_of(user_client.get(word_list.get_absolute_url()).content.decode(), item)
    # Alone, the row says it was saved, and its forms stay on the page they were posted from.
    saved_note = '<span class="small text-success" role="status">Saved.</span> '
    assert alone.count(saved_note) == 1
    assert alone.replace(saved_note, "") == in_page.replace(f'value="{word_list.get_absolute_url()}"', 'value=""')


def test_htmx_update_with_too_long_note_keeps_what_was_typed(user_client, word_list):
    item = saved(word_list, "couteau", status=SavedWord.Status.LEARNING)
    long_note = "x" * 2001
    response = user_client.post(
        word_url(item), {f"w{item.pk}-status": "known", f"w{item.pk}-note": long_note}, HTTP_HX_REQUEST="true"
    )
    assertContains(response, "form-control form-control-sm is-invalid", status_code=400)
    assertContains(response, f'value="{long_note}"', status_code=400)
    assertContains(response, '<option value="known" selected>', status_code=400)
    item.refresh_from_db()
    assert item.status == SavedWord.Status.LEARNING


def test_htmx_update_after_the_session_expired_loads_the_login_page_whole(client, word_list):
    item = saved(word_list, "couteau")
    response = client.post(
        word_url(item),
        {f"w{item.pk}-status": "known"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{word_list.get_absolute_url()}",
    )
    assert response["HX-Redirect"] == f"/accounts/login/?next=%2Flists%2F{word_list.pk}%2F"
    item.refresh_from_db()
    assert item.status == "new"


def test_htmx_update_with_bad_status_returns_the_row_with_the_error(user_client, word_list):
    item = saved(word_list, "couteau")
    response = user_client.post(word_url(item), {f"w{item.pk}-status": "mastered"}, HTTP_HX_REQUEST="true")
    assertContains(response, "Select a valid choice", status_code=400)
    assertTemplateUsed(response, "lookup/partials/saved_word_row.html")


def test_word_urls_need_the_list_the_word_is_in(user_client, user, word_list):
    item = saved(word_list, "couteau")
    my_other_list = WordListFactory(owner=user)
    url = reverse("lookup:word-remove", args=[my_other_list.pk, item.pk])
    assert user_client.post(url).status_code == 404
    assert SavedWord.objects.exists()
