"""Online event clustering: each new article joins the best live event or opens a new one.

Articles arrive as a stream in published order. For each, the nearest live events by
centroid (approximate nearest neighbours) are candidates; for each candidate the evidence
of `events.features` (dense similarity, shared names, numbers, dates and keywords, the time
gap) is weighed by a logistic decision learned on labelled events, and the article joins the
most probable candidate above the threshold. A new event attaches to the storyline of earlier
events about the same actors, or starts one; storylines are never reshuffled.

An early report sometimes opens an event of its own that later reports of the same event
then straddle. When an article fits a second live event almost as well as the best one, is
not near certain about the best, is written in a language both were reported in, and one of
the two is still a fragment of a report or two whose dates and stages do not conflict with
the other, the two are merged: the assignment names the merged events, which the caller
folds into the surviving one. Same-kind events (two earthquakes, two takeovers) rarely pass:
a report of one is near certain about its own.

Events close after a stretch of stream time without new reports, storylines after a longer
one; a closed cluster leaves memory (the caller keeps what it needs through `on_close`), so
memory stays flat however long the stream.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import numpy as np

from .ann import CentroidIndex
from .embedding import Embedder, embedding_text, make_embedder
from .errors import ConfigError
from .events import (
    FEATURES,
    EventState,
    Item,
    Rarity,
    features,
    fragments_conflict,
    name_share,
)
from .evidence import gather_evidence
from .moments import parse_time
from .phases import phases_conflict

__all__ = [
    "CLOSE_EVERY",
    "EVENT_WINDOW_DAYS",
    "STORYLINE_WINDOW_DAYS",
    "Assignment",
    "Decision",
    "OnlineClusterer",
    "cluster_records",
    "items_from_records",
    "pair_similarity",
    "stream_order",
]

CLOSE_EVERY = 256  # adds between two sweeps for inactive clusters
# An event closes after this many days without a new report: newsrooms come back to an
# event weeks later (an arrest, a verdict, a restored service), and those reports belong to
# it; the time gap and the dates they mention still weigh against joining a later event.
EVENT_WINDOW_DAYS = 60
STORYLINE_WINDOW_DAYS = 90  # a storyline after this many days without one in any event


@functools.cache
def _shipped_decision() -> str:
    return resources.files("tidings").joinpath("data/decision.json").read_text()


@dataclass(frozen=True)
class Decision:
    """How evidence is weighed: a logistic model over `events.FEATURES`, and its thresholds."""

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    min_cosine: float = 0.6  # candidates less similar than this are not weighed at all
    candidates: int = 10
    story_cosine: float = 0.8  # a new event joins a storyline this similar ...
    story_entities: float = 0.4  # ... whose reports name this share of its names
    merge_probability: float = 0.4  # a second event this probable for one report ...
    merge_certain: float = 0.98  # ... while the best one is less probable than this ...
    merge_size: int = 2  # ... merges with it when one of the two has at most this many reports

    def log_odds(self, evidence: Sequence[float]) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, evidence, strict=True))

    def probability(self, evidence: Sequence[float]) -> float:
        z = self.log_odds(evidence)
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    @classmethod
    def load(cls, text: str | None = None) -> Decision:
        """The decision in JSON `text`, or the one shipped with Tidings."""
        data = json.loads(_shipped_decision() if text is None else text)
        weights = data["weights"]
        missing = [name for name in FEATURES if name not in weights]
        if missing:
            raise ConfigError(f"the decision has no weights for: {', '.join(missing)}")
        return cls(
            weights=tuple(float(weights[name]) for name in FEATURES),
            bias=float(data["bias"]),
            **{k: v for k, v in data.items() if k not in {"weights", "bias", "metrics"}},
        )


@dataclass(frozen=True)
class Assignment:
    """Where one article went."""

    article_id: str
    event_id: int
    storyline_id: int
    opened: bool  # the article opened a new event
    probability: float  # of the event joined (1.0 for a new event)
    joined_at: datetime | None
    # Events merged into `event_id` as this article joined: their reports now belong to it.
    merged: tuple[int, ...] = ()


@dataclass
class _Level:
    """Live clusters of one level (events or storylines) and their index."""

    window: timedelta
    dim: int
    next_id: int
    names_only: bool  # storylines weigh names only
    live: dict[int, EventState] = field(default_factory=dict)
    index: CentroidIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = CentroidIndex(self.dim)

    def open(self, key: int | None = None) -> EventState:
        """A new cluster: the next id, or `key` when a stored cluster is being restored."""
        key = self.next_id if key is None else key
        state = EventState(key, np.zeros(self.dim, np.float32), names_only=self.names_only)
        self.live[state.id] = state
        self.next_id = max(self.next_id, state.id + 1)
        return state

    def grow(self, state: EventState, item: Item, now: datetime | None) -> None:
        state.add(item, now)
        if state.size & (state.size - 1) == 0:
            # Re-indexed at sizes 1, 2, 4, 8, ...: a centroid moves less with every report,
            # and candidates are weighed against the exact state anyway.
            self.index.put(state.id, state.centroid)

    def stale(self, state: EventState, now: datetime | None) -> bool:
        """Past its window, though the sweep may not have closed it yet."""
        return now is not None and state.seen is not None and state.seen < now - self.window

    def expired(self, now: datetime) -> list[EventState]:
        limit = now - self.window
        gone = [s for s in self.live.values() if s.seen is not None and s.seen < limit]
        for state in gone:
            del self.live[state.id]
            self.index.drop(state.id)
        return gone


def _reads_both(item: Item, a: EventState, b: EventState) -> bool:
    """Whether the report is written in a language both fragments were reported in: only then
    do its names and words, not its vector alone, tie the two together."""
    return item.lang is None or (item.lang in a.langs and item.lang in b.langs)


class OnlineClusterer:
    """Events and storylines of a stream of articles, with a bounded live window."""

    def __init__(
        self,
        dim: int,
        decision: Decision | None = None,
        *,
        event_window: timedelta = timedelta(days=EVENT_WINDOW_DAYS),
        storyline_window: timedelta = timedelta(days=STORYLINE_WINDOW_DAYS),
        next_event_id: int = 1,
        next_storyline_id: int = 1,
        on_close: Callable[[str, EventState], None] | None = None,
    ) -> None:
        self.decision = decision or Decision.load()
        self.events = _Level(event_window, dim, next_event_id, names_only=False)
        self.storylines = _Level(storyline_window, dim, next_storyline_id, names_only=True)
        self.storyline_of: dict[int, int] = {}  # live event -> its storyline
        self.rarity = Rarity()
        self.on_close = on_close
        self.now: datetime | None = None
        self._adds = 0

    def add(self, item: Item) -> Assignment:
        """Place one article; returns the event (and storyline) it joined or opened."""
        self._advance(item.published)
        self.rarity.see(item.evidence.entities | item.evidence.keywords)
        scored = self.candidates(item)
        merged: list[int] = []
        if scored and scored[0][1] >= self.decision.threshold:
            best, probability = scored[0]
            best = self._merge_fragments(item, best, probability, scored[1:], merged)
            opened = False
        else:
            best = self.events.open()
            self.storyline_of[best.id] = self._storyline_for(item).id
            probability, opened = 1.0, True
        self.events.grow(best, item, self.now)
        story = self.storylines.live[self.storyline_of[best.id]]
        self.storylines.grow(story, item, self.now)
        return Assignment(item.key, best.id, story.id, opened, probability, self.now, tuple(merged))

    def replay(
        self, item: Item, *, event_id: int | None, storyline_id: int, joined_at: datetime | None
    ) -> None:
        """Put back an article placed in an earlier run (restoring live state from a store).

        `event_id` is None when the article's event has closed but its storyline is live.
        """
        self.rarity.see(item.evidence.entities | item.evidence.keywords)
        if joined_at is not None and (self.now is None or joined_at > self.now):
            self.now = joined_at
        story = self.storylines.live.get(storyline_id) or self.storylines.open(storyline_id)
        self.storylines.grow(story, item, joined_at)
        if event_id is not None:
            event = self.events.live.get(event_id) or self.events.open(event_id)
            self.events.grow(event, item, joined_at)
            self.storyline_of[event_id] = storyline_id

    def candidates(self, item: Item) -> list[tuple[EventState, float]]:
        """Live events worth weighing for `item`, with the probability that it reports each."""
        decision = self.decision
        found = self.events.index.nearest(item.vector, decision.candidates)
        scored = []
        for key, cosine in found:
            state = self.events.live[key]
            if cosine < decision.min_cosine or self.events.stale(state, self.now):
                continue
            if phases_conflict(item.evidence.phases, state.phases):
                continue  # "the second day" does not join the first day's event
            scored.append((state, decision.probability(features(item, state, self.rarity))))
        return sorted(scored, key=lambda pair: pair[1], reverse=True)

    def _merge_fragments(
        self,
        item: Item,
        best: EventState,
        probability: float,
        others: Sequence[tuple[EventState, float]],
        merged: list[int],
    ) -> EventState:
        """The event a report joins once the fragments it bridges are merged into it;
        the ids of the merged-away events are appended to `merged`."""
        decision = self.decision
        if probability >= decision.merge_certain:
            return best
        for other, second in others:
            if second < decision.merge_probability:
                break
            if min(best.size, other.size) > decision.merge_size:
                continue
            if fragments_conflict(best, other) or not _reads_both(item, best, other):
                continue
            keep, gone = sorted((best, other), key=lambda s: (-s.size, s.id))
            keep.absorb(gone)
            del self.events.live[gone.id]
            self.events.index.drop(gone.id)
            self.events.index.put(keep.id, keep.centroid)
            self.storyline_of.pop(gone.id, None)
            merged.append(gone.id)
            best = keep
        return best

    def _storyline_for(self, item: Item) -> EventState:
        decision = self.decision
        for key, cosine in self.storylines.index.nearest(item.vector, 3):
            state = self.storylines.live[key]
            if (
                cosine >= decision.story_cosine
                and name_share(item, state) >= decision.story_entities
            ):
                return state
        return self.storylines.open()

    def _advance(self, when: datetime | None) -> None:
        if when is not None and (self.now is None or when > self.now):
            self.now = when
        self._adds += 1
        if self._adds % CLOSE_EVERY == 0 and self.now is not None:
            self.close_inactive(self.now)

    def close_inactive(self, now: datetime) -> None:
        """Close the events and storylines with no report within their window before `now`."""
        for state in self.events.expired(now):
            self.storyline_of.pop(state.id, None)
            if self.on_close:
                self.on_close("event", state)
        live_stories = set(self.storyline_of.values())
        for state in self.storylines.expired(now):
            if state.id in live_stories:  # a storyline stays while one of its events is live
                self.storylines.live[state.id] = state
                self.storylines.index.put(state.id, state.centroid)
            elif self.on_close:
                self.on_close("storyline", state)

    def run(self, items: Iterable[Item]) -> list[Assignment]:
        """Place every item; earlier assignments to events merged later name the survivor."""
        placed = [self.add(item) for item in items]
        survivor: dict[int, int] = {}
        storyline: dict[int, int] = {}
        for assignment in placed:
            survivor.update((gone, assignment.event_id) for gone in assignment.merged)
            storyline[assignment.event_id] = assignment.storyline_id

        def final(event_id: int) -> int:
            while event_id in survivor:
                event_id = survivor[event_id]
            return event_id

        return [
            a
            if a.event_id not in survivor
            else replace(a, event_id=final(a.event_id), storyline_id=storyline[final(a.event_id)])
            for a in placed
        ]


# -- records: the JSONL article format of `tidings cluster` and the benchmarks ------------------


def stream_order(times: Sequence[datetime | None]) -> list[int]:
    """Indices in published order; an undated record keeps its place after the one before it."""
    carried: list[tuple[datetime, int]] = []
    last = datetime.min.replace(tzinfo=UTC)
    for position, when in enumerate(times):
        last = when or last
        carried.append((when or last, position))
    return [position for _when, position in sorted(carried)]


def items_from_records(records: Sequence[Mapping[str, Any]], embedder: Embedder) -> list[Item]:
    """Clusterer items for JSONL article records, in stream order."""
    times = [parse_time(r.get("published")) for r in records]
    order = stream_order(times)
    texts = [embedding_text(str(r.get("title") or ""), str(r.get("text") or "")) for r in records]
    vectors = embedder.embed([texts[i] for i in order])
    items = []
    for vector, i in zip(vectors, order, strict=True):
        record = records[i]
        lang = record.get("lang") or None
        evidence = gather_evidence(
            str(record.get("title") or ""),
            str(record.get("text") or ""),
            lang=lang,
            published=times[i],
        )
        items.append(Item(str(record["id"]), vector, evidence, lang, times[i]))
    return items


def cluster_records(
    records: Sequence[Mapping[str, Any]],
    *,
    embedder: Embedder | None = None,
    decision: Decision | None = None,
) -> list[Assignment]:
    """Events and storylines of JSONL article records, as the pipeline would form them."""
    embedder = embedder or make_embedder("e5")
    items = items_from_records(records, embedder)
    return OnlineClusterer(embedder.dim, decision).run(items)


def pair_similarity(
    a: Mapping[str, Any], b: Mapping[str, Any], *, embedder: Embedder | None = None
) -> float:
    """The probability the clusterer's decision gives that two article records report one
    event."""
    embedder = embedder or make_embedder("e5")
    first, second = items_from_records([a, b], embedder)
    clusterer = OnlineClusterer(embedder.dim)
    clusterer.add(first)
    clusterer.rarity.see(second.evidence.entities | second.evidence.keywords)
    state = clusterer.events.live[next(iter(clusterer.events.live))]
    return clusterer.decision.probability(features(second, state, clusterer.rarity))
