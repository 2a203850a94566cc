import gzip
import json
from pathlib import Path

import pytest

from lookup.readers import (
    MAX_EXAMPLES,
    MAX_GLOSS,
    MAX_SENSES,
    DictdReader,
    DictionaryFileError,
    JsonLinesReader,
    TabularReader,
    TeiReader,
    decode_number,
    detect_format,
    open_reader,
    parse_dictd_body,
)

DATA = Path(__file__).parent / "data"
DICTD = DATA / "freedict-fra-eng"


def by_headword(reader):
    return {record["headword"]: record for record in reader}


def test_dictd_numbers_are_base64_digits():
    assert decode_number("A") == 0
    assert decode_number("B") == 1
    assert decode_number("BA") == 64
    assert decode_number("0g") == 52 * 64 + 32


@pytest.mark.parametrize("name", ["freedict-fra-eng.index", "freedict-fra-eng.dict.dz", "freedict-fra-eng"])
def test_dictd_path_may_name_either_file_or_their_base(name):
    reader = DictdReader(DATA / name)
    assert "chat" in by_headword(reader)
    assert detect_format(DATA / name) == "dictd"


def test_dictd_reads_headwords_from_bodies_once_each_and_metadata():
    reader = DictdReader(DICTD)
    records = list(reader)
    headwords = [record["headword"] for record in records]
    assert sorted(headwords) == sorted(["chat", "tête", "aller", "chanter", "pomme de terre", "Haus"])
    assert reader.skipped == 1  # "vide" has no gloss
    assert reader.metadata == {
        "name": "Test French-English Dictionary",
        "version": "0.2",
        "url": "https://example.org/test-dict",
        "licence": "GNU General Public License ver. 2.0 and any later version",
        "description": reader.metadata["description"],
    }


def test_dictd_body_gives_pronunciation_part_of_speech_senses_and_examples():
    tete = by_headword(DictdReader(DICTD))["tête"]
    assert (tete["pronunciation"], tete["part_of_speech"], tete["grammar"]) == ("tɛt", "noun", "fem")
    assert [sense["gloss"] for sense in tete["senses"]] == ["head", "top, leading part"]
    assert tete["senses"][1]["examples"] == [{"text": "J'ai mal à la tête", "translation": "I have a headache"}]


def test_dictd_body_drops_cross_references_and_inline_grammar():
    haus = by_headword(DictdReader(DICTD))["Haus"]
    assert [sense["gloss"] for sense in haus["senses"]] == ["house"]
    assert haus["grammar"] == "neut, sg"


def test_dictd_body_splits_on_newline_only():
    record = parse_dictd_body("Wort /vɔʁt/ <n>\nword\u0085with a next-line character\n")
    assert record["senses"] == [{"gloss": "word with a next-line character", "examples": []}]


def test_dictd_body_with_kanji_and_kana_forms():
    record = parse_dictd_body(
        " [ichi1]  本 /x/,  [ichi1] ほん /hoɴ/\n1. (noun (common))\nbook, volume\n2. main, head\n"
    )
    assert (record["headword"], record["pronunciation"], record["part_of_speech"]) == ("本", "ほん", "noun")
    assert [sense["gloss"] for sense in record["senses"]] == ["book, volume", "main, head"]


def test_dictd_keeps_bracketed_headwords():
    assert parse_dictd_body("[sic] /zˈiːk/\n[sic]\n")["headword"] == "[sic]"


def write_dictd(tmp_path, index_lines):
    (tmp_path / "bad.index").write_text(index_lines, encoding="utf-8")
    with gzip.open(tmp_path / "bad.dict.dz", "wb") as compressed:
        compressed.write("chat /ʃa/\ncat\n".encode())
    return tmp_path / "bad.index"


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("chat\tA\n", "line 1: not 'key TAB offset TAB length'"),
        ("chat\tA\tP\nchien\t!!\tP\n", "line 2: not 'key TAB offset TAB length'"),
        ("chat\tZZZ\tP\n", "points past the end"),
    ],
)
def test_malformed_dictd_names_file_and_line(tmp_path, index, message):
    with pytest.raises(DictionaryFileError, match=message):
        list(DictdReader(write_dictd(tmp_path, index)))


