from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lookup.bench.runner import run


class Command(BaseCommand):
    help = (
        "Measure imports and every search path at scale, in a separate benchmark database beside the "
        "one DATABASE_URL names (built once, then reused). Prints one `name: value` line per figure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=100_000, help="synthetic entries in the benchmark database")
        parser.add_argument("--seed", type=int, default=1, help="seed of the generated data and queries")
        parser.add_argument("--runs", type=int, default=200, help="requests timed per figure")
        parser.add_argument("--import-runs", type=int, default=3, help="timed imports per file format")
        parser.add_argument("--freedict", type=Path, help="a folder of FreeDict dictd files to import as well")
        parser.add_argument("--no-imports", action="store_true", help="skip the timed imports (requests only)")
        parser.add_argument("--drop", action="store_true", help="delete the benchmark database at the end")

    def handle(self, *args, entries, seed, runs, import_runs, freedict, drop, no_imports, **options):
        if entries < 1_000:
            raise CommandError("--entries must be at least 1000.")
        if runs < 10 or import_runs < 1:
            raise CommandError("--runs must be at least 10 and --import-runs at least 1.")
        if freedict and not freedict.is_dir():
            raise CommandError(f"{freedict} is not a folder.")
        run(
            entries=entries,
            seed=seed,
            runs=runs,
            import_runs=0 if no_imports else import_runs,
            freedict=freedict,
            drop=drop,
            out=self.stdout,
        )
