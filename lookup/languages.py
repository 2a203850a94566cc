"""ISO 639 codes: the names Langtool knows, and FreeDict's three-letter codes."""

# Names of the languages imports may name, by ISO 639-1 code, and whether they run right to left.
KNOWN_LANGUAGES = {
    "ar": ("Arabic", True),
    "de": ("German", False),
    "en": ("English", False),
    "es": ("Spanish", False),
    "fa": ("Persian", True),
    "fr": ("French", False),
    "he": ("Hebrew", True),
    "it": ("Italian", False),
    "ja": ("Japanese", False),
    "nl": ("Dutch", False),
    "pt": ("Portuguese", False),
    "ru": ("Russian", False),
    "ur": ("Urdu", True),
}
# FreeDict names dictionaries with ISO 639-3 codes (freedict-deu-eng).
ISO_639_3 = {
    "ara": "ar",
    "deu": "de",
    "eng": "en",
    "spa": "es",
    "fas": "fa",
    "fra": "fr",
    "heb": "he",
    "ita": "it",
    "jpn": "ja",
    "nld": "nl",
    "por": "pt",
    "rus": "ru",
    "urd": "ur",
}


def two_letter_code(code: str) -> str:
    """Return the ISO 639-1 code for a 639-1 or 639-3 code (unknown codes come back lower-cased)."""
    code = code.lower()
    return ISO_639_3.get(code, code)
