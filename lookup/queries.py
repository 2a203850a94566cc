"""Reads that combine several models for one page."""

import re

import simplemma
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce, Lower

from lookup.models import Dictionary, Entry, Language, SavedWord, SearchTerm, Sense, WordList
from lookup.normalization import normalize_key

LANGUAGES_CACHE_KEY = "lookup:languages-with-entries"


def languages_with_entries():
    """Return the languages that have entries, cached because every page's search box shows them."""
    return _dictionary_catalogue()[0]


def dictionaries_of(language) -> list:
    """Return the dictionaries whose headwords are in language (cached with the languages)."""
    return [dictionary for dictionary in _dictionary_catalogue()[1] if dictionary.source_language_id == language.pk]


def _dictionary_catalogue():
    catalogue = cache.get(LANGUAGES_CACHE_KEY)
    if catalogue is None:
        dictionaries = list(Dictionary.objects.select_related("source_language").order_by("name"))
        languages = sorted({d.source_language for d in dictionaries}, key=lambda language: language.name)
        catalogue = (languages, dictionaries)
        cache.set(LANGUAGES_CACHE_KEY, catalogue, 300)
    return catalogue


def forget_languages():
    """Drop the cached languages and dictionaries after dictionaries change."""
    cache.delete(LANGUAGES_CACHE_KEY)


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


# How a result matched, best first; a search page groups results in this order.
MATCH_KINDS = ["exact", "lemma", "phrase", "reverse", "prefix", "fuzzy"]
MATCH_LABELS = {
    "exact": "Exact matches",
    "lemma": "Dictionary form of what you typed",
    "phrase": "Phrases with this word",
    "reverse": "Translated as this word",
    "prefix": "Words that start like this",
    "fuzzy": "Did you mean…",
}
MATCH_LIMIT = 200  # results considered per kind; pages and the API show the best of them
_UNRANKED = 10**9


def _lemmas(query: str, languages) -> dict[int, str]:
    """Return {language id: search key of the query's lemma} where a lemmatiser knows better."""
    key = normalize_key(query)
    lemmas = {}
    for language in languages:
        try:
            lemma = simplemma.lemmatize(query, lang=language.code)
        except (ValueError, KeyError):  # no lemmatiser for this language
            continue
        lemma_key = normalize_key(lemma)
        if lemma_key and lemma_key != key:
            lemmas[language.pk] = lemma_key
    return lemmas


def _edits(key: str, alphabet: str, limit: int = 3000) -> set[str]:
    """Return the strings one edit (delete, swap, replace, insert) away from key."""
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    if len(key) * len(alphabet) * 2 <= limit:
        edits |= {left + letter + right[1:] for left, right in splits if right for letter in alphabet}
        edits |= {left + letter + right for left, right in splits for letter in alphabet}
    edits.discard(key)
    return edits


def _alphabet(key: str, languages) -> str:
    letters = set(key.replace(" ", ""))
    for language in languages:
        letters |= set(language_letters(language))
    return "".join(sorted(letters))


def language_letters(language) -> list[str]:
    """Return the first letters of a language's search keys, cached (browse index, typo repair)."""
    cache_key = f"lookup:letters:{language.pk}"
    letters = cache.get(cache_key)
    if letters is None:
        letters = list(
            Entry.objects.filter(language=language)
            .exclude(initial="")
            .order_by("initial")
            .values_list("initial", flat=True)
            .distinct()
        )
        cache.set(cache_key, letters, 3600)
    return letters


