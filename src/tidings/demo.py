"""The demo: a fictional newsroom served from this machine, read by Tidings end to end.

The sample newsroom (`data/demo`) is static files: eight invented outlets in English,
Norwegian, German and Spanish, with pages and feeds (RSS, Atom, JSON Feed), social posts, and
a few broken feeds and pages. `DemoServer` serves it on 127.0.0.1 and moves the dates of the
demo week to the latest week that has passed (whole weeks, so "on Monday" stays true).
`build_demo` adds the outlets as sources, polls and fetches them through the real fetch path
(only the demo server's host is allowed past the private-address guard), imports the posts and
runs every stage. The result is a store the site can serve.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shutil
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from . import models
from .db import Store, open_store
from .documents import SourceSpec
from .embedding import Embedder
from .errors import InputError, TidingsError
from .fetching import Accept, Fetcher
from .pipeline import process
from .polling import fetch_pages, poll_feeds
from .progress import Progress
from .settings import Settings
from .social import import_posts
from .sources import add_sources
from .stages import StageReport
from .status import store_status

__all__ = [
    "DEMO_DIR",
    "WEEK_END",
    "DemoBuild",
    "DemoServer",
    "build_demo",
    "collect_demo",
    "demo_outlets",
    "demo_settings",
    "prepare_data_dir",
    "shift_dates",
    "week_shift",
]

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).with_name("data") / "demo"
SITE_DIR = DEMO_DIR / "site"
MARKER = ".tidings-demo"  # marks a data directory the demo may wipe and build again
POSTS_PATH = "/social/posts.json"
# The demo week as written in the files; dates inside it are moved, other dates are not.
WEEK_START = datetime(2026, 11, 1, tzinfo=UTC)
WEEK_END = datetime(2026, 11, 8, tzinfo=UTC)
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})")
_RFC822 = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def week_shift(now: datetime | None = None) -> timedelta:
    """Whole weeks that move the demo week to the latest one that has ended by `now`."""
    now = now or datetime.now(UTC)
    weeks = (now - WEEK_END) // timedelta(weeks=1)
    return timedelta(weeks=weeks)


def shift_dates(text: str, shift: timedelta) -> str:
    """`text` with every ISO 8601 and RFC 822 date of the demo week moved by `shift`."""

    def iso(match: re.Match[str]) -> str:
        when = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        if not WEEK_START <= when < WEEK_END:
            return match.group(0)
        return (when + shift).isoformat()

    def rfc822(match: re.Match[str]) -> str:
        when = parsedate_to_datetime(match.group(0))
        if not WEEK_START <= when < WEEK_END:
            return match.group(0)
        return format_datetime(when + shift)

    return _RFC822.sub(rfc822, _ISO.sub(iso, text))


class DemoServer:
    """The sample newsroom (or any directory laid out like it) over HTTP on 127.0.0.1.

    Files are read on every request, so a test or benchmark can add articles to a copy of the
    site while Tidings polls it. ETag and If-None-Match make polls conditional.
    """

    def __init__(self, root: Path = SITE_DIR, *, host: str = "127.0.0.1", port: int = 0):
        self.root = root.resolve()
        self.shift = week_shift()
        self._httpd = _QuietServer((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def body(self, path: str) -> tuple[bytes, str] | None:
        """The bytes served at `path` and their content type, or None when there are none."""
        target = (self.root / path.split("?")[0].lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        kind = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        data = target.read_bytes()
        if kind.startswith(("text/", "application/")):
            data = shift_dates(data.decode("utf-8"), self.shift).encode("utf-8")
        return data, kind

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a killed run, a cancelled fetch) is no error of the demo."""
        log.debug("demo server: request from %s failed", client_address, exc_info=True)


def _handler(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            found = server.body(self.path)
            if found is None:
                self._answer(404, b"not found", "text/plain; charset=utf-8")
                return
            data, kind = found
            etag = f'"{zlib.crc32(data):08x}"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, b"", kind, etag)
                return
            self._answer(200, data, kind, etag)

        def _answer(self, status: int, data: bytes, kind: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data) if status != 304 else 0))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            if status != 304:
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("demo server: " + format, *args)

    return Handler


def demo_settings(settings: Settings, server: DemoServer, *, data: Path) -> Settings:
    """Settings for the demo: its own data directory and SQLite store, the demo server's host
    (and only it) allowed past the private-address guard, and no politeness delay for it."""
    return settings.model_copy(
        update={
            "data": data,
            "db": "",
            "allow_hosts": (server.host,),
            "host_delay": 0.0,
            "host_concurrency": 8,
        }
    )


