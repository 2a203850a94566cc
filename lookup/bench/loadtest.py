"""Load a running Langtool from a second process: requests per second and latency per target.

    python -m lookup.bench.loadtest --base-url http://127.0.0.1:8000 --seconds 20 --concurrency 8

For each target (the search page, the search API, and the bare /ping/ view for comparison) it
warms up, then runs a bounded phase (--seconds or --requests) from --concurrency threads, each
holding one keep-alive connection, and prints one `name: value` line per figure. Searches are
drawn from a file of learner queries, the first lines most often (Zipf), in an order fixed by
--seed. Standard library only: it needs neither Django nor a database.
"""

import argparse
import http.client
import itertools
import math
import random
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

DEFAULT_QUERIES = Path(__file__).with_name("learner_queries.tsv")
TARGETS = {
    "search": "/search/",
    "api": "/api/search/",
    "bare": "/ping/",
}
ZIPF_EXPONENT = 1.0


@dataclass(frozen=True)
class Query:
    lang: str
    text: str


def read_queries(path) -> list[Query]:
    """Return the queries of a file, in order: `lang<TAB>query` lines, or columns named by a header.

    A comment line naming the columns (`# query<TAB>lang<TAB>…`, as in learner_queries.tsv) sets
    which column holds what; other comment lines and blank lines are skipped.
    """
    lang_column, query_column = 0, 1
    queries = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                names = [name.strip() for name in line.lstrip("#").split("\t")]
                if "query" in names and "lang" in names:
                    lang_column, query_column = names.index("lang"), names.index("query")
                continue
            fields = line.split("\t")
            if len(fields) <= max(lang_column, query_column) or not fields[query_column].strip():
                raise ValueError(f"{path}, line {number}: expected a language and a query separated by a tab")
            queries.append(Query(lang=fields[lang_column].strip(), text=fields[query_column].strip()))
    if not queries:
        raise ValueError(f"{path}: no queries")
    return queries


def zipf_weights(count: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    """Return the weight of each rank, 1 / rank**exponent: the first line is drawn most often."""
    return [1 / rank**exponent for rank in range(1, count + 1)]


class QueryMix:
    """Draw queries Zipf-weighted by their position, in an order fixed by the seed (thread-safe)."""

    def __init__(self, queries: list[Query], seed: int):
        self.queries = queries
        self.cum_weights = list(itertools.accumulate(zipf_weights(len(queries))))
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def draw(self) -> Query:
        with self.lock:
            return self.random.choices(self.queries, cum_weights=self.cum_weights)[0]


def percentile(values, percent: float) -> float:
    """Return the nearest-rank percentile of values (nan when there are none)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def paths(target: str, mix: QueryMix):
    """Return a function giving the next path to request for target."""
    return lambda: target_path(target, mix.draw())


def target_path(target: str, query: Query) -> str:
    path = TARGETS[target]
    if target == "bare":
        return path
    params = {"q": query.text}
    if query.lang:
        params["lang"] = query.lang
    return f"{path}?{urlencode(params)}"


@dataclass
class PhaseResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_phase(connections, next_path, *, seconds=None, requests=None) -> PhaseResult:
    """Send requests from one thread per connection until the time or request budget is spent."""
    result = PhaseResult()
    lock = threading.Lock()
    issued = itertools.count()
    start = time.perf_counter()
    deadline = start + seconds if seconds is not None else math.inf

    def more():
        if requests is not None:
            return next(issued) < requests
        return time.perf_counter() < deadline

    def send(connection):
        latencies, errors = [], 0
        while more():
            path = next_path()
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"User-Agent": "langtool-loadtest"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # reconnects on the next request
                errors += 1
                continue
            if 200 <= response.status < 300:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    cpu_before = _cpu_seconds()
    threads = [threading.Thread(target=send, args=(connection,)) for connection in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = _cpu_seconds() - cpu_before
    return result


def figures(target: str, result: PhaseResult) -> dict[str, str]:
    """Return the printed figures of one target's measured phase, by name."""
    return {
        f"{target}_requests": str(result.requests),
        f"{target}_req_per_s": f"{result.requests / result.seconds:.1f}" if result.seconds else "nan",
        f"{target}_p50_ms": f"{percentile(result.latencies, 50) * 1000:.2f}",
        f"{target}_p99_ms": f"{percentile(result.latencies, 99) * 1000:.2f}",
        f"{target}_errors": str(result.errors),
        f"{target}_loader_cpu_pct": f"{100 * result.cpu_seconds / result.seconds:.0f}" if result.seconds else "nan",
    }


def _connect(base_url: str, timeout: float):
    parts = urlsplit(base_url)
    if parts.scheme == "https":
        return lambda: http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"--base-url must be http://host[:port] or https://…, not {base_url!r}")
    return lambda: http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def served_languages(connect, langs) -> tuple[list[str], list[str]]:
    """Return (languages the server searches, languages it refuses with 400: no entries there)."""
    connection = connect()
    served, refused = [], []
    try:
        for lang in langs:
            connection.request("GET", f"/api/autocomplete/?{urlencode({'q': '', 'lang': lang})}")
            response = connection.getresponse()
            response.read()
            if response.status == 400:
                refused.append(lang)
            elif 200 <= response.status < 300:
                served.append(lang)
            else:
                raise OSError(f"/api/autocomplete/ answered {response.status} for lang={lang}")
    finally:
        connection.close()
    return served, refused


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m lookup.bench.loadtest", description=__doc__.split("\n\n")[0].strip()
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    bound = parser.add_mutually_exclusive_group()
    bound.add_argument("--seconds", type=float, help="length of each measured phase (default 10)")
    bound.add_argument("--requests", type=int, help="requests in each measured phase, instead of --seconds")
    parser.add_argument("--concurrency", type=int, default=8, help="threads, each with one keep-alive connection")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured requests before each phase")
    parser.add_argument(
        "--targets",
        default="search,api,bare",
        help=f"comma-separated, from {','.join(TARGETS)} (default: all three)",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        default=DEFAULT_QUERIES,
        help="file of `lang<TAB>query` lines, most frequent first (default: the learner queries)",
    )
    parser.add_argument(
        "--langs",
        help="comma-separated languages to keep from the queries "
        "(default: those the server has entries for, found by asking it)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one response")
    parser.add_argument("--label", help="what is being measured (server, database…), printed as given")
    args = parser.parse_args(argv)
    if args.seconds is None and args.requests is None:
        args.seconds = 10.0
    args.targets = [target.strip() for target in args.targets.split(",") if target.strip()]
    unknown = set(args.targets) - set(TARGETS)
    if unknown or not args.targets:
        parser.error(f"--targets takes {', '.join(TARGETS)}; not {', '.join(sorted(unknown)) or 'nothing'}")
    if (args.seconds is not None and args.seconds <= 0) or (args.requests is not None and args.requests <= 0):
        parser.error("--seconds and --requests must be positive")
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    return args


