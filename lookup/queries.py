"""Reads that combine several models for one page."""

import time
from datetime import datetime
from typing import NamedTuple

import simplemma
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lookup.fulltext import GLOSS_FTS_TABLE
from lookup.links import entry_link
from lookup.models import Dictionary, Entry, Example, Language, SavedWord, SearchTerm, Sense, WordList
from lookup.normalization import normalize_key
from lookup.terms import LEADING_PARTICLES, STOP_WORDS, WORD_IN_GLOSS_RANK, sense_rank

LANGUAGES_CACHE_KEY = "lookup:languages-with-entries"
CATALOGUE_VERSION_KEY = "lookup:catalogue-version"


def languages_with_entries():
    """Return the languages that have entries, cached because every page's search box shows them."""
    return _dictionary_catalogue()[0]


def dictionaries_of(language) -> list:
    """Return the dictionaries whose headwords are in language (cached with the languages)."""
    return [dictionary for dictionary in _dictionary_catalogue()[1] if dictionary.source_language_id == language.pk]


CATALOGUE_SECONDS = 300
# How long this process trusts what it holds before asking the cache whether dictionaries changed.
CATALOGUE_CHECK_SECONDS = 1.0
# This process's copies: the catalogue version and when it was last asked of the cache; the
# catalogue (version, when read, catalogue); values derived from the dictionaries under that
# version ({key: (value, kept until)}). A page asks for them several times, and each cache read
# (a Redis round trip, an unpickling) cost more than a lookup: a browse page read four.
_version_here: tuple = (None, 0.0)
_catalogue_here: tuple = (None, 0.0, None)
_derived_here: dict = {}


def _dictionary_catalogue():
    global _catalogue_here
    version = catalogue_version()
    seen, read_at, catalogue = _catalogue_here
    now = time.monotonic()
    if catalogue is not None and seen == version and now - read_at < CATALOGUE_SECONDS:
        return catalogue
    catalogue = cache.get(LANGUAGES_CACHE_KEY)
    if catalogue is None:
        dictionaries = Dictionary.objects.select_related("source_language", "target_language").defer("description")
        dictionaries = list(dictionaries.order_by("name"))
        languages = sorted({d.source_language for d in dictionaries}, key=lambda language: language.name)
        catalogue = (languages, dictionaries)
        cache.set(LANGUAGES_CACHE_KEY, catalogue, CATALOGUE_SECONDS)
    _catalogue_here = (version, now, catalogue)
    return catalogue


def forget_languages():
    """Drop the cached languages, dictionaries, letters and counts after dictionaries change.

    Other processes notice within CATALOGUE_CHECK_SECONDS, through the version number.
    """
    global _version_here, _catalogue_here
    _version_here, _catalogue_here = (None, 0.0), (None, 0.0, None)
    _derived_here.clear()
    cache.delete(LANGUAGES_CACHE_KEY)
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value outdates the old keys
        cache.set(CATALOGUE_VERSION_KEY, time.time_ns(), None)


def catalogue_version() -> int:
    """Return the number that cache keys derived from the dictionaries carry.

    Asked of the cache at most once every CATALOGUE_CHECK_SECONDS in a process.
    """
    global _version_here
    version, checked_at = _version_here
    now = time.monotonic()
    if version is not None and now - checked_at < CATALOGUE_CHECK_SECONDS:
        return version
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:  # a fresh or cleared cache: a new number, never one used before
        version = time.time_ns()
        cache.add(CATALOGUE_VERSION_KEY, version, None)
    if version != _version_here[0]:
        _derived_here.clear()
    _version_here = (version, now)
    return version


def _derived(key: str, compute, seconds: int):
    """Return the value of key under the current catalogue version, computing it once for every process.

    Kept in this process as well as in the cache, each for seconds at most.
    """
    key = f"{key}:{catalogue_version()}"
    now = time.monotonic()
    value, kept_until = _derived_here.get(key, (None, 0.0))
    if value is not None and now < kept_until:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    _derived_here[key] = (value, now + seconds)
    return value


def browse_entries(*, language: Language, letter: str, user) -> "LetterEntries":
    """Return the entries of language whose search key starts with letter, alphabetically, for Paginator."""
    return LetterEntries(language=language, letter=letter, user=user)


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