def test_dictd_with_corrupt_data_says_so(tmp_path):
    path = write_dictd(tmp_path, "chat\tA\tP\n")
    (tmp_path / "bad.dict.dz").write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(DictionaryFileError, match="bad.dict.dz: cannot be read"):
        list(DictdReader(path))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("00-database-info\nmade by\x00someone\n", "bad.dict: 00databaseinfo holds a NUL character"),
        ("cha\x00t\ncat\n", "bad.dict, entry at offset 0: headword holds a NUL character"),
    ],
)
def test_dictd_text_with_a_nul_character_is_refused(tmp_path, body, message):
    key = "00-database-info" if body.startswith("00") else "chat"
    length = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[len(body.encode())]  # one base64 digit
    (tmp_path / "bad.index").write_text(f"{key}\tA\t{length}\n", encoding="utf-8")
    (tmp_path / "bad.dict").write_bytes(body.encode())
    with pytest.raises(DictionaryFileError, match=message):
        list(DictdReader(tmp_path / "bad.index"))


def test_dictd_missing_data_file(tmp_path):
    (tmp_path / "lonely.index").write_text("chat\tA\tB\n")
    with pytest.raises(DictionaryFileError, match="lonely.dict.dz: no such file"):
        DictdReader(tmp_path / "lonely.index")


def test_jsonl_reads_records_and_skips_blank_lines():
    records = list(JsonLinesReader(DATA / "sample.jsonl"))
    assert [record["headword"] for record in records] == ["Maus", "Vogel", "gehen"]
    assert records[0]["senses"][0]["examples"][0]["translation"] == "The mouse is small."
    assert records[2]["frequency_rank"] == 120


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{broken", "line 2"),
        ('["a list"]', "line 2: each line must be a JSON object"),
        ('{"senses": [{"gloss": "x"}]}', "line 2: missing headword"),
        ('{"headword": 5, "senses": [{"gloss": "x"}]}', "line 2: headword must be text"),
        ('{"headword": "a", "senses": [{"gloss": "x"}], "frequency_rank": -1}', "line 2: frequency_rank"),
        ('{"headword": "a\\u0000b", "senses": [{"gloss": "x"}]}', "line 2: headword holds a NUL character"),
        (  # past the database's integer column
            '{"headword": "a", "senses": [{"gloss": "x"}], "frequency_rank": 3000000000}',
            "line 2: frequency_rank must be a whole number from 1 to 2147483647",
        ),
    ],
)
def test_malformed_jsonl_names_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"headword": "ok", "senses": [{"gloss": "fine"}]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DictionaryFileError, match=message):
        list(JsonLinesReader(path))


def test_entries_larger_than_the_database_holds_are_skipped_and_counted(tmp_path):
    def line(headword, senses):
        return json.dumps({"headword": headword, "senses": senses}) + "\n"

    example = {"text": "Satz", "translation": "sentence"}
    path = tmp_path / "large.jsonl"
    path.write_text(
        line("hundert", [{"gloss": f"sense {n}"} for n in range(MAX_SENSES)])
        + line("lang", [{"gloss": "x" * MAX_GLOSS, "examples": [example] * MAX_EXAMPLES}])
        + line("zu viele", [{"gloss": f"sense {n}"} for n in range(MAX_SENSES + 1)])
        + line("zu lang", [{"gloss": "x" * (MAX_GLOSS + 1)}])
        + line("zu oft", [{"gloss": "x", "examples": [example] * (MAX_EXAMPLES + 1)}]),
        encoding="utf-8",
    )
    reader = JsonLinesReader(path)
    assert [record["headword"] for record in reader] == ["hundert", "lang"]
    assert reader.skipped == 3


@pytest.mark.parametrize(
    ("name", "content", "reader"),
    [
        (
            "empty.jsonl",
            '{"headword": "leer", "senses": []}\n{"headword": "voll", "senses": [{"gloss": "full"}]}\n',
            JsonLinesReader,
        ),
        ("empty.csv", "headword,gloss\nleer,\nvoll,full\n", TabularReader),
        (
            "empty.tei",
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
            "<entry><form><orth>leer</orth></form></entry>"
            '<entry><form><orth>voll</orth></form><sense><cit type="trans"><quote>full</quote></cit></sense></entry>'
            "</body></text></TEI>",
            TeiReader,
        ),
    ],
)
def test_every_format_skips_and_counts_an_entry_without_a_gloss(tmp_path, name, content, reader):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    records = reader(path)
    assert [record["headword"] for record in records] == ["voll"]
    assert records.skipped == 1


