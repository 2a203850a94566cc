"""Readers of dictionary files: each streams entry records and the dictionary's metadata.

A reader is an object with `metadata` (a dict: name, url, licence, version, description) and
`total` (entries expected, or None), and iterating it yields entry records:

    {"headword", "part_of_speech", "grammar", "pronunciation", "frequency_rank",
     "senses": [{"gloss", "examples": [{"text", "translation"}]}]}

Malformed input raises DictionaryFileError naming the file, the line or entry, and the fault.
"""

import csv
import gzip
import io
import json
import re
from array import array
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

FORMATS = ["dictd", "tei", "csv", "tsv", "jsonl"]

# Parts of speech as FreeDict abbreviates them, and as people write them in CSV files.
PARTS_OF_SPEECH = {
    "n": "noun",
    "noun": "noun",
    "v": "verb",
    "vt": "verb",
    "vi": "verb",
    "vr": "verb",
    "verb": "verb",
    "adj": "adjective",
    "adjective": "adjective",
    "adv": "adverb",
    "adverb": "adverb",
    "prep": "preposition",
    "preposition": "preposition",
    "pron": "pronoun",
    "pronoun": "pronoun",
    "conj": "conjunction",
    "conjunction": "conjunction",
    "num": "numeral",
    "numeral": "numeral",
    "interj": "interjection",
    "int": "interjection",
    "interjection": "interjection",
    "art": "determiner",
    "det": "determiner",
    "determiner": "determiner",
    "prefix": "prefix",
    "suffix": "suffix",
    "abbr": "abbreviation",
    "phrase": "phrase",
    "particle": "particle",
    "ptcl": "particle",
}
_LIMITS = {"headword": 255, "part_of_speech": 50, "grammar": 100, "pronunciation": 255}
# What the database holds, checked here so that every database turns away the same entries with
# a message instead of failing mid-import. Positions are small integers: an entry keeps at most
# MAX_SENSES, and merging split entries gives each one that many positions. A rank is an integer.
# PostgreSQL indexes a gloss's words only up to 1 MB (to_tsvector); FreeDict's longest is 465
# characters.
MAX_SENSES = 100
MAX_EXAMPLES = 1_000
MAX_GLOSS = 10_000
MAX_FREQUENCY_RANK = 2_147_483_647


class DictionaryFileError(ValueError):
    """A dictionary file that cannot be imported; the message names the file and where."""


class SkippedEntry(DictionaryFileError):
    """A well-formed entry Langtool cannot hold (no gloss, over-long fields, too many senses): skipped and counted."""