# SQL over the saved word (w) and its entry (e); the ORM's Coalesce(entry's key, Lower(headword)).
SAVED_WORD_ORDERINGS = {
    "added": "w.added_at DESC, w.id DESC",
    "alpha": "COALESCE(e.search_key, LOWER(w.headword)), w.id",
}


def saved_words_in(word_list: WordList, *, sort: str) -> "ListWords":
    """Return the words of word_list (from owned_list) with their entries and first glosses, sorted, for Paginator."""
    return ListWords(word_list, order=SAVED_WORD_ORDERINGS[sort])


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
# Words inside glosses rank behind every whole translation, so a page's worth is plenty; each
# candidate sense costs a heap read and an entry probe.
GLOSS_WORD_CANDIDATES = 400
GLOSS_WORD_LIMIT = 50
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
    return _derived(f"lookup:letters:{language.pk}", lambda: _first_letters(language.pk), 3600)


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
    sense_table = Sense._meta.db_table

    def __init__(self, *, language_ids, dictionary, user):
        self.language_ids = language_ids
        self.conditions, self.params = [f"e.language_id IN ({', '.join(['%s'] * len(language_ids))})"], language_ids
        if not user.is_staff:
            self.conditions.append("e.is_published = %s")
            self.params = [*self.params, True]
        if dictionary is not None:
            self.conditions.append("e.dictionary_id = %s")
            self.params = [*self.params, dictionary.pk]

    def entries_sql(self, columns, where, params, order="", limit=MATCH_LIMIT):
        """Return (sql, params) selecting entries matching where, within the scope."""
        sql = (
            f"SELECT {columns} FROM {self.entry_table} e WHERE {' AND '.join(self.conditions)} AND {where}"
            f"{' ORDER BY ' + order if order else ''} LIMIT {int(limit)}"
        )
        return sql, [*self.params, *params]

    def terms_sql(self, columns, kinds, where, params, order="", limit=MATCH_LIMIT):
        """Return (sql, params) selecting search terms of these kinds matching where, with their entries."""
        language_ids = self.language_ids
        sql = (
            f"SELECT {columns} FROM {self.term_table} t JOIN {self.entry_table} e ON e.id = t.entry_id "
            f"WHERE t.kind IN ({', '.join(['%s'] * len(kinds))}) "
            f"AND t.language_id IN ({', '.join(['%s'] * len(language_ids))}) AND {where} "
            f"AND {' AND '.join(self.conditions)}{' ORDER BY ' + order if order else ''} LIMIT {int(limit)}"
        )
        return sql, [*kinds, *language_ids, *params, *self.params]

    def gloss_words_sql(self, columns, words):
        """Return (sql, params) selecting senses whose gloss holds words (in this order), with their entries.

        From the full-text index over glosses (migration 0014). A common word is in hundreds of
        thousands of glosses and the index cannot rank them, so only the first GLOSS_WORD_CANDIDATES
        are considered: the ranked direct translations come from search terms.
        """
        if connection.vendor == "postgresql":
            candidates = (
                f"SELECT id, entry_id, position FROM {self.sense_table} "
                "WHERE to_tsvector('simple'::regconfig, gloss) @@ phraseto_tsquery('simple'::regconfig, %s) "
                f"LIMIT {GLOSS_WORD_CANDIDATES}"
            )
            phrase = words
        elif connection.vendor == "sqlite":
            candidates = (
                f"SELECT s.id, s.entry_id, s.position FROM (SELECT rowid FROM {GLOSS_FTS_TABLE} "
                f"WHERE {GLOSS_FTS_TABLE} MATCH %s LIMIT {GLOSS_WORD_CANDIDATES}) f "
                f"JOIN {self.sense_table} s ON s.id = f.rowid"
            )
            phrase = '"' + words.replace('"', '""') + '"'  # an FTS5 phrase, whatever it holds
        else:  # no full text: a sense whose gloss is exactly the word
            candidates = f"SELECT id, entry_id, position FROM {self.sense_table} WHERE gloss = %s"
            phrase = words
        sql = (
            f"SELECT {columns} FROM ({candidates}) s JOIN {self.entry_table} e ON e.id = s.entry_id "
            f"WHERE {' AND '.join(self.conditions)} LIMIT {GLOSS_WORD_LIMIT}"
        )
        return sql, [phrase, *self.params]

    def entries(self, *args, **kwargs):
        """Return rows of entries matching where, within the scope."""
        return _rows(*self.entries_sql(*args, **kwargs))

    def terms(self, *args, **kwargs):
        """Return rows of search terms of these kinds matching where, joined to their entries."""
        return _rows(*self.terms_sql(*args, **kwargs))


