"""The stages that run over the store: extract articles, find duplicates, then events.

`process` runs them in order: extract, dedupe, then embed, cluster and related (in
`article_features`, `eventing` and `related`), then write (in `writing`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import models
from .article_features import embed_stage
from .db import Store
from .dedupe import NearDuplicates, content_hash, normalize_url, signature
from .documents import Article
from .embedding import Embedder, make_embedder
from .enrich import enrich_stage
from .errors import TidingsError
from .eventing import cluster_stage
from .extraction import extract
from .ingest import page_of
from .progress import NullProgress, Progress
from .related import related_stage
from .settings import Settings
from .stages import StageReport, describe, done_ids, record_done, record_failure, waiting_ids
from .translation import translate_stage
from .writing import write_stage

__all__ = ["dedupe_stage", "extract_stage", "process"]

log = logging.getLogger(__name__)


def _article_row(doc: models.Document, article: Article) -> models.Article:
    url = article.url or doc.final_url or doc.url
    canonical = article.canonical_url
    return models.Article(
        document_id=doc.id,
        external_id=article.external_id,
        url=url,
        normalized_url=normalize_url(url) if url else None,
        canonical_url=normalize_url(canonical) if canonical else None,
        outlet=article.outlet or doc.hint_outlet,
        title=article.title,
        text=article.text,
        lang=article.lang,
        published=article.published or doc.hint_published,
        authors=list(article.authors),
        image=article.image,
        content_hash=content_hash(article.text),
        minhash=signature(article.text),
    )


def extract_stage(
    store: Store, settings: Settings, *, progress: Progress | None = None
) -> StageReport:
    """Turn every stored page that waits for extraction into an article, one per transaction."""
    progress = progress or NullProgress()
    report = StageReport("extract")
    stored = sa.select(models.Document.id).where(models.Document.raw.is_not(None))
    with store.session() as session:
        ids = waiting_ids(session, "extract", stored, max_attempts=settings.max_attempts)
    progress.start("extract", len(ids))
    for doc_id in ids:
        with store.session() as session:
            _extract_one(session, doc_id, report)
        progress.advance("extract")
    return report.finish()


def _extract_one(session: Session, doc_id: int, report: StageReport) -> None:
    doc = session.get_one(models.Document, doc_id)
    try:
        article = extract(page_of(doc))
    except Exception as exc:  # one hostile page must not stop the batch
        reason = describe(exc)
        if not isinstance(exc, TidingsError):
            log.exception("extraction of %s failed", doc.origin or doc.url)
        record_failure(session, "extract", doc_id, reason)
        report.fail(doc.url or doc.origin, reason)
        return
    session.add(_article_row(doc, article))
    record_done(session, "extract", doc_id)
    report.ok()


def dedupe_stage(
    store: Store, settings: Settings, *, progress: Progress | None = None
) -> StageReport:
    """Link each new article that repeats an earlier one to the first copy.

    Same normalised URL, same canonical URL, same content, or a near-duplicate body within
    the window: the article stays (which outlets carried a story matters later), with
    `duplicate_of` pointing at the first copy and the reason.
    """
    progress = progress or NullProgress()
    report = StageReport("dedupe")
    with store.session() as session:
        ids = waiting_ids(
            session, "dedupe", sa.select(models.Article.id), max_attempts=settings.max_attempts
        )
        index = _near_index(session, settings)
    progress.start("dedupe", len(ids))
    for article_id in ids:
        with store.session() as session:
            article = session.get_one(models.Article, article_id)
            _link_duplicate(session, article, index)
            record_done(session, "dedupe", article_id)
        minhash = article.minhash
        if article.duplicate_of is None and minhash:
            index.add(article.id, minhash)
        report.ok()
        progress.advance("dedupe")
    return report.finish()


def _near_index(session: Session, settings: Settings) -> NearDuplicates:
    """The near-duplicate index over first copies of the window, rebuilt from the store."""
    index = NearDuplicates(settings.near_duplicate_threshold)
    since = models.utcnow() - timedelta(days=settings.duplicate_window_days)
    rows = session.execute(
        sa.select(models.Article.id, models.Article.minhash).where(
            models.Article.duplicate_of.is_(None),
            models.Article.minhash.is_not(None),
            models.Article.created_at >= since,
            models.Article.id.in_(done_ids("dedupe")),
        )
    )
    for article_id, minhash in rows:
        index.add(article_id, minhash or b"")
    return index


def _link_duplicate(session: Session, article: models.Article, index: NearDuplicates) -> None:
    match = _exact_match(session, article)
    if match is None and article.minhash:
        near = [key for key, _score in index.query(article.minhash) if key != article.id]
        match = (min(near), "near-duplicate") if near else None
    if match is not None:
        original = session.get_one(models.Article, match[0])
        article.duplicate_of = original.duplicate_of or original.id
        article.duplicate_reason = match[1]


def _exact_match(session: Session, article: models.Article) -> tuple[int, str] | None:
    A = models.Article
    earlier = sa.select(A.id).where(A.id < article.id).order_by(A.id).limit(1)
    tests: list[tuple[str, sa.ColumnElement[bool] | None]] = [
        (
            "same-url",
            A.normalized_url == article.normalized_url if article.normalized_url else None,
        ),
        ("same-canonical", _canonical_clause(article)),
        ("same-content", A.content_hash == article.content_hash),
    ]
    for reason, clause in tests:
        if clause is None:
            continue
        found = session.scalar(earlier.where(clause))
        if found is not None:
            return found, reason
    return None


def _canonical_clause(article: models.Article) -> sa.ColumnElement[bool] | None:
    A = models.Article
    clauses = []
    if article.canonical_url:
        clauses += [
            A.canonical_url == article.canonical_url,
            A.normalized_url == article.canonical_url,
        ]
    if article.normalized_url:
        clauses.append(A.canonical_url == article.normalized_url)
    return sa.or_(*clauses) if clauses else None


def process(
    store: Store,
    settings: Settings,
    *,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> list[StageReport]:
    """Run every stage once over what waits for it, from extraction to related events.

    The embedder is the one `settings` names unless one is given; it is built once per run
    (and a model loads only when there is something to embed).
    """
    embedder = embedder or make_embedder(settings.embedder)
    return [
        extract_stage(store, settings, progress=progress),
        dedupe_stage(store, settings, progress=progress),
        embed_stage(store, settings, embedder=embedder, progress=progress),
        cluster_stage(store, settings, embedder=embedder, progress=progress),
        related_stage(store, settings, progress=progress),
        write_stage(store, settings, embedder=embedder, progress=progress),
        *enrich_stage(store, settings, embedder=embedder, progress=progress),
        *([translate_stage(store, settings, progress=progress)] if settings.chat_base_url else []),
    ]
