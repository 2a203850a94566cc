from django.core.management.base import BaseCommand

from lookup.models import Entry
from lookup.services import reindex_entries


class Command(BaseCommand):
    help = (
        "Recompute every entry's search key, browse letter and extra search terms "
        "(after a change to lookup/normalization.py or lookup/terms.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dictionary", help="only the dictionary with this name")

    def handle(self, *args, dictionary, **options):
        entries = Entry.objects.all()
        if dictionary:
            entries = entries.filter(dictionary__name=dictionary)
        count = reindex_entries(entries)
        self.stdout.write(self.style.SUCCESS(f"Reindexed {count} entries."))
