"""The enrich stage: what people say about each event, and each story's illustration.

`enrich_stage` runs three steps over the store, each idempotent and each recording per item
what it did or why it failed:

- match-posts: place the social posts that have no event yet with the live event they are
  about (`social.match_posts`);
- pulse: for every event whose matched posts changed, sum them up (`pulse.analyse`) into its
  `Pulse` row: volume, sentiment shares, themes and the "What people say" summary;
- illustrate: draw the picture of every story that has none, or one made for an earlier
  version of the story (`illustration.illustrate`), into its `StoryImage` row.

A second run with nothing new does nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import models
from .db import Store
from .embedding import Embedder
from .errors import TidingsError
from .illustration import illustrate
from .progress import NullProgress, Progress
from .pulse import SentimentModel, analyse
from .settings import Settings
from .social import match_posts
from .stages import StageReport, describe, record_done, record_failure
from .stories import Story

__all__ = [
    "ILLUSTRATE_STAGE",
    "MAX_PULSE_POSTS",
    "PULSE_STAGE",
    "enrich_stage",
    "illustrate_stage",
    "pulse_stage",
]

log = logging.getLogger(__name__)

PULSE_STAGE = "pulse"
ILLUSTRATE_STAGE = "illustrate"
MAX_PULSE_POSTS = 300  # sentiment and themes read the latest posts; the volume counts them all


def enrich_stage(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
) -> list[StageReport]:
    """Match posts to events, update the pulses of events with new posts, and illustrate the
    stories whose picture is missing or outdated."""
    return [
        match_posts(store, settings, embedder=embedder, progress=progress),
        pulse_stage(store, settings, model=SentimentModel(embedder), progress=progress),
        illustrate_stage(store, settings, progress=progress),
    ]


def _gave_up(session: Session, stage: str, settings: Settings) -> dict[int, datetime]:
    """Items of `stage` that failed `max_attempts` times, with when they last failed."""
    rows = session.execute(
        sa.select(models.StageItem.item_id, models.StageItem.updated_at).where(
            models.StageItem.stage == stage,
            models.StageItem.status == "failed",
            models.StageItem.attempts >= settings.max_attempts,
        )
    )
    return {int(item_id): when for item_id, when in rows}


# -- pulses -------------------------------------------------------------------------------------


def _events_with_new_posts(session: Session, settings: Settings) -> list[int]:
    """Events whose matched posts differ in number from what their pulse counted."""
    P = models.SocialPost
    counts = (
        sa.select(P.event_id, sa.func.count(P.id).label("posts"))
        .where(P.event_id.is_not(None))
        .group_by(P.event_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(counts.c.event_id)
        .outerjoin(models.Pulse, models.Pulse.event_id == counts.c.event_id)
        .where(sa.or_(models.Pulse.event_id.is_(None), models.Pulse.posts != counts.c.posts))
        .order_by(counts.c.event_id)
    )
    gave_up = _gave_up(session, PULSE_STAGE, settings)
    return [event_id for (event_id,) in rows if event_id not in gave_up]


def pulse_stage(
    store: Store,
    settings: Settings,
    *,
    model: SentimentModel,
    progress: Progress | None = None,
) -> StageReport:
    """Sum up the posts of every event that has new ones into its pulse, one event at a time."""
    progress = progress or NullProgress()
    report = StageReport(PULSE_STAGE)
    with store.session() as session:
        ids = _events_with_new_posts(session, settings)
    progress.start(PULSE_STAGE, len(ids))
    for event_id in ids:
        with store.session() as session:
            _pulse_one(session, event_id, model, report)
        progress.advance(PULSE_STAGE)
    return report.finish()


def _pulse_one(session: Session, event_id: int, model: SentimentModel, report: StageReport) -> None:
    P = models.SocialPost
    total = session.scalar(sa.select(sa.func.count(P.id)).where(P.event_id == event_id)) or 0
    latest = session.scalars(
        sa.select(P)
        .where(P.event_id == event_id)
        .order_by(sa.func.coalesce(P.published, P.created_at).desc(), P.id.desc())
        .limit(MAX_PULSE_POSTS)
    ).all()
    try:
        summary = analyse(list(reversed(latest)), model=model, volume=total)
    except Exception as exc:  # one event must not stop the others
        reason = describe(exc)
        if not isinstance(exc, TidingsError):
            log.exception("the pulse of event %d failed", event_id)
        record_failure(session, PULSE_STAGE, event_id, reason)
        report.fail(f"event {event_id}", reason)
        return
    session.merge(
        models.Pulse(
            event_id=event_id,
            posts=total,
            sentiment=dict(summary.sentiment),
            themes=[theme.as_json() for theme in summary.themes],
            summary=summary.summary,
            made_by=summary.made_by,
            generative=summary.generative,
            updated_at=models.utcnow(),
        )
    )
    record_done(session, PULSE_STAGE, event_id)
    report.ok()


# -- illustrations ------------------------------------------------------------------------------


def _stories_to_draw(session: Session, settings: Settings) -> list[int]:
    """Stories without a picture of their current version (and not given up on since their
    last change)."""
    S, Image = models.Story, models.StoryImage
    rows = session.execute(
        sa.select(S.id, S.updated_at)
        .outerjoin(Image, Image.story_id == S.id)
        .where(sa.or_(Image.story_id.is_(None), Image.version != S.version))
        .order_by(S.id)
    )
    gave_up = _gave_up(session, ILLUSTRATE_STAGE, settings)
    return [
        story_id
        for story_id, updated in rows
        if story_id not in gave_up or gave_up[story_id] < updated
    ]


def illustrate_stage(
    store: Store, settings: Settings, *, progress: Progress | None = None
) -> StageReport:
    """Draw the picture of every story whose picture is missing or of an earlier version."""
    progress = progress or NullProgress()
    report = StageReport(ILLUSTRATE_STAGE)
    with store.session() as session:
        ids = _stories_to_draw(session, settings)
    progress.start(ILLUSTRATE_STAGE, len(ids))
    for story_id in ids:
        with store.session() as session:
            _illustrate_one(session, story_id, report)
        progress.advance(ILLUSTRATE_STAGE)
    return report.finish()


def _illustrate_one(session: Session, story_id: int, report: StageReport) -> None:
    row = session.get_one(models.Story, story_id)
    try:
        picture = illustrate(Story.model_validate(row.body))
    except Exception as exc:  # one story must not stop the others
        reason = describe(exc)
        if not isinstance(exc, TidingsError):
            log.exception("the illustration of story %d failed", story_id)
        record_failure(session, ILLUSTRATE_STAGE, story_id, reason)
        report.fail(f"story {story_id}", reason)
        return
    session.merge(
        models.StoryImage(
            story_id=story_id,
            version=row.version,
            media_type=picture.media_type,
            data=picture.png,
            width=picture.width,
            height=picture.height,
            caption=picture.caption,
            alt=picture.alt,
            made_by=picture.made_by,
            generative=picture.generative,
            created_at=models.utcnow(),
        )
    )
    record_done(session, ILLUSTRATE_STAGE, story_id)
    report.ok()
