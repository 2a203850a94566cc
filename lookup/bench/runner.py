"""The benchmark behind `manage.py benchmark`: a separate database of synthetic dictionaries,
imports timed against the driver's own bulk path, and every page timed through the whole
Django stack next to a bare view.

Figures print as `name: value` lines. Latencies are a median and a p95 over many requests;
the ratios to the bare view are measured in the same run, so a busy machine moves both sides.
"""

import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from lookup import fulltext, queries
from lookup.bench import synthetic
from lookup.bulk import BulkWriter
from lookup.import_rows import ENTRY_COLUMNS, EXAMPLE_COLUMNS, SENSE_COLUMNS, TERM_COLUMNS
from lookup.models import Dictionary, Entry, Example, SavedWord, SearchTerm, Sense, WordList
from lookup.services import (
    _delete_dictionary,
    create_list,
    forget_languages,
    refresh_planner_statistics,
)

# Language, file format it is built from. Half the entries arrive as dictd, half as JSON Lines.
LANGUAGES = [("de", "dictd"), ("fr", "jsonl"), ("es", "dictd"), ("ar", "jsonl")]
SYNTHETIC_PREFIX = "Synthetic"
MEASURE_PREFIX = "Benchmark import"
BENCH_USER = "benchmark-user"
LIST_SIZE = 500
BASE_DIR = Path(settings.BASE_DIR)
_SUMMARY = re.compile(r"in (?P<seconds>[\d.]+) s \((?P<rate>[\d,]+) entries/s\)")
_PEAK = re.compile(r"^peak-rss-kb: (?P<kb>\d+)$", re.MULTILINE)
# Runs manage.py and reports the peak memory of the import's two processes: its own, read here
# (a ru_maxrss taken from the benchmark would also count the benchmark process it was forked
# from: Linux keeps the pre-exec high-water mark), plus its reading process's. Pages the two
# share after the fork count twice, so the sum is an upper bound.
_PEAK_MEMORY_LAUNCHER = """
import atexit, resource, runpy, sys
def report():
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return
    peak += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"peak-rss-kb: {peak}\\n")
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which fraction of values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@dataclass
class Report:
    """Figures in the order they were measured, printed as they come."""

    out: object = sys.stdout
    figures: dict = field(default_factory=dict)

    def add(self, name: str, value) -> None:
        self.figures[name] = value
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        self.out.write(f"{name}: {text}\n")
        self.out.flush()

    def spread(self, name: str, values: list[float]) -> None:
        """Report a median and p95 of values."""
        self.add(f"{name}_median", statistics.median(values))
        self.add(f"{name}_p95", percentile(values, 0.95))


# ------------------------------------------------------------------------------ the database


def bench_database_name(settings_dict) -> str:
    """Return the benchmark database's name beside the configured one; never the same."""
    if connection.vendor == "sqlite":
        configured = Path(settings_dict["NAME"])
        return str(configured.with_name(f"{configured.stem}-bench.sqlite3"))
    return f"{settings_dict['NAME']}_bench"


def use_bench_database(verbosity: int = 0) -> str:
    """Point the default connection at the benchmark database, creating and migrating it as needed."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = bench_database_name(connection.settings_dict)
    return connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=True)


def drop_bench_database(original: str) -> None:
    """Remove the benchmark database and point the connection back at the configured one."""
    connection.creation.destroy_test_db(original, verbosity=0, keepdb=False)


def _database_url() -> str:
    """Return a DATABASE_URL naming the benchmark database, for the import commands it runs."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = quote(s.get("USER") or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    at = "@" if user else ""
    return f"postgres://{user}{password}{at}{host}{port}/{s['NAME']}"


# ------------------------------------------------------------------------------ imports


@dataclass
class ImportRun:
    entries_per_s: float
    seconds: float
    peak_rss_mb: float


