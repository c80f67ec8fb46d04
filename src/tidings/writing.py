"""The `write` stage: one checked, cited story per event, rewritten when new reports join.

Each event reported by at least `story_min_outlets` outlets gets a story: its coverage (the
member articles) goes to the writer the settings name, through the faithfulness check, with
the extractive writer as the fallback (`tidings.checking.write_checked`). The story is stored
in one transaction with its stage record: the `stories` row (the current version, its body
the whole `stories.Story` as JSON) and a new `story_versions` row with the article ids it was
written from and what changed since the version before. A run killed mid-write leaves the
previous version whole.

When does an event wait for this stage? The cluster stage deletes an event's `write` stage
record in the same transaction in which a member joins it (as it does for `related`), so the
event waits again exactly when its members changed; a failed event is tried again up to
`max_attempts` runs, and afresh once new members join. The set of article ids is the truth
behind that record: an event whose latest version was written from exactly its current
members is marked done without a new version, and a story is stored only if the members are
still the ones it was written from, checked under the event's row lock so that no member can
join between the check and the write. Timestamps (`Event.updated_at`) are not compared:
they are set by different transactions and cannot order a write against a join reliably.

`stories_file` does the same for a JSONL file of article records, without the store: it
groups them into events as `tidings cluster` does and writes a story for each event of two or
more articles.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import models
from .checking import write_checked
from .db import Store
from .embedding import Embedder
from .eventing import cluster_file, read_records
from .extractive import ExtractiveWriter
from .moments import parse_time
from .progress import NullProgress, Progress
from .settings import Settings
from .stages import Failure, StageReport, describe, record_done, record_failure, waiting_ids
from .stories import Coverage, Sentence, SourceArticle, Story, Writer, make_writer
from .versions import changes

__all__ = [
    "STAGE",
    "coverage_of",
    "outlet_name",
    "record_coverages",
    "stories_file",
    "story_record",
    "write_stage",
]

log = logging.getLogger(__name__)

STAGE = "write"
UNKNOWN_OUTLET = "unknown outlet"


def outlet_name(outlet: str | None, url: str | None) -> str:
    """The outlet as the source names itself, else the host of its URL."""
    if outlet and outlet.strip():
        return outlet.strip()
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return UNKNOWN_OUTLET


# -- coverage --------------------------------------------------------------------------------


def _source_article(
    article: models.Article, vector: tuple[float, ...] | None = None
) -> SourceArticle:
    return SourceArticle(
        id=str(article.id),
        outlet=outlet_name(article.outlet, article.url),
        title=article.title,
        text=article.text,
        url=article.url,
        lang=article.lang,
        published=article.published,
        duplicate_of=str(article.duplicate_of) if article.duplicate_of is not None else None,
        vector=vector,
    )


def _stored_vectors(
    session: Session, article_ids: Sequence[int], model: str | None
) -> dict[int, tuple[float, ...]]:
    """The vectors the embed stage stored for the articles with the embedder `model`."""
    if model is None or not article_ids:
        return {}
    F = models.ArticleFeatures
    rows = session.execute(
        sa.select(F.article_id, F.vector).where(F.article_id.in_(article_ids), F.model == model)
    )
    return {
        article_id: tuple(float(x) for x in np.frombuffer(data, dtype=np.float32))
        for article_id, data in rows
    }


def coverage_of(session: Session, event_id: int, *, model: str | None = None) -> Coverage:
    """The member articles of an event, oldest first, as a writer reads them; with `model`
    (an embedder's name), each carries the vector the embed stage stored with that model."""
    event = session.get_one(models.Event, event_id)
    members = (
        sa.select(models.Article)
        .join(models.EventMember, models.EventMember.article_id == models.Article.id)
        .where(models.EventMember.event_id == event_id)
    )
    articles = sorted(
        session.scalars(members),
        key=lambda a: (a.published is None, a.published or a.created_at, a.id),
    )
    vectors = _stored_vectors(session, [a.id for a in articles], model)
    return Coverage(
        event_id=str(event_id),
        articles=tuple(_source_article(a, vectors.get(a.id)) for a in articles),
        storyline_id=str(event.storyline_id),
    )


def _outlets(coverage: Coverage) -> dict[str, str]:
    return {a.id: a.outlet for a in coverage.articles}


# -- the stage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """An event to write: its coverage and the member ids it was read with."""

    event_id: int
    coverage: Coverage
    ids: tuple[int, ...]


def _member_ids(session: Session, event_id: int) -> tuple[int, ...]:
    query = sa.select(models.EventMember.article_id).where(models.EventMember.event_id == event_id)
    return tuple(sorted(session.scalars(query)))


def _lock_event(session: Session, event_id: int) -> None:
    """Take the event's row lock (and SQLite's write lock) until the transaction ends.

    The cluster stage updates the event row whenever a member joins, so it waits for this
    transaction: the members read after this cannot change before the commit.
    """
    E = models.Event
    session.execute(sa.update(E).where(E.id == event_id).values(updated_at=E.updated_at))


def _current(
    session: Session, event_id: int
) -> tuple[models.Story | None, models.StoryVersion | None]:
    """The event's story row and its latest version, if it has one."""
    row = session.scalar(sa.select(models.Story).where(models.Story.event_id == event_id))
    if row is None:
        return None, None
    V = models.StoryVersion
    latest = session.scalar(
        sa.select(V).where(V.story_id == row.id).order_by(V.version.desc()).limit(1)
    )
    return row, latest


def _plan(session: Session, event_id: int, settings: Settings, model: str) -> _Job | None:
    """The job for the event, or None (recorded done) when there is nothing to write."""
    _lock_event(session, event_id)
    ids = _member_ids(session, event_id)
    _row, latest = _current(session, event_id)
    if latest is not None and tuple(sorted(latest.article_ids)) == ids:
        record_done(session, STAGE, event_id)  # written from exactly these members already
        return None
    coverage = coverage_of(session, event_id, model=model)
    if len(set(_outlets(coverage).values())) < settings.story_min_outlets:
        record_done(session, STAGE, event_id)  # waits again when a member joins
        return None
    return _Job(event_id, coverage, ids)


def _outlets_by_id(session: Session, job: _Job, previous_ids: Sequence[int]) -> dict[str, str]:
    outlets = _outlets(job.coverage)
    gone = [i for i in previous_ids if str(i) not in outlets]
    if gone:
        rows = session.execute(
            sa.select(models.Article.id, models.Article.outlet, models.Article.url).where(
                models.Article.id.in_(gone)
            )
        )
        outlets |= {str(i): outlet_name(outlet, url) for i, outlet, url in rows}
    return outlets


def _plain(sentences: Sequence[Sentence]) -> str:
    return " ".join(s.text for s in sentences)


def _store(session: Session, job: _Job, story: Story) -> models.StoryVersion:
    """The story as the event's current version, and a new version row beside it."""
    row, latest = _current(session, job.event_id)
    now = models.utcnow()
    if row is None:
        row = models.Story(event_id=job.event_id, version=0, created_at=now)
        session.add(row)
    body = story.model_dump(mode="json")
    row.version = (latest.version if latest is not None else row.version) + 1
    row.lang = story.lang
    row.headline = story.headline.text
    row.standfirst = _plain(story.standfirst)
    row.writer = story.writer
    row.model = story.model
    row.generative = story.generative
    row.outlets = len(story.outlets)
    row.body = body
    row.updated_at = now
    session.flush()
    previous_ids = list(latest.article_ids) if latest is not None else []
    what_changed = changes(
        Story.model_validate(latest.body) if latest is not None else None,
        story,
        [str(i) for i in previous_ids],
        [str(i) for i in job.ids],
        _outlets_by_id(session, job, previous_ids),
    )
    version = models.StoryVersion(
        story_id=row.id,
        version=row.version,
        body=body,
        changes=what_changed,
        article_ids=list(job.ids),
        created_at=now,
    )
    session.add(version)
    return version


@dataclass
class _Writing:
    """One run of the write stage: the writers, and what it did."""

    store: Store
    settings: Settings
    writer: Writer
    fallback: Writer
    report: StageReport
    model: str  # the embedder's name: the stored vectors of its model go with the coverage

    def write(self, event_id: int) -> None:
        with self.store.session() as session:
            job = _plan(session, event_id, self.settings, self.model)
        if job is None:
            return
        try:
            story = write_checked(self.writer, job.coverage, fallback=self.fallback)
        except Exception as exc:  # one event's failure must not stop the others
            self.fail(event_id, exc)
            return
        try:
            version = self.keep(job, story)
        except Exception as exc:  # nothing of it was stored; the others go on
            self.fail(event_id, exc)
            return
        if version is None:
            log.info("event %d changed while its story was written; it waits", event_id)
            return
        log.debug(
            "event %d: version %d (%s)", event_id, version.version, "; ".join(version.changes)
        )
        self.report.ok()

    def keep(self, job: _Job, story: Story) -> models.StoryVersion | None:
        """Store the story in one transaction, unless the event's members changed meanwhile."""
        with self.store.session() as session:
            _lock_event(session, job.event_id)
            if _member_ids(session, job.event_id) != job.ids:
                return None
            version = _store(session, job, story)
            record_done(session, STAGE, job.event_id)
        return version

    def fail(self, event_id: int, exc: Exception) -> None:
        reason = describe(exc)
        log.warning("the story of event %d failed: %s", event_id, reason)
        with self.store.session() as session:
            record_failure(session, STAGE, event_id, reason)
        self.report.fail(f"event {event_id}", reason)


def _candidates(settings: Settings) -> sa.Select[int]:
    """Events with enough members to have enough outlets."""
    least = max(1, settings.story_min_outlets)
    return sa.select(models.Event.id).where(models.Event.size >= least)


def write_stage(
    store: Store, settings: Settings, *, embedder: Embedder, progress: Progress | None = None
) -> StageReport:
    """Write (or rewrite) the story of every event whose members changed since it was written.

    A writer that fails on one event records the failure with its reason; the others go on.
    """
    progress = progress or NullProgress()
    report = StageReport(STAGE)
    with store.session() as session:
        ids = waiting_ids(session, STAGE, _candidates(settings), max_attempts=settings.max_attempts)
    progress.start(STAGE, len(ids))
    if not ids:
        return report.finish()
    run = _Writing(
        store,
        settings,
        make_writer(settings, embedder),
        ExtractiveWriter(embedder, languages=settings.editions),
        report,
        embedder.name,
    )
    for event_id in ids:
        run.write(event_id)
        progress.advance(STAGE)
    return report.finish()


# -- JSONL files -----------------------------------------------------------------------------


def _record_article(record_id: str, record: Mapping[str, Any]) -> SourceArticle:
    url = record.get("url")
    outlet = record.get("outlet")
    lang = record.get("lang")
    return SourceArticle(
        id=record_id,
        outlet=outlet_name(str(outlet) if outlet else None, str(url) if url else None),
        title=str(record.get("title") or ""),
        text=str(record.get("text") or ""),
        url=str(url) if url else None,
        lang=str(lang) if lang else None,
        published=parse_time(record.get("published")),
    )


def record_coverages(path: Path, *, embedder: Embedder, min_articles: int = 2) -> list[Coverage]:
    """The events of a JSONL file of article records (grouped as `tidings cluster` groups
    them) that have at least `min_articles` articles, in order of their first article."""
    records = read_records(path)
    placed = cluster_file(path, embedder=embedder)
    events: dict[int, list[SourceArticle]] = {}
    for record, (record_id, assignment) in zip(records, placed, strict=True):
        events.setdefault(assignment.event_id, []).append(_record_article(record_id, record))
    return [
        Coverage(event_id=str(event_id), articles=tuple(articles))
        for event_id, articles in events.items()
        if len(articles) >= min_articles
    ]


def stories_file(
    path: Path,
    *,
    settings: Settings,
    embedder: Embedder,
    failures: list[Failure] | None = None,
) -> list[Story]:
    """A story for each event of two or more articles of a JSONL file; nothing is stored.

    An event whose story cannot be written is logged (and appended to `failures` when given)
    and the others go on.
    """
    writer = make_writer(settings, embedder)
    fallback = ExtractiveWriter(embedder, languages=settings.editions)
    stories = []
    for coverage in record_coverages(path, embedder=embedder):
        try:
            stories.append(write_checked(writer, coverage, fallback=fallback))
        except Exception as exc:  # one event's failure must not stop the others
            reason = describe(exc)
            log.warning("the story of event %s failed: %s", coverage.event_id, reason)
            if failures is not None:
                failures.append(Failure(f"event {coverage.event_id}", reason))
    return stories


def _sentence_record(sentence: Sentence) -> dict[str, Any]:
    return {
        "text": sentence.text,
        "sources": list(sentence.sources),
        "spans": [
            {"article_id": c.article_id, "start": c.start, "end": c.end} for c in sentence.citations
        ],
    }


def story_record(story: Story) -> dict[str, Any]:
    """The story as `tidings stories` writes it: every sentence with its sources and spans."""
    return {
        "event_id": story.event_id,
        "lang": story.lang,
        "headline": _sentence_record(story.headline),
        "standfirst": [_sentence_record(s) for s in story.standfirst],
        "paragraphs": [[_sentence_record(s) for s in p.sentences] for p in story.paragraphs],
        "outlets": list(story.outlets),
        "langs": list(story.langs),
        "writer": story.writer,
        "model": story.model,
        "label": story.label,
        "check": story.check.model_dump(mode="json") if story.check is not None else None,
    }
