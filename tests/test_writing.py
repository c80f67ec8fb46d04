"""The write stage on a real store: stories for events of several outlets, and their versions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import sqlalchemy as sa

from tidings import models
from tidings.article_features import embed_stage
from tidings.db import Store
from tidings.embedding import HashingEmbedder, make_embedder
from tidings.eventing import cluster_stage
from tidings.extractive import ExtractiveWriter
from tidings.ingest import ingest_paths
from tidings.pipeline import dedupe_stage, extract_stage, process
from tidings.settings import Settings
from tidings.stages import StageReport
from tidings.status import store_status
from tidings.stories import Coverage, Story, register_writer
from tidings.writing import coverage_of, write_stage

# Fictional news: every place, person and outlet is invented.
DAM = [
    "Engineers closed the Orvani dam spillway on Tuesday after a crack 14 metres long was "
    "found in its concrete wall, the regional water board said.",
    "Water board director Petra Lindqvist said the 1,200 people living below the dam in the "
    "village of Sorlund were not in danger but would be told to leave if the crack grew.",
    "The Orvani dam, finished in 1964, holds back 310 million cubic metres of water and "
    "supplies power to about 40,000 homes in the valley.",
]
DAM_RETOLD = [
    "Engineers closed the spillway of the Orvani dam on Tuesday after a crack 14 metres long "
    "was found in the concrete wall of the dam, the regional water board said.",
    "Petra Lindqvist, director of the water board, told reporters that the 1,200 residents "
    "of Sorlund below the dam were safe for now.",
    "Inspectors will lower the water level of the Orvani reservoir by two metres this week "
    "so that divers can examine the wall.",
]
DAM_LATER = [
    "Engineers closed the Orvani dam spillway on Tuesday after a crack 14 metres long was "
    "found in its concrete wall, and repairs will take eight months, the water board said.",
    "The repairs to the dam wall will cost 95 million crowns, the regional water board added.",
    "Director Petra Lindqvist said engineers had closed the Orvani spillway and that the "
    "1,200 people of Sorlund below the dam would be kept informed.",
]
FERRY = [
    "The crew of the Tarnholm ferry went on strike on Monday morning, leaving about 600 "
    "island commuters without a crossing to the mainland port of Brisk.",
    "The ferry union said the Tarnholm crew had not been paid overtime for three months.",
]
FERRY_RETOLD = [
    "The crew of the Tarnholm ferry stayed on strike, leaving island commuters without a "
    "crossing to the mainland port of Brisk for a second day.",
    "Union leaders said the Tarnholm ferry crew would stay on strike until overtime is paid.",
]
FAIR = [
    "The Marrowby book fair opened on Saturday with 220 publishers from eleven countries "
    "filling the old grain hall by the river.",
    "Organisers of the Marrowby fair expect 35,000 visitors over its four days, a record for "
    "the town.",
]
FAIR_RETOLD = [
    "About 220 publishers have come to Marrowby for the book fair in the old grain hall, which "
    "opened on Saturday and runs for four days.",
    "The organisers of the Marrowby book fair are counting on a record 35,000 visitors.",
]


def record(key: str, outlet: str, title: str, body: list[str], published: str) -> dict[str, Any]:
    """A JSONL article record as `tidings ingest` and `tidings stories` read them."""
    return {
        "id": key,
        "url": f"https://{outlet.lower().replace(' ', '')}.test/{key}",
        "outlet": outlet,
        "lang": "en",
        "title": title,
        "text": "\n\n".join(body),
        "published": published,
    }


RECORDS = [
    record("d1", "Orvani Gazette", "Crack closes Orvani dam spillway", DAM, "2026-03-03T08:00Z"),
    record("f1", "Isle Weekly", "Tarnholm ferry crew strikes", FERRY, "2026-03-02T07:00Z"),
    record(
        "d2",
        "Valley Times",
        "Crack in wall closes Orvani dam spillway",
        DAM_RETOLD,
        "2026-03-03T10:00Z",
    ),
    record("k1", "Marrowby Echo", "Marrowby book fair opens", FAIR, "2026-03-07T09:00Z"),
    record(
        "f2", "Isle Weekly", "Tarnholm ferry crew strike goes on", FERRY_RETOLD, "2026-03-03T07:00Z"
    ),
    record("k2", "Coastline News", "Publishers fill Marrowby", FAIR_RETOLD, "2026-03-07T12:00Z"),
]
LATE = record(
    "d3",
    "Northern Ledger",
    "Crack closes Orvani dam spillway for months",
    DAM_LATER,
    "2026-03-03T12:00Z",
)


def write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _event_of(store: Store, key: str) -> int:
    query = (
        sa.select(models.EventMember.event_id)
        .join(models.Article, models.Article.id == models.EventMember.article_id)
        .where(models.Article.external_id == key)
    )
    with store.session() as session:
        return session.scalars(query).one()


def _stories(store: Store) -> dict[int, models.Story]:
    with store.session() as session:
        return {s.event_id: s for s in session.scalars(sa.select(models.Story))}


def _versions(store: Store, event_id: int) -> list[models.StoryVersion]:
    query = (
        sa.select(models.StoryVersion)
        .join(models.Story, models.Story.id == models.StoryVersion.story_id)
        .where(models.Story.event_id == event_id)
        .order_by(models.StoryVersion.version)
    )
    with store.session() as session:
        return list(session.scalars(query))


def _members(store: Store, event_id: int) -> set[str]:
    query = sa.select(models.EventMember.article_id).where(models.EventMember.event_id == event_id)
    with store.session() as session:
        return {str(i) for i in session.scalars(query)}


def _count(store: Store, model: type[object]) -> int:
    with store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _make_events(store: Store, settings: Settings, *paths: Path) -> None:
    """Ingest and run the stages up to events, without writing stories."""
    embedder = make_embedder("hashing")
    ingest_paths(store, list(paths))
    extract_stage(store, settings)
    dedupe_stage(store, settings)
    embed_stage(store, settings, embedder=embedder)
    cluster_stage(store, settings, embedder=embedder)


@pytest.fixture
def newsroom(store: Store, settings: Settings, tmp_path: Path) -> Store:
    """A store whose events were made by the real pipeline from the records above."""
    ingest_paths(store, [write_jsonl(tmp_path / "news.jsonl", RECORDS)])
    process(store, settings)
    write_stage(store, settings, embedder=make_embedder("hashing"))
    return store


def test_the_fixture_events_are_as_reported(newsroom: Store) -> None:
    """The premise of the tests below: three events, of two, one and two outlets."""
    events = {key: _event_of(newsroom, key) for key in ("d1", "d2", "f1", "f2", "k1", "k2")}
    assert events["d1"] == events["d2"]
    assert events["f1"] == events["f2"]
    assert events["k1"] == events["k2"]
    assert len(set(events.values())) == 3


def test_stories_are_written_for_events_of_several_outlets(newsroom: Store) -> None:
    stories = _stories(newsroom)
    dam, fair, ferry = (_event_of(newsroom, k) for k in ("d1", "k1", "f1"))
    assert set(stories) == {dam, fair}  # the ferry strike has one outlet only
    assert ferry not in stories
    for event_id, row in stories.items():
        story = Story.model_validate(row.body)
        members = _members(newsroom, event_id)
        assert story.event_id == str(event_id)
        assert set(story.sources) <= members
        for sentence in [story.headline, *story.sentences()]:
            assert sentence.sources, sentence.text
            assert set(sentence.sources) <= members
        assert row.version == 1
        assert row.headline == story.headline.text
        assert row.outlets == len(story.outlets) == 2
        assert row.writer == story.writer
        [version] = _versions(newsroom, event_id)
        assert version.changes == ["first version"]
        assert {str(i) for i in version.article_ids} == members


def test_coverage_names_members_and_outlets(newsroom: Store) -> None:
    dam = _event_of(newsroom, "d1")
    with newsroom.session() as session:
        coverage = coverage_of(session, dam)
    assert coverage.event_id == str(dam)
    assert {a.id for a in coverage.articles} == _members(newsroom, dam)
    assert [a.outlet for a in coverage.articles] == ["Orvani Gazette", "Valley Times"]
    assert all(a.text and a.lang == "en" and a.published for a in coverage.articles)


def test_running_again_writes_nothing_new(newsroom: Store, settings: Settings) -> None:
    before = {e: r.body for e, r in _stories(newsroom).items()}
    versions = _count(newsroom, models.StoryVersion)
    again = write_stage(newsroom, settings, embedder=make_embedder("hashing"))
    assert (again.done, again.failed) == (0, 0)
    assert {e: r.body for e, r in _stories(newsroom).items()} == before
    assert _count(newsroom, models.StoryVersion) == versions


def test_a_new_outlet_makes_version_two_and_keeps_version_one(
    newsroom: Store, settings: Settings, tmp_path: Path
) -> None:
    dam = _event_of(newsroom, "d1")
    [first] = _versions(newsroom, dam)
    ingest_paths(newsroom, [write_jsonl(tmp_path / "late.jsonl", [LATE])])
    process(newsroom, settings)
    write_stage(newsroom, settings, embedder=make_embedder("hashing"))
    assert _event_of(newsroom, "d3") == dam
    versions = _versions(newsroom, dam)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].body == first.body  # version 1 kept as it was
    assert versions[0].article_ids == first.article_ids
    assert len(versions[1].article_ids) == 3
    assert "new outlets: Northern Ledger" in versions[1].changes
    row = _stories(newsroom)[dam]
    assert row.version == 2
    assert row.body == versions[1].body
    assert row.outlets == 3
    fair = _event_of(newsroom, "k1")
    assert [v.version for v in _versions(newsroom, fair)] == [1]  # untouched


class FussyEmbedder(HashingEmbedder):
    """Hashing vectors, except that it fails on any text naming `word`.

    A stand-in: no real embedder fails on demand, and the writers (the configured one and
    the extractive fallback) must both fail on one event for its story to fail.
    """

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if any(self.word in text for text in texts):
            raise ValueError(f"cannot embed a text about {self.word}")
        return super().embed(texts)


def test_a_failing_event_is_recorded_and_the_others_are_written(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _make_events(store, settings, write_jsonl(tmp_path / "news.jsonl", RECORDS))
    report: StageReport = write_stage(store, settings, embedder=FussyEmbedder("Marrowby"))
    fair, dam = _event_of(store, "k1"), _event_of(store, "d1")
    assert (report.done, report.failed) == (1, 1)
    assert report.failures[0].item == f"event {fair}"
    assert "cannot embed a text about Marrowby" in report.failures[0].reason
    assert set(_stories(store)) == {dam}
    with store.session() as session:
        failed = session.get_one(models.StageItem, ("write", fair))
        assert failed.status == "failed"
        assert "Marrowby" in (failed.reason or "")
    status = store_status(store)
    assert status.stories == 1
    assert ("write", f"event {fair}") in [(stage, item) for stage, item, _r in status.item_failures]
    retried = write_stage(store, settings, embedder=make_embedder("hashing"))
    assert (retried.done, retried.failed) == (1, 0)
    assert set(_stories(store)) == {dam, fair}


def test_a_story_is_stored_whole_or_not_at_all(
    newsroom: Store, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the story row and its version row leaves the previous version whole."""
    dam = _event_of(newsroom, "d1")
    before = _stories(newsroom)[dam].body
    _make_events(newsroom, settings, write_jsonl(tmp_path / "late.jsonl", [LATE]))

    def crash(*_args: object) -> list[str]:  # stands in for a crash mid-write (kill -9)
        raise KeyboardInterrupt

    monkeypatch.setattr("tidings.writing.changes", crash)
    with pytest.raises(KeyboardInterrupt):
        write_stage(newsroom, settings, embedder=make_embedder("hashing"))
    row = _stories(newsroom)[dam]
    assert (row.version, row.body) == (1, before)
    assert len(_versions(newsroom, dam)) == 1
    monkeypatch.undo()
    write_stage(newsroom, settings, embedder=make_embedder("hashing"))
    assert [v.version for v in _versions(newsroom, dam)] == [1, 2]


