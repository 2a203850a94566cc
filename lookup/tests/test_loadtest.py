from io import StringIO

import pytest

from lookup.bench import loadtest
from lookup.bench.loadtest import PhaseResult, Query, QueryMix, figures, percentile, read_queries, zipf_weights
from lookup.tests.factories import DictionaryFactory, EntryFactory, LanguageFactory


def test_the_learner_queries_file_is_read_by_its_header():
    queries = read_queries(loadtest.DEFAULT_QUERIES)
    assert queries[0] == Query(lang="de", text="HAUS")
    assert Query(lang="fr", text="terre") in queries
    assert all(query.lang and query.text for query in queries)


def test_a_plain_file_holds_a_language_then_a_query_per_line(tmp_path):
    path = tmp_path / "queries.tsv"
    path.write_text("# most frequent first\n\nfr\tpomme de terre\nar\tكتاب\n\tHaus\n", encoding="utf-8")
    assert read_queries(path) == [Query("fr", "pomme de terre"), Query("ar", "كتاب"), Query("", "Haus")]


def test_a_line_without_a_tab_names_the_file_and_line(tmp_path):
    path = tmp_path / "queries.tsv"
    path.write_text("fr\tchat\nchien\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        read_queries(path)


def test_zipf_weights_fall_with_rank():
    assert zipf_weights(4) == [1, 1 / 2, 1 / 3, 1 / 4]


def test_the_same_seed_draws_the_same_queries_and_the_first_lines_most():
    queries = [Query("fr", word) for word in ["chat", "chien", "maison", "pomme", "terre"]]
    mix, again = QueryMix(queries, seed=7), QueryMix(queries, seed=7)
    drawn = [mix.draw() for _ in range(2000)]
    assert drawn == [again.draw() for _ in range(2000)]
    assert drawn != [QueryMix(queries, seed=8).draw() for _ in range(2000)]
    counts = [drawn.count(query) for query in queries]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == pytest.approx(2000 / sum(zipf_weights(5)), rel=0.15)


def test_percentile_takes_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([3, 1, 2], 100) == 3
    assert percentile([5], 1) == 5
    assert percentile([], 99) != percentile([], 99)  # nan


def test_figures_are_named_per_target_in_milliseconds():
    result = PhaseResult(latencies=[0.001] * 98 + [0.010, 0.020], errors=2, seconds=2.0, cpu_seconds=0.5)
    assert figures("api", result) == {
        "api_requests": "102",
        "api_req_per_s": "51.0",
        "api_p50_ms": "1.00",
        "api_p99_ms": "10.00",
        "api_errors": "2",
        "api_loader_cpu_pct": "25",
    }


@pytest.mark.django_db(transaction=True)
def test_a_short_run_against_the_site_reports_every_target_without_errors(live_server, tmp_path):
    french = DictionaryFactory(source_language=LanguageFactory(code="fr"))
    EntryFactory(dictionary=french, headword="chat")
    queries = tmp_path / "queries.tsv"
    queries.write_text("fr\tchat\nfr\tCHA\nja\t本\n", encoding="utf-8")
    out = StringIO()

    status = loadtest.main(
        [
            f"--base-url={live_server.url}",
            "--requests=12",
            "--concurrency=3",
            "--warmup=0.1",
            f"--queries={queries}",
            "--label=live_server",
        ],
        stdout=out,
    )

    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert status == 0
    assert lines["label"] == "live_server"
    assert lines["skipped_langs"] == "ja"  # no entries in Japanese: the site would answer 400
    for target in ["search", "api", "bare"]:
        assert lines[f"{target}_requests"] == "12"
        assert float(lines[f"{target}_req_per_s"]) > 0
        assert float(lines[f"{target}_p99_ms"]) >= float(lines[f"{target}_p50_ms"]) > 0
        assert lines[f"{target}_errors"] == "0"
    assert float(lines["search_p99_vs_bare"]) > 0
