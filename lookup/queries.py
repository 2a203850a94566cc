"""Reads that combine several models for one page."""

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Prefetch, Value, When
from django.db.models.functions import Coalesce, Lower

from lookup.models import Entry, Language, SavedWord, Sense, WordList
from lookup.normalization import normalize_key

LANGUAGES_CACHE_KEY = "lookup:languages-with-entries"


def languages_with_entries():
    """Return the languages that have entries, cached because every page's search box shows them."""
    languages = cache.get(LANGUAGES_CACHE_KEY)
    if languages is None:
        languages = list(Language.objects.filter(source_dictionaries__isnull=False).distinct())
        cache.set(LANGUAGES_CACHE_KEY, languages, 300)
    return languages


def forget_languages():
    """Drop the cached language list after dictionaries change."""
    cache.delete(LANGUAGES_CACHE_KEY)


def search_entries(*, query: str, language: Language | None, user):
    """Return entries matching query, exact matches on the search key first, then prefixes.

    Each entry is annotated with `match` ("exact" or "prefix").
    """
    key = normalize_key(query)
    entries = Entry.objects.visible_to(user).with_key_prefix(key)
    if language is not None:
        entries = entries.filter(language=language)
    return (
        entries.annotate(
            match_rank=Case(When(search_key=key, then=Value(0)), default=Value(1), output_field=IntegerField()),
            exact_form=Case(When(headword=query, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .select_related("language", "dictionary")
        .prefetch_related(Prefetch("senses", queryset=Sense.objects.order_by("position")))
        .order_by("match_rank", "exact_form", F("frequency_rank").asc(nulls_last=True), "search_key", "pk")
    )


def browse_entries(*, language: Language, letter: str, user):
    """Return the entries of language whose search key starts with letter, alphabetically."""
    return (
        Entry.objects.visible_to(user)
        .filter(language=language, initial=letter)
        .select_related("dictionary")
        .prefetch_related(Prefetch("senses", queryset=Sense.objects.order_by("position")))
        .order_by("search_key", "headword", "pk")
    )


def browse_letters(*, language: Language, user) -> list[str]:
    """Return the first letters of language's search keys, in order."""
    return list(
        Entry.objects.visible_to(user)
        .filter(language=language)
        .exclude(initial="")
        .order_by("initial")
        .values_list("initial", flat=True)
        .distinct()
    )


def lists_holding(*, user, entry_ids) -> dict[int, list[WordList]]:
    """Return, for each entry id, the user's lists that hold that entry."""
    holding: dict[int, list[WordList]] = {}
    if not user.is_authenticated or not entry_ids:
        return holding
    saved = (
        SavedWord.objects.filter(word_list__owner=user, entry_id__in=entry_ids)
        .select_related("word_list")
        .order_by(Lower("word_list__name"))
    )
    for saved_word in saved:
        holding.setdefault(saved_word.entry_id, []).append(saved_word.word_list)
    return holding


def lists_of(user) -> list[WordList]:
    """Return the user's lists by name (empty for visitors)."""
    if not user.is_authenticated:
        return []
    return list(WordList.objects.owned_by(user).order_by(Lower("name")))


def lists_with_counts(user):
    """Return the user's lists with how many words each holds."""
    return (
        WordList.objects.owned_by(user)
        .select_related("language")
        .annotate(word_count=Count("saved_words"))
        .order_by(Lower("name"))
    )


SAVED_WORD_ORDERINGS = {
    "added": ("-added_at", "-pk"),
    "alpha": (Coalesce("entry__search_key", Lower("headword")).asc(), "pk"),
}


def saved_words_in(word_list: WordList, *, sort: str):
    """Return the words of word_list with their entries and first glosses, sorted."""
    return (
        word_list.saved_words.select_related("entry__language")
        .prefetch_related(Prefetch("entry__senses", queryset=Sense.objects.order_by("position")))
        .order_by(*SAVED_WORD_ORDERINGS[sort])
    )
