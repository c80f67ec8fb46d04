"""Offline inputs into the store: saved pages, text files, WARC and JSONL, as documents."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from .db import Store
from .documents import PageKind, RawPage
from .inputs import InputProblem, iter_pages
from .models import Document
from .progress import NullProgress, Progress
from .stages import StageReport

__all__ = ["document_for", "ingest_pages", "ingest_paths", "page_of"]

log = logging.getLogger(__name__)
BATCH = 200


def document_for(page: RawPage, *, key: str) -> Document:
    """A document row holding the page's bytes, compressed, and what is known of it."""
    return Document(
        key=key,
        url=page.url,
        final_url=page.url,
        kind=page.kind.value,
        origin=page.origin,
        hint_title=page.hint_title,
        hint_published=page.hint_published,
        hint_outlet=page.hint_outlet,
        hint_lang=page.hint_lang,
        fetched_at=page.fetched_at,
        encoding=page.encoding,
        raw=gzip.compress(page.body, compresslevel=6),
    )


def page_of(doc: Document) -> RawPage:
    """The page a document holds, as extraction reads it."""
    return RawPage(
        kind=PageKind(doc.kind),
        body=gzip.decompress(doc.raw or b""),
        url=doc.final_url or doc.url,
        origin=doc.origin,
        encoding=doc.encoding,
        fetched_at=doc.fetched_at,
        hint_title=doc.hint_title,
        hint_published=doc.hint_published,
        hint_outlet=doc.hint_outlet,
        hint_lang=doc.hint_lang,
    )


def ingest_pages(
    store: Store,
    pages: Iterable[RawPage | InputProblem],
    *,
    progress: Progress | None = None,
) -> StageReport:
    """Store every page not stored before (by origin); problems are reported, not raised.

    Pages are written in batches; a run killed midway loses at most the batch in hand,
    which the next run stores again, so nothing is lost or stored twice.
    """
    progress = progress or NullProgress()
    report = StageReport("ingest")
    progress.start("ingest", 0)
    batch: list[RawPage] = []
    for item in pages:
        if isinstance(item, InputProblem):
            report.fail(item.origin, item.reason)
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            _store_batch(store, batch, report)
            progress.advance("ingest", len(batch))
            batch = []
    _store_batch(store, batch, report)
    progress.advance("ingest", len(batch))
    return report.finish()


def _store_batch(store: Store, batch: list[RawPage], report: StageReport) -> None:
    if not batch:
        return
    with store.session() as session:
        keys = [page.origin for page in batch]
        known = set(session.scalars(sa.select(Document.key).where(Document.key.in_(keys))))
        for page in batch:
            if page.origin in known:
                log.debug("already stored: %s", page.origin)
                continue
            known.add(page.origin)
            session.add(document_for(page, key=page.origin))
            report.ok()


def ingest_paths(
    store: Store, paths: Iterable[Path], *, progress: Progress | None = None
) -> StageReport:
    """Read files and directories of pages into the store."""
    return ingest_pages(store, iter_pages(paths), progress=progress)
