"""What the store holds, stage by stage, and what failed with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .db import Store
from .models import Article, Document, Event, Feed, Source, StageItem, Story, Storyline

__all__ = ["EVENT_STAGES", "ITEM_KINDS", "StageCount", "Status", "item_kind", "store_status"]

# What the items of each stage are; a stage not named here works on articles (or, for fetch
# and extract, on documents, named by their address).
ITEM_KINDS = {
    "related": "event",
    "write": "event",
    "pulse": "event",
    "illustrate": "story",
    "translate": "story",
    "match-posts": "post",
}
EVENT_STAGES = frozenset(stage for stage, kind in ITEM_KINDS.items() if kind == "event")


def item_kind(stage: str) -> str:
    """What an item of `stage` is: article, event, story or post."""
    return ITEM_KINDS.get(stage, "article")


@dataclass(frozen=True)
class StageCount:
    stage: str
    done: int
    failed: int  # items whose last try failed


@dataclass(frozen=True)
class Status:
    sources: int
    feeds: int
    feeds_failing: int
    documents: int
    documents_stored: int  # with their raw bytes kept
    articles: int
    duplicates: dict[str, int]  # reason -> count
    events: int
    events_open: int
    storylines: int
    stages: list[StageCount]
    feed_failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    item_failures: list[tuple[str, str, str]] = field(default_factory=list)  # (stage, item, reason)
    stories: int = 0  # events with a story written


def _count(session: Session, query: sa.Select[int]) -> int:
    return session.scalar(query) or 0


def _item_failures(session: Session, limit: int) -> list[tuple[str, str, str]]:
    failed = sa.select(StageItem).where(StageItem.status == "failed")
    rows = session.scalars(failed.order_by(StageItem.updated_at.desc()).limit(limit))
    out = []
    for row in rows:
        doc = session.get(Document, row.item_id) if row.stage in {"fetch", "extract"} else None
        item = (
            (doc.url or doc.origin) if doc is not None else f"{item_kind(row.stage)} {row.item_id}"
        )
        out.append((row.stage, item, row.reason or ""))
    return out


def store_status(store: Store, *, failures: int = 20) -> Status:
    """Counts per stage, and the latest failures with their reasons."""
    count = sa.func.count()
    with store.session() as session:
        stage_rows = session.execute(
            sa.select(StageItem.stage, StageItem.status, count).group_by(
                StageItem.stage, StageItem.status
            )
        ).all()
        by_stage: dict[str, dict[str, int]] = {}
        for stage, status, n in stage_rows:
            by_stage.setdefault(stage, {})[status] = n
        dup_rows = session.execute(
            sa.select(Article.duplicate_reason, count)
            .where(Article.duplicate_of.is_not(None))
            .group_by(Article.duplicate_reason)
        ).all()
        failing = sa.select(Feed.url, Feed.error).where(Feed.last_status == "failed")
        return Status(
            sources=_count(session, sa.select(count).select_from(Source)),
            feeds=_count(session, sa.select(count).select_from(Feed)),
            feeds_failing=_count(
                session, sa.select(count).select_from(Feed).where(Feed.last_status == "failed")
            ),
            documents=_count(session, sa.select(count).select_from(Document)),
            documents_stored=_count(
                session, sa.select(count).select_from(Document).where(Document.raw.is_not(None))
            ),
            articles=_count(session, sa.select(count).select_from(Article)),
            duplicates={reason or "?": n for reason, n in dup_rows},
            events=_count(session, sa.select(count).select_from(Event)),
            events_open=_count(
                session, sa.select(count).select_from(Event).where(Event.closed.is_(False))
            ),
            storylines=_count(session, sa.select(count).select_from(Storyline)),
            stages=[
                StageCount(stage, counts.get("done", 0), counts.get("failed", 0))
                for stage, counts in sorted(by_stage.items())
            ],
            feed_failures=[
                (url, error or "") for url, error in session.execute(failing.limit(failures))
            ],
            item_failures=_item_failures(session, failures),
            stories=_count(session, sa.select(count).select_from(Story)),
        )
