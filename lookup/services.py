import json
from pathlib import Path

from django.db import transaction

from lookup.models import Dictionary, Entry, Example, Language, SavedWord, Sense, WordList
from lookup.queries import forget_languages

STARTER_DIRECTORY = Path(__file__).resolve().parent / "starter"


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
        word_list = WordList.objects.owned_by(user).filter(name__iexact=new_list_name).first()
        if word_list is None:
            word_list = WordList.objects.create(owner=user, name=new_list_name)
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
                record = json.loads(line)
                headword = record["headword"].strip()
                senses = [sense for sense in record.get("senses", []) if sense.get("gloss", "").strip()]
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise DictionaryFileError(f"{path.name}, line {number}: not a valid entry ({error})") from error
            if not headword or not senses:
                raise DictionaryFileError(f"{path.name}, line {number}: an entry needs a headword and a gloss")
            yield {**record, "headword": headword, "senses": senses}


class DictionaryFileError(ValueError):
    """A dictionary file that cannot be imported; the message names the file and line."""


@transaction.atomic
def load_starter_set(*, directory: Path = STARTER_DIRECTORY) -> dict[str, int]:
    """Load the shipped starter dictionaries, adding only the entries they do not have yet.

    Entries are matched by headword and part of speech; existing ones are left as they are, so
    loading again changes nothing, curators' edits stay and saved words keep their entries.
    Return counts of what was added and kept.
    """
    counts = {"dictionaries": 0, "created": 0, "kept": 0}
    for meta in json.loads((directory / "dictionaries.json").read_text(encoding="utf-8")):
        source = language_for_code(meta["source_language"])
        dictionary, _ = Dictionary.objects.get_or_create(
            name=meta["name"],
            defaults={
                "source_language": source,
                "target_language": language_for_code(meta["target_language"]),
                "description": meta.get("description", ""),
                "licence": meta.get("licence", ""),
                "url": meta.get("url", ""),
                "version": meta.get("version", ""),
            },
        )
        existing = set(dictionary.entries.values_list("headword", "part_of_speech"))
        for rank, record in enumerate(read_jsonl_entries(directory / meta["file"]), start=1):
            if (record["headword"], record.get("part_of_speech", "")) in existing:
                counts["kept"] += 1
                continue
            _create_entry(dictionary=dictionary, language=dictionary.source_language, record=record, rank=rank)
            counts["created"] += 1
        dictionary.entry_count = dictionary.entries.count()
        dictionary.save(update_fields=["entry_count", "updated_at"])
        counts["dictionaries"] += 1
    transaction.on_commit(forget_languages)
    return counts


def _create_entry(*, dictionary, language, record, rank) -> Entry:
    entry = Entry(
        dictionary=dictionary,
        language=language,
        headword=record["headword"],
        part_of_speech=record.get("part_of_speech", ""),
        pronunciation=record.get("pronunciation", ""),
        grammar=record.get("grammar", ""),
        frequency_rank=record.get("frequency_rank", rank),
    )
    entry.set_search_fields()
    entry.save()
    senses = Sense.objects.bulk_create(
        Sense(entry=entry, position=position, gloss=sense["gloss"].strip())
        for position, sense in enumerate(record["senses"], start=1)
    )
    Example.objects.bulk_create(
        Example(entry=entry, sense=sense, text=example["text"], translation=example.get("translation", ""), position=n)
        for sense, data in zip(senses, record["senses"], strict=True)
        for n, example in enumerate(data.get("examples", []), start=1)
    )
    return entry
