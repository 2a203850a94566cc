from django.core.management.base import BaseCommand, CommandError

from lookup.readers import DictionaryFileError
from lookup.services import load_starter_set


class Command(BaseCommand):
    help = "Load the small starter dictionaries shipped with Langtool (safe to run again)."

    def handle(self, *args, **options):
        try:
            counts = load_starter_set()
        except DictionaryFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Starter set: {dictionaries} dictionaries; {created} entries added, "
                "{kept} already there and left as they are.".format(**counts)
            )
        )
