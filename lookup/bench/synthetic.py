"""Synthetic bilingual dictionaries for benchmarks: realistic shapes, any size, same for a seed.

Each language mixes its real frequent words (from wordfreq, so frequency ranks, lemmas and
Zipf-distributed queries behave as they would with a real dictionary) with made-up words built
from the language's syllables, accents and script. Entries have one to four senses glossed
with real English words, a fifth of them an example. Files come out in dictd (FreeDict's
layout) or JSON Lines, the two formats the benchmark imports.
"""

import json
import random
from collections.abc import Iterator
from pathlib import Path

import wordfreq

# Syllables per language: onset and vowel lists, so that made-up words look and sort like words.
SYLLABLES = {
    "de": (
        ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st", "br", "kr", "pf"],
        ["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie", "er", "en"],
    ),
    "fr": (
        ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "qu", "tr", "gr", "pl"],
        ["a", "e", "i", "o", "u", "é", "è", "ê", "ou", "ai", "eau", "on", "an", "in"],
    ),
    "es": (
        ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ll", "ch", "ñ", "tr", "pr"],
        ["a", "e", "i", "o", "u", "á", "é", "í", "ó", "ue", "ia", "io"],
    ),
    "ar": (
        list("بتثجحخدذرزسشصضطظعغفقكلمنهوي"),
        ["َ", "ِ", "ُ", "ا", "ي", "و", "", "ّ"],
    ),
}
LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "ar": "Arabic"}
PARTS_OF_SPEECH = [("noun", 45), ("verb", 25), ("adjective", 20), ("adverb", 10)]
GENDERS = {"de": ["masc", "fem", "neut"], "fr": ["masc", "fem"], "es": ["masc", "fem"], "ar": ["masc", "fem"]}
REAL_WORDS = 30_000  # real frequent words per language, the rest made up
ENGLISH_WORDS = 20_000
# Inflected forms a learner types, whose lemmas are among the real words (lemma queries).
LEMMA_QUERIES = {
    "de": ["Häuser", "Kinder", "Bücher", "Frauen", "Städte", "ging", "sprach", "Männer", "Länder", "Tagen"],
    "fr": ["maisons", "enfants", "allons", "chantons", "femmes", "livres", "grandes", "villes", "pays", "mangeons"],
    "es": ["casas", "perros", "hablamos", "libros", "ciudades", "mujeres", "niños", "comemos", "grandes", "vivimos"],
}


def _zipf_choice(rng: random.Random, items: list, exponent: float = 1.0):
    """Pick from items with weight 1/rank**exponent, as word use is distributed."""
    # Inverse transform of a continuous Zipf (exponent 1: log-uniform) over ranks 1..n.
    n = len(items)
    index = int(n ** rng.random()) - 1 if exponent == 1.0 else int(rng.paretovariate(exponent)) - 1
    return items[min(max(index, 0), n - 1)]


def english_words() -> list[str]:
    """Return frequent English content words for glosses (the hundred commonest are function words)."""
    return [word for word in wordfreq.top_n_list("en", ENGLISH_WORDS)[100:] if len(word) > 2 and word.isalpha()]


def real_words(language: str) -> list[str]:
    """Return a language's frequent words, most frequent first, that can stand as headwords."""
    words = [word for word in wordfreq.top_n_list(language, REAL_WORDS * 2) if len(word) > 1 and word.isalpha()]
    return words[:REAL_WORDS]


def _made_up_word(rng: random.Random, language: str) -> str:
    onsets, vowels = SYLLABLES[language]
    syllables = rng.choices([1, 2, 3, 4, 5], weights=[5, 30, 35, 20, 10])[0]
    word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
    if language == "ar" and rng.random() < 0.2:
        word = "ال" + word
    if language == "de" and rng.random() < 0.3:
        word = word.capitalize()
    return word


def _gloss(rng: random.Random, english: list[str]) -> str:
    items = []
    for _ in range(rng.choices([1, 2, 3], weights=[50, 35, 15])[0]):
        words = [_zipf_choice(rng, english) for _ in range(rng.choices([1, 2, 3], weights=[70, 22, 8])[0])]
        prefix = "to " if rng.random() < 0.15 else ""
        items.append(prefix + " ".join(words))
    return ", ".join(items)


def records(language: str, count: int, seed: int) -> Iterator[dict]:
    """Yield count entry records for language, the same for the same seed."""
    rng = random.Random(f"{seed}:{language}")
    english = english_words()
    real = real_words(language) if language in LEMMA_QUERIES or language == "ar" else []
    lemmas = {word for word in real[:2000]}
    seen = set()
    for number in range(count):
        if number < len(real) and number < count // 3:
            headword = real[number]
        else:
            headword = _made_up_word(rng, language)
            while headword in seen or headword in lemmas:
                headword += rng.choice(SYLLABLES[language][1])
        seen.add(headword)
        pos = rng.choices([p for p, _ in PARTS_OF_SPEECH], weights=[w for _, w in PARTS_OF_SPEECH])[0]
        grammar = rng.choice(GENDERS[language]) if pos == "noun" else ""
        senses = []
        for _ in range(rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]):
            senses.append({"gloss": _gloss(rng, english), "examples": []})
        if rng.random() < 0.2:
            text = f"{headword} {_made_up_word(rng, language)} {headword}"
            senses[0]["examples"].append({"text": text, "translation": _gloss(rng, english)})
        yield {
            "headword": headword,
            "part_of_speech": pos,
            "grammar": grammar,
            "pronunciation": headword.lower().replace("sch", "ʃ").replace("ch", "ʃ"),
            "senses": senses,
        }


def write_jsonl(path: Path, entries) -> int:
    """Write records as JSON Lines; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in entries:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 64)
        digits = _B64[digit] + digits
        if not number:
            return digits


def _dictd_body(record: dict) -> str:
    grammar = ", ".join(part for part in (record["part_of_speech"], record["grammar"]) if part)
    lines = [f"{record['headword']} /{record['pronunciation']}/" + (f" <{grammar}>" if grammar else "")]
    numbered = len(record["senses"]) > 1
    for number, sense in enumerate(record["senses"], start=1):
        lines.append(f"{number}. {sense['gloss']}" if numbered else sense["gloss"])
        lines.extend(f'"{example["text"]}" - {example["translation"]}' for example in sense["examples"])
    return "\n".join(lines) + "\n"


def write_dictd(base: Path, entries, *, name: str) -> int:
    """Write records as a dictd dictionary (base.index and base.dict), as FreeDict lays one out."""
    index, offset, count = [], 0, 0
    with base.with_name(base.name + ".dict").open("wb") as data:
        for key, text in [("00-database-short", f"{name} ver. 1.0"), ("00-database-url", "https://example.org/")]:
            body = f"{text}\n".encode()
            index.append((key, offset, len(body)))
            data.write(body)
            offset += len(body)
        for record in entries:
            body = _dictd_body(record).encode()
            index.append((record["headword"].lower(), offset, len(body)))
            data.write(body)
            offset += len(body)
            count += 1
    index.sort()
    with base.with_name(base.name + ".index").open("w", encoding="utf-8") as out:
        out.writelines(f"{key}\t{_b64(start)}\t{_b64(length)}\n" for key, start, length in index)
    return count