def _rows(sql, params, *, generic_plan=False):
    """Return the rows of one statement; with generic_plan, see _uses_generic_plans."""
    with connection.cursor() as cursor:
        if generic_plan and _uses_generic_plans():
            # One round trip: the setting, the statement and the reset go to the server together.
            # Should the statement fail, the implicit transaction (or the caller's) that rolls it
            # back also takes back the setting. Its error comes when the pipeline ends, outside
            # the cursor: wrapped here as Django wraps the cursor's.
            server = connection.connection
            with connection.wrap_database_errors, server.pipeline():
                server.execute("SET plan_cache_mode = force_generic_plan")
                cursor.execute(sql, params)
                server.execute("RESET plan_cache_mode")
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


def _uses_generic_plans() -> bool:
    """Return whether lookups ask PostgreSQL for generic plans of their prepared statements.

    psycopg prepares a statement once it has run a few times on a connection, but PostgreSQL
    went on planning each lookup anew (its default plan_cache_mode keeps custom plans while the
    generic plan's estimate is higher). At 1M entries the generic plans, made once, were as good
    or better for every lookup: exact matches 1.30 → 1.03 ms, lemmas 0.86 → 0.42, reverse p95
    7.7 → 3.5 (README, "Performance"). Only for these statements, set around each: on the whole
    connection one-off statements would get generic plans too, where a rare value (a small
    dictionary among big ones) needs its own. Without prepared statements (behind PgBouncer) a
    generic plan would be made anew each time, so there is nothing to gain.
    """
    if connection.vendor != "postgresql":
        return False
    options = connection.settings_dict["OPTIONS"]
    return bool(options.get("server_side_binding")) and options.get("prepare_threshold") is not None


def _union_rows(statements):
    """Run several (sql, params) whose rows have the same shape as one statement: one round trip."""
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({statement}) AS probe{number}" for number, (statement, _) in enumerate(statements)
    )
    return _rows(sql, [param for _, params in statements for param in params], generic_plan=True)


# Each probe's rows: entry id, what matched, headword (exact probe only), term rank, frequency rank.
_NO_TEXT, _NO_RANK = "CAST(NULL AS VARCHAR(255))", "CAST(NULL AS INTEGER)"