def detect_format(path: Path) -> str:
    """Return the format a path names by its ending (a dictd base name counts too)."""
    name = path.name.lower()
    for ending, fmt in [
        (".dict.dz", "dictd"),
        (".dict", "dictd"),
        (".index", "dictd"),
        (".tei", "tei"),
        (".xml", "tei"),
        (".csv", "csv"),
        (".tsv", "tsv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
    ]:
        if name.endswith(ending):
            return fmt
    if path.with_name(path.name + ".index").exists():
        return "dictd"
    raise DictionaryFileError(f"{path.name}: cannot tell the format from the name; give --format")


def open_reader(path: Path, fmt: str):
    """Return the reader for path in format fmt."""
    readers = {
        "dictd": DictdReader,
        "tei": TeiReader,
        "csv": TabularReader,
        "tsv": TabularReader,
        "jsonl": JsonLinesReader,
    }
    if fmt not in readers:
        raise DictionaryFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return readers[fmt](path)


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DictionaryFileError(f"{name} must be text, not {type(value).__name__}")
    if "\x00" in value:  # PostgreSQL cannot store it, and no dictionary means one
        raise DictionaryFileError(f"{name} holds a NUL character")
    return " ".join(value.split())


def make_record(*, headword, senses, part_of_speech="", grammar="", pronunciation="", frequency_rank=None) -> dict:
    """Return a checked entry record; raise DictionaryFileError saying what is wrong."""
    record = {
        "headword": _text(headword, "headword"),
        "part_of_speech": _text(part_of_speech, "part_of_speech"),
        "grammar": _text(grammar, "grammar"),
        "pronunciation": _text(pronunciation, "pronunciation"),
    }
    for field, limit in _LIMITS.items():
        if len(record[field]) > limit:
            raise SkippedEntry(f"{field} is longer than {limit} characters")
    if frequency_rank is not None and (
        not isinstance(frequency_rank, int)
        or isinstance(frequency_rank, bool)
        or not 1 <= frequency_rank <= MAX_FREQUENCY_RANK
    ):
        raise DictionaryFileError(f"frequency_rank must be a whole number from 1 to {MAX_FREQUENCY_RANK}")
    checked_senses = []
    for sense in senses:
        if not isinstance(sense, dict):
            raise DictionaryFileError("each sense must be an object with a gloss")
        gloss = _text(sense.get("gloss"), "gloss")
        if len(gloss) > MAX_GLOSS:
            raise SkippedEntry(f"a gloss is longer than {MAX_GLOSS} characters")
        given = sense.get("examples") or []
        if len(given) > MAX_EXAMPLES:
            raise SkippedEntry(f"a sense has more than {MAX_EXAMPLES} examples")
        examples = []
        for example in given:
            if not isinstance(example, dict) or not _text(example.get("text"), "example text"):
                raise DictionaryFileError("each example needs a text")
            examples.append(
                {
                    "text": _text(example["text"], "example text"),
                    "translation": _text(example.get("translation"), "translation"),
                }
            )
        if gloss:
            checked_senses.append({"gloss": gloss, "examples": examples})
    if not record["headword"]:
        raise DictionaryFileError("an entry needs a headword")
    if not checked_senses:
        raise SkippedEntry(f"the entry {record['headword']!r} has no gloss")
    if len(checked_senses) > MAX_SENSES:
        raise SkippedEntry(f"the entry {record['headword']!r} has more than {MAX_SENSES} senses")
    record["frequency_rank"] = frequency_rank
    record["senses"] = checked_senses
    return record


def part_of_speech_and_grammar(tokens) -> tuple[str, str]:
    """Split grammar tokens (`n, masc, sg`) into a part of speech and the remaining notes."""
    part_of_speech, rest = "", []
    for token in (token.strip() for token in tokens):
        if not token:
            continue
        if not part_of_speech and token.lower() in PARTS_OF_SPEECH:
            part_of_speech = PARTS_OF_SPEECH[token.lower()]
        else:
            rest.append(token)
    return part_of_speech, ", ".join(rest)


# ---------------------------------------------------------------------------- dictd


_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_MARKERS = re.compile(r"\s*\[[^\]]*\]\s*")  # [ichi1], [news1] priority markers in jpn-eng
_NOTES = re.compile(r"\((?:[^()]|\([^()]*\))*\)")  # "(ateji (phonetic) reading)" before a jpn-eng form
_FORM = re.compile(r"([^,/]+?)\s*/([^/]*)/")
_MULTI_FORM = re.compile(r"^[^,/]+?\s*/[^/]*/\s*,")  # "本 /…/, ほん /…/": one form, then a comma
_HEAD = re.compile(r"^(?P<head>[^/<]*?)[,\s]*(?:/(?P<pron>[^/]*)/|$|<)")
_GRAMMAR = re.compile(r"<([^>]*)>")
_NUMBERED = re.compile(r"^(\d+)\.\s*(.*)$")
_EXAMPLE = re.compile(r'^"(?P<text>.+?)"\s+-\s+(?P<translation>.*)$')
_ANGLE = re.compile(r"\s*<[^>]*>")
_BRACES = re.compile(r"\{[^}]*\}")
_SKIP = ("see:", "synonym:", "synonyms:", "antonym:", "antonyms:", "note:")
# A licence named in the info text, up to the end of its sentence ("ver. 2.0" is no full stop).
_LICENCE = re.compile(r"((?:GNU|Creative Commons|CC[- ]BY|Public Domain)(?:[^.]|\.(?=\s?\w))*)", re.IGNORECASE)


def decode_number(text: str) -> int:
    """Decode dictd's base64 number (most significant digit first)."""
    value = 0
    for character in text:
        value = value * 64 + _B64[character]
    return value


class DictdReader:
    """Read a dictd dictionary (`NAME.index` + `NAME.dict.dz` or `NAME.dict`), as FreeDict ships it.

    The index keys are folded forms, not headwords: each body's first line holds the headword.
    Bodies are read in file order, each once however many keys point at it, so memory stays
    small: only the (offset, length) pairs are held, packed into one array.
    """

    def __init__(self, path: Path):
        base = str(path)
        for ending in (".dict.dz", ".dict", ".index"):
            if base.endswith(ending):
                base = base[: -len(ending)]
                break
        self.base = Path(base)
        self.index_path = self.base.with_name(self.base.name + ".index")
        data = [self.base.with_name(self.base.name + ending) for ending in (".dict.dz", ".dict")]
        self.data_path = next((candidate for candidate in data if candidate.exists()), data[0])
        for needed in (self.index_path, self.data_path):
            if not needed.exists():
                raise DictionaryFileError(
                    f"{needed.name}: no such file (a dictd dictionary needs .index and .dict[.dz])"
                )
        self.name = self.base.name
        self._spans, self._meta_spans = self._read_index()
        self.total = len(self._spans)
        self.skipped = 0
        self.metadata = self._read_metadata()

    def _read_index(self):
        spans, meta = array("Q"), {}
        with self.index_path.open(encoding="utf-8", newline="\n") as index:
            for number, line in enumerate(index, start=1):
                line = line.rstrip("\n")
                if not line:
                    continue
                try:
                    key, offset, length = line.split("\t")
                    offset, length = decode_number(offset), decode_number(length)
                except (ValueError, KeyError) as error:
                    raise DictionaryFileError(
                        f"{self.index_path.name}, line {number}: not 'key TAB offset TAB length'"
                    ) from error
                if length >= 1 << 24 or offset >= 1 << 40:
                    raise DictionaryFileError(f"{self.index_path.name}, line {number}: offset or length out of range")
                span = offset << 24 | length
                if key.startswith(("00database", "00-database")):
                    meta[key.replace("-", "")] = span
                else:
                    spans.append(span)
        spans = array("Q", sorted(set(spans)))
        return spans, meta

    def _bodies(self, spans):
        """Yield (offset, body text) for spans in ascending order, reading the data once."""
        opener = gzip.open if self.data_path.name.endswith(".dz") else open
        position = 0
        try:
            with opener(self.data_path, "rb") as data:
                for span in spans:
                    offset, length = span >> 24, span & 0xFFFFFF
                    if offset < position:  # overlapping bodies: start again from the beginning
                        data.seek(0)
                        position = 0
                    if offset > position:
                        data.seek(offset - position, io.SEEK_CUR)
                    raw = data.read(length)
                    position = offset + len(raw)
                    if len(raw) != length:
                        raise DictionaryFileError(f"{self.data_path.name}: the index points past the end of the data")
                    try:
                        yield offset, raw.decode("utf-8")
                    except UnicodeDecodeError as error:
                        raise DictionaryFileError(f"{self.data_path.name}, offset {offset}: not UTF-8 text") from error
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise DictionaryFileError(f"{self.data_path.name}: cannot be read ({error})") from error

    def _read_metadata(self) -> dict:
        texts = {}
        spans = sorted(self._meta_spans.values())
        keys = {span: key for key, span in self._meta_spans.items()}
        for offset, body in self._bodies(spans):
            for span in spans:
                if span >> 24 == offset:
                    if "\x00" in body:
                        raise DictionaryFileError(f"{self.data_path.name}: {keys[span]} holds a NUL character")
                    texts[keys[span]] = body.strip()
        short = texts.get("00databaseshort", "")
        version = ""
        match = re.search(r"\s+ver\.\s*(\S+)$", short)
        if match:
            version, short = match.group(1), short[: match.start()]
        info = texts.get("00databaseinfo", "")
        licence = _LICENCE.search(info)
        url = texts.get("00databaseurl", "")
        return {
            "name": short or self.name,
            "url": url if url.startswith(("http://", "https://")) else "",
            "version": version,
            "licence": " ".join(licence.group(1).split())[:200] if licence else "",
            "description": info[:5000],
        }

    def __iter__(self):
        for offset, body in self._bodies(self._spans):
            try:
                yield parse_dictd_body(body)
            except SkippedEntry:
                self.skipped += 1
            except DictionaryFileError as error:
                raise DictionaryFileError(f"{self.data_path.name}, entry at offset {offset}: {error}") from error


def parse_dictd_body(body: str) -> dict:
    """Parse one FreeDict dictd body into an entry record."""
    lines = body.split("\n")  # never splitlines(): deu-eng has U+0085 inside bodies
    first = lines[0].strip()
    unmarked = _NOTES.sub(" ", _MARKERS.sub(" ", first)).strip()
    forms = _FORM.findall(unmarked) if _MULTI_FORM.match(unmarked) else []
    if len(forms) > 1:  # jpn-eng: "本 /…/, ほん /hoɴ/": kanji headword, kana reading
        headword = forms[0][0].strip()
        readings = [form.strip() for form, _ in forms[1:] if form.strip() != headword]
        pronunciation = ", ".join(dict.fromkeys(readings)) or forms[-1][1]
        part_of_speech, grammar = "", ""
    else:
        match = _HEAD.match(first)
        headword, pronunciation = (match.group("head"), match.group("pron") or "") if match else (first, "")
        grammar_match = _GRAMMAR.search(first)
        part_of_speech, grammar = part_of_speech_and_grammar(grammar_match.group(1).split(",") if grammar_match else [])
    senses, current, numbered = [], None, False
    # Each pattern runs only on lines holding the character it starts with: a dictionary's
    # bodies have millions of lines, and running every pattern on each was a quarter of reading.
    for raw in lines[1:]:
        line = raw.strip()
        lowered = line.lower()
        if lowered.startswith("note:") and current is not None and not current["gloss"]:
            line = line[len("note:") :].strip()  # jpn-eng sometimes gives the only gloss as a note
        elif not line or lowered.startswith(_SKIP):
            continue
        example = _EXAMPLE.match(line) if line.startswith('"') else None
        if example:
            if current is None:
                current = {"gloss": "", "examples": []}
                senses.append(current)
            current["examples"].append({"text": example["text"], "translation": example["translation"]})
            continue
        number = _NUMBERED.match(line) if line[:1].isdecimal() else None
        if number:
            current, numbered = {"gloss": "", "examples": []}, True
            senses.append(current)
            line = number.group(2)
        elif current is None or not numbered or current["examples"]:
            current = {"gloss": "", "examples": []}
            senses.append(current)
        text = line
        if "<" in text:
            text = _ANGLE.sub("", text)
        if "{" in text:
            text = _BRACES.sub("", text)
        text = text.strip()
        if text.startswith("(") and text.endswith(")") and not current["gloss"]:
            label = text.strip("()").split(" ")[0].lower()
            if not part_of_speech and label in PARTS_OF_SPEECH:
                part_of_speech = PARTS_OF_SPEECH[label]
            continue
        if text:
            current["gloss"] = f"{current['gloss']}; {text}" if current["gloss"] else text
    return make_record(
        headword=headword, senses=senses, part_of_speech=part_of_speech, grammar=grammar, pronunciation=pronunciation
    )


# ---------------------------------------------------------------------------- JSON Lines


class _SingleFileReader:
    """A reader of one file whose metadata, unless the file says more, is its name."""

    def __init__(self, path: Path, *, strict: bool = False):
        self.path = path
        self.total = None
        self.skipped = 0
        self.strict = strict  # raise for an entry Langtool cannot hold, instead of skipping it
        self.metadata = {"name": path.stem, "url": "", "version": "", "licence": "", "description": ""}

    def _record(self, **fields) -> dict | None:
        """Return make_record(**fields), or None for an entry Langtool cannot hold, counted as skipped."""
        try:
            return make_record(**fields)
        except SkippedEntry:
            if self.strict:
                raise
            self.skipped += 1
            return None


class JsonLinesReader(_SingleFileReader):
    """Read JSON Lines: one entry record per line (schema in lookup/starter/README.md)."""

    def __iter__(self):
        with _open_text(self.path) as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict):
                        raise DictionaryFileError("each line must be a JSON object")
                    if "headword" not in data:
                        raise DictionaryFileError("missing headword")
                    record = self._record(
                        headword=data["headword"],
                        senses=data.get("senses") or [],
                        part_of_speech=data.get("part_of_speech", ""),
                        grammar=data.get("grammar", ""),
                        pronunciation=data.get("pronunciation", ""),
                        frequency_rank=data.get("frequency_rank"),
                    )
                except (ValueError, TypeError) as error:
                    raise DictionaryFileError(f"{self.path.name}, line {number}: {error}") from error
                if record is not None:
                    yield record


