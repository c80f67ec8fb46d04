"""`tidings cluster`: events of a JSONL file of articles, written as TSV, without a store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_eventing import BRIDGE, BRIDGE_RETOLD, STORM, STORM_RETOLD
from tidings.cli import cli
from tidings.embedding import HashingEmbedder
from tidings.errors import InputError
from tidings.eventing import cluster_file

RECORDS = [
    {"id": "s1", "lang": "en", "title": "Storm closes Eskerud schools",
     "text": "\n\n".join(STORM), "published": "5 March 2026 08:00"},
    {"id": "b1", "outlet": "Velmora Courier", "lang": "en", "title": "Velmora opens its bridge",
     "text": "\n\n".join(BRIDGE), "published": "2026-03-02T09:00:00+00:00"},
    {"id": "s2", "lang": "en", "title": "Eskerud schools shut by storm",
     "text": "\n\n".join(STORM_RETOLD)},
    {"id": "b2", "lang": "en", "title": "New bridge opens in Velmora",
     "text": "\n\n".join(BRIDGE_RETOLD), "published": "2026-03-02T11:00:00Z"},
]  # fmt: skip


def _run(tmp_path: Path, *flags: str) -> list[list[str]]:
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    output = tmp_path / "events.tsv"
    args = ["--data", str(tmp_path / "data"), "cluster", "--input", str(source)]
    result = CliRunner().invoke(
        cli, [*args, "--output", str(output), "--embedder", "hashing", *flags], env={}
    )
    assert result.exit_code == 0, result.output
    assert "4 articles in 2 events" in result.output
    assert not (tmp_path / "data").exists()  # no store was made
    return [line.split("\t") for line in output.read_text().splitlines()]


def test_cluster_writes_one_line_per_article_in_input_order(tmp_path: Path) -> None:
    rows = _run(tmp_path)
    assert [row[0] for row in rows] == ["s1", "b1", "s2", "b2"]
    assert all(len(row) == 2 for row in rows)
    event = dict(rows)
    assert event["b1"] == event["b2"] != event["s1"] == event["s2"]
    assert event["b1"] == "1"  # the bridge was published first


def test_cluster_adds_the_storyline_column(tmp_path: Path) -> None:
    rows = _run(tmp_path, "--storylines")
    assert all(len(row) == 3 for row in rows)
    story = {row[0]: row[2] for row in rows}
    assert story["b1"] == story["b2"]
    assert story["s1"] == story["s2"]


def test_records_without_ids_are_named_by_position(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    anonymous = [{k: v for k, v in r.items() if k != "id"} for r in RECORDS[1:]]
    source.write_text("\n".join(json.dumps(r) for r in anonymous) + "\n\n")
    placed = cluster_file(source, embedder=HashingEmbedder())
    assert [key for key, _a in placed] == ["1", "2", "3"]
    assert placed[0][1].event_id == placed[2][1].event_id


def test_a_line_that_is_not_json_is_an_input_error(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps(RECORDS[0]) + "\n{broken\n")
    with pytest.raises(InputError, match=r"articles.jsonl#L2: not valid JSON"):
        cluster_file(source, embedder=HashingEmbedder())