def lookup_entries(*, query: str, language=None, dictionary=None, user, languages=()) -> list[tuple[int, str]]:
    """Return [(entry id, match kind)] for query, best first (see MATCH_KINDS).

    Exact matches on the folded key come first (the exact spelling first), then the lemma of an
    inflected form, phrases holding the word, headwords whose glosses translate the word, and
    completions of the prefix, most frequent first. Typo repair runs only when nothing matched.
    """
    key = normalize_key(query)
    if not key:
        return []
    scope = [language] if language else list(languages)
    entries = Entry.objects.visible_to(user)
    terms = SearchTerm.objects.all() if user.is_staff else SearchTerm.objects.filter(entry__is_published=True)
    if language is not None:
        entries = entries.filter(language=language)
        terms = terms.filter(language=language)
    if dictionary is not None:
        entries = entries.filter(dictionary=dictionary)
        terms = terms.filter(entry__dictionary=dictionary)
    best: dict[int, tuple] = {}

    def offer(entry_id, match, *score):
        candidate = (MATCH_KINDS.index(match), *score)
        if entry_id not in best or candidate < best[entry_id][0]:
            best[entry_id] = (candidate, match)

    for pk, headword, rank in entries.filter(search_key=key).values_list("pk", "headword", "frequency_rank")[
        :MATCH_LIMIT
    ]:
        offer(pk, "exact", headword != query, headword.casefold() != query.casefold(), rank or _UNRANKED)
    bare_forms = terms.filter(kind__in=[SearchTerm.Kind.ARABIC_BARE, SearchTerm.Kind.READING], key=key)
    for pk, rank in bare_forms.values_list("entry_id", "entry__frequency_rank")[:MATCH_LIMIT]:
        offer(pk, "exact", True, True, rank or _UNRANKED)
    lemmas = _lemmas(query, scope)
    if lemmas:
        wanted = Q()
        for language_id, lemma_key in lemmas.items():
            wanted |= Q(language_id=language_id, search_key=lemma_key)
        for pk, rank in entries.filter(wanted).values_list("pk", "frequency_rank")[:MATCH_LIMIT]:
            offer(pk, "lemma", rank or _UNRANKED)
    for pk, rank in terms.filter(kind=SearchTerm.Kind.PHRASE_WORD, key=key).values_list("entry_id", "rank")[
        :MATCH_LIMIT
    ]:
        offer(pk, "phrase", rank)
    reverse_key = REVERSE_PARTICLES.sub("", key)
    reverse = terms.filter(kind=SearchTerm.Kind.GLOSS, key=reverse_key).order_by("rank")
    for pk, term_rank, rank in reverse.values_list("entry_id", "rank", "entry__frequency_rank")[:MATCH_LIMIT]:
        offer(pk, "reverse", term_rank, rank or _UNRANKED)
    prefix = (
        entries.with_key_prefix(key)
        .exclude(search_key=key)
        .order_by(F("frequency_rank").asc(nulls_last=True), "search_key", "pk")
    )
    for pk, rank in prefix.values_list("pk", "frequency_rank")[:MATCH_LIMIT]:
        offer(pk, "prefix", rank or _UNRANKED)
    if not best and len(key) >= 3:
        edits = _edits(key, _alphabet(key, scope))
        fuzzy = entries.filter(search_key__in=edits).values_list("pk", "frequency_rank")
        for pk, rank in fuzzy[:MATCH_LIMIT]:
            offer(pk, "fuzzy", 0, rank or _UNRANKED)
        near = terms.filter(kind=SearchTerm.Kind.GLOSS, key__in=edits, rank__lte=1)
        for pk, term_rank, rank in near.values_list("entry_id", "rank", "entry__frequency_rank")[:MATCH_LIMIT]:
            offer(pk, "fuzzy", 1 + term_rank, rank or _UNRANKED)
    ranked = sorted(best.items(), key=lambda item: item[1][0])
    # Among equal matches, direct reverse translations (rank 0–1) outrank completions.
    return [(pk, match) for pk, (_, match) in ranked]


REVERSE_PARTICLES = re.compile(r"^(?:to|a|an|the) ")


def entries_in_order(ids: list[int]) -> list[Entry]:
    """Return the entries with these ids, in this order, loaded for a results page."""
    loaded = (
        Entry.objects.filter(pk__in=ids)
        .select_related("language", "dictionary")
        .prefetch_related(Prefetch("senses", queryset=Sense.objects.order_by("position")))
    )
    by_id = {entry.pk: entry for entry in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


def completions(*, query: str, language, user, limit: int) -> list[str]:
    """Return up to limit headwords that start with query, most frequent first."""
    key = normalize_key(query)
    if not key:
        return []
    entries = Entry.objects.visible_to(user).with_key_prefix(key)
    if language is not None:
        entries = entries.filter(language=language)
    ranked = entries.order_by(F("frequency_rank").asc(nulls_last=True), "search_key").values_list("headword", flat=True)
    return list(dict.fromkeys(ranked[: limit * 3]))[:limit]
