"""Fold what a learner types and what a dictionary prints into one comparable search key."""

import re
import unicodedata

# Combining marks that are optional when typing: Latin/Greek/Cyrillic accents, Hebrew niqqud
# and cantillation, and Arabic harakat, shadda, sukun, superscript alef, Quranic marks and
# hamza above/below.
# Marks that change a letter's identity in other scripts (Japanese dakuten) are kept.
_OPTIONAL_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
_ARABIC_LETTER_FOLDS = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0672": "\u0627",
        "\u0673": "\u0627",
        "\u0675": "\u0627",
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh: learners often type one for the other
        "\u06cc": "\u064a",  # Farsi yeh -> yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u200e": None,  # direction marks
        "\u200f": None,
    }
)
# Hamza on a waw or yeh carrier is written either way (مسؤول, مسئول): fold both to a bare hamza
# before decomposition would leave the carriers behind as different letters.
_HAMZA_CARRIERS = str.maketrans({"\u0624": "\u0621", "\u0626": "\u0621"})
_LATIN_LETTER_FOLDS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe"})
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates: no word needs them, and one left open in a query or
# a list name reorders the text shown after it ("Trojan Source"). The marks (LRM, RLM) stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
# Punctuation that learners leave out: apostrophes, hyphens, dots, quotes.
_IGNORED_PUNCTUATION = re.compile(r"[\u0027\u2019\u02bc\u00b4`\-\u2010\u2011\u00b7.\"“”«»]")


def strip_control_characters(text: str) -> str:
    """Return text without C0/C1 control characters or bidi controls, with runs of white space made single."""
    return _SPACES.sub(" ", _NOT_TEXT.sub(" ", _BIDI_CONTROLS.sub("", text))).strip()


def normalize_key(text: str) -> str:
    """Return the search key of text: case, accents, diacritics and letter variants folded."""
    if text.isascii() and text.isprintable():
        # The common case, several times per imported entry: nothing to decompose or fold
        # but case and punctuation. The only white space printable ASCII has is the space, which
        # split() and join() make single in a quarter of the time a regular expression takes.
        return " ".join(_IGNORED_PUNCTUATION.sub("", text.lower()).split())
    return fold_unicode(text)


def fold_unicode(text: str) -> str:
    """Return the search key of any text (normalize_key's general path)."""
    text = unicodedata.normalize("NFKC", strip_control_characters(text)).casefold()
    text = unicodedata.normalize("NFD", text.translate(_HAMZA_CARRIERS))
    text = _OPTIONAL_MARKS.sub("", text)
    text = text.translate(_ARABIC_LETTER_FOLDS).translate(_LATIN_LETTER_FOLDS)
    text = _IGNORED_PUNCTUATION.sub("", text)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def initial_of(key: str) -> str:
    """Return the browse letter of a search key ("" for an empty key)."""
    return key[:1]