def lookup_entries(*, query: str, language=None, dictionary=None, user, languages=()) -> list[tuple[int, str]]:
    """Return [(entry id, match kind)] for query, best first (see MATCH_KINDS).

    Exact matches on the folded key come first (the exact spelling first), then the lemma of an
    inflected form, phrases holding the word, headwords whose glosses translate the word, and
    completions of the prefix, most frequent first. Typo repair runs only when nothing matched:
    keys one edit away, then (PostgreSQL) keys similar by trigrams. Every step is an index probe
    or a bounded index range (README, "Performance"), and all but the words inside glosses
    (full text) and typo repair go to the database together, as one statement.
    """
    key = normalize_key(query)
    if not key:
        return []
    reverse_key = LEADING_PARTICLES.sub("", key)
    languages = [language] if language else list(languages)
    if not languages:  # no dictionary has entries yet (and PostgreSQL refuses an empty IN ())
        return []
    # Every index on entries and terms leads with the language, so name them all when none is chosen.
    scope = _Scope(language_ids=[language.pk for language in languages], dictionary=dictionary, user=user)
    best: dict[int, tuple] = {}

    def offer(entry_id, match, *score):
        candidate = (MATCH_KINDS.index(match), *score)
        if entry_id not in best or candidate < best[entry_id][0]:
            best[entry_id] = (candidate, match)

    probes = [
        scope.entries_sql(f"e.id, 'exact', e.headword, {_NO_RANK}, e.frequency_rank", "e.search_key = %s", [key]),
        scope.terms_sql(
            f"t.entry_id, t.kind, {_NO_TEXT}, t.rank, e.frequency_rank",
            [SearchTerm.Kind.ARABIC_BARE, SearchTerm.Kind.READING, SearchTerm.Kind.PHRASE_WORD],
            "t.key = %s",
            [key],
            limit=3 * MATCH_LIMIT,
        ),
        scope.terms_sql(
            f"t.entry_id, 'reverse', {_NO_TEXT}, t.rank, e.frequency_rank",
            [SearchTerm.Kind.GLOSS],
            "t.key = %s",
            [reverse_key],
            order="t.rank",
        ),
        *_prefix_sql(scope, key, f"e.id, 'prefix', {_NO_TEXT}, {_NO_RANK}, e.frequency_rank"),
    ]
    lemmas = _lemmas(query, languages)
    if lemmas:
        wanted = " OR ".join(["(e.language_id = %s AND e.search_key = %s)"] * len(lemmas))
        params = [value for pair in lemmas.items() for value in pair]
        probes.append(
            scope.entries_sql(f"e.id, 'lemma', {_NO_TEXT}, {_NO_RANK}, e.frequency_rank", f"({wanted})", params)
        )
    translations = 0
    for pk, match, headword, term_rank, rank in _union_rows(probes):
        rank = rank or _UNRANKED
        if match == "exact":
            offer(pk, "exact", headword != query, headword.casefold() != query.casefold(), rank)
        elif match == SearchTerm.Kind.PHRASE_WORD:
            offer(pk, "phrase", term_rank)
        elif match in (SearchTerm.Kind.ARABIC_BARE, SearchTerm.Kind.READING):
            offer(pk, "exact", True, True, rank)
        elif match == "reverse":
            offer(pk, "reverse", term_rank, rank)
            translations += 1
        else:  # lemma, prefix
            offer(pk, match, rank)
    # Words inside glosses rank behind whole translations: look for them only when those are few
    # and the query is no headword. A common word would cost the most and add the least.
    is_headword = any(match == "exact" for _, match in best.values())
    if translations < GLOSS_WORD_LIMIT and not is_headword and reverse_key not in STOP_WORDS:
        for pk, position, rank in _rows(
            *scope.gloss_words_sql("s.entry_id, s.position, e.frequency_rank", reverse_key), generic_plan=True
        ):
            offer(pk, "reverse", WORD_IN_GLOSS_RANK + sense_rank(position), rank or _UNRANKED)
    if not best and len(key) >= 3:
        edits = sorted(_edits(key, _alphabet(key, languages)))
        if connection.vendor == "postgresql":
            # One array parameter, joined as a set: a list of a thousand literals took PostgreSQL
            # 4 ms to plan (an estimate per element), as long as the probes themselves.
            any_edit, edits = "IN (SELECT unnest(%s::varchar[]))", [edits]
        else:
            any_edit = f"IN ({', '.join(['%s'] * len(edits))})"
        one_edit = [
            scope.entries_sql(f"e.id, {_NO_RANK}, e.frequency_rank", f"e.search_key {any_edit}", edits),
            scope.terms_sql(
                "t.entry_id, t.rank, e.frequency_rank",
                [SearchTerm.Kind.GLOSS],
                f"t.key {any_edit} AND t.rank <= 1",
                edits,
            ),
        ]
        for pk, term_rank, rank in _union_rows(one_edit):
            offer(pk, "fuzzy", 0 if term_rank is None else 1 + term_rank, rank or _UNRANKED)
        if not best and connection.vendor == "postgresql":
            # Further off than one edit: trigram similarity, from the index of migration 0015.
            similar = scope.entries("e.id", "e.search_key %% %s", [key, key], order="similarity(e.search_key, %s) DESC")
            for position, (pk,) in enumerate(similar):
                offer(pk, "fuzzy", 3, position)
    ranked = sorted(best.items(), key=lambda item: item[1][0])
    # Among equal matches, direct reverse translations (rank 0–1) outrank completions.
    return [(pk, match) for pk, (_, match) in ranked]


def _prefix_sql(scope: _Scope, key: str, columns: str, limit: int = MATCH_LIMIT, first: str = ">"):
    """Return the (sql, params) of two probes for entries whose key continues key.

    Ranked words come from a partial index of ranked entries, most frequent first; unranked
    ones follow from the main key index in key order. Both are short index ranges, however many
    words a short prefix has.
    """
    where = f"e.search_key {first} %s AND e.search_key < %s AND e.frequency_rank IS "
    params = [key, key + _LAST_CODE_POINT]
    return [
        scope.entries_sql(
            columns, where + "NOT NULL", params, order="e.frequency_rank, e.search_key, e.id", limit=limit
        ),
        # In the key index's own order (its rank is NULL throughout), so the probe stops at limit.
        scope.entries_sql(
            columns, where + "NULL", params, order="e.search_key, e.frequency_rank, e.is_published, e.id", limit=limit
        ),
    ]