def run_import(path: Path, *, name: str, language: str, fmt: str) -> ImportRun:
    """Import a file with `manage.py import_dictionary` in its own process, as an operator would."""
    command = [sys.executable, "-c", _PEAK_MEMORY_LAUNCHER, str(BASE_DIR / "manage.py"), "import_dictionary", str(path)]
    command += ["--format", fmt, "--name", name, "--source-lang", language, "--target-lang", "en"]
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_DEBUG": "false"}
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # wait4, for the child's own peak memory
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    if process.returncode:
        raise RuntimeError(f"import of {path.name} failed: {errors.strip() or output.strip()}")
    match, peak = _SUMMARY.search(output), _PEAK.search(errors)
    if not match:
        raise RuntimeError(f"import of {path.name} printed no summary: {output!r}")
    return ImportRun(
        entries_per_s=float(match["rate"].replace(",", "")),
        seconds=float(match["seconds"]),
        peak_rss_mb=int(peak["kb"]) / 1024 if peak else usage.ru_maxrss / 1024,
    )


def write_file(directory: Path, language: str, fmt: str, count: int, seed: int, stem: str) -> Path:
    """Write count synthetic entries of language as a dictd or JSON Lines file; return its path."""
    records = synthetic.records(language, count, seed)
    if fmt == "dictd":
        base = directory / stem
        synthetic.write_dictd(base, records, name=stem)
        return base.with_name(base.name + ".index")
    path = directory / f"{stem}.jsonl"
    synthetic.write_jsonl(path, records)
    return path


def synthetic_names(entries: int, seed: int) -> dict[str, str]:
    return {
        language: f"{SYNTHETIC_PREFIX} {synthetic.LANGUAGE_NAMES[language]} ({entries:,} entries, seed {seed})"
        for language, _ in LANGUAGES
    }


def build(entries: int, seed: int, freedict: Path | None, report: Report, workdir: Path) -> None:
    """Fill the benchmark database with entries synthetic entries (and FreeDict), unless it has them."""
    names = synthetic_names(entries, seed)
    present = set(Dictionary.objects.filter(name__in=names.values()).values_list("name", flat=True))
    if present != set(names.values()):
        for stale in Dictionary.objects.filter(name__startswith=SYNTHETIC_PREFIX):
            SavedWord.objects.filter(entry__dictionary=stale).delete()
            with transaction.atomic():
                _delete_dictionary(stale)
        started = time.perf_counter()
        runs = []
        share = entries // len(LANGUAGES)
        for number, (language, fmt) in enumerate(LANGUAGES):
            count = share + (entries - share * len(LANGUAGES) if number == 0 else 0)
            path = write_file(workdir, language, fmt, count, seed, f"synthetic-{language}")
            runs.append(run_import(path, name=names[language], language=language, fmt=fmt))
            report.add(f"build_import_{language}_{fmt}_entries_per_s", runs[-1].entries_per_s)
        report.add("build_seconds", time.perf_counter() - started)
        report.add("build_import_peak_rss_mb", max(run.peak_rss_mb for run in runs))
    else:
        report.add("build", "reused")
    if freedict:
        for index in sorted(freedict.glob("freedict-*.index")):
            name = f"FreeDict {index.name.removesuffix('.index')}"
            if Dictionary.objects.filter(name=name).exists():
                continue
            code = index.name.removesuffix(".index").split("-")[1]
            run = run_import(index, name=name, language=code, fmt="dictd")
            report.add(f"freedict_{index.name.removesuffix('.index')}_entries_per_s", run.entries_per_s)
    _analyze()
    report.add("entries_in_database", Entry.objects.count())
    report.add("search_terms_in_database", SearchTerm.objects.count())


