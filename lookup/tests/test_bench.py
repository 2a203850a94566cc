"""The benchmark's own parts: its generated dictionaries and its statistics."""

from pathlib import Path

import pytest
from django.test import Client

from lookup.bench import synthetic
from lookup.bench.runner import TURN, _time_in_turns, percentile
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


class RecordingClient(Client):
    """A test client that notes the paths it asked for, in order, in a list shared with others."""

    def __init__(self, asked, **defaults):
        super().__init__(**defaults)
        self.asked = asked

    def get(self, path, *args, **kwargs):
        self.asked.append(path)
        return super().get(path, *args, **kwargs)


@pytest.mark.django_db
def test_kinds_timed_side_by_side_take_turns_and_each_keeps_its_own_timings():
    asked = []
    client = RecordingClient(asked)
    count = TURN * 2 + 3
    timings = _time_in_turns(
        {"bare": (client, ["/ping/"] * count), "health": (client, ["/healthz/"] * count)}, warmup=1
    )
    assert [len(timings["bare"]), len(timings["health"])] == [count, count]
    assert all(ms > 0 for ms in timings["bare"] + timings["health"])
    timed = asked[2:]  # after one warm-up request of each kind
    expected = []
    for start in range(0, count, TURN):
        size = min(TURN, count - start)
        expected += ["/ping/"] * size + ["/healthz/"] * size
    assert timed == expected
