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
    """Load the shipped starter dictionaries, updating what an earlier load made.

    Entries are matched by headword and part of speech, so loading twice changes nothing and
    learners' saved words keep pointing at the same entries. Return counts of what changed.
    """
    counts = {"dictionaries": 0, "created": 0, "updated": 0, "unchanged": 0}
    for meta in json.loads((directory / "dictionaries.json").read_text(encoding="utf-8")):
        source = language_for_code(meta["source_language"])
        dictionary, _ = Dictionary.objects.update_or_create(
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
        records = list(read_jsonl_entries(directory / meta["file"]))
        for rank, record in enumerate(records, start=1):
            counts[_upsert_entry(dictionary=dictionary, language=source, record=record, rank=rank)] += 1
        dictionary.entry_count = dictionary.entries.count()
        dictionary.save(update_fields=["entry_count", "updated_at"])
        counts["dictionaries"] += 1
    transaction.on_commit(forget_languages)
    return counts


def _upsert_entry(*, dictionary, language, record, rank) -> str:
    fields = {
        "language": language,
        "pronunciation": record.get("pronunciation", ""),
        "grammar": record.get("grammar", ""),
        "frequency_rank": record.get("frequency_rank", rank),
    }
    senses = [(position, sense["gloss"].strip()) for position, sense in enumerate(record["senses"], start=1)]
    examples = [
        (position, example["text"], example.get("translation", ""))
        for position, sense in enumerate(record["senses"], start=1)
        for example in sense.get("examples", [])
    ]
    entry = (
        dictionary.entries.filter(headword=record["headword"], part_of_speech=record.get("part_of_speech", ""))
        .prefetch_related("senses", "examples__sense")
        .first()
    )
    if entry is not None:
        current = {name: getattr(entry, name) for name in fields}
        current_senses = [(sense.position, sense.gloss) for sense in entry.senses.all()]
        current_examples = [
            (example.sense.position if example.sense else 0, example.text, example.translation)
            for example in entry.examples.all()
        ]
        if current == fields and current_senses == senses and current_examples == examples:
            return "unchanged"
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        entry.examples.all().delete()
        entry.senses.all().delete()
        outcome = "updated"
    else:
        entry = Entry(
            dictionary=dictionary,
            headword=record["headword"],
            part_of_speech=record.get("part_of_speech", ""),
            **fields,
        )
        entry.set_search_fields()
        entry.save()
        outcome = "created"
    sense_objects = Sense.objects.bulk_create(Sense(entry=entry, position=p, gloss=g) for p, g in senses)
    by_position = {sense.position: sense for sense in sense_objects}
    Example.objects.bulk_create(
        Example(entry=entry, sense=by_position[p], text=text, translation=translation, position=index)
        for index, (p, text, translation) in enumerate(examples, start=1)
    )
    return outcome
