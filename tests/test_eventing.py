"""Events and storylines in the store: the embed, cluster and related stages."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import sqlalchemy as sa

from tidings.article_features import embed_stage, vector_to_bytes
from tidings.clustering import Decision
from tidings.db import Store, open_store
from tidings.embedding import HashingEmbedder, make_embedder
from tidings.eventing import cluster_stage
from tidings.events import FEATURES
from tidings.ingest import ingest_paths
from tidings.models import (
    Article,
    ArticleFeatures,
    Event,
    EventMember,
    RelatedEvent,
    StageItem,
    Story,
    Storyline,
)
from tidings.pipeline import dedupe_stage, extract_stage, process
from tidings.related import related_stage
from tidings.settings import Settings, load_settings
from tidings.stages import StageReport

# Fictional news: every place, person and outlet is invented.
BRIDGE = [
    "The harbour city of Velmora opened its new suspension bridge over the fjord on Monday "
    "after six years of construction, Mayor Ilse Brandvik said at the ceremony.",
    "The bridge cost 820 million crowns and links the old town of Velmora with the Nordkai "
    "district, cutting the ferry crossing from forty minutes to five.",
    "About 3,000 residents watched Mayor Ilse Brandvik cut the ribbon on the Velmora bridge.",
]
BRIDGE_RETOLD = [
    "On Monday Mayor Ilse Brandvik opened the new Velmora suspension bridge over the fjord, "
    "ending six years of construction in the harbour city.",
    "Linking Nordkai with the old town of Velmora, the 820 million crown bridge cuts the "
    "forty minute ferry crossing to five minutes, the mayor said.",
    "Some 3,000 residents of Velmora came to see the ribbon cut on the new bridge.",
]
STORM = [
    "A winter storm closed every school in the mountain town of Eskerud on Thursday as snow "
    "drifts of two metres blocked the main road to Lindmo.",
    "Power was cut to 4,200 homes in Eskerud overnight, the regional grid operator said.",
    "The army sent two snowploughs from the Lindmo garrison to clear the Eskerud road.",
]
TOLL = [
    "Drivers crossing the Velmora bridge will pay 30 crowns from May, Mayor Ilse Brandvik "
    "announced on Monday, more than twice the toll promised when the bridge opened.",
    "The council of Velmora blamed the cost overrun of the Nordkai crossing and said the "
    "higher toll would repay the loans within twelve years.",
]
STORM_RETOLD = [
    "Schools in the mountain town of Eskerud stayed closed on Thursday after a winter storm "
    "left two metre snow drifts on the main road to Lindmo.",
    "The regional grid operator said 4,200 Eskerud homes lost power overnight in the storm.",
    "Two army snowploughs from the garrison at Lindmo were clearing the road to Eskerud.",
]


def _record(key: str, outlet: str, title: str, body: list[str], published: str) -> dict[str, Any]:
    return {
        "id": key,
        "url": f"https://{outlet.lower().replace(' ', '')}.test/{key}",
        "outlet": outlet,
        "lang": "en",
        "title": title,
        "text": "\n\n".join(body),
        "published": published,
    }


MONDAY, THURSDAY = "2026-03-02T{:02}:00:00+00:00", "2026-03-05T{:02}:00:00+00:00"
RECORDS = [
    _record("b1", "Velmora Courier", "Velmora opens its new bridge", BRIDGE, MONDAY.format(9)),
    _record("s1", "Eskerud Tidende", "Storm closes Eskerud schools", STORM, THURSDAY.format(8)),
    _record("b2", "Harbour Post", "New bridge opens in Velmora", BRIDGE_RETOLD, MONDAY.format(11)),
    _record(  # a wire copy of b1
        "b3", "Fjord Daily", "Velmora opens its new bridge",
        ["VELMORA (Nordic Wire) -", *BRIDGE], MONDAY.format(12),
    ),
    _record(
        "s2", "Mountain Herald", "Eskerud schools shut by storm", STORM_RETOLD, THURSDAY.format(10)
    ),
]  # fmt: skip


@pytest.fixture
def hashing(settings: Settings) -> Settings:
    return settings.model_copy(update={"embedder": "hashing"})


def _write_jsonl(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _count(store: Store, model: type[object]) -> int:
    with store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _events_by_record(store: Store) -> dict[str, int]:
    """Record id -> event id."""
    query = sa.select(Article.external_id, EventMember.event_id).join(
        EventMember, EventMember.article_id == Article.id
    )
    with store.session() as session:
        return {str(key): event for key, event in session.execute(query)}


def _partition(placed: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for key, event in placed.items():
        groups.setdefault(event, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def _by_stage(reports: list[StageReport]) -> dict[str, StageReport]:
    return {r.stage: r for r in reports}


def test_stages_store_events_storylines_and_related_rows(
    store: Store, hashing: Settings, tmp_path: Path
) -> None:
    ingest_paths(store, [_write_jsonl(tmp_path / "news.jsonl", RECORDS)])
    reports = _by_stage(process(store, hashing))
    assert [reports[s].done for s in ("embed", "cluster")] == [5, 5]
    assert sum(r.failed for r in reports.values()) == 0
    placed = _events_by_record(store)
    assert _partition(placed) == {frozenset({"b1", "b2", "b3"}), frozenset({"s1", "s2"})}
    assert _count(store, ArticleFeatures) == 4  # the wire copy needs no vector
    with store.session() as session:
        copy = session.scalars(sa.select(Article).where(Article.external_id == "b3")).one()
        assert copy.duplicate_of is not None  # a wire copy, joined without clustering
        bridge = session.get_one(Event, placed["b1"])
        assert (bridge.size, bridge.outlets, bridge.langs) == (3, 3, ["en"])
        assert bridge.first_published == datetime(2026, 3, 2, 9, tzinfo=UTC)
        assert bridge.last_published == datetime(2026, 3, 2, 12, tzinfo=UTC)
        assert np.isclose(np.linalg.norm(np.frombuffer(bridge.centroid or b"", np.float32)), 1)
        assert bridge.entities
        assert all(count >= 1 for _name, count in bridge.entities)
        opened = session.scalars(sa.select(EventMember).where(EventMember.opened)).all()
        assert {m.event_id for m in opened} == set(placed.values())  # one opener per event
        stories = session.scalars(sa.select(Storyline)).all()
        assert sum(s.size for s in stories) == 2
        related = session.scalars(sa.select(RelatedEvent)).all()
        assert all(r.kind in {"storyline", "topic"} for r in related)
    assert reports["related"].done == 2


def test_running_again_adds_nothing(store: Store, hashing: Settings, tmp_path: Path) -> None:
    ingest_paths(store, [_write_jsonl(tmp_path / "news.jsonl", RECORDS)])
    process(store, hashing)
    tables = (ArticleFeatures, Event, EventMember, Storyline, RelatedEvent, StageItem)
    before = [_count(store, t) for t in tables]
    placed = _events_by_record(store)
    again = process(store, hashing)
    assert all(r.done == 0 and r.failed == 0 for r in again)
    assert [_count(store, t) for t in tables] == before
    assert _events_by_record(store) == placed


def test_copies_wait_for_their_original(store: Store, hashing: Settings, tmp_path: Path) -> None:
    """A copy dedupe linked to an article not yet clustered joins once the original has."""
    ingest_paths(store, [_write_jsonl(tmp_path / "first.jsonl", RECORDS[:2])])
    process(store, hashing)
    ingest_paths(store, [_write_jsonl(tmp_path / "rest.jsonl", RECORDS[2:])])
    process(store, hashing)
    placed = _events_by_record(store)
    assert placed["b3"] == placed["b1"]
    with store.session() as session:
        assert session.get_one(Event, placed["b1"]).size == 3


class FussyEmbedder(HashingEmbedder):
    """Hashing vectors, except that it fails on any text naming `word`."""

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += 1
        if any(self.word in text for text in texts):
            raise ValueError(f"cannot embed a text about {self.word}")
        return super().embed(texts)


def test_a_failing_article_is_recorded_and_the_rest_go_on(
    store: Store, hashing: Settings, tmp_path: Path
) -> None:
    hail = [
        "Hail the size of eggs fell on the village of Zorvik on Sunday, breaking windows "
        "and flattening the barley in the fields around the church, farmers said."
    ]
    fussy = [*RECORDS, _record("x", "Lindmo Post", "Hail in Zorvik", hail, "")]
    ingest_paths(store, [_write_jsonl(tmp_path / "news.jsonl", fussy)])
    reports = _by_stage(process(store, hashing, embedder=FussyEmbedder("Zorvik")))
    assert (reports["embed"].done, reports["embed"].failed) == (5, 1)
    assert "cannot embed a text about Zorvik" in reports["embed"].failures[0].reason
    assert set(_events_by_record(store)) == {r["id"] for r in RECORDS}
    with store.session() as session:
        failed = session.scalars(sa.select(StageItem).where(StageItem.status == "failed")).one()
        assert failed.stage == "embed"
        assert "ValueError" in (failed.reason or "")
    for _attempt in range(hashing.max_attempts):
        process(store, hashing, embedder=FussyEmbedder("Zorvik"))
    with store.session() as session:
        assert session.get_one(StageItem, ("embed", failed.item_id)).attempts == 3


class KillAfter:
    """Progress that stops the run, like kill -9, after `count` clustered articles."""

    def __init__(self, count: int) -> None:
        self.left = count

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, count: int = 1) -> None:
        if stage == "cluster":
            self.left -= count
            if self.left <= 0:
                raise KeyboardInterrupt


def test_a_killed_run_resumes_to_the_same_events(hashing: Settings, tmp_path: Path) -> None:
    feed = _write_jsonl(tmp_path / "news.jsonl", RECORDS)
    reference = load_settings({"data": tmp_path / "reference", "embedder": "hashing"}, env={})
    with open_store(reference) as store:
        ingest_paths(store, [feed])
        process(store, reference)
        one_run = _partition(_events_by_record(store))
    with open_store(hashing) as store:
        ingest_paths(store, [feed])
        with pytest.raises(KeyboardInterrupt):
            process(store, hashing, progress=KillAfter(3))
        assert len(_events_by_record(store)) == 3
    with open_store(hashing) as store:  # reopened: the clusterer is restored from the store
        process(store, hashing)
        placed = _events_by_record(store)
    assert len(placed) == len(RECORDS)  # every article in exactly one event
    assert _partition(placed) == one_run


def test_events_close_after_their_window(store: Store, hashing: Settings, tmp_path: Path) -> None:
    later = _record("late", "Velmora Courier", "Velmora bridge toll rises", TOLL, "2026-06-20")
    ingest_paths(store, [_write_jsonl(tmp_path / "news.jsonl", [*RECORDS, later])])
    process(store, hashing)
    placed = _events_by_record(store)
    with store.session() as session:
        assert session.get_one(Event, placed["b1"]).closed
        assert session.get_one(Event, placed["s1"]).closed
        assert not session.get_one(Event, placed["late"]).closed
    assert placed["late"] != placed["b1"]  # a closed event takes no new report


def _unit(*values: float) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return vector_to_bytes(vector / np.linalg.norm(vector))


def _event(event_id: int, story: int, when: datetime, centroid: bytes, names: list[str]) -> Event:
    return Event(
        id=event_id,
        storyline_id=story,
        first_published=when,
        last_published=when,
        size=2,
        outlets=2,
        langs=["en"],
        centroid=centroid,
        entities=[[name, 2] for name in names],
    )


def _related_rows(store: Store) -> Iterator[tuple[int, int, str]]:
    with store.session() as session:
        for row in session.scalars(sa.select(RelatedEvent)):
            yield row.event_id, row.related_id, row.kind


def test_related_events_are_the_storyline_then_the_topic(store: Store, settings: Settings) -> None:
    def day(n: int) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)

    with store.session() as session:
        session.add_all([Storyline(id=1, size=2), Storyline(id=2, size=1), Storyline(id=3, size=1)])
        session.flush()
        session.add_all(
            [
                _event(1, 1, day(10), _unit(1, 0, 0), ["Velmora", "Ilse Brandvik"]),
                _event(2, 1, day(20), _unit(1, 0.5, 0), ["Velmora"]),
                _event(3, 2, day(25), _unit(1, 0.2, 0.1), ["Velmora", "Nordkai"]),  # same topic
                _event(4, 3, day(25), _unit(0, 0, 1), ["Eskerud"]),  # unrelated
                _event(5, 2, day(-120), _unit(1, 0.1, 0), ["Ilse Brandvik"]),  # topic, long ago
            ]
        )
    report = related_stage(store, settings)
    assert (report.done, report.failed) == (5, 0)
    rows = set(_related_rows(store))
    assert {(1, 2, "storyline"), (2, 1, "storyline"), (1, 3, "topic"), (3, 1, "topic")} <= rows
    assert not {r for r in rows if 4 in r[:2]}
    assert (1, 5, "topic") not in rows
    assert (3, 5, "storyline") in rows  # the storyline's other events, however old
    assert related_stage(store, settings).done == 0  # nothing changed, nothing waits


SEEDS = {"002": "2026-01-30T09:00:00+00:00", "003": "2025-07-25T09:00:00+00:00",
         "004": "2026-01-30T10:00:00+00:00"}  # fmt: skip


def _seed_record(path: Path, published: str) -> dict[str, Any]:
    text = path.read_text().strip()
    lead = text.split("\n", 1)[0]
    title = lead.split(". ", 1)[0]
    return {"id": path.name[:3], "lang": "en", "title": title, "text": text, "published": published}


def test_e5_places_the_seed_reports_of_one_event_together(
    store: Store, settings: Settings, shared: Path, tmp_path: Path
) -> None:
    seeds = shared / "seeds"
    records = [_seed_record(next(seeds.glob(f"{key}_*.txt")), when) for key, when in SEEDS.items()]
    ingest_paths(store, [_write_jsonl(tmp_path / "seeds.jsonl", records)])
    reports = _by_stage(process(store, settings.model_copy(update={"embedder": "e5"})))
    assert reports["cluster"].done == 3
    placed = _events_by_record(store)
    assert placed["002"] == placed["004"]
    assert placed["003"] != placed["002"]
    with store.session() as session:
        model = session.scalars(sa.select(ArticleFeatures.model).distinct()).one()
        assert model.startswith("e5")
        assert session.get_one(Event, placed["002"]).size == 2


def _angled(degrees: float, dim: int) -> bytes:
    vector = np.zeros(dim, dtype=np.float32)
    vector[0], vector[1] = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return vector_to_bytes(vector)


def test_fragments_merged_by_a_bridging_report_become_one_event_in_the_store(
    store: Store, hashing: Settings, tmp_path: Path
) -> None:
    """Two fragments of one event, then a report between them: the store keeps one event
    with all three members, and the story the second fragment already had."""
    # Only the centroid cosine counts, so the vectors set here alone decide the placements.
    weights = tuple(30.0 if name == "cosine" else 0.0 for name in FEATURES)
    decision = Decision(weights=weights, bias=-26.0, threshold=0.35)
    embedder = make_embedder("hashing")
    toll = _record("b4", "Nordkai News", "Velmora sets bridge toll", TOLL, MONDAY.format(13))
    angles = {"b1": 0.0, "b2": 37.0, "b4": 18.5}  # b4 lies between the two fragments
    ingest_paths(store, [_write_jsonl(tmp_path / "n.jsonl", [RECORDS[0], RECORDS[2], toll])])
    extract_stage(store, hashing)
    dedupe_stage(store, hashing)
    embed_stage(store, hashing, embedder=embedder)
    with store.session() as session:
        for article in session.scalars(sa.select(Article)):
            features = session.get_one(ArticleFeatures, article.id)
            features.vector = _angled(angles[str(article.external_id)], embedder.dim)
        bridge = session.scalars(sa.select(Article.id).where(Article.external_id == "b4")).one()
        session.add(StageItem(stage="cluster", item_id=bridge, status="failed", attempts=99))
    cluster_stage(store, hashing, embedder=embedder, decision=decision)  # the fragments only
    fragments = _events_by_record(store)
    assert fragments["b1"] != fragments["b2"]
    with store.session() as session:
        session.add(
            Story(
                event_id=fragments["b2"], lang="en", headline="h", standfirst="s",
                writer="extractive", outlets=1, body={},
            )
        )  # fmt: skip
        session.execute(sa.delete(StageItem).where(StageItem.item_id == bridge))
    cluster_stage(store, hashing, embedder=embedder, decision=decision)
    merged = _events_by_record(store)
    assert len(set(merged.values())) == 1
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
        assert session.get_one(Event, merged["b4"]).size == 3
        assert session.scalars(sa.select(Story)).one().event_id == merged["b4"]