def _analyze() -> None:
    """Give the planner fresh statistics after bulk loads and removals, as imports do."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    refresh_planner_statistics()


def _rows_of(dictionary: Dictionary) -> dict:
    """Return the rows an import wrote for dictionary, as the import wrote them."""
    entry_ids = Entry.objects.filter(dictionary=dictionary).values("pk")
    return {
        Entry: list(Entry.objects.filter(dictionary=dictionary).values_list(*ENTRY_COLUMNS)),
        Sense: list(Sense.objects.filter(entry__in=entry_ids).values_list(*SENSE_COLUMNS)),
        SearchTerm: list(SearchTerm.objects.filter(entry__in=entry_ids).values_list(*TERM_COLUMNS)),
        Example: list(Example.objects.filter(entry__in=entry_ids).values_list(*EXAMPLE_COLUMNS)),
    }


def _raw_insert_seconds(rows: dict, dictionary: Dictionary, batch: int = 2000) -> float:
    """Time the same rows through the driver's bulk path alone (executemany or COPY), then undo them.

    dictionary, which the rows came from, is gone: its stand-in is created for the length of it.
    """
    with transaction.atomic(), fulltext.triggers_paused(connection):
        stand_in = Dictionary.objects.create(
            name=f"{dictionary.name} (raw)",
            source_language_id=dictionary.source_language_id,
            target_language_id=dictionary.target_language_id,
        )
        writer = BulkWriter()
        now, true = writer.now(), writer.true()
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            # An import's time runs to its commit, where PostgreSQL checks the copied rows' foreign
            # keys; this transaction is rolled back instead, so it checks them as the rows arrive.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        entry_ids = writer.allocate_ids(Entry, len(rows[Entry]))
        new_entry = dict(zip((row[0] for row in rows[Entry]), entry_ids, strict=True))
        sense_ids = writer.allocate_ids(Sense, len(rows[Sense]))
        new_sense = dict(zip((row[0] for row in rows[Sense]), sense_ids, strict=True))
        entries = [(new_entry[row[0]], stand_in.pk, *row[2:10], true, now, now) for row in rows[Entry]]
        senses = [(new_sense[row[0]], new_entry[row[1]], *row[2:]) for row in rows[Sense]]
        terms = [(new_entry[row[0]], *row[1:]) for row in rows[SearchTerm]]
        examples = [(new_entry[row[0]], new_sense.get(row[1]), *row[2:]) for row in rows[Example]]
        for start in range(0, len(entries), batch):
            writer.insert(Entry, ENTRY_COLUMNS, entries[start : start + batch])
        for model, columns, table in [
            (Sense, SENSE_COLUMNS, senses),
            (SearchTerm, TERM_COLUMNS, terms),
            (Example, EXAMPLE_COLUMNS, examples),
        ]:
            for start in range(0, len(table), batch * 4):
                writer.insert(model, columns, table[start : start + batch * 4])
                if model is Sense:  # the full-text index over glosses, as imports fill it
                    fulltext.add_glosses(connection, [(row[0], row[3]) for row in table[start : start + batch * 4]])
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def measure_imports(entries: int, seed: int, runs: int, report: Report, workdir: Path) -> None:
    """Import a measured dictionary in each format several times into the full database."""
    size = max(2_000, min(100_000, entries // 10))
    report.add("import_entries_per_file", size)
    peak = []
    for language, fmt in [("de", "dictd"), ("fr", "jsonl")]:
        path = write_file(workdir, language, fmt, size, seed + 1, f"measure-{language}")
        rates, ratios = [], []
        for run_number in range(runs):
            name = f"{MEASURE_PREFIX} {fmt} {run_number}"
            run = run_import(path, name=name, language=language, fmt=fmt)
            rates.append(run.entries_per_s)
            peak.append(run.peak_rss_mb)
            dictionary = Dictionary.objects.get(name=name)
            rows = _rows_of(dictionary)
            with transaction.atomic():
                _delete_dictionary(dictionary)
            ratios.append(run.seconds / _raw_insert_seconds(rows, dictionary))
        report.spread(f"import_entries_per_s_{fmt}", rates)
        report.spread(f"import_vs_raw_ratio_{fmt}", ratios)
    report.add("import_peak_rss_mb", max(peak))


# ------------------------------------------------------------------------------ requests


@dataclass
class Workload:
    """Requests of each kind, drawn from the benchmark data with a fixed seed."""

    exact: list = field(default_factory=list)
    prefix: list = field(default_factory=list)
    lemma: list = field(default_factory=list)
    fuzzy: list = field(default_factory=list)
    reverse: list = field(default_factory=list)
    autocomplete: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    browse: list = field(default_factory=list)


def _sample_keys(language, rng, count) -> list[tuple[str, str, int | None]]:
    """Return (headword, key, rank) of entries of language: half frequent words, half any word."""
    ranked = list(
        Entry.objects.filter(language=language, frequency_rank__isnull=False, frequency_rank__lte=20_000)
        .order_by("frequency_rank")
        .values_list("headword", "search_key", "frequency_rank")[:5_000]
    )
    highest = Entry.objects.filter(language=language).order_by("-pk").values_list("pk", flat=True).first() or 0
    lowest = Entry.objects.filter(language=language).order_by("pk").values_list("pk", flat=True).first() or 0
    picks = [synthetic._zipf_choice(rng, ranked) for _ in range(count // 2)] if ranked else []
    while len(picks) < count and highest:
        pk = rng.randint(lowest, highest)
        row = Entry.objects.filter(language=language, pk__gte=pk).order_by("pk")
        found = row.values_list("headword", "search_key", "frequency_rank").first()
        if found:
            picks.append(found)
    return picks


def _one_edit_away(key: str, rng: random.Random, known) -> str | None:
    letters = sorted(set(key.replace(" ", "")))
    for _ in range(20):
        position = rng.randrange(len(key))
        typo = key[:position] + rng.choice(letters + ["e", "a"]) + key[position + 1 :]
        if typo != key and typo not in known:
            return typo
    return None


def workload(runs: int, seed: int) -> Workload:
    """Draw each kind of request from the data in the benchmark database."""
    rng = random.Random(seed)
    work = Workload()
    languages = queries.languages_with_entries()
    synthetic_codes = {code for code, _ in LANGUAGES}
    english = synthetic.english_words()
    per_language = max(runs // len(synthetic_codes), 10)
    for language in languages:
        if language.code not in synthetic_codes:
            continue
        keys = _sample_keys(language, rng, per_language * 2)
        known = {key for _, key, _ in keys}
        for headword, key, _ in keys[:per_language]:
            work.exact.append((language.code, headword))
            work.entries.append((language.code, key))
        for _, key, _ in keys[per_language:]:
            cut = rng.randint(3, max(3, min(6, len(key) - 1)))
            work.prefix.append((language.code, key[:cut]))
            work.autocomplete.append((language.code, key[: rng.randint(2, max(2, min(6, len(key))))]))
            if len(key) >= 5:
                typo = _one_edit_away(key, rng, known)
                if typo and not Entry.objects.filter(language=language, search_key=typo).exists():
                    work.fuzzy.append((language.code, typo))
        work.lemma += [(language.code, form) for form in synthetic.LEMMA_QUERIES.get(language.code, [])]
        work.reverse += [(language.code, synthetic._zipf_choice(rng, english)) for _ in range(per_language)]
        letters = queries.language_letters(language)
        work.browse += [(language.code, rng.choice(letters), rng.choice([1, 1, 1, 2, 3])) for _ in range(per_language)]
    for name in ("exact", "prefix", "lemma", "fuzzy", "reverse", "autocomplete", "entries", "browse"):
        items = getattr(work, name)
        rng.shuffle(items)
        while items and len(items) < runs:
            items += items[: runs - len(items)]
    entry_ids = dict(
        Entry.objects.filter(search_key__in=[key for _, key in work.entries]).values_list("search_key", "pk")
    )
    work.entries = [entry_ids[key] for _, key in work.entries if key in entry_ids][:runs]
    return work


def _get_ms(client: Client, url: str) -> float:
    """Return the milliseconds one GET of url took; the answer must be 200."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed


