"""`tidings stories`: a story per event of a JSONL file, written as JSON, no store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from test_writing import LATE, RECORDS, write_jsonl
from tidings.cli import cli
from tidings.settings import Settings


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    base = ["--data", str(settings.data), "--db", settings.db]
    env = {"TIDINGS_EMBEDDER": "hashing"}
    result = CliRunner().invoke(cli, [*base, *args], env=env, catch_exceptions=False)
    return result.exit_code, result.output


def _sentences(story: dict[str, Any]) -> list[dict[str, Any]]:
    body = [s for paragraph in story["paragraphs"] for s in paragraph]
    return [story["headline"], *story["standfirst"], *body]


def test_stories_writes_one_json_per_event_of_several_articles(
    settings: Settings, tmp_path: Path
) -> None:
    lone = dict(LATE, id="x1", title="Hail flattens Zorvik barley", outlet="Lindmo Post")
    lone["text"] = (
        "Hail the size of eggs fell on the village of Zorvik on Sunday, breaking windows and "
        "flattening the barley in the fields around the church, farmers said."
    )
    records = [*RECORDS, lone]
    source = write_jsonl(tmp_path / "news.jsonl", records)
    out = tmp_path / "stories"
    code, output = _run(settings, "stories", "--input", str(source), "--output", str(out))
    assert code == 0, output
    texts = {r["id"]: r["text"] for r in records}
    events = {"dam": {"d1", "d2"}, "ferry": {"f1", "f2"}, "fair": {"k1", "k2"}}
    written = [json.loads(path.read_text()) for path in sorted(out.glob("*.json"))]
    assert len(written) == 3  # the hail report stands alone
    assert f"3 stories written to {out}" in output
    cited_events = []
    for story in written:
        assert (out / f"{story['event_id']}.json").is_file()
        cited = {i for s in _sentences(story) for i in s["sources"]}
        [name] = [name for name, ids in events.items() if cited <= ids]
        cited_events.append(name)
        assert story["writer"] == "extractive"
        assert story["label"].startswith("Compiled automatically from")
        assert story["check"]["writer"] == story["writer"]
        assert story["outlets"]
        for sentence in _sentences(story):
            assert sentence["text"]
            assert sentence["sources"]
            located = [c for c in sentence["spans"] if c["start"] is not None]
            if located:  # the first cited span is the passage the sentence was taken from
                first = located[0]
                quoted = set(texts[first["article_id"]][first["start"] : first["end"]].split())
                assert len(quoted & set(sentence["text"].split())) >= len(quoted) / 2
        assert story["headline"]["text"] in output
    assert sorted(cited_events) == ["dam", "fair", "ferry"]


def test_stories_names_an_unknown_writer(settings: Settings, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    args = ["--input", str(source), "--output", str(tmp_path / "out"), "--writer", "quill"]
    result = CliRunner().invoke(cli, ["--data", str(settings.data), "stories", *args])
    assert result.exit_code != 0
    assert "unknown writer 'quill'" in str(result.exception)
    assert not (tmp_path / "out").exists()
