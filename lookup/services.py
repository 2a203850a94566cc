import json
from pathlib import Path

from django.db import IntegrityError, transaction

from lookup.models import Dictionary, Entry, Example, Language, SavedWord, Sense, WordList
from lookup.queries import forget_languages

STARTER_DIRECTORY = Path(__file__).resolve().parent / "starter"


class ListNameTaken(ValueError):
    """The owner already has a list by that name."""


def create_list(*, owner, name: str, description: str = "", language: Language | None = None) -> WordList:
    """Create a list for owner; raise ListNameTaken if one has that name (even in a race)."""
    try:
        with transaction.atomic():
            return WordList.objects.create(owner=owner, name=name, description=description, language=language)
    except IntegrityError as error:
        if WordList.objects.owned_by(owner).named(name).exists():
            raise ListNameTaken(name) from error
        raise


def get_or_create_list(*, owner, name: str) -> WordList:
    """Return owner's list called name (compared without case), creating it if needed."""
    word_list = WordList.objects.owned_by(owner).named(name).first()
    if word_list is None:
        try:
            word_list = create_list(owner=owner, name=name)
        except ListNameTaken:  # made meanwhile by a double-submitted form
            word_list = WordList.objects.owned_by(owner).named(name).get()
    return word_list


@transaction.atomic
def save_entry(
    *,
    user,
    entry: Entry,
    word_list: WordList | None = None,
    new_list_name: str = "",
    note: str = "",
    context: str = "",
) -> tuple[SavedWord, bool]:
    """Save entry into word_list, or into the user's list named new_list_name (made if needed).

    Return the saved word and whether it is new; saving again keeps the first one.
    """
    if word_list is None:
        word_list = get_or_create_list(owner=user, name=new_list_name)
    elif word_list.owner_id != user.pk:
        raise PermissionError("Cannot save into another user's list.")
    return SavedWord.objects.get_or_create(
        word_list=word_list, entry=entry, defaults={"note": note, "context": context}
    )


# Names and script directions of the languages the starter set and imports may name.
KNOWN_LANGUAGES = {
    "ar": ("Arabic", Language.Direction.RTL),
    "de": ("German", Language.Direction.LTR),
    "en": ("English", Language.Direction.LTR),
    "es": ("Spanish", Language.Direction.LTR),
    "fr": ("French", Language.Direction.LTR),
    "he": ("Hebrew", Language.Direction.RTL),
    "it": ("Italian", Language.Direction.LTR),
    "ja": ("Japanese", Language.Direction.LTR),
    "fa": ("Persian", Language.Direction.RTL),
    "pt": ("Portuguese", Language.Direction.LTR),
    "ru": ("Russian", Language.Direction.LTR),
    "ur": ("Urdu", Language.Direction.RTL),
}


def language_for_code(code: str) -> Language:
    """Return the Language with this ISO 639-1 code, creating it with a known name if needed."""
    name, direction = KNOWN_LANGUAGES.get(code, (code, Language.Direction.LTR))
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": name, "direction": direction})
    return language


def read_jsonl_entries(path: Path):
    """Yield the entry records of a JSON Lines file, naming the line of any malformed one."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield _entry_record(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise DictionaryFileError(f"{path.name}, line {number}: not a valid entry ({error})") from error


def _text(value, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value.strip()


def _entry_record(record: dict) -> dict:
    """Return a checked copy of one entry record (see lookup/starter/README.md), or raise."""
    if not isinstance(record, dict):
        raise TypeError("an entry must be a JSON object")
    rank = record.get("frequency_rank")
    if rank is not None and (not isinstance(rank, int) or isinstance(rank, bool) or rank < 1):
        raise ValueError("frequency_rank must be a positive whole number")
    senses = []
    for sense in record.get("senses") or []:
        gloss = _text(sense["gloss"], "gloss", 10_000)
        examples = [
            {
                "text": _text(example["text"], "example text", 10_000),
                "translation": _text(example.get("translation", ""), "example translation", 10_000),
            }
            for example in sense.get("examples") or []
        ]
        if gloss:
            senses.append({"gloss": gloss, "examples": examples})
    checked = {
        "headword": _text(record["headword"], "headword", 255),
        "part_of_speech": _text(record.get("part_of_speech", ""), "part_of_speech", 50),
        "pronunciation": _text(record.get("pronunciation", ""), "pronunciation", 255),
        "grammar": _text(record.get("grammar", ""), "grammar", 100),
        "frequency_rank": rank,
        "senses": senses,
    }
    if not checked["headword"] or not senses:
        raise ValueError("an entry needs a headword and a gloss")
    return checked


class DictionaryFileError(ValueError):
    """A dictionary file that cannot be imported; the message names the file and line."""


@transaction.atomic
def load_starter_set(*, directory: Path = STARTER_DIRECTORY) -> dict[str, int]:
    """Load the shipped starter dictionaries that are new, or newer than the loaded version.

    A newer version only adds entries the database lacks (matched by headword and part of
    speech); existing entries are left alone, so curators' edits, renames and deletions stay,
    and saved words keep their entries. Return counts of dictionaries and entries added.
    """
    counts = {"dictionaries": 0, "created": 0, "kept": 0}
    for meta in json.loads((directory / "dictionaries.json").read_text(encoding="utf-8")):
        version = str(meta.get("version", ""))
        dictionary = Dictionary.objects.filter(name=meta["name"]).first()
        if dictionary is not None and dictionary.version == version:
            counts["kept"] += dictionary.entry_count
            continue
        if dictionary is None:
            dictionary = Dictionary.objects.create(
                name=meta["name"],
                source_language=language_for_code(meta["source_language"]),
                target_language=language_for_code(meta["target_language"]),
                description=meta.get("description", ""),
                licence=meta.get("licence", ""),
                url=meta.get("url", ""),
            )
        existing = set(dictionary.entries.values_list("headword", "part_of_speech"))
        for rank, record in enumerate(read_jsonl_entries(directory / meta["file"]), start=1):
            key = (record["headword"], record["part_of_speech"])
            if key in existing:
                counts["kept"] += 1
                continue
            _create_entry(dictionary=dictionary, record=record, rank=rank)
            existing.add(key)
            counts["created"] += 1
        dictionary.version = version
        dictionary.entry_count = dictionary.entries.count()
        dictionary.save(update_fields=["version", "entry_count", "updated_at"])
        counts["dictionaries"] += 1
    transaction.on_commit(forget_languages)
    return counts


def _create_entry(*, dictionary, record, rank) -> Entry:
    entry = Entry(
        dictionary=dictionary,
        language_id=dictionary.source_language_id,
        headword=record["headword"],
        part_of_speech=record["part_of_speech"],
        pronunciation=record["pronunciation"],
        grammar=record["grammar"],
        frequency_rank=record["frequency_rank"] or rank,
    )
    entry.set_search_fields()
    entry.save()
    senses = Sense.objects.bulk_create(
        Sense(entry=entry, position=position, gloss=sense["gloss"])
        for position, sense in enumerate(record["senses"], start=1)
    )
    Example.objects.bulk_create(
        Example(entry=entry, sense=sense, text=example["text"], translation=example["translation"], position=n)
        for sense, data in zip(senses, record["senses"], strict=True)
        for n, example in enumerate(data["examples"], start=1)
    )
    return entry