def _time(client: Client, urls: list[str], warmup: int = 5) -> list[float]:
    """Return milliseconds per GET of each url, after a few untimed ones; every answer must be 200."""
    for url in urls[:warmup]:
        client.get(url)
    return [_get_ms(client, url) for url in urls]


# Requests of one kind in a row before the next kind's turn, when kinds are timed side by side.
TURN = 10


def _time_in_turns(kinds: dict[str, tuple[Client, list[str]]], warmup: int = 5) -> dict[str, list[float]]:
    """Time several kinds of request taking turns, TURN requests at a time; return each kind's timings.

    A page and the bare view timed one after the other can land in different stretches of a
    shared machine's speed: here a bare view's median moved between 0.9 and 1.5 ms from one
    block of 200 requests to the next. Taking turns puts both sides of a ratio in the same ones.
    """
    for client, urls in kinds.values():
        for url in urls[:warmup]:
            client.get(url)
    timings = {name: [] for name in kinds}
    longest = max(len(urls) for _, urls in kinds.values())
    for start in range(0, longest, TURN):
        for name, (client, urls) in kinds.items():
            timings[name].extend(_get_ms(client, url) for url in urls[start : start + TURN])
    return timings


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


BARE_URL = "/ping/"
PAGES_BESIDE_BARE = ["search_page_ms", "entry_page_ms", "browse_page_ms"]


