"""Related events: what a story page shows beside its event, and the `related` stage.

An event's related events are the other events of its storyline (kind "storyline") and,
outside it, events of the same topic within `WINDOW` (kind "topic"): events that name some
of the same people, organisations or places and whose centroids are close. A topic score is
the mean of the centroid cosine and the share of names in common; below `TOPIC_SCORE` an
event is not related.

An event waits for this stage whenever the cluster stage changed it (or opened an event in its
storyline); its related rows are replaced in one transaction with its stage record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.orm import Session

from .article_features import vector_from_bytes
from .db import Store
from .models import Event, RelatedEvent
from .progress import NullProgress, Progress
from .settings import Settings
from .stages import StageReport, describe, record_done, record_failure, waiting_ids

__all__ = ["MAX_RELATED", "TOPIC_SCORE", "WINDOW", "related_stage"]

log = logging.getLogger(__name__)

MAX_RELATED = 5  # related events kept per event
TOPIC_SLOTS = 2  # of which kept for topic neighbours when the storyline has more events
TOPIC_SCORE = 0.6  # least mean of centroid cosine and shared-name share for a topic neighbour
WINDOW = timedelta(days=60)  # topic neighbours reported this close in time


@dataclass(frozen=True)
class _Event:
    id: int
    storyline_id: int
    when: datetime
    centroid: npt.NDArray[np.float32] | None
    names: frozenset[str]


def _event(row: Event) -> _Event:
    centroid = vector_from_bytes(row.centroid) if row.centroid else None
    names = frozenset(str(pair[0]) for pair in row.entities or ())
    return _Event(row.id, row.storyline_id, row.last_published or row.opened_at, centroid, names)


def _cosine(a: _Event, b: _Event) -> float:
    if a.centroid is None or b.centroid is None or len(a.centroid) != len(b.centroid):
        return 0.0
    return float(np.dot(a.centroid, b.centroid))


def _topic_score(a: _Event, b: _Event) -> float:
    shared = len(a.names & b.names)
    if not shared:
        return 0.0
    return (_cosine(a, b) + shared / min(len(a.names), len(b.names))) / 2


def _related(event: _Event, others: list[_Event]) -> list[tuple[int, float, str]]:
    """Up to `MAX_RELATED` (event id, score, kind), the storyline's first, best first."""
    story: list[tuple[int, float, str]] = []
    topic: list[tuple[int, float, str]] = []
    for other in others:
        if other.id == event.id:
            continue
        if other.storyline_id == event.storyline_id:
            story.append((other.id, _cosine(event, other), "storyline"))
        elif abs(other.when - event.when) <= WINDOW:
            score = _topic_score(event, other)
            if score >= TOPIC_SCORE:
                topic.append((other.id, score, "topic"))
    story.sort(key=lambda r: (-r[1], r[0]))
    topic.sort(key=lambda r: (-r[1], r[0]))
    kept_story = story[: MAX_RELATED - min(TOPIC_SLOTS, len(topic))]
    return kept_story + topic[: MAX_RELATED - len(kept_story)]


def related_stage(
    store: Store, settings: Settings, *, progress: Progress | None = None
) -> StageReport:
    """Find again the related events of every event that changed since they were last found."""
    progress = progress or NullProgress()
    report = StageReport("related")
    with store.session() as session:
        ids = waiting_ids(
            session, "related", sa.select(Event.id), max_attempts=settings.max_attempts
        )
        others = _neighbourhood(session, ids)
    by_id = {e.id: e for e in others}
    progress.start("related", len(ids))
    for event_id in ids:
        with store.session() as session:
            try:
                found = _related(by_id[event_id], others)
            except Exception as exc:  # one event must not stop the others
                reason = describe(exc)
                log.exception("related events of event %d failed", event_id)
                record_failure(session, "related", event_id, reason)
                report.fail(f"event {event_id}", reason)
                continue
            session.execute(sa.delete(RelatedEvent).where(RelatedEvent.event_id == event_id))
            session.add_all(
                RelatedEvent(event_id=event_id, related_id=key, score=score, kind=kind)
                for key, score, kind in found
            )
            record_done(session, "related", event_id)
        report.ok()
        progress.advance("related")
    return report.finish()


def _neighbourhood(session: Session, ids: list[int]) -> list[_Event]:
    """The events `ids` and every event within the window of the earliest of them."""
    if not ids:
        return []
    when = sa.func.coalesce(Event.last_published, Event.opened_at)
    earliest = session.scalar(sa.select(sa.func.min(when)).where(Event.id.in_(ids)))
    near = when >= earliest - WINDOW if earliest is not None else sa.true()
    query = sa.select(Event).where(sa.or_(Event.id.in_(ids), near))
    return [_event(row) for row in session.scalars(query)]
