"""The benchmark's own parts: its generated dictionaries and its statistics."""

from pathlib import Path

import pytest

from lookup.bench import synthetic
from lookup.bench.runner import percentile
from lookup.readers import open_reader


def test_generated_entries_are_the_same_for_a_seed_and_differ_across_seeds():
    first = list(synthetic.records("de", 200, seed=7))
    assert first == list(synthetic.records("de", 200, seed=7))
    assert first != list(synthetic.records("de", 200, seed=8))
    assert len({record["headword"] for record in first}) == 200


def test_generated_entries_look_like_a_dictionary():
    records = list(synthetic.records("ar", 300, seed=1))
    assert all(1 <= len(record["senses"]) <= 4 for record in records)
    assert any(record["senses"][0]["examples"] for record in records)
    assert any("\u064e" in record["headword"] for record in records)  # Arabic with harakat
    assert all(record["senses"][0]["gloss"] for record in records)


@pytest.mark.parametrize("fmt", ["dictd", "jsonl"])
def test_generated_files_read_back_entry_for_entry(tmp_path: Path, fmt):
    records = list(synthetic.records("fr", 150, seed=3))
    if fmt == "dictd":
        synthetic.write_dictd(tmp_path / "fr", records, name="Synthetic French")
        reader = open_reader(tmp_path / "fr.index", "dictd")
        assert reader.metadata["name"] == "Synthetic French"
    else:
        synthetic.write_jsonl(tmp_path / "fr.jsonl", records)
        reader = open_reader(tmp_path / "fr.jsonl", "jsonl")
    read = sorted(list(reader), key=lambda record: record["headword"])
    expected = sorted(records, key=lambda record: record["headword"])
    assert [record["headword"] for record in read] == [record["headword"] for record in expected]
    assert [[sense["gloss"] for sense in record["senses"]] for record in read] == [
        [sense["gloss"] for sense in record["senses"]] for record in expected
    ]
    assert [record["part_of_speech"] for record in read] == [record["part_of_speech"] for record in expected]


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([3.0], 0.95) == 3.0
