"""Events and storylines in the store: the `cluster` stage.

`cluster` places the embedded articles, in published order, with the online clusterer: each
joins a live event or opens one, and each event belongs to a storyline. Copies of an article
join their original's event once it has one. Each placement is written (membership, event and
storyline rows) with the article's stage record in one transaction.

The clusterer's memory is rebuilt from the store at the start of every run: the members of
the events and storylines still open are replayed in the order they joined, from their stored
features. So a run can be killed at any moment, and the next run goes on from what was
written as if it had never stopped.

`cluster_file` does the same for a JSONL file of article records, without the store.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .article_features import (
    evidence_from_json,
    vector_from_bytes,
    vector_to_bytes,
)
from .clustering import Assignment, Decision, OnlineClusterer, cluster_records, stream_order
from .db import Store
from .embedding import Embedder, make_embedder
from .errors import InputError, TidingsError
from .events import EventState, Item
from .models import (
    Article,
    ArticleFeatures,
    Event,
    EventMember,
    StageItem,
    Story,
    Storyline,
    utcnow,
)
from .progress import NullProgress, Progress
from .settings import Settings
from .stages import StageReport, describe, done_ids, record_done, record_failure, waiting_ids

__all__ = ["TOP_ENTITIES", "cluster_file", "cluster_stage", "read_records", "restore_clusterer"]

log = logging.getLogger(__name__)

TOP_ENTITIES = 50  # names kept on an event row, the most frequent first
EVENT_WORK = ("related", "write", "pulse")  # later stages whose items are events
_EARLIEST = datetime.min.replace(tzinfo=UTC)


# -- restoring the clusterer ---------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    event_id: int
    storyline_id: int
    joined_at: datetime | None
    item: Item


def restore_clusterer(
    session: Session,
    *,
    dim: int,
    model: str,
    settings: Settings,
    decision: Decision | None = None,
    closed: list[tuple[str, int]] | None = None,
) -> OnlineClusterer:
    """The clusterer as it stood after the last write: open events and storylines replayed.

    Members are replayed in the order they joined, from their stored vectors (of `model`)
    and evidence. Clusters it closes later are appended to `closed` as (level, id).
    """
    sink = closed if closed is not None else []
    clusterer = OnlineClusterer(
        dim,
        decision,
        event_window=timedelta(days=settings.event_window_days),
        storyline_window=timedelta(days=settings.storyline_window_days),
        next_event_id=(session.scalar(sa.select(sa.func.max(Event.id))) or 0) + 1,
        next_storyline_id=(session.scalar(sa.select(sa.func.max(Storyline.id))) or 0) + 1,
        on_close=lambda level, state: sink.append((level, state.id)),
    )
    live = sa.select(Event.id, Event.storyline_id).where(Event.closed.is_(False))
    live_events = dict(session.execute(live).all())
    stories = set(live_events.values()) | set(
        session.scalars(sa.select(Storyline.id).where(Storyline.closed.is_(False)))
    )
    for member in _members(session, stories, model, dim):
        clusterer.replay(
            member.item,
            event_id=member.event_id if member.event_id in live_events else None,
            storyline_id=member.storyline_id,
            joined_at=member.joined_at,
        )
    return clusterer


def _members(session: Session, stories: set[int], model: str, dim: int) -> list[_Member]:
    """The members with features of the storylines `stories`, in the order they joined."""
    if not stories:
        return []
    query = (
        sa.select(
            EventMember.event_id,
            Event.storyline_id,
            EventMember.joined_at,
            Article.id,
            Article.lang,
            Article.published,
            ArticleFeatures.vector,
            ArticleFeatures.evidence,
        )
        .join(Event, Event.id == EventMember.event_id)
        .join(Article, Article.id == EventMember.article_id)
        .join(ArticleFeatures, ArticleFeatures.article_id == EventMember.article_id)
        .where(Event.storyline_id.in_(stories), ArticleFeatures.model == model)
    )
    members = []
    for row in session.execute(query):
        vector = vector_from_bytes(row.vector)
        if len(vector) != dim:
            continue
        evidence = evidence_from_json(row.evidence)
        item = Item(str(row.id), vector, evidence, row.lang, row.published)
        members.append(_Member(row.event_id, row.storyline_id, row.joined_at, item))
    members.sort(key=lambda m: (m.joined_at or _EARLIEST, int(m.item.key)))
    return members


# -- cluster -------------------------------------------------------------------------------


def _write_assignment(
    session: Session, clusterer: OnlineClusterer, article: Article, assignment: Assignment
) -> None:
    """The article's membership, and its event and storyline rows brought up to date."""
    now = utcnow()
    story = session.get(Storyline, assignment.storyline_id)
    if story is None:
        story = Storyline(id=assignment.storyline_id, opened_at=now, size=0, closed=False)
        session.add(story)
    story_state = clusterer.storylines.live[assignment.storyline_id]
    story.centroid = vector_to_bytes(story_state.centroid)
    story.updated_at = now
    event = session.get(Event, assignment.event_id)
    if event is None:
        event = Event(id=assignment.event_id, storyline_id=story.id, opened_at=now, closed=False)
        session.add(event)
        story.size += 1
    session.add(
        EventMember(
            article_id=article.id,
            event_id=event.id,
            joined_at=assignment.joined_at,
            probability=assignment.probability,
            opened=assignment.opened,
        )
    )
    session.flush()
    for merged_id in assignment.merged:
        _merge_event(session, merged_id, into=event)
    _refresh_event(session, event, clusterer.events.live[event.id])
    siblings = session.scalars(sa.select(Event.id).where(Event.storyline_id == story.id))
    _invalidate_related(session, list(siblings) if assignment.opened else [event.id])
    _invalidate_story(session, event.id)