# ---------------------------------------------------------------------------- CSV / TSV

TABULAR_COLUMNS = ["headword", "gloss", "part_of_speech", "pronunciation", "example", "example_translation"]
SENSE_SEPARATOR = " | "


class TabularReader(_SingleFileReader):
    """Read CSV or TSV with a header row naming columns (see TABULAR_COLUMNS).

    `headword` and `gloss` are required; several senses go in one gloss cell separated by " | ".
    """

    def __iter__(self):
        with _open_text(self.path, newline="") as text:
            sample = text.read(4096)
            text.seek(0)
            delimiter = "\t" if self.path.name.lower().endswith(".tsv") or ("\t" in sample.split("\n", 1)[0]) else ","
            rows = csv.DictReader(text, delimiter=delimiter, strict=True)
            columns = [column.strip().lower() for column in rows.fieldnames or []]
            missing = {"headword", "gloss"} - set(columns)
            if missing:
                raise DictionaryFileError(f"{self.path.name}, line 1: the header lacks {', '.join(sorted(missing))}")
            rows.fieldnames = columns
            try:
                for row in rows:
                    if None in row:
                        raise DictionaryFileError("more cells than the header names")
                    if not any((value or "").strip() for value in row.values()):
                        continue
                    glosses = [gloss for gloss in (row.get("gloss") or "").split(SENSE_SEPARATOR.strip())]
                    senses = [{"gloss": gloss, "examples": []} for gloss in glosses]
                    if (row.get("example") or "").strip() and senses:
                        senses[0]["examples"].append(
                            {"text": row["example"], "translation": row.get("example_translation") or ""}
                        )
                    part_of_speech = row.get("part_of_speech") or ""
                    record = self._record(
                        headword=row.get("headword"),
                        senses=senses,
                        part_of_speech=PARTS_OF_SPEECH.get(part_of_speech.strip().lower(), part_of_speech),
                        pronunciation=row.get("pronunciation") or "",
                    )
                    if record is not None:
                        yield record
            except (DictionaryFileError, csv.Error) as error:
                raise DictionaryFileError(f"{self.path.name}, line {rows.line_num}: {error}") from error


