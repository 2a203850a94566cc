import pytest

from lookup.normalization import fold_unicode, initial_of, normalize_key, strip_control_characters


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Tête", "tete"),
        ("TETE", "tete"),
        ("être", "etre"),
        ("año", "ano"),
        ("Mäuse", "mause"),
        ("Straße", "strasse"),
        ("Ça va", "ca va"),
        ("l'homme", "lhomme"),
        ("  many   spaces ", "many spaces"),
    ],
)
def test_latin_case_and_accents_fold(typed, key):
    assert normalize_key(typed) == key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("كِتَاب", "كتاب"),  # harakat
        ("مُدَرِّس", "مدرس"),  # shadda
        ("كتـــاب", "كتاب"),  # tatweel
        ("أب", "اب"),  # alef with hamza above
        ("إسم", "اسم"),  # alef with hamza below
        ("آمن", "امن"),  # alef with madda
        ("ٱلله", "الله"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maksura
        ("ﻻ", "لا"),  # lam-alef presentation form
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("مسؤول", "مسءول"),  # hamza on waw
        ("مسئول", "مسءول"),  # the same word with hamza on yeh
    ],
)
def test_arabic_diacritics_tatweel_and_alef_forms_fold(typed, key):
    assert normalize_key(typed) == key


def test_arabic_typed_without_marks_meets_the_dictionary_form():
    assert normalize_key("كتاب") == normalize_key("كِتَاب")
    assert normalize_key("اسم") == normalize_key("إِسْم")


def test_japanese_voicing_marks_are_kept():
    assert normalize_key("が") != normalize_key("か")


def test_control_characters_are_dropped():
    assert normalize_key("ma\x00is\x1fon\x7f") == "ma is on"
    assert strip_control_characters("a\tb\n\x00c") == "a b c"


def test_bidi_overrides_and_isolates_are_dropped_but_direction_marks_stay():
    assert strip_control_characters("ab\u202ecd\u202c \u2067ef\u2069") == "abcd ef"
    assert strip_control_characters("\u200fكتاب") == "\u200fكتاب"
    assert normalize_key("ma\u202eison") == "maison"


def test_only_punctuation_folds_to_nothing():
    assert normalize_key("'-.") == ""


def test_initial_is_first_letter_of_key():
    assert initial_of(normalize_key("Éléphant")) == "e"
    assert initial_of(normalize_key("أَب")) == "ا"
    assert initial_of("") == ""


def test_hebrew_niqqud_folds_but_maqaf_stays_a_separator():
    assert normalize_key("שָׁלוֹם") == normalize_key("שלום")
    assert normalize_key("בֵּית־סֵפֶר") == "בית־ספר"


def test_the_ascii_shortcut_folds_exactly_as_the_general_path():
    samples = [chr(code) for code in range(32, 127)] + [
        "Hello, World!",
        "  to  run-down's  ",
        'e.g. "quoted" text',
        "ABC\x7fdef",
        "tab\there",
        "",
        "...",
    ]
    for sample in samples:
        assert normalize_key(sample) == fold_unicode(sample), repr(sample)