def _merge_event(session: Session, merged_id: int, *, into: Event) -> None:
    """An event found to be a fragment of `into`: its members move there and it goes.

    Its story moves too when `into` has none yet (so its address keeps working), otherwise
    it goes with the event; `into`'s story is written again from all the members.
    """
    merged = session.get(Event, merged_id)
    if merged is None:
        return
    session.execute(
        sa.update(EventMember).where(EventMember.event_id == merged_id).values(event_id=into.id)
    )
    has_story = session.scalar(sa.select(Story.id).where(Story.event_id == into.id))
    if has_story is None:
        session.execute(
            sa.update(Story).where(Story.event_id == merged_id).values(event_id=into.id)
        )
    storyline = session.get(Storyline, merged.storyline_id)
    if storyline is not None:
        storyline.size = max(storyline.size - 1, 0)
    session.execute(
        sa.delete(StageItem).where(StageItem.item_id == merged_id, StageItem.stage.in_(EVENT_WORK))
    )
    session.delete(merged)
    session.flush()


def _refresh_event(session: Session, event: Event, state: EventState | None) -> None:
    """Counts and times from the members' articles; centroid and names from the live state."""
    members = (
        sa.select(Article.outlet, Article.lang, Article.published)
        .join(EventMember, EventMember.article_id == Article.id)
        .where(EventMember.event_id == event.id)
    )
    rows = session.execute(members).all()
    times = [published for _outlet, _lang, published in rows if published is not None]
    event.size = len(rows)
    event.outlets = len({outlet for outlet, _lang, _published in rows if outlet})
    event.langs = sorted({lang for _outlet, lang, _published in rows if lang})
    event.first_published = min(times, default=None)
    event.last_published = max(times, default=None)
    if state is not None:
        event.centroid = vector_to_bytes(state.centroid)
        event.entities = state.entities.most_common(TOP_ENTITIES)
    event.updated_at = utcnow()


def _invalidate_related(session: Session, event_ids: list[int]) -> None:
    """The events whose related events must be found again: they wait for `related` anew."""
    session.execute(
        sa.delete(StageItem).where(StageItem.stage == "related", StageItem.item_id.in_(event_ids))
    )


def _invalidate_story(session: Session, event_id: int) -> None:
    """A member joined the event: its story must be written again, so it waits for `write`."""
    session.execute(
        sa.delete(StageItem).where(StageItem.stage == "write", StageItem.item_id == event_id)
    )


