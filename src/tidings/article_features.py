"""What clustering needs of each article, and the `embed` stage that stores it.

For every deduplicated article that is not a copy of another, `embed_stage` stores its
vector (float32 bytes, made by the configured embedder, whose name is stored beside it) and
the evidence of its text: the names, numbers, dates and keywords it mentions. Articles are
embedded in batches; each article's features are written with its stage record in one
transaction, and an article that fails is recorded with its reason while the rest go on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.orm import Session

from .db import Store
from .embedding import Embedder, embed_each, embedding_text, make_embedder
from .evidence import Evidence, gather_evidence
from .models import Article, ArticleFeatures
from .progress import NullProgress, Progress
from .settings import Settings
from .stages import StageReport, describe, done_ids, record_done, record_failure, waiting_ids

__all__ = [
    "EMBED_BATCH",
    "embed_stage",
    "evidence_from_json",
    "evidence_to_json",
    "vector_from_bytes",
    "vector_to_bytes",
]

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
EMBED_BATCH = 32  # articles embedded at once: the model is several times faster in batches


def vector_to_bytes(vector: npt.NDArray[Any]) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype=np.float32)


def evidence_to_json(evidence: Evidence) -> dict[str, list[str]]:
    """Evidence as stored: sorted lists, dates in ISO 8601."""
    return {
        "entities": sorted(evidence.entities),
        "numbers": sorted(evidence.numbers),
        "dates": sorted(d.isoformat() for d in evidence.dates),
        "keywords": sorted(evidence.keywords),
        "phases": sorted(evidence.phases),
    }


def evidence_from_json(data: Mapping[str, Sequence[str]]) -> Evidence:
    return Evidence(
        entities=frozenset(data.get("entities", ())),
        numbers=frozenset(data.get("numbers", ())),
        dates=frozenset(date.fromisoformat(d) for d in data.get("dates", ())),
        keywords=frozenset(data.get("keywords", ())),
        phases=frozenset(data.get("phases", ())),
    )


# -- embed ---------------------------------------------------------------------------------


def embed_stage(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> StageReport:
    """Store the vector and evidence of every deduplicated article that waits for them.

    Copies of another article need neither (they join their original's event) and are
    recorded done as they are.
    """
    progress = progress or NullProgress()
    embedder = embedder or make_embedder(settings.embedder)
    report = StageReport("embed")
    deduped = sa.select(Article.id).where(Article.id.in_(done_ids("dedupe")))
    with store.session() as session:
        ids = waiting_ids(session, "embed", deduped, max_attempts=settings.max_attempts)
    progress.start("embed", len(ids))
    for start in range(0, len(ids), EMBED_BATCH):
        batch = ids[start : start + EMBED_BATCH]
        _embed_batch(store, embedder, batch, report)
        progress.advance("embed", len(batch))
    return report.finish()


def _embed_batch(store: Store, embedder: Embedder, ids: list[int], report: StageReport) -> None:
    with store.session() as session:
        articles = list(session.scalars(sa.select(Article).where(Article.id.in_(ids))))
    originals = [a for a in articles if a.duplicate_of is None]
    for article in articles:
        if article.duplicate_of is not None:
            with store.session() as session:
                record_done(session, "embed", article.id)
            report.ok()
    vectors = embed_each(embedder.embed, [embedding_text(a.title, a.text) for a in originals])
    for article, vector in zip(originals, vectors, strict=True):
        with store.session() as session:
            _store_features(session, article, vector, embedder.name, report)


def _store_features(
    session: Session,
    article: Article,
    vector: Vector | Exception,
    model: str,
    report: StageReport,
) -> None:
    try:
        if isinstance(vector, Exception):
            raise vector
        evidence = gather_evidence(
            article.title, article.text, lang=article.lang, published=article.published
        )
    except Exception as exc:  # one article must not stop the batch
        reason = describe(exc)
        log.warning("embedding article %d failed: %s", article.id, reason)
        record_failure(session, "embed", article.id, reason)
        report.fail(f"article {article.id}", reason)
        return
    features = ArticleFeatures(
        article_id=article.id,
        model=model,
        vector=vector_to_bytes(vector),
        evidence=evidence_to_json(evidence),
    )
    session.merge(features)  # replaces the features of an earlier model on a re-run
    record_done(session, "embed", article.id)
    report.ok()