RESULT_FIELDS = ["id", "dictionary_id", "language_id", "headword", "part_of_speech", "pronunciation", "is_published"]
_RESULT_COLUMNS = [field.column for field in Entry._meta.concrete_fields if field.attname in RESULT_FIELDS]
_RESULT_NAMES = [field.attname for field in Entry._meta.concrete_fields if field.attname in RESULT_FIELDS]


class Result(NamedTuple):
    """An entry as a results page and the API show it (entries_in_order)."""

    pk: int
    headword: str
    part_of_speech: str
    pronunciation: str
    is_published: bool
    language: Language
    dictionary: Dictionary
    glosses: list[str]

    def get_absolute_url(self) -> str:
        return entry_link(self.pk, self.headword)


def entries_in_order(ids: list[int]) -> list[Result]:
    """Return the entries with these ids, in this order, as a results page shows them.

    One query reads the fields a result shows and its glosses in order; languages and
    dictionaries come from the cached catalogue (one more query only for a dictionary imported
    since it was cached). Plain tuples, not entries: building an Entry for each of 20 results
    cost more than the query itself, and the ORM's own prefetch of senses three times the whole
    lookup.
    """
    if not ids:
        return []
    columns = ", ".join(f"e.{connection.ops.quote_name(column)}" for column in _RESULT_COLUMNS)
    if connection.vendor == "postgresql":
        # One array parameter: the same statement for any number of ids, so psycopg prepares it
        # once. A list of placeholders made a statement per length, each planned anew: reading a
        # page of results at 1M entries took 0.52–0.59 → 0.42–0.45 ms median, 0.95–1.13 → 0.55–0.67 p95.
        wanted, params = "= ANY(%s)", [list(ids)]
    else:
        wanted, params = f"IN ({', '.join(['%s'] * len(ids))})", list(ids)
    rows = _rows(
        f"SELECT {columns}, s.gloss FROM {Entry._meta.db_table} e "
        f"LEFT JOIN {Sense._meta.db_table} s ON s.entry_id = e.id "
        f"WHERE e.id {wanted} ORDER BY e.id, s.position, s.id",
        params,
    )
    fields: dict[int, dict] = {}
    for row in rows:
        entry = fields.get(row[0])
        if entry is None:
            entry = fields[row[0]] = dict(zip(_RESULT_NAMES, row[:-1], strict=True), glosses=[])
        if row[-1] is not None:
            entry["glosses"].append(row[-1])
    dictionaries = {dictionary.pk: dictionary for dictionary in _dictionary_catalogue()[1]}
    missing = {entry["dictionary_id"] for entry in fields.values()} - dictionaries.keys()
    if missing:
        dictionaries |= Dictionary.objects.select_related("source_language").in_bulk(missing)
    # An entry's language is copied from its dictionary: another is read only should they differ.
    languages = {dictionary.source_language_id: dictionary.source_language for dictionary in dictionaries.values()}
    missing = {entry["language_id"] for entry in fields.values()} - languages.keys()
    if missing:
        languages |= Language.objects.in_bulk(missing)
    return [
        Result(
            pk=pk,
            headword=entry["headword"],
            part_of_speech=entry["part_of_speech"],
            pronunciation=entry["pronunciation"],
            is_published=bool(entry["is_published"]),  # SQLite answers 0 or 1
            language=languages[entry["language_id"]],
            dictionary=dictionaries[entry["dictionary_id"]],
            glosses=entry["glosses"],
        )
        for pk in ids
        if (entry := fields.get(pk)) is not None
    ]


def completions(*, query: str, language, user, limit: int) -> list[str]:
    """Return up to limit headwords that start with query, most frequent first."""
    key = normalize_key(query)
    if not key:
        return []
    languages = [language] if language is not None else languages_with_entries()
    if not languages:
        return []
    scope = _Scope(language_ids=[language.pk for language in languages], dictionary=None, user=user)
    rows = _union_rows(_prefix_sql(scope, key, "e.headword, e.frequency_rank", limit=limit * 3, first=">="))
    rows.sort(key=lambda row: (row[1] is None, row[1] or 0))  # stable: unranked stay in key order
    return list(dict.fromkeys(headword for headword, _ in rows))[:limit]


# A letter's count is cached this long (and until dictionaries change): entries added or hidden
# one by one in the admin show in the count after at most this delay.
LETTER_COUNT_SECONDS = 300


