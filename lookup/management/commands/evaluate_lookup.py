import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "learner_queries.tsv"


class Command(BaseCommand):
    help = (
        "Send learner queries to /api/search/ and report whether each expected entry, with the expected "
        "gloss, is among the first five results. Run it on a database holding the FreeDict imports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=QUERIES, help="TSV: query, lang, headword, gloss, kind")

    def handle(self, *args, file, **options):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
        client = Client(HTTP_HOST="localhost")
        found, timings = 0, []
        for number, row in enumerate(rows, start=1):
            if len(row) != 5:
                raise CommandError(f"{file.name}, row {number}: expected 5 tab-separated columns")
            query, lang, headword, gloss, kind = row
            started = time.perf_counter()
            response = client.get("/api/search/", {"q": query, "lang": lang, "limit": 5})
            timings.append((time.perf_counter() - started) * 1000)
            results = response.json().get("results", []) if response.status_code == 200 else []
            hit = any(
                result["headword"] == headword and gloss.lower() in " ".join(result["glosses"]).lower()
                for result in results
            )
            found += hit
            status = self.style.SUCCESS("found") if hit else self.style.ERROR("MISSED")
            got = "" if hit else f"  got {[(result['headword'], result['match']) for result in results]}"
            self.stdout.write(f"{status} {kind:<28} {query!r} ({lang}) -> {headword}{got}")
        timings.sort()
        self.stdout.write(
            f"{found}/{len(rows)} found in the first five; median {timings[len(timings) // 2]:.1f} ms, "
            f"max {timings[-1]:.1f} ms (test client, one run)"
        )