@dataclass
class _Clustering:
    """One run of the cluster stage: the restored clusterer and what it closed."""

    store: Store
    clusterer: OnlineClusterer
    model: str
    dim: int
    closed: list[tuple[str, int]] = field(default_factory=list)

    def place(self, article_id: int, report: StageReport) -> None:
        """Place one article with its features; write the placement and its record together."""
        with self.store.session() as session:
            article = session.get_one(Article, article_id)
            try:
                item = self._item(session, article)
            except Exception as exc:  # unusable features: this article fails, the rest go on
                reason = describe(exc)
                record_failure(session, "cluster", article_id, reason)
                report.fail(f"article {article_id}", reason)
                return
            assignment = self.clusterer.add(item)
            _write_assignment(session, self.clusterer, article, assignment)
            self.write_closed(session)
            record_done(session, "cluster", article_id)
        report.ok()

    def _item(self, session: Session, article: Article) -> Item:
        features = session.get_one(ArticleFeatures, article.id)
        if features.model != self.model:
            raise TidingsError(
                f"features made by {features.model}, not {self.model}: embed the article again"
            )
        vector = vector_from_bytes(features.vector)
        if len(vector) != self.dim:
            raise TidingsError(f"a vector of {len(vector)} dimensions, not {self.dim}")
        evidence = evidence_from_json(features.evidence)
        return Item(str(article.id), vector, evidence, article.lang, article.published)

    def join_copy(self, article_id: int, report: StageReport) -> None:
        """A copy joins its original's event (if the original has one yet)."""
        with self.store.session() as session:
            article = session.get_one(Article, article_id)
            original = session.get(EventMember, article.duplicate_of)
            if original is None:
                return  # waits for its original
            session.add(
                EventMember(
                    article_id=article.id,
                    event_id=original.event_id,
                    joined_at=self.clusterer.now or original.joined_at,
                    probability=original.probability,
                    opened=False,
                )
            )
            session.flush()
            event = session.get_one(Event, original.event_id)
            _refresh_event(session, event, self.clusterer.events.live.get(event.id))
            _invalidate_related(session, [event.id])
            _invalidate_story(session, event.id)
            record_done(session, "cluster", article_id)
        report.ok()

    def write_closed(self, session: Session) -> None:
        """Mark closed in the store what the clusterer closed since the last write."""
        for level, key in self.closed:
            model: type[Event | Storyline] = Event if level == "event" else Storyline
            session.execute(sa.update(model).where(model.id == key).values(closed=True))
        self.closed.clear()

    def finish(self) -> None:
        """Close what no report has reached within its window."""
        if self.clusterer.now is not None:
            self.clusterer.close_inactive(self.clusterer.now)
        if self.closed:
            with self.store.session() as session:
                self.write_closed(session)


def cluster_stage(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    decision: Decision | None = None,
    progress: Progress | None = None,
) -> StageReport:
    """Place every embedded article that waits, in published order, then the waiting copies.

    Only the embedder's name and dimension are used: the vectors come from the store.
    """
    progress = progress or NullProgress()
    embedder = embedder or make_embedder(settings.embedder)
    report = StageReport("cluster")
    closed: list[tuple[str, int]] = []
    with store.session() as session:
        originals, copies = _waiting_for_cluster(session, settings)
        clusterer = restore_clusterer(
            session,
            dim=embedder.dim,
            model=embedder.name,
            settings=settings,
            decision=decision,
            closed=closed,
        )
    run = _Clustering(store, clusterer, embedder.name, embedder.dim, closed)
    progress.start("cluster", len(originals) + len(copies))
    if run.closed:
        with store.session() as session:
            run.write_closed(session)
    for article_id in originals:
        run.place(article_id, report)
        progress.advance("cluster")
    for article_id in copies:
        run.join_copy(article_id, report)
        progress.advance("cluster")
    run.finish()
    return report.finish()


def _waiting_for_cluster(session: Session, settings: Settings) -> tuple[list[int], list[int]]:
    """(originals with features in stream order, copies whose original is or may be placed)."""
    embedded = sa.select(ArticleFeatures.article_id)
    originals = waiting_ids(session, "cluster", embedded, max_attempts=settings.max_attempts)
    copy_ids = sa.select(Article.id).where(
        Article.duplicate_of.is_not(None),
        Article.id.in_(done_ids("embed")),
        sa.or_(
            Article.duplicate_of.in_(sa.select(EventMember.article_id)),
            Article.duplicate_of.in_(embedded),
        ),
    )
    copies = waiting_ids(session, "cluster", copy_ids, max_attempts=settings.max_attempts)
    published = sa.select(Article.id, Article.published).where(Article.id.in_(embedded))
    times = dict(session.execute(published).all())
    order = stream_order([times[i] for i in originals])
    return [originals[i] for i in order], copies


# -- records outside the store ---------------------------------------------------------------


def read_records(path: Path) -> list[dict[str, Any]]:
    """The article records of a JSONL file (id, url, outlet, lang, title, text, published)."""
    records = []
    number = 0
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise InputError(f"{path}#L{number}: not a JSON object")
                records.append(data)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(f"{path}#L{number}: not valid JSON: {exc}") from exc
    return records


def cluster_file(path: Path, *, embedder: Embedder) -> list[tuple[str, Assignment]]:
    """(record id, assignment) for every record of a JSONL file, in the file's order.

    Nothing is stored; a record without an id is named by its position, counted from 1.
    """
    records = read_records(path)
    keyed = [dict(record, id=str(position)) for position, record in enumerate(records)]
    placed = {a.article_id: a for a in cluster_records(keyed, embedder=embedder)}
    return [
        (str(record.get("id", position + 1)), placed[str(position)])
        for position, record in enumerate(records)
    ]