def _gloss_sql(entry_id: str, nth: int = 0) -> str:
    """Return a subquery giving the nth gloss (0: the first) of the entry whose id is entry_id."""
    return (
        f"(SELECT s.gloss FROM {Sense._meta.db_table} s WHERE s.entry_id = {entry_id} "
        f"ORDER BY s.position, s.id LIMIT 1{f' OFFSET {int(nth)}' if nth else ''})"
    )


class _PlainRowPages:
    """Rows Paginator pages by slicing: subclasses give count() and rows(limit, offset)."""

    def __getitem__(self, window: slice) -> list:
        offset = window.start or 0
        if window.stop is None or window.stop <= offset:
            return []
        return self.rows(window.stop - offset, offset)


class LetterEntries(_PlainRowPages):
    """The entries of a language under one letter, as Paginator pages them.

    Its count is cached: counting a big letter's range at 1M entries cost more than the rest of
    the page. A page is one query reading plain rows, (id, headword, part of speech, is
    published, [first two glosses]), where model instances and a prefetch of their senses cost
    half the page.
    """

    def __init__(self, *, language: Language, letter: str, user):
        self.language_id, self.letter = language.pk, letter
        self.where = "e.language_id = %s AND e.search_key >= %s AND e.search_key < %s"
        self.params = [language.pk, letter, letter + _LAST_CODE_POINT]
        self.is_staff = user.is_staff
        if not self.is_staff:
            self.where += " AND e.is_published = %s"
            self.params.append(True)

    def count(self) -> int:
        """Return how many entries the letter has, cached."""
        return _derived(
            f"lookup:letter-count:{self.language_id}:{self.letter.encode().hex()}:{int(self.is_staff)}",
            lambda: _rows(f"SELECT COUNT(*) FROM {Entry._meta.db_table} e WHERE {self.where}", self.params)[0][0],
            LETTER_COUNT_SECONDS,
        )

    def rows(self, limit: int, offset: int) -> list[tuple]:
        """Return the page's (id, headword, part of speech, is published, [first two glosses])."""
        order = "search_key, headword, id"
        rows = _rows(
            f"SELECT p.id, p.headword, p.part_of_speech, p.is_published, {_gloss_sql('p.id')}, {_gloss_sql('p.id', 1)} "
            f"FROM (SELECT e.id, e.headword, e.part_of_speech, e.is_published, e.search_key "
            f"FROM {Entry._meta.db_table} e WHERE {self.where} ORDER BY {order} "
            f"LIMIT {int(limit)} OFFSET {int(offset)}) p ORDER BY {order}",
            self.params,
        )
        return [
            (pk, headword, part_of_speech, bool(is_published), [gloss for gloss in glosses if gloss is not None])
            for pk, headword, part_of_speech, is_published, *glosses in rows
        ]


class SavedWordRow(NamedTuple):
    """What a list's table shows of one saved word; the entry's fields are None for a learner's own word."""

    id: int
    headword: str
    gloss: str
    note: str
    context: str
    status: str
    added_at: datetime
    entry_id: int | None
    entry_headword: str | None
    part_of_speech: str | None
    is_published: bool | None
    language_code: str | None
    language_direction: str | None
    first_gloss: str | None


class ListWords(_PlainRowPages):
    """The words of a list as Paginator pages them, a page in one query of plain rows.

    Model instances for the words, their entries and languages, and a prefetch of the entries'
    senses cost as much as the rest of the page.
    """

    def __init__(self, word_list: WordList, *, order: str):
        self.word_list, self.order = word_list, order

    def count(self) -> int:
        """Return how many words the list holds, as owned_list read it with the list."""
        return self.word_list.word_count

    def rows(self, limit: int, offset: int) -> list[SavedWordRow]:
        """Return the page's words."""
        return saved_word_rows(self.word_list, order=self.order, limit=limit, offset=offset)


