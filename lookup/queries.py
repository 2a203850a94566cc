"""Reads that combine several models for one page."""

import re
import time

import simplemma
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch
from django.db.models.functions import Coalesce, Lower

from lookup.models import Dictionary, Entry, Language, SavedWord, SearchTerm, Sense, WordList
from lookup.normalization import normalize_key

LANGUAGES_CACHE_KEY = "lookup:languages-with-entries"
CATALOGUE_VERSION_KEY = "lookup:catalogue-version"


def languages_with_entries():
    """Return the languages that have entries, cached because every page's search box shows them."""
    return _dictionary_catalogue()[0]


def dictionaries_of(language) -> list:
    """Return the dictionaries whose headwords are in language (cached with the languages)."""
    return [dictionary for dictionary in _dictionary_catalogue()[1] if dictionary.source_language_id == language.pk]


def _dictionary_catalogue():
    catalogue = cache.get(LANGUAGES_CACHE_KEY)
    if catalogue is None:
        dictionaries = list(Dictionary.objects.select_related("source_language").defer("description").order_by("name"))
        languages = sorted({d.source_language for d in dictionaries}, key=lambda language: language.name)
        catalogue = (languages, dictionaries)
        cache.set(LANGUAGES_CACHE_KEY, catalogue, 300)
    return catalogue


def forget_languages():
    """Drop the cached languages, dictionaries and letters after dictionaries change."""
    cache.delete(LANGUAGES_CACHE_KEY)
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value outdates the old keys
        cache.set(CATALOGUE_VERSION_KEY, int(time.time()), None)


def catalogue_version() -> int:
    """Return the number that cache keys derived from the dictionaries carry."""
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        version = int(time.time())
        cache.add(CATALOGUE_VERSION_KEY, version, None)
    return version