class JoinWhileWriting:
    """Writes as the extractive writer does, but a new report of the dam joins its event
    (ingested and clustered by the real stages) while the dam's story is being written."""

    name = "join-while-writing"
    generative = False
    model: str | None = None

    def __init__(self, store: Store, settings: Settings, late: Path) -> None:
        self.store, self.settings, self.late = store, settings, late
        self.inner = ExtractiveWriter(make_embedder("hashing"))

    def write(self, coverage: Coverage) -> Story:
        if any(a.outlet == "Orvani Gazette" for a in coverage.articles) and self.late.exists():
            _make_events(self.store, self.settings, self.late)
            self.late.unlink()
        return self.inner.write(coverage)


def test_a_story_written_while_its_event_grew_is_not_stored(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _make_events(store, settings, write_jsonl(tmp_path / "news.jsonl", RECORDS))
    late = write_jsonl(tmp_path / "late.jsonl", [LATE])
    register_writer("join-while-writing")(lambda _s, _e: JoinWhileWriting(store, settings, late))
    joining = settings.model_copy(update={"writer": "join-while-writing"})
    first = write_stage(store, joining, embedder=make_embedder("hashing"))
    dam = _event_of(store, "d1")
    assert _event_of(store, "d3") == dam  # the report joined during the run
    assert first.done == 1  # the fair; the dam's story was written from two of three reports
    assert dam not in _stories(store)
    second = write_stage(store, settings, embedder=make_embedder("hashing"))
    assert second.done == 1
    [version] = _versions(store, dam)
    assert len(version.article_ids) == 3
