"""The whole site as static files that any web server or static host can serve.

`export_site` renders every page through the web app itself, in process (httpx's ASGI
transport, no network): the home page and every story, storyline and topic page of every
edition, their feeds, the API's JSON, the illustrations and the static assets. Pages are
also read for links to more pages of the site, so every internal link of an exported page
leads to an exported file.

A path becomes a file the way static hosts look for one: `/en/` and `/en/about` become
`en/index.html` and `en/about/index.html`; paths with an extension (`/en/feed.rss`,
`/image/3.png`) keep it; API answers get `.json` (`/api/v1/stories/3` is
`api/v1/stories/3.json`). `/` sends readers to the first edition, and `404.html` is the
site's page for a missing path.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx
import sqlalchemy as sa

from .. import models
from ..db import Store
from ..settings import Settings
from .api import API_PREFIX
from .app import create_app
from .feeds import FEED_FORMATS, feed_path, known_topics
from .reading import StoryCard, story_cards, story_path
from .site import STATIC

__all__ = ["export_site", "file_for", "seed_paths"]

log = logging.getLogger(__name__)

CONCURRENCY = 8
BATCH = 500  # stories read from the store at a time
_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
_SKIP_PREFIXES = ("/consent",)


def file_for(path: str) -> PurePosixPath | None:
    """The file a static host serves for a site `path`; None for a path that cannot be one."""
    clean = unquote(urlsplit(path).path)
    parts = [p for p in clean.split("/") if p]
    if any(p in (".", "..") or "\\" in p for p in parts):
        return None
    if clean.startswith(API_PREFIX + "/") and parts and "." not in parts[-1]:
        return PurePosixPath(*parts[:-1], parts[-1] + ".json")
    if not parts or clean.endswith("/"):
        return PurePosixPath(*parts, "index.html")
    if "." in parts[-1]:
        return PurePosixPath(*parts)
    return PurePosixPath(*parts, "index.html")


def _story_paths(session: sa.orm.Session, edition: str) -> Iterable[str]:
    last = 0
    while True:
        ids = session.scalars(
            sa.select(models.Story.id)
            .where(models.Story.id > last)
            .order_by(models.Story.id)
            .limit(BATCH)
        ).all()
        if not ids:
            return
        cards: list[StoryCard] = story_cards(session, ids, edition)
        yield from (story_path(edition, card) for card in cards)
        last = ids[-1]


def seed_paths(settings: Settings, store: Store) -> list[str]:
    """Every path of the site known from the store, before links are followed."""
    paths = [f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/sources", f"{API_PREFIX}/stories"]
    paths += [f"{API_PREFIX}/events", f"{API_PREFIX}/storylines"]
    with store.session() as session:
        topics = known_topics(session)
        lines = session.scalars(sa.select(models.Storyline.id).order_by(models.Storyline.id)).all()
        events = session.scalars(sa.select(models.Event.id).order_by(models.Event.id)).all()
        story_ids = session.scalars(sa.select(models.Story.id).order_by(models.Story.id)).all()
        images = session.scalars(sa.select(models.StoryImage.story_id)).all()
        for edition in settings.editions:
            pages = [f"/{edition}/", f"/{edition}/about", f"/{edition}/privacy"]
            pages += [f"/{edition}/search", f"/{edition}/report"]
            pages += [f"/{edition}/topic/{t}" for t in topics]
            pages += [f"/{edition}/storyline/{line}" for line in lines]
            paths += pages
            paths += [f"{feed_path(p)}.{fmt}" for p in pages[:1] for fmt in FEED_FORMATS]
            paths += [f"{feed_path(p)}.{fmt}" for p in pages[5:] for fmt in FEED_FORMATS]
            paths += list(_story_paths(session, edition))
    paths += [f"{API_PREFIX}/stories/{i}" for i in story_ids]
    paths += [f"{API_PREFIX}/events/{i}" for i in events]
    paths += [f"{API_PREFIX}/storylines/{i}" for i in lines]
    paths += [f"/image/{i}.png" for i in images]
    paths += [
        f"/static/{p.relative_to(STATIC).as_posix()}" for p in STATIC.rglob("*") if p.is_file()
    ]
    return paths


def _links(body: bytes) -> Iterable[str]:
    for raw in _LINK.findall(body.decode("utf-8", "replace")):
        link = html.unescape(raw).strip()
        if link.startswith("/") and not link.startswith("//"):
            parts = urlsplit(link)
            if parts.query and not parts.path.startswith("/image/"):
                continue  # a search or form address: no static file can answer it
            yield parts.path


def _write(out: Path, relative: PurePosixPath, body: bytes) -> None:
    target = out.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def _redirect_page(location: str) -> bytes:
    quoted = html.escape(location, quote=True)
    return (
        '<!doctype html><meta charset="utf-8"><title>Tidings</title>'
        f'<meta http-equiv="refresh" content="0; url={quoted}">'
        f'<link rel="canonical" href="{quoted}"><a href="{quoted}">{quoted}</a>\n'
    ).encode()


class _Exporter:
    def __init__(self, client: httpx.AsyncClient, out: Path) -> None:
        self.client = client
        self.out = out
        self.seen: set[str] = set()
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.written = 0

    def add(self, path: str) -> None:
        if path not in self.seen and not path.startswith(_SKIP_PREFIXES):
            self.seen.add(path)
            self.queue.put_nowait(path)

    async def fetch(self, path: str) -> None:
        relative = file_for(path)
        if relative is None:
            return
        response = await self.client.get(path)
        if response.is_redirect:
            location = urlsplit(response.headers.get("location", "")).path
            if location.startswith("/"):
                self.add(location)
                _write(self.out, relative, _redirect_page(location))
                self.written += 1
            return
        if response.status_code != 200:
            log.info("not exported: %s answered %s", path, response.status_code)
            return
        _write(self.out, relative, response.content)
        self.written += 1
        if response.headers.get("content-type", "").startswith("text/html"):
            for link in _links(response.content):
                self.add(link)

    async def worker(self) -> None:
        while True:
            path = await self.queue.get()
            try:
                await self.fetch(path)
            except Exception:  # one failing page must not stop the export
                log.exception("not exported: %s", path)
            finally:
                self.queue.task_done()


async def _export(settings: Settings, store: Store, out: Path) -> int:
    app = create_app(settings, store)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=settings.site_url) as client:
        exporter = _Exporter(client, out)
        for path in ["/", *seed_paths(settings, store)]:
            exporter.add(path)
        workers = [asyncio.create_task(exporter.worker()) for _ in range(CONCURRENCY)]
        await exporter.queue.join()
        for task in workers:
            task.cancel()
        missing = await client.get(f"/{settings.editions[0]}/no-such-page")
        if missing.status_code == 404 and missing.content:
            _write(out, PurePosixPath("404.html"), missing.content)
            exporter.written += 1
    return exporter.written


def export_site(settings: Settings, store: Store, out: Path) -> int:
    """Write the whole site under `out` as static files; returns how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    written = asyncio.run(_export(settings, store, out))
    log.info("exported %d files to %s", written, out)
    return written