# ---------------------------------------------------------------------------- FreeDict TEI

_TEI = "{http://www.tei-c.org/ns/1.0}"


class TeiReader(_SingleFileReader):
    """Read FreeDict TEI: <entry> elements with form/orth, form/pron, gramGrp and sense/cit."""

    def __iter__(self):
        count = 0
        try:
            with self.path.open("rb") as source:
                for _event, element in iterparse(source, events=("end",)):
                    tag = element.tag.removeprefix(_TEI)
                    if tag == "teiHeader":
                        self._header(element)
                        element.clear()
                    elif tag == "entry":
                        count += 1
                        try:
                            record = self._entry(element)
                        except DictionaryFileError as error:
                            raise DictionaryFileError(f"{self.path.name}, entry {count}: {error}") from error
                        element.clear()
                        if record is not None:
                            yield record
        except ParseError as error:
            raise DictionaryFileError(f"{self.path.name}, line {error.position[0]}: not well-formed XML") from error
        except DefusedXmlException as error:
            raise DictionaryFileError(f"{self.path.name}: XML entities and DTDs are not allowed ({error})") from error

    def _header(self, header):
        def text(*names):
            node = header.find("/".join(f"{_TEI}{name}" for name in names))
            return " ".join("".join(node.itertext()).split()) if node is not None else ""

        self.metadata.update(
            name=text("fileDesc", "titleStmt", "title") or self.metadata["name"],
            version=text("fileDesc", "editionStmt", "edition")[:50],
            licence=text("fileDesc", "publicationStmt", "availability")[:200],
        )
        for ref in header.iter(f"{_TEI}ref"):
            target = ref.get("target", "")
            if target.startswith(("http://", "https://")):
                self.metadata["url"] = target
                break

    def _entry(self, entry):
        def texts(element, path):
            return [" ".join("".join(node.itertext()).split()) for node in element.iterfind(path)]

        headwords = texts(entry, f"{_TEI}form/{_TEI}orth")
        pronunciations = texts(entry, f"{_TEI}form/{_TEI}pron")
        grammar = texts(entry, f".//{_TEI}gramGrp/*")
        part_of_speech, notes = part_of_speech_and_grammar(grammar)
        senses = []
        for sense in entry.iter(f"{_TEI}sense"):
            glosses = texts(sense, f"{_TEI}cit[@type='trans']/{_TEI}quote") + texts(sense, f"{_TEI}def")
            examples = [
                {
                    "text": " ".join(texts(example, f"{_TEI}quote")),
                    "translation": " ".join(texts(example, f"{_TEI}cit/{_TEI}quote")),
                }
                for example in sense.iterfind(f"{_TEI}cit[@type='example']")
            ]
            senses.append({"gloss": ", ".join(glosses), "examples": examples})
        if not headwords:
            raise DictionaryFileError("an entry needs a form/orth headword")
        return self._record(
            headword=headwords[0],
            senses=senses,
            part_of_speech=part_of_speech,
            grammar=notes,
            pronunciation=pronunciations[0] if pronunciations else "",
        )


def _open_text(path: Path, newline=None):
    """Open a text file as UTF-8 (a BOM is allowed), naming the file if it is not."""
    try:
        path.open("rb").close()
    except OSError as error:
        raise DictionaryFileError(f"{path.name}: cannot be read ({error.strerror})") from error
    return _CheckedText(path, newline)


class _CheckedText:
    """A text file whose decoding errors become DictionaryFileError."""

    def __init__(self, path, newline):
        self.path, self.newline = path, newline

    def __enter__(self):
        self.file = self.path.open(encoding="utf-8-sig", newline=self.newline)
        return self

    def __exit__(self, *exc):
        self.file.close()

    def read(self, size=-1):
        return self._guard(self.file.read, size)

    def seek(self, position):
        return self.file.seek(position)

    def __iter__(self):
        while True:
            line = self._guard(self.file.readline)
            if not line:
                return
            yield line

    def _guard(self, function, *args):
        try:
            return function(*args)
        except UnicodeDecodeError as error:
            raise DictionaryFileError(f"{self.path.name}: not UTF-8 text") from error