def browse_entries(*, language: Language, letter: str, user):
    """Return the entries of language whose search key starts with letter, alphabetically."""
    return (
        Entry.objects.visible_to(user)
        .filter(language=language)
        .with_key_prefix(letter)
        .select_related("dictionary")
        .prefetch_related(Prefetch("senses", queryset=Sense.objects.order_by("position")))
        .order_by("search_key", "headword", "pk")
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
    """Return the first letters of a language's search keys, cached (browse index, typo repair).

    Found by skipping through the key index: one short index probe per letter, however many
    entries the language has.
    """
    cache_key = f"lookup:letters:{catalogue_version()}:{language.pk}"
    letters = cache.get(cache_key)
    if letters is None:
        letters = _first_letters(language.pk)
        cache.set(cache_key, letters, 3600)
    return letters


_LAST_CODE_POINT = "\U0010ffff"


def _first_letters(language_id: int) -> list[str]:
    table = Entry._meta.db_table
    next_letter = (
        f"SELECT SUBSTR(search_key, 1, 1) FROM {table} "
        "WHERE language_id = %s AND search_key > {after} ORDER BY search_key LIMIT 1"
    )
    sql = (
        "WITH RECURSIVE letters (letter) AS ("
        f"SELECT ({next_letter.format(after='%s')}) "
        f"UNION ALL SELECT ({next_letter.format(after='letter || %s')}) FROM letters WHERE letter IS NOT NULL"
        ") SELECT letter FROM letters WHERE letter IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [language_id, "", language_id, _LAST_CODE_POINT])
        return [letter for (letter,) in cursor.fetchall()]


class _Scope:
    """SQL conditions shared by every lookup query: languages, dictionary and visibility.

    Lookups run a handful of small index probes per request; written as SQL they cost tens of
    microseconds each, where building them through the ORM cost ten times that.
    """

    entry_table = Entry._meta.db_table
    term_table = SearchTerm._meta.db_table

    def __init__(self, *, language_ids, dictionary, user):
        self.language_ids = language_ids
        self.conditions, self.params = [f"e.language_id IN ({', '.join(['%s'] * len(language_ids))})"], language_ids
        if not user.is_staff:
            self.conditions.append("e.is_published = %s")
            self.params = [*self.params, True]
        if dictionary is not None:
            self.conditions.append("e.dictionary_id = %s")
            self.params = [*self.params, dictionary.pk]

    def entries(self, columns, where, params, order="", limit=MATCH_LIMIT):
        """Return rows of entries matching where, within the scope."""
        sql = (
            f"SELECT {columns} FROM {self.entry_table} e WHERE {' AND '.join(self.conditions)} AND {where}"
            f"{' ORDER BY ' + order if order else ''} LIMIT {int(limit)}"
        )
        return _rows(sql, [*self.params, *params])

    def terms(self, columns, kinds, where, params, order="", limit=MATCH_LIMIT):
        """Return rows of search terms of these kinds matching where, joined to their entries."""
        language_ids = self.language_ids
        sql = (
            f"SELECT {columns} FROM {self.term_table} t JOIN {self.entry_table} e ON e.id = t.entry_id "
            f"WHERE t.kind IN ({', '.join(['%s'] * len(kinds))}) "
            f"AND t.language_id IN ({', '.join(['%s'] * len(language_ids))}) AND {where} "
            f"AND {' AND '.join(self.conditions)}{' ORDER BY ' + order if order else ''} LIMIT {int(limit)}"
        )
        return _rows(sql, [*kinds, *language_ids, *params, *self.params])


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lookup_entries(*, query: str, language=None, dictionary=None, user, languages=()) -> list[tuple[int, str]]:
    """Return [(entry id, match kind)] for query, best first (see MATCH_KINDS).

    Exact matches on the folded key come first (the exact spelling first), then the lemma of an
    inflected form, phrases holding the word, headwords whose glosses translate the word, and
    completions of the prefix, most frequent first. Typo repair runs only when nothing matched.
    Every step is an index probe or a bounded index range (README, "Performance").
    """
    key = normalize_key(query)
    if not key:
        return []
    languages = [language] if language else list(languages)
    # Every index on entries and terms leads with the language, so name them all when none is chosen.
    scope = _Scope(language_ids=[language.pk for language in languages], dictionary=dictionary, user=user)
    best: dict[int, tuple] = {}

    def offer(entry_id, match, *score):
        candidate = (MATCH_KINDS.index(match), *score)
        if entry_id not in best or candidate < best[entry_id][0]:
            best[entry_id] = (candidate, match)

    for pk, headword, rank in scope.entries("e.id, e.headword, e.frequency_rank", "e.search_key = %s", [key]):
        offer(pk, "exact", headword != query, headword.casefold() != query.casefold(), rank or _UNRANKED)
    bare_kinds = [SearchTerm.Kind.ARABIC_BARE, SearchTerm.Kind.READING, SearchTerm.Kind.PHRASE_WORD]
    for pk, kind, term_rank, rank in scope.terms(
        "t.entry_id, t.kind, t.rank, e.frequency_rank", bare_kinds, "t.key = %s", [key], limit=3 * MATCH_LIMIT
    ):
        if kind == SearchTerm.Kind.PHRASE_WORD:
            offer(pk, "phrase", term_rank)
        else:
            offer(pk, "exact", True, True, rank or _UNRANKED)
    lemmas = _lemmas(query, languages)
    if lemmas:
        wanted = " OR ".join(["(e.language_id = %s AND e.search_key = %s)"] * len(lemmas))
        params = [value for pair in lemmas.items() for value in pair]
        for pk, rank in scope.entries("e.id, e.frequency_rank", f"({wanted})", params):
            offer(pk, "lemma", rank or _UNRANKED)
    reverse_key = REVERSE_PARTICLES.sub("", key)
    for pk, term_rank, rank in scope.terms(
        "t.entry_id, t.rank, e.frequency_rank", [SearchTerm.Kind.GLOSS], "t.key = %s", [reverse_key], order="t.rank"
    ):
        offer(pk, "reverse", term_rank, rank or _UNRANKED)
    for pk, rank in _prefix_matches(scope, key):
        offer(pk, "prefix", rank or _UNRANKED)
    if not best and len(key) >= 3:
        edits = sorted(_edits(key, _alphabet(key, languages)))
        placeholders = ", ".join(["%s"] * len(edits))
        for pk, rank in scope.entries("e.id, e.frequency_rank", f"e.search_key IN ({placeholders})", edits):
            offer(pk, "fuzzy", 0, rank or _UNRANKED)
        for pk, term_rank, rank in scope.terms(
            "t.entry_id, t.rank, e.frequency_rank",
            [SearchTerm.Kind.GLOSS],
            f"t.key IN ({placeholders}) AND t.rank <= 1",
            edits,
        ):
            offer(pk, "fuzzy", 1 + term_rank, rank or _UNRANKED)
    ranked = sorted(best.items(), key=lambda item: item[1][0])
    # Among equal matches, direct reverse translations (rank 0–1) outrank completions.
    return [(pk, match) for pk, (_, match) in ranked]


def _prefix_matches(scope: _Scope, key: str):
    """Return (id, rank) of entries whose key continues key, most frequent first.

    The covering index hands over the whole prefix range (key, rank, published flag, id) for
    ranking without touching the table.
    """
    return scope.entries(
        "e.id, e.frequency_rank",
        "e.search_key > %s AND e.search_key < %s",
        [key, key + _LAST_CODE_POINT],
        order="e.frequency_rank IS NULL, e.frequency_rank, e.search_key, e.id",
    )


REVERSE_PARTICLES = re.compile(r"^(?:to|a|an|the) ")


RESULT_FIELDS = ["id", "language_id", "dictionary_id", "headword", "part_of_speech", "pronunciation", "is_published"]


def entries_in_order(ids: list[int]) -> list[Entry]:
    """Return the entries with these ids, in this order, loaded for a results page.

    Languages and dictionaries come from the cached catalogue rather than a join, and only the
    fields a result shows are read: two light queries whatever the dictionaries hold.
    """
    loaded = (
        Entry.objects.filter(pk__in=ids)
        .only(*RESULT_FIELDS)
        .prefetch_related(Prefetch("senses", queryset=Sense.objects.only("entry_id", "gloss").order_by("position")))
    )
    by_id = {entry.pk: entry for entry in loaded}
    dictionaries = {dictionary.pk: dictionary for dictionary in _dictionary_catalogue()[1]}
    ordered = []
    for pk in ids:
        entry = by_id.get(pk)
        if entry is None:
            continue
        dictionary = dictionaries.get(entry.dictionary_id)
        if dictionary is not None:  # a dictionary imported since the catalogue was cached loads lazily
            entry.dictionary = dictionary
            if dictionary.source_language_id == entry.language_id:
                entry.language = dictionary.source_language
        ordered.append(entry)
    return ordered


def completions(*, query: str, language, user, limit: int) -> list[str]:
    """Return up to limit headwords that start with query, most frequent first."""
    key = normalize_key(query)
    if not key:
        return []
    languages = [language] if language is not None else languages_with_entries()
    scope = _Scope(language_ids=[language.pk for language in languages], dictionary=None, user=user)
    rows = scope.entries(
        "e.headword",
        "e.search_key >= %s AND e.search_key < %s",
        [key, key + _LAST_CODE_POINT],
        order="e.frequency_rank IS NULL, e.frequency_rank, e.search_key",
        limit=limit * 3,
    )
    return list(dict.fromkeys(headword for (headword,) in rows))[:limit]