def prepare_data_dir(data: Path) -> None:
    """Make `data` a fresh, empty demo directory; refuse one that holds other data."""
    if data.exists() and any(data.iterdir()):
        if not (data / MARKER).exists():
            raise InputError(
                f"{data} holds data that is not a demo's; give the demo an empty directory "
                "with --data"
            )
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    (data / MARKER).write_text("built by `tidings demo`; rebuilt on every run\n")


def demo_outlets(base_url: str) -> list[SourceSpec]:
    """The fictional outlets of the sample newsroom, with their feeds at `base_url`."""
    rows = json.loads((DEMO_DIR / "outlets.json").read_text(encoding="utf-8"))
    return [
        SourceSpec(
            name=row["name"],
            feeds=tuple(base_url + path for path in row["feeds"]),
            homepage=base_url + row["homepage"],
            lang=row["lang"],
            country=row["country"],
            topics=tuple(row["topics"]),
        )
        for row in rows
    ]


@dataclass
class DemoBuild:
    """What one build of the demo made, and how long it took."""

    reports: list[StageReport]
    seconds: float
    posts: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (what, item, reason)

    @property
    def stage_seconds(self) -> dict[str, float]:
        """Seconds each stage took, in the order they ran."""
        seconds: dict[str, float] = {}
        for report in self.reports:
            seconds[report.stage] = seconds.get(report.stage, 0.0) + report.seconds
        return seconds


def collect_demo(
    store: Store, settings: Settings, server: DemoServer, *, progress: Progress | None = None
) -> tuple[list[StageReport], int]:
    """Add the demo outlets, poll their feeds, fetch the pages, and import the social posts
    the newsroom publishes; returns the poll and fetch reports and the posts stored."""
    add_sources(store, demo_outlets(server.base_url))
    reports, records = asyncio.run(_collect(store, settings, server, progress))
    return reports, import_posts(store, records)


async def _collect(
    store: Store, settings: Settings, server: DemoServer, progress: Progress | None
) -> tuple[list[StageReport], list[Any]]:
    async with Fetcher(settings) as fetcher:
        polled = await poll_feeds(store, fetcher, settings, progress=progress)
        fetched = await fetch_pages(store, fetcher, settings, progress=progress)
        try:
            answer = await fetcher.fetch(server.url(POSTS_PATH), accept=Accept.FEED)
            records = list(json.loads(answer.body).get("items", []))
        except (TidingsError, ValueError, AttributeError) as exc:
            log.warning("the demo's social posts could not be read: %s", exc)
            records = []
    return [polled, fetched], records


def build_demo(
    settings: Settings,
    server: DemoServer,
    *,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> DemoBuild:
    """Add the demo outlets, poll and fetch them, import the posts and run every stage."""
    started = time.monotonic()
    with open_store(settings) as store:
        reports, posts = collect_demo(store, settings, server, progress=progress)
        reports += process(store, settings, progress=progress, embedder=embedder)
        build = DemoBuild(reports, time.monotonic() - started, posts)
        build.counts = demo_counts(store)
        build.failures = demo_failures(store)
    stages = ", ".join(f"{stage} {s:.1f}" for stage, s in build.stage_seconds.items())
    log.info("demo built in %.1f s (seconds per stage: %s)", build.seconds, stages)
    return build


def demo_counts(store: Store) -> dict[str, int]:
    """Articles, events (all, and those of several outlets), storylines, stories and more."""
    count = sa.func.count()
    with store.session() as session:

        def n(query: sa.Select[Any]) -> int:
            return int(session.scalar(query) or 0)

        multi = sa.select(models.Event.storyline_id).group_by(models.Event.storyline_id)
        return {
            "articles": n(sa.select(count).select_from(models.Article)),
            "wire copies": n(sa.select(count).where(models.Article.duplicate_of.is_not(None))),
            "events": n(sa.select(count).select_from(models.Event)),
            "events of several outlets": n(sa.select(count).where(models.Event.outlets >= 2)),
            "storylines of several events": n(
                sa.select(count).select_from(multi.having(sa.func.count() >= 2).subquery())
            ),
            "stories": n(sa.select(count).select_from(models.Story)),
            "social posts matched": n(
                sa.select(count).where(models.SocialPost.event_id.is_not(None))
            ),
            "illustrations": n(sa.select(count).select_from(models.StoryImage)),
        }


def demo_failures(store: Store) -> list[tuple[str, str, str]]:
    """The feeds and items that failed, with their reasons."""
    status = store_status(store, failures=50)
    feeds = [("feed", url, reason) for url, reason in status.feed_failures]
    return feeds + list(status.item_failures)