def measure_requests(runs: int, seed: int, report: Report) -> None:
    """Time the bare view, the API per match kind, autocomplete and every page."""
    forget_languages()
    work = workload(runs, seed)
    client = Client()
    search = "/api/search/?"
    pages = {
        "api_search_exact_ms": [search + urlencode({"q": q, "lang": code}) for code, q in work.exact],
        "api_search_prefix_ms": [search + urlencode({"q": q, "lang": code}) for code, q in work.prefix],
        "api_search_lemma_ms": [search + urlencode({"q": q, "lang": code}) for code, q in work.lemma],
        "api_search_fuzzy_ms": [search + urlencode({"q": q, "lang": code}) for code, q in work.fuzzy],
        "api_search_reverse_ms": [search + urlencode({"q": q, "lang": code}) for code, q in work.reverse],
        "autocomplete_ms": ["/api/autocomplete/?" + urlencode({"q": q, "lang": code}) for code, q in work.autocomplete],
        "search_page_ms": [
            "/search/?" + urlencode({"q": q, "lang": code})
            for code, q in (work.exact + work.prefix + work.reverse + work.lemma)[::4][:runs]
        ],
        "entry_page_ms": [entry.get_absolute_url() for entry in _entries(work.entries)],
        "browse_page_ms": [
            f"/browse/{code}/?" + urlencode({"letter": letter, "page": page}) for code, letter, page in work.browse
        ],
    }
    medians = {}

    def spread(name, timings):
        report.spread(name, timings)
        medians[name] = statistics.median(timings)

    for name, urls in pages.items():
        if urls and name not in PAGES_BESIDE_BARE:
            spread(name, _time(client, urls))
    # Each page takes turns with the bare view; its ratio is to the bare views timed beside it.
    bare, ratios = [], {}
    for name in PAGES_BESIDE_BARE:
        if pages[name]:
            turns = _time_in_turns({"bare": (client, [BARE_URL] * len(pages[name])), name: (client, pages[name])})
            spread(name, turns[name])
            bare += turns["bare"]
            ratios[name] = medians[name] / statistics.median(turns["bare"])
    # The list page needs a signed-in learner, whose every request first reads the session and
    # the user: the bare view is timed signed in as well, and the list page set beside both.
    user, word_list = _list_owner()
    learner = Client()
    learner.force_login(user)
    list_url = word_list.get_absolute_url()
    turns = _time_in_turns(
        {
            "bare": (client, [BARE_URL] * runs),
            "signed_in": (learner, [BARE_URL] * runs),
            "list": (learner, [list_url] * runs),
        }
    )
    bare += turns["bare"]
    spread("bare_view_ms", bare)
    spread("bare_view_signed_in_ms", turns["signed_in"])
    spread("list_page_ms", turns["list"])
    for name, ratio in ratios.items():
        report.add(f"{name.removesuffix('_ms')}_vs_bare", ratio)
    report.add("list_page_vs_bare", medians["list_page_ms"] / statistics.median(turns["bare"]))
    report.add("list_page_vs_bare_signed_in", medians["list_page_ms"] / medians["bare_view_signed_in_ms"])
    for name, url in [
        ("search_page", pages["search_page_ms"][0]),
        ("entry_page", pages["entry_page_ms"][0] if pages["entry_page_ms"] else None),
        ("browse_page", pages["browse_page_ms"][0] if pages["browse_page_ms"] else None),
        ("list_page", list_url),
    ]:
        if url:  # counted signed in, as a learner sees the pages
            report.add(f"{name}_queries", _count_queries(learner, url))