def main(argv=None, stdout=None) -> int:
    """Run the load test; print `name: value` lines; return 1 if any request failed."""
    args = parse_args(argv)
    stdout = stdout or sys.stdout

    def say(name, value):
        print(f"{name}: {value}", file=stdout, flush=True)

    connect = _connect(args.base_url, args.timeout)
    queries = read_queries(args.queries)
    langs = list(dict.fromkeys(query.lang for query in queries))
    if args.langs is not None:
        kept = {lang.strip() for lang in args.langs.split(",")}
        skipped = [lang for lang in langs if lang not in kept]
    elif {"search", "api"} & set(args.targets):
        try:
            _, skipped = served_languages(connect, [lang for lang in langs if lang])
        except (OSError, http.client.HTTPException) as error:
            raise SystemExit(f"Cannot ask {args.base_url} which languages it searches: {error}") from error
    else:
        skipped = []
    queries = [query for query in queries if query.lang not in skipped]
    if not queries:
        raise SystemExit(f"None of the queries' languages ({', '.join(langs)}) is searchable on {args.base_url}.")

    if args.label:
        say("label", args.label)
    say("base_url", args.base_url)
    say(
        "bound",
        f"{args.seconds:g} s per target" if args.seconds is not None else f"{args.requests} requests per target",
    )
    say("concurrency", args.concurrency)
    say("queries", f"{args.queries} ({len(queries)} kept, Zipf-weighted, seed {args.seed})")
    say("skipped_langs", " ".join(skipped) or "none")

    results = {}
    for target in args.targets:
        connections = [connect() for _ in range(args.concurrency)]
        try:
            if args.warmup > 0:
                run_phase(connections, paths(target, QueryMix(queries, seed=args.seed + 1)), seconds=args.warmup)
            result = run_phase(
                connections,
                paths(target, QueryMix(queries, seed=args.seed)),
                seconds=args.seconds,
                requests=args.requests,
            )
        finally:
            for connection in connections:
                connection.close()
        results[target] = result
        for name, value in figures(target, result).items():
            say(name, value)

    bare = results.get("bare")
    if bare and bare.latencies:
        bare_p99 = percentile(bare.latencies, 99)
        for target, result in results.items():
            if target != "bare" and result.latencies:
                say(f"{target}_p99_vs_bare", f"{percentile(result.latencies, 99) / bare_p99:.1f}")
    return 1 if any(result.errors for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
