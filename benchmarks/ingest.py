"""End-to-end ingest throughput: pages and JSONL articles into a fresh store, through extraction
and duplicate detection, offline and over HTTP from a local server.

    python benchmarks/ingest.py [--shared PATH] [--json OUT]

Offline: the 181 saved pages of the extraction set and the 1,462 JSONL articles of the
clustering set. Over HTTP: the same 181 pages served with an RSS feed by a server on
127.0.0.1, through the real poll and fetch stages.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tidings.db import Store, open_store
from tidings.fetching import Fetcher
from tidings.ingest import ingest_paths
from tidings.pipeline import process
from tidings.polling import fetch_pages, poll_feeds
from tidings.settings import Settings, load_settings
from tidings.sources import add_sources, spec_for_url
from tidings.stages import StageReport

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


def _settings(data: Path) -> Settings:
    return load_settings(
        {"data": data, "allow_hosts": ("127.0.0.1",), "host_delay": 0.0, "host_concurrency": 8},
        env={},
    )


def _row(name: str, articles: int, reports: list[StageReport], seconds: float) -> dict[str, Any]:
    stages = {
        r.stage: {"done": r.done, "failed": r.failed, "per_s": round(r.rate, 1)} for r in reports
    }
    return {
        "run": name,
        "articles": articles,
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 1),
        "stages": stages,
    }


def offline(shared: Path, work: Path) -> dict[str, Any]:
    inputs = [
        shared / "bench" / "extraction" / "html",
        shared / "bench" / "clustering" / "events.jsonl",
    ]
    with open_store(_settings(work / "offline")) as store:
        start = time.perf_counter()
        reports = [ingest_paths(store, inputs)]
        reports += process(store, _settings(work / "offline"))
        seconds = time.perf_counter() - start
    return _row("offline (181 pages + 1,462 JSONL)", reports[1].done, reports, seconds)


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign, assignment]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def _site(shared: Path, root: Path) -> list[str]:
    names = []
    for page in sorted((shared / "bench" / "extraction" / "html").glob("*.html.gz")):
        name = page.name.removesuffix(".gz")
        (root / name).write_bytes(gzip.decompress(page.read_bytes()))
        names.append(name)
    return names


def _feed(base: str, names: list[str]) -> str:
    items = "".join(f"<item><title>{n}</title><link>{base}/{n}</link></item>" for n in names)
    channel = f"<channel><title>Bench</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


async def _network_stages(store: Store, settings: Settings) -> list[StageReport]:
    async with Fetcher(settings) as fetcher:
        return [
            await poll_feeds(store, fetcher, settings),
            await fetch_pages(store, fetcher, settings),
        ]


def network(shared: Path, work: Path) -> dict[str, Any]:
    root = work / "site"
    root.mkdir()
    names = _site(shared, root)
    httpd, base = _serve(root)
    (root / "feed.xml").write_text(_feed(base, names))
    settings = _settings(work / "network")
    try:
        with open_store(settings) as store:
            add_sources(store, [spec_for_url(f"{base}/feed.xml", name="Bench")])
            start = time.perf_counter()
            reports = asyncio.run(_network_stages(store, settings))
            reports += process(store, settings)
            seconds = time.perf_counter() - start
    finally:
        httpd.shutdown()
    return _row("over HTTP (181 pages, feed on 127.0.0.1)", reports[2].done, reports, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = [offline(args.shared, work), network(args.shared, work)]
    for r in results:
        stages = ", ".join(
            f"{k} {v['done']} ok/{v['failed']} failed at {v['per_s']}/s"
            for k, v in r["stages"].items()
        )
        print(
            f"{r['run']}: {r['articles']} articles in {r['seconds']} s"
            f" = {r['articles_per_s']} articles/s ({stages})"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
