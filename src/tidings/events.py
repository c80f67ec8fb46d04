"""A live event as the clusterer keeps it, and the evidence that an article belongs to it.

An event holds the running sum of its members' vectors (its centroid), counts of the names,
numbers, dates and keywords its reports mention, the languages it was reported in, and its
time span. `features()` compares one article with one event on every kind of evidence; the
decision that weighs them lives in `clustering`.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from .evidence import Evidence
from .phases import phases_conflict

__all__ = [
    "FEATURES",
    "RECENT_MEMBERS",
    "EventState",
    "Item",
    "Rarity",
    "features",
    "fragments_conflict",
    "name_share",
]

Vector = npt.NDArray[np.float32]
RECENT_MEMBERS = 8  # member vectors kept per event for the nearest-member evidence
MAX_TERMS = 400  # names, numbers and keywords kept per event, the most frequent first
DATE_SLACK = 1  # days: a date mentioned one day off still matches (time zones, datelines)


@dataclass(frozen=True)
class Item:
    """One article as the clusterer sees it."""

    key: str
    vector: Vector
    evidence: Evidence
    lang: str | None = None
    published: datetime | None = None


def _trim(counts: Counter[str]) -> None:
    if len(counts) > MAX_TERMS:
        for term, _n in counts.most_common()[MAX_TERMS:]:
            del counts[term]


@dataclass
class EventState:
    """What the clusterer remembers of one live event."""

    id: int
    vector_sum: Vector
    size: int = 0
    first: datetime | None = None
    last: datetime | None = None
    seen: datetime | None = None  # stream time of the latest member, for closing
    langs: set[str] = field(default_factory=set)
    entities: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    keywords: Counter[str] = field(default_factory=Counter)
    dates: Counter[date] = field(default_factory=Counter)
    phases: Counter[str] = field(default_factory=Counter)
    recent: deque[tuple[Vector, Evidence]] = field(
        default_factory=lambda: deque(maxlen=RECENT_MEMBERS)
    )
    # A storyline: only its centroid and names are weighed, so only they are kept.
    names_only: bool = False

    @property
    def centroid(self) -> Vector:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    def add(self, item: Item, now: datetime | None) -> None:
        """Take `item` in as a member."""
        self.vector_sum = self.vector_sum + item.vector
        self.size += 1
        if not self.names_only:
            self.recent.append((item.vector, item.evidence))
        if item.lang:
            self.langs.add(item.lang)
        self.first = _earliest(self.first, item.published)
        self.last = _latest(self.last, item.published)
        self.seen = now or self.seen
        self._tally(item.evidence)

    def absorb(self, other: EventState) -> None:
        """Take in every report of `other`: two fragments of one event become one."""
        self.vector_sum = self.vector_sum + other.vector_sum
        self.size += other.size
        self.first = _earliest(self.first, other.first)
        self.last = _latest(self.last, other.last)
        self.seen = _latest(self.seen, other.seen)
        self.langs |= other.langs
        self._tally(other)
        members = [*other.recent, *self.recent]
        self.recent.clear()
        self.recent.extend(members)

    def _tally(self, terms: Evidence | EventState) -> None:
        """Count the names, numbers, keywords, dates and stages of one report's evidence or of
        another event's counts; the largest tables are trimmed to their most frequent."""
        self.entities.update(terms.entities)
        _trim(self.entities)
        if self.names_only:
            return
        self.numbers.update(terms.numbers)
        self.keywords.update(terms.keywords)
        self.dates.update(terms.dates)
        self.phases.update(terms.phases)
        _trim(self.numbers)
        _trim(self.keywords)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def fragments_conflict(a: EventState, b: EventState) -> bool:
    """Whether two live events cannot be one: the dates their reports mention all
    disagree, or they report different stages ("day:1", "day:2") of one process."""
    if a.dates and b.dates and not _dates_near(a.dates, b.dates):
        return True
    return phases_conflict(a.phases, b.phases) or phases_conflict(b.phases, a.phases)


class Rarity:
    """How rare each name and keyword is in the stream so far (inverse document frequency).

    A name every report mentions ("United States") says little that two reports tell one
    event; a rare one says much. The table is pruned of one-off terms when it grows past
    `limit`, so it stays bounded however long the stream.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.documents = 0
        self.counts: Counter[str] = Counter()
        self.limit = limit

    def see(self, terms: frozenset[str]) -> None:
        self.documents += 1
        self.counts.update(terms)
        if len(self.counts) > self.limit:
            self.counts = Counter({t: n for t, n in self.counts.items() if n > 1})

    def weight(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.counts.get(term, 0) + 1)) + 1.0

    def containment(self, terms: frozenset[str], counts: Counter[str]) -> float:
        """Share of the weight of `terms` that the event's reports mention too."""
        if not terms:
            return 0.0
        weights = {t: self.weight(t) for t in terms}
        return sum(w for t, w in weights.items() if t in counts) / sum(weights.values())