def saved_word_rows(word_list: WordList, *, ids=None, order="w.id", limit=None, offset=0) -> list[SavedWordRow]:
    """Return rows of the words of word_list (only those with these ids, if given), in this SQL order."""
    where, params = "w.word_list_id = %s", [word_list.pk]
    if ids is not None:
        where += f" AND w.id IN ({', '.join(['%s'] * len(ids))})" if ids else " AND 1 = 0"
        params += list(ids)
    window = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    words, entries = SavedWord._meta.db_table, Entry._meta.db_table
    # The page's words are chosen first, so that only they look their first gloss up: sorted
    # alphabetically, a list's every word was otherwise looked up before the sort.
    rows = _rows(
        "SELECT w.id, w.headword, w.gloss, w.note, w.context, w.status, w.added_at, w.entry_id, e.headword, "
        f"e.part_of_speech, e.is_published, l.code, l.direction, {_gloss_sql('e.id')} "
        f"FROM (SELECT w.id FROM {words} w LEFT JOIN {entries} e ON e.id = w.entry_id "
        f"WHERE {where} ORDER BY {order}{window}) page "
        f"JOIN {words} w ON w.id = page.id LEFT JOIN {entries} e ON e.id = w.entry_id "
        f"LEFT JOIN {Language._meta.db_table} l ON l.id = e.language_id ORDER BY {order}",
        params,
    )
    zone = connection.timezone if settings.USE_TZ else None
    return [
        SavedWordRow(*row[:6], _as_datetime(row[6], zone), *row[7:10], _as_bool(row[10]), *row[11:]) for row in rows
    ]


def _as_bool(value) -> bool | None:
    return None if value is None else bool(value)  # SQLite may answer 0 or 1 through a join


def _as_datetime(value, zone) -> datetime:
    """Return a datetime read by raw SQL as the ORM would: SQLite gives it naive (in zone), or as text."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    if zone is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, zone)
    return value


def _columns(model) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)


def _is_stored_id(model, pk: int) -> bool:
    """Return whether pk fits model's id column: raw() passes a URL's number to the driver as it is."""
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    return (low is None or pk >= low) and (high is None or pk <= high)


def owned_list(pk: int, *, owner) -> WordList | None:
    """Return owner's list with this id, or None: another learner's list is not found either.

    Every list page and form reads it first; raw() with a fixed statement took about a third of
    the time the ORM's get() took to build and run it. Its word_count comes in the same statement,
    which saves the list page a round trip to the database for its paginator's count.
    """
    if not _is_stored_id(WordList, pk):
        return None
    lists, words = WordList._meta.db_table, SavedWord._meta.db_table
    sql = (
        f"SELECT {_columns(WordList)}, (SELECT COUNT(*) FROM {words} w WHERE w.word_list_id = {lists}.id) "
        f"AS word_count FROM {lists} WHERE id = %s AND owner_id = %s"
    )
    return next(iter(WordList.objects.raw(sql, [pk, owner.pk])), None)


def entry_page(pk: int, *, user) -> tuple[Entry, list[Sense], list[Example]] | None:
    """Return what an entry page shows: the entry, its senses, and its examples tied to no sense.

    None when there is no such entry or user may not see it (staff also see unpublished ones).
    Each sense's examples come with it (sense.examples.all() reads nothing). Three fixed
    statements read through raw(), and the entry's dictionary and languages come from the cached
    catalogue: the ORM's select_related and two prefetches built and compiled their statements
    anew for every page, more than half the view's time.
    """
    if not _is_stored_id(Entry, pk):
        return None
    where, params = "id = %s", [pk]
    if not user.is_staff:
        where, params = where + " AND is_published = %s", [pk, True]
    sql = f"SELECT {_columns(Entry)} FROM {Entry._meta.db_table} WHERE {where}"
    entry = next(iter(Entry.objects.raw(sql, params)), None)
    if entry is None:
        return None
    dictionary = next((d for d in _dictionary_catalogue()[1] if d.pk == entry.dictionary_id), None)
    if dictionary is not None:  # one imported since the catalogue was cached loads lazily
        entry.dictionary = dictionary
        if dictionary.source_language_id == entry.language_id:
            entry.language = dictionary.source_language
    order = "WHERE entry_id = %s ORDER BY position, id"
    senses = list(Sense.objects.raw(f"SELECT {_columns(Sense)} FROM {Sense._meta.db_table} {order}", [pk]))
    examples = Example.objects.raw(f"SELECT {_columns(Example)} FROM {Example._meta.db_table} {order}", [pk])
    grouped: dict[int | None, list[Example]] = {}
    for example in examples:
        grouped.setdefault(example.sense_id, []).append(example)
    for sense in senses:
        sense._prefetched_objects_cache = {"examples": grouped.get(sense.pk, [])}
    return entry, senses, grouped.get(None, [])