def test_strict_reading_refuses_an_entry_without_a_gloss(tmp_path):
    path = tmp_path / "starter.jsonl"
    path.write_text('{"headword": "leer", "senses": []}\n', encoding="utf-8")
    with pytest.raises(DictionaryFileError, match="line 1: the entry 'leer' has no gloss"):
        list(JsonLinesReader(path, strict=True))


def test_csv_reads_senses_examples_and_parts_of_speech():
    records = by_headword(TabularReader(DATA / "sample.csv"))
    assert [sense["gloss"] for sense in records["casa"]["senses"]] == ["house", "home"]
    assert records["casa"]["part_of_speech"] == "noun"
    assert records["casa"]["senses"][0]["examples"] == [
        {"text": "Mi casa es tu casa.", "translation": "My house is your house."}
    ]
    assert records["año"]["pronunciation"] == "/ˈaɲo/"


def test_tsv_reads_arabic():
    records = by_headword(TabularReader(DATA / "sample.tsv"))
    assert [sense["gloss"] for sense in records["بَيْت"]["senses"]] == ["house", "home"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("word,meaning\nchat,cat\n", "line 1: the header lacks gloss, headword"),
        ("headword,gloss\nchat,cat,extra\n", "line 2: more cells than the header names"),
        ("headword,gloss\nchat,c\x00at\n", "line 2: gloss holds a NUL character"),
        ('headword,gloss\nchat,"unterminated\n', "line"),
    ],
)
def test_malformed_csv_names_the_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryFileError, match=message):
        list(TabularReader(path))


def test_non_utf8_text_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("headword,gloss\ntête,head\n".encode("latin-1"))
    with pytest.raises(DictionaryFileError, match="not UTF-8"):
        list(TabularReader(path))


def test_tei_reads_entries_and_header():
    reader = TeiReader(DATA / "sample.tei")
    records = by_headword(reader)
    assert records["hablar"]["part_of_speech"] == "verb"
    assert records["hablar"]["senses"][0]["gloss"] == "speak, talk"
    assert records["hablar"]["senses"][0]["examples"] == [{"text": "Hablo español.", "translation": "I speak Spanish."}]
    assert (records["niño"]["part_of_speech"], records["niño"]["grammar"]) == ("noun", "masc")
    assert reader.metadata["name"] == "Test Spanish-English TEI Dictionary"
    assert (reader.metadata["version"], reader.metadata["url"]) == ("0.3", "https://example.org/tei")


def test_malformed_tei_names_the_line(tmp_path):
    path = tmp_path / "bad.tei"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<entry><form><orth>x</orth>\n</body>')
    with pytest.raises(DictionaryFileError, match="bad.tei, line 3: not well-formed XML"):
        list(TeiReader(path))


def test_tei_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "bomb.tei"
    path.write_text('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><TEI>&a;</TEI>')
    with pytest.raises(DictionaryFileError, match="bomb.tei: XML entities and DTDs are not allowed"):
        list(TeiReader(path))


def test_unknown_format_and_name_are_refused(tmp_path):
    with pytest.raises(DictionaryFileError, match="cannot tell the format"):
        detect_format(tmp_path / "words.txt")
    with pytest.raises(DictionaryFileError, match="unknown format"):
        open_reader(tmp_path / "x", "pdf")


def test_jpn_forms_with_notes_before_them_and_a_gloss_given_as_a_note():
    record = parse_dictd_body(
        " (ateji (phonetic) reading)  明白 /(en)x (en)x/, あからさま /ˌäkäɽäsˈämä/\n"
        "(noun (common) (futsuumeishi))\n\n         Note: plain, frank\n"
    )
    assert (record["headword"], record["pronunciation"]) == ("明白", "あからさま")
    assert record["senses"] == [{"gloss": "plain, frank", "examples": []}]