def _containment(terms: frozenset[str], counts: Counter[str]) -> float:
    """Share of the article's terms that the event's reports mention too."""
    if not terms:
        return 0.0
    return sum(1 for t in terms if t in counts) / len(terms)


def name_share(item: Item, event: EventState) -> float:
    """Share of the article's names that the reports of the event (or storyline) mention."""
    return _containment(item.evidence.entities, event.entities)


def _shared(terms: frozenset[str], counts: Counter[str], cap: int) -> float:
    return min(sum(1 for t in terms if t in counts), cap) / cap


def _dates_near(dates: Iterable[date], others: Iterable[date]) -> bool:
    """Whether a date of one side lies within `DATE_SLACK` days of one of the other's."""
    known = list(others)
    return any(abs((d - e).days) <= DATE_SLACK for d in dates for e in known)


def _date_evidence(dates: frozenset[date], event: EventState) -> tuple[float, float]:
    """(a mentioned date matches one of the event's, the dates mentioned all disagree)."""
    if not dates or not event.dates:
        return 0.0, 0.0
    return (1.0, 0.0) if _dates_near(dates, event.dates) else (0.0, 1.0)


def _gap_days(when: datetime | None, event: EventState) -> float | None:
    if when is None or event.first is None or event.last is None:
        return None
    if event.first <= when <= event.last:
        return 0.0
    edge = event.first if when < event.first else event.last
    return abs((when - edge).total_seconds()) / 86400


FEATURES = (
    "cosine",
    "nearest_member",
    "entities",
    "shared_entities",
    "rare_entities",
    "numbers",
    "shared_numbers",
    "number_conflict",
    "date_match",
    "date_conflict",
    "keywords",
    "rare_keywords",
    "log_gap_days",
    "gap_unknown",
    "log_size",
    "member_entities",
    "member_keywords",
    "cosine_x_rare_entities",
    "cosine_x_rare_keywords",
    "foreign",
    "foreign_x_cosine",
)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _nearest_member(item: Item, event: EventState) -> tuple[float, Evidence | None]:
    """The cosine of the most similar recent member, and that member's evidence."""
    best, twin = 0.0, None
    for vector, evidence in event.recent:
        cosine = float(np.dot(item.vector, vector))
        if twin is None or cosine > best:
            best, twin = cosine, evidence
    return best, twin


def _foreign(item: Item, event: EventState) -> float:
    """1.0 when the article is in a language none of the event's reports is written in: its
    names may be spelled (or written in a script) the event's reports do not use, and its
    keywords are other words, so the dense similarity must carry more of the evidence."""
    return 1.0 if item.lang and event.langs and item.lang not in event.langs else 0.0


def features(item: Item, event: EventState, rarity: Rarity) -> list[float]:
    """The evidence that `item` reports `event`, in the order of FEATURES."""
    ev = item.evidence
    numbers = _containment(ev.numbers, event.numbers)
    conflict = 1.0 if ev.numbers and event.numbers and not numbers else 0.0
    nearest, twin = _nearest_member(item, event)
    date_match, date_conflict = _date_evidence(ev.dates, event)
    gap = _gap_days(item.published, event)
    cosine = float(np.dot(item.vector, event.centroid))
    rare_entities = rarity.containment(ev.entities, event.entities)
    rare_keywords = rarity.containment(ev.keywords, event.keywords)
    foreign = _foreign(item, event)
    return [
        cosine,
        nearest,
        name_share(item, event),
        _shared(ev.entities, event.entities, 5),
        rare_entities,
        numbers,
        _shared(ev.numbers, event.numbers, 3),
        conflict,
        date_match,
        date_conflict,
        _containment(ev.keywords, event.keywords),
        rare_keywords,
        math.log1p(gap) if gap is not None else 0.0,
        1.0 if gap is None else 0.0,
        math.log(event.size) if event.size else 0.0,
        _jaccard(ev.entities, twin.entities) if twin else 0.0,
        _jaccard(ev.keywords, twin.keywords) if twin else 0.0,
        cosine * rare_entities,
        cosine * rare_keywords,
        foreign,
        foreign * cosine,
    ]