def _entries(ids: list[int]) -> list[Entry]:
    by_id = Entry.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _list_owner():
    """Return the benchmark's learner and their list of LIST_SIZE saved words."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    word_list = WordList.objects.filter(owner=user).first() or create_list(owner=user, name="Benchmark words")
    missing = LIST_SIZE - word_list.saved_words.count()
    if missing > 0:
        highest = Entry.objects.order_by("-pk").values_list("pk", flat=True).first()
        step = max(highest // (LIST_SIZE * 2), 1)
        ids = list(Entry.objects.filter(pk__in=range(1, highest + 1, step)).values_list("pk", flat=True)[:missing])
        SavedWord.objects.bulk_create(
            [SavedWord(word_list=word_list, entry_id=pk) for pk in ids], ignore_conflicts=True
        )
    return user, word_list


def clean_up() -> None:
    """Remove what the measurements added: the learner, their list, measured imports."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=BENCH_USER).delete()
    for dictionary in Dictionary.objects.filter(name__startswith=MEASURE_PREFIX):
        with transaction.atomic():
            _delete_dictionary(dictionary)
    forget_languages()


def compact() -> None:
    """Rebuild the search tables' indexes after the measured imports came and went.

    Each import and removal of N/10 entries leaves the indexes looser than a fresh build does:
    after a dozen, lookups on PostgreSQL took a third longer and pages on SQLite a fifth, so a
    reused database measured worse run after run. PostgreSQL: REINDEX (about 20 s at 1M entries), then
    VACUUM ANALYZE; SQLite: VACUUM, which rewrites the file (8 s at 1M).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Entry, Sense, Example, SearchTerm):
                cursor.execute(f"REINDEX TABLE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
    _analyze()


def run(*, entries: int, seed: int, runs: int, import_runs: int, freedict: Path | None, drop: bool, out) -> dict:
    """Run the whole benchmark against the benchmark database; return the figures."""
    report = Report(out=out)
    report.add("database", connection.vendor)
    original = connection.settings_dict["NAME"]
    workdir = Path(tempfile.mkdtemp(prefix="langtool-bench-"))
    # Its own cache keys, so a shared Redis never mixes the site's catalogue with the benchmark's.
    caches = {alias: {**config, "KEY_PREFIX": "langtool-bench"} for alias, config in settings.CACHES.items()}
    try:
        with override_settings(ALLOWED_HOSTS=["testserver"], CACHES=caches, DEBUG=False):
            name = use_bench_database()
            report.add("bench_database", Path(name).name if connection.vendor == "sqlite" else name)
            try:
                build(entries, seed, freedict, report, workdir)
                # Requests first, on the database as built: the measured imports and their removal
                # would leave its indexes looser (compact).
                measure_requests(runs, seed, report)
                if import_runs:
                    measure_imports(entries, seed, import_runs, report, workdir)
                    if not drop:
                        compact()
            finally:
                clean_up()
                if drop:
                    drop_bench_database(original)
                else:
                    connection.close()
                    connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = original
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report.figures
