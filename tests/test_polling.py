"""The network stages against a real HTTP server on 127.0.0.1: poll, fetch, extract."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import sqlalchemy as sa

from conftest import LocalServer
from newsfixtures import BRIDGE_REPORT, STORM_REPORT, article_html, rss_feed
from tidings.db import Store, open_store
from tidings.fetching import Fetcher
from tidings.models import Article, Document, Feed, StageItem
from tidings.pipeline import process
from tidings.polling import fetch_pages, poll_feeds
from tidings.settings import Settings
from tidings.sources import add_sources, spec_for_url

WORDS = [
    "harbour",
    "council",
    "ferry",
    "budget",
    "vote",
    "storm",
    "school",
    "minister",
    "bridge",
    "tunnel",
    "festival",
    "court",
    "election",
    "market",
    "river",
    "railway",
    "museum",
    "hospital",
    "airport",
    "factory",
    "strike",
    "harvest",
    "orchestra",
    "library",
    "stadium",
    "glacier",
    "island",
    "lighthouse",
    "village",
    "mayor",
    "treaty",
]


def _unique_report(n: int) -> list[str]:
    rng = random.Random(n)
    return [" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(5)]


def _run_network_stages(store: Store, settings: Settings) -> list[int]:
    async def run() -> list[int]:
        async with Fetcher(settings) as fetcher:
            polled = await poll_feeds(store, fetcher, settings)
            fetched = await fetch_pages(store, fetcher, settings)
        return [polled.done, polled.failed, fetched.done, fetched.failed]

    return asyncio.run(run())


def _feed_with_etag(server: LocalServer, path: str, body: str, etag: str) -> str:
    def respond(request: BaseHTTPRequestHandler) -> None:
        if request.headers.get("If-None-Match") == etag:
            request.send_response(304)
            request.send_header("ETag", etag)
            request.end_headers()
            return
        data = body.encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(data)))
        request.send_header("ETag", etag)
        request.end_headers()
        request.wfile.write(data)

    return server.handle(path, respond)


def test_poll_fetch_and_extract(
    local_server: LocalServer, store: Store, settings: Settings
) -> None:
    bridge = local_server.serve(
        "/bridge.html", article_html("Velmora opens its bridge", BRIDGE_REPORT)
    )
    storm = local_server.serve("/storm.html", article_html("Storm closes schools", STORM_REPORT))
    missing = local_server.url("/gone.html")
    items = [
        ("Bridge", bridge),
        ("Storm", storm),
        ("Gone", missing),
        ("Bridge again", bridge + "?utm_source=rss"),
    ]
    feed = _feed_with_etag(local_server, "/feed.xml", rss_feed("Courier", items), '"v1"')
    broken = local_server.serve("/broken.xml", "<html><body>Not a feed</body></html>")
    add_sources(store, [spec_for_url(feed, name="Courier"), spec_for_url(broken, name="Broken")])

    assert _run_network_stages(store, settings) == [1, 1, 2, 1]
    extract, *_later = process(store, settings)
    assert (extract.done, extract.failed) == (2, 0)
    with store.session() as session:
        articles = list(session.scalars(sa.select(Article).order_by(Article.title)))
        assert [a.title for a in articles] == ["Storm closes schools", "Velmora opens its bridge"]
        assert {a.outlet for a in articles} == {"Velmora Courier"}
        feeds = {f.url: f for f in session.scalars(sa.select(Feed))}
        assert feeds[broken].last_status == "failed"
        assert feeds[broken].error
        assert feeds[feed].etag == '"v1"'
        failed = session.scalars(sa.select(StageItem).where(StageItem.status == "failed")).one()
        assert "404" in (failed.reason or "")

    # The second poll is conditional: 304, nothing new queued, nothing fetched again.
    assert _run_network_stages(store, settings) == [1, 1, 0, 1]
    assert local_server.hits("/feed.xml")[-1].headers.get("If-None-Match") == '"v1"'
    assert len(local_server.hits("/bridge.html")) == 1
    with store.session() as session:
        assert session.get_one(Feed, feeds[feed].id).last_status == "not-modified"
        assert session.scalar(sa.select(sa.func.count()).select_from(Document)) == 3


def test_atom_and_json_feeds_are_polled(
    local_server: LocalServer, store: Store, settings: Settings
) -> None:
    bridge = local_server.serve(
        "/bridge.html", article_html("Velmora opens its bridge", BRIDGE_REPORT)
    )
    storm = local_server.serve("/storm.html", article_html("Storm closes schools", STORM_REPORT))
    atom = local_server.serve(
        "/atom.xml",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Courier</title><id>urn:courier</id><updated>2026-03-02T12:00:00Z</updated>"
        f'<entry><title>Bridge</title><id>urn:1</id><link href="{bridge}"/>'
        "<updated>2026-03-02T11:00:00Z</updated></entry></feed>",
        content_type="application/atom+xml",
    )
    items = [{"id": "s", "url": storm, "title": "Storm", "date_published": "2026-03-02T10:00:00Z"}]
    jsonfeed = local_server.serve(
        "/feed.json",
        json.dumps(
            {"version": "https://jsonfeed.org/version/1.1", "title": "Post", "items": items}
        ),
        content_type="application/feed+json",
    )
    add_sources(store, [spec_for_url(atom, name="Atom"), spec_for_url(jsonfeed, name="Json")])
    assert _run_network_stages(store, settings) == [2, 0, 2, 0]
    process(store, settings)
    with store.session() as session:
        rows = session.execute(sa.select(Article.title, Article.outlet, Article.published)).all()
    by_title = {title: (outlet, published) for title, outlet, published in rows}
    assert set(by_title) == {"Velmora opens its bridge", "Storm closes schools"}
    assert by_title["Velmora opens its bridge"][1] is not None


def test_killed_run_resumes_without_loss_or_duplicates(
    local_server: LocalServer, settings: Settings, tmp_path: Path
) -> None:
    pages = 12
    items = []
    for n in range(pages):
        url = local_server.serve(
            f"/a/{n}.html", article_html(f"Report number {n}", _unique_report(n)), delay=0.4
        )
        items.append((f"Report number {n}", url))
    feed = local_server.serve(
        "/feed.xml", rss_feed("Wire", items), content_type="application/rss+xml"
    )
    with open_store(settings) as store:
        add_sources(store, [spec_for_url(feed, name="Wire")])
    env = dict(
        os.environ,
        TIDINGS_DATA=str(settings.data),
        TIDINGS_DB=settings.db,
        TIDINGS_ALLOW_HOSTS="127.0.0.1",
        TIDINGS_HOST_DELAY="0",
        TIDINGS_HOST_CONCURRENCY="1",
    )
    command = [sys.executable, "-m", "tidings", "fetch"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = sa.select(sa.func.count()).select_from(StageItem).where(StageItem.stage == "fetch")
    with open_store(settings, migrate=False) as store:
        deadline = time.monotonic() + 30
        while (store_count := _scalar(store, done)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert 3 <= store_count < pages, "the run was not killed midway"
        second = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
        assert second.returncode == 0, second.stderr.decode()
        with store.session() as session:
            documents = list(session.scalars(sa.select(Document)))
            titles = sorted(session.scalars(sa.select(Article.title)))
        assert len(documents) == pages
        assert all(doc.raw for doc in documents)
        assert titles == sorted(title for title, _url in items)
        assert (
            _scalar(
                store,
                sa.select(sa.func.count()).select_from(StageItem).where(StageItem.status != "done"),
            )
            == 0
        )


def _scalar(store: Store, query: sa.Select[int]) -> int:
    with store.session() as session:
        return session.scalar(query) or 0
