"""Extra search keys of an entry: the words of a phrase, an Arabic noun without its article,
and what its glosses translate it as (for reverse lookup), each with a rank where lower means
a more direct match.

Only whole gloss items ("computer mouse") become keys; a word inside one ("mouse") is found
through the full-text index over glosses (migration 0014), which costs an import a tenth of
what a key per word did.
"""

import functools
import re

from lookup.normalization import normalize_key

PHRASE_WORD = "word"
ARABIC_BARE = "article"
READING = "reading"
GLOSS = "gloss"

MAX_KEY = 100
_ITEM_SEPARATORS = re.compile(r"[,;]")
_LABELS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_PARTICLES = ("to ", "a ", "an ", "the ")  # also tested for with startswith, before the pattern runs
LEADING_PARTICLES = re.compile("^(?:" + "|".join(_PARTICLES) + ")")
# Words too common in English glosses to find anything by.
STOP_WORDS = frozenset(
    "a an the to of in on at for by with and or as be is sth sb sth. sb. something someone one's oneself".split()
)
MAX_ITEMS_PER_SENSE = 8


def phrase_terms(search_key: str) -> list[tuple[str, str, int]]:
    """Return the words of a multi-word headword, ranked by position."""
    words = search_key.split(" ")
    if len(words) < 2:
        return []
    return [(PHRASE_WORD, word[:MAX_KEY], rank) for rank, word in enumerate(words) if len(word) > 1]


def arabic_terms(search_key: str, language_code: str) -> list[tuple[str, str, int]]:
    """Return an Arabic headword without the article ال, so a learner need not type it."""
    if language_code == "ar" and search_key.startswith("ال") and len(search_key) > 3:
        return [(ARABIC_BARE, search_key[2:][:MAX_KEY], 0)]
    return []


def reading_terms(pronunciation: str, language_code: str) -> list[tuple[str, str, int]]:
    """Return the kana readings of a Japanese headword, which learners type as often as kanji."""
    if language_code != "ja" or not pronunciation:
        return []
    readings = {normalize_key(reading)[:MAX_KEY] for reading in pronunciation.split(",")}
    return [(READING, reading, 0) for reading in sorted(readings) if reading and "/" not in reading]


@functools.lru_cache(maxsize=65_536)
def _gloss_keys(gloss: str) -> tuple[tuple[str, bool], ...]:
    """Return the (key, is a later item) of each item of one gloss; glosses repeat a lot."""
    keys = []
    if "[" in gloss or "(" in gloss:  # most glosses have no labels: skip the pattern for them
        gloss = _LABELS.sub(" ", gloss)
    items = [item for item in _ITEM_SEPARATORS.split(gloss) if item.strip()]
    for item_index, item in enumerate(items[:MAX_ITEMS_PER_SENSE]):
        key = normalize_key(item)
        if key.startswith(_PARTICLES):
            key = LEADING_PARTICLES.sub("", key)
        key = key[:MAX_KEY]
        if key and key not in STOP_WORDS:
            keys.append((key, item_index > 0))
    return tuple(keys)


def sense_rank(position: int) -> int:
    """Return the rank of a gloss item of the sense at position (1, 2, …): later senses rank lower."""
    return min(max(position, 1) - 1, 3) * 2


# Ranks of a word found inside a gloss (full text) start here, behind every whole item.
WORD_IN_GLOSS_RANK = 10


def gloss_terms(glosses: list[str]) -> list[tuple[str, str, int]]:
    """Return the reverse-lookup keys of an entry's glosses.

    Each comma-separated item of a gloss is a key ("computer mouse"), ranked 0 when it is the
    first item of the first sense and higher the further it stands.
    """
    terms: dict[str, int] = {}
    for position, gloss in enumerate(glosses, start=1):
        first = sense_rank(position)
        for key, later in _gloss_keys(gloss):
            rank = first + later
            known = terms.get(key)
            if known is None or rank < known:
                terms[key] = rank
    return [(GLOSS, key, rank) for key, rank in terms.items()]


def entry_terms(
    *, search_key: str, language_code: str, glosses: list[str], pronunciation: str = ""
) -> list[tuple[str, str, int]]:
    """Return every extra (kind, key, rank) an entry is found by."""
    return (
        phrase_terms(search_key)
        + arabic_terms(search_key, language_code)
        + reading_terms(pronunciation, language_code)
        + gloss_terms(glosses)
    )
