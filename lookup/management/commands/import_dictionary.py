import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lookup.readers import FORMATS, DictionaryFileError, detect_format, open_reader
from lookup.services import DictionaryExists, import_dictionary, refresh_planner_statistics

FREEDICT_NAME = re.compile(r"([a-z]{3})-([a-z]{3})$")


class Command(BaseCommand):
    help = (
        "Import a dictionary file: dictd/FreeDict (.index + .dict[.dz]), FreeDict TEI, CSV/TSV or "
        "JSON Lines. All or nothing; a dictionary of the same name is replaced only with --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file (for dictd: the .index, the .dict[.dz] or their common base)")
        parser.add_argument("--format", choices=FORMATS, help="the file's format (default: from its name)")
        parser.add_argument("--name", help="the dictionary's name (default: from the file)")
        parser.add_argument("--source-lang", help="ISO 639 code of the headwords' language (deu or de)")
        parser.add_argument("--target-lang", help="ISO 639 code of the glosses' language")
        parser.add_argument(
            "--replace", action="store_true", help="swap in this version of an imported dictionary of the same name"
        )

    def handle(self, *args, path, format, name, source_lang, target_lang, replace, verbosity, **options):
        path = Path(path)
        source_lang, target_lang = self._languages(path, source_lang, target_lang)
        try:
            reader = open_reader(path, format or detect_format(path))
            with tqdm(
                total=reader.total,
                unit=" entries",
                disable=verbosity < 1 or not sys.stderr.isatty(),
                file=sys.stderr,
            ) as bar:
                summary = import_dictionary(
                    reader=reader,
                    name=name or "",
                    source_language=source_lang,
                    target_language=target_lang,
                    replace=replace,
                    progress=bar.update,
                )
        except DictionaryFileError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        except DictionaryExists as error:
            raise CommandError(
                f"Nothing was imported: the dictionary {error} is already imported; "
                "give --replace to swap in this version, or --name for another name."
            ) from error
        except KeyboardInterrupt as error:
            raise CommandError("Interrupted: nothing was imported.") from error
        line = (
            f"Imported {summary.dictionary.name}: {summary.entries} entries, {summary.senses} senses, "
            f"{summary.examples} examples in {summary.seconds:.1f} s ({summary.entries_per_second:,.0f} entries/s)"
        )
        if summary.merged:
            line += f"; {summary.merged} entries merged into the entry of the same headword as further senses"
        if summary.skipped:
            line += f"; skipped {summary.skipped} entries without a gloss or too large to keep"
        if replace:
            line += (
                f"; {summary.relinked} saved words follow their entries, "
                f"{summary.kept_as_own_words} kept as learners' own words"
            )
        self.stdout.write(self.style.SUCCESS(line + "."))
        refresh_planner_statistics()

    @staticmethod
    def _languages(path, source_lang, target_lang):
        stem = path.name.split(".")[0]
        match = FREEDICT_NAME.search(stem)
        if match:
            source_lang = source_lang or match.group(1)
            target_lang = target_lang or match.group(2)
        if not source_lang or not target_lang:
            raise CommandError(
                f"Give --source-lang and --target-lang: {path.name} does not name them as freedict-deu-eng does."
            )
        for code in (source_lang, target_lang):
            if not re.fullmatch(r"[A-Za-z]{2,3}", code):
                raise CommandError(f"{code!r} is not an ISO 639 language code (two or three letters).")
        return source_lang, target_lang
