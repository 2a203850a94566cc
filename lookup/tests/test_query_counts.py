"""Every page runs the same number of queries however many rows it shows: each is counted at a
small and a large size, and the two counts must be equal (and stay under a ceiling)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lookup.queries import forget_languages
from lookup.services import save_entry
from lookup.tests.factories import DictionaryFactory, EntryFactory, ExampleFactory, SenseFactory, WordListFactory

pytestmark = pytest.mark.django_db
SMALL, LARGE = 2, 40


def queries_for(client, url, params=None):
    """Return how many queries one GET of url runs, with the catalogue caches cold."""
    cache.clear()
    forget_languages()  # this process's copy of the catalogue too
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


def entries(dictionary, count, stem):
    made = []
    for number in range(count):
        entry = EntryFactory(dictionary=dictionary, headword=f"{stem}{number:03}")
        SenseFactory(entry=entry, position=1, gloss=f"{stem} gloss {number}")
        ExampleFactory(sense=SenseFactory(entry=entry, position=2, gloss="another"))
        made.append(entry)
    return made


@pytest.fixture
def sizes(user):
    """Two dictionaries' worth of rows, each page's small and large case, and a user's lists."""
    small, large = DictionaryFactory(name="Small"), DictionaryFactory(name="Large")
    small_entries, large_entries = entries(small, SMALL, "chat"), entries(large, LARGE, "avion")
    small_list, large_list = WordListFactory(owner=user, name="Few"), WordListFactory(owner=user, name="Many")
    for entry in small_entries:
        save_entry(user=user, entry=entry, word_list=small_list)
    for entry in large_entries:
        save_entry(user=user, entry=entry, word_list=large_list)
    return {"small": (small_entries, small_list, "chat"), "large": (large_entries, large_list, "avion")}


def counts(client, sizes, page):
    return [queries_for(client, *page(*sizes[size])) for size in ("small", "large")]


# Ceilings, signed in with a cold cache: session and user, the catalogue (languages and
# dictionaries), then per page: search and the API run exact, other forms and phrases, reverse
# and prefix probes, then the shown entries and their senses; autocomplete one prefix probe;
# browse the language's letters, a count and a page with glosses (the language is in the
# catalogue); a list page the list, a count and a page of words with their entries and glosses.
@pytest.mark.parametrize(
    ("name", "page", "ceiling"),
    [
        ("search", lambda entries, word_list, stem: (reverse("lookup:search"), {"q": stem, "lang": "fr"}), 11),
        ("search api", lambda entries, word_list, stem: (reverse("lookup:api-search"), {"q": stem, "limit": 100}), 9),
        ("autocomplete", lambda entries, word_list, stem: (reverse("lookup:api-autocomplete"), {"q": stem[:2]}), 4),
        ("entry", lambda entries, word_list, stem: (entries[0].get_absolute_url(), None), 8),
        ("browse", lambda entries, word_list, stem: (reverse("lookup:browse", args=["fr"]), {"letter": stem[0]}), 6),
        ("list", lambda entries, word_list, stem: (word_list.get_absolute_url(), None), 6),
        ("lists", lambda entries, word_list, stem: (reverse("lookup:list-index"), None), 5),
    ],
)
def test_query_count_does_not_grow_with_rows(user_client, sizes, name, page, ceiling):
    small, large = counts(user_client, sizes, page)
    assert small == large, f"{name}: {small} queries for {SMALL} rows, {large} for {LARGE}"
    assert large <= ceiling, f"{name}: {large} queries"
