"""The network stages: poll the feeds for new entries, then fetch the new pages."""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .db import Store
from .dedupe import normalize_url
from .errors import FeedError, FetchError
from .feeds import FeedEntry, ParsedFeed, parse_feed
from .fetching import Accept, Fetcher, FetchResult
from .models import Document, Feed, utcnow
from .progress import NullProgress, Progress
from .settings import Settings
from .stages import StageReport, record_done, record_failure, waiting_ids

__all__ = ["fetch_pages", "poll_feeds"]

log = logging.getLogger(__name__)


async def poll_feeds(
    store: Store,
    fetcher: Fetcher,
    settings: Settings,
    *,
    progress: Progress | None = None,
    only: Collection[int] | None = None,
) -> StageReport:
    """Poll every feed (or the feeds whose ids are in `only`) once, with a conditional GET,
    and queue the pages of entries not seen before.

    A broken or unreachable feed is recorded on the feed with its reason; the others go on.
    """
    progress = progress or NullProgress()
    report = StageReport("poll")
    query = sa.select(Feed).options(selectinload(Feed.source))
    if only is not None:
        query = query.where(Feed.id.in_(list(only)))
    with store.session() as session:
        feeds = list(session.scalars(query))
    progress.start("poll", len(feeds))

    async def one(feed: Feed) -> None:
        await _poll_one(store, fetcher, settings, feed, report)
        progress.advance("poll")

    await asyncio.gather(*(one(feed) for feed in feeds))
    return report.finish()


async def _poll_one(
    store: Store, fetcher: Fetcher, settings: Settings, feed: Feed, report: StageReport
) -> None:
    try:
        result = await fetcher.fetch(
            feed.url, accept=Accept.FEED, etag=feed.etag, last_modified=feed.last_modified
        )
        parsed = (
            None
            if result.not_modified
            else parse_feed(result.body, url=result.final_url, encoding=result.encoding)
        )
    except (FetchError, FeedError) as exc:
        _feed_failed(store, feed.id, str(exc))
        report.fail(feed.url, str(exc))
        return
    with store.session() as session:
        row = session.get_one(Feed, feed.id)
        _feed_polled(row, result, parsed)
        if parsed is not None:
            entries = parsed.entries[: settings.fetch_limit]
            row.entries_seen += _queue_entries(session, row, entries, parsed)
    report.ok()


def _feed_polled(row: Feed, result: FetchResult, parsed: ParsedFeed | None) -> None:
    row.polled_at = utcnow()
    row.failures = 0
    row.etag = result.etag or row.etag
    row.last_modified = result.last_modified or row.last_modified
    row.last_status = "not-modified" if parsed is None else "ok"
    row.error = parsed.warning if parsed is not None else None
    if parsed is not None and parsed.title:
        row.title = parsed.title[:500]


def _feed_failed(store: Store, feed_id: int, reason: str) -> None:
    log.info("feed %s failed: %s", feed_id, reason)
    with store.session() as session:
        row = session.get_one(Feed, feed_id)
        row.polled_at = utcnow()
        row.last_status = "failed"
        row.error = reason
        row.failures += 1


def _queue_entries(
    session: Session, feed: Feed, entries: tuple[FeedEntry, ...], parsed: ParsedFeed
) -> int:
    """Add a document to fetch for each entry whose normalised URL is new; returns how many."""
    keys: dict[str, FeedEntry] = {}
    for entry in entries:
        keys.setdefault(normalize_url(entry.url), entry)  # the first link of a page wins
    known = set(session.scalars(sa.select(Document.key).where(Document.key.in_(keys))))
    lang = feed.source.lang or parsed.lang
    for key, entry in keys.items():
        if key in known:
            continue
        session.add(
            Document(
                key=key,
                url=entry.url,
                kind="html",
                origin=feed.url,
                feed_id=feed.id,
                hint_title=entry.title,
                hint_published=entry.published,
                hint_outlet=feed.source.name,
                hint_lang=lang,
            )
        )
    return len(keys) - len(known)


async def fetch_pages(
    store: Store, fetcher: Fetcher, settings: Settings, *, progress: Progress | None = None
) -> StageReport:
    """Fetch every queued page and keep its raw bytes, compressed, for extraction."""
    progress = progress or NullProgress()
    report = StageReport("fetch")
    queued = sa.select(Document.id).where(Document.raw.is_(None), Document.url.is_not(None))
    with store.session() as session:
        ids = waiting_ids(session, "fetch", queued, max_attempts=settings.max_attempts)
    progress.start("fetch", len(ids))

    async def one(doc_id: int) -> None:
        await _fetch_one(store, fetcher, doc_id, report)
        progress.advance("fetch")

    await asyncio.gather(*(one(doc_id) for doc_id in ids))
    return report.finish()


async def _fetch_one(store: Store, fetcher: Fetcher, doc_id: int, report: StageReport) -> None:
    with store.session() as session:
        url = session.get_one(Document, doc_id).url or ""
    try:
        result = await fetcher.fetch(url, accept=Accept.PAGE)
    except FetchError as exc:
        with store.session() as session:
            record_failure(session, "fetch", doc_id, str(exc))
        report.fail(url, str(exc))
        return
    with store.session() as session:
        doc = session.get_one(Document, doc_id)
        doc.final_url = result.final_url
        doc.encoding = result.encoding
        doc.fetched_at = result.fetched_at
        doc.raw = gzip.compress(result.body, compresslevel=6)
        record_done(session, "fetch", doc_id)
    report.ok()
