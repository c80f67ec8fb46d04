"""Latency of the running newsroom: from an article appearing in a feed to its story updated.

The fictional demo newsroom is copied to a temporary folder and served on 127.0.0.1;
`tidings run` runs as a subprocess over a fresh store with a short poll interval
(`--poll-minutes`, 0.1 by default: six seconds, so quiet feeds are polled at least every 24
seconds; production's default is ten minutes). Once the first build is done, new fictional
reports of events that other outlets covered are added to a feed one at a time, and the time
until the event's story has a version written from the new report is measured. The story is
then fetched from the site to check that it is served.

The new reports carry dates of the demo week (Friday evening), which the demo server moves
like the rest, so they are late reports of the week's events.

    python -m benchmarks.latency [--articles 6] [--poll-minutes 0.1] [--embedder e5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

import httpx

from tidings.db import open_store
from tidings.demo import SITE_DIR, DemoServer, demo_outlets
from tidings.settings import load_settings
from tidings.sources import add_sources

# (outlet folder, path, headline, paragraphs): fictional follow-ups, written for this benchmark
FOLLOW_UPS = [
    (
        "northgate-post",
        "world/villa-serena-aftershocks",
        "Villa Serena counts damage after magnitude 6.4 earthquake",
        [
            "Residents of Villa Serena in southern Costaluna spent a "
            "second night outdoors after the magnitude 6.4 earthquake that killed two people and "
            "injured 47.",
            "President Marisol Ferrando promised money to rebuild the 180 damaged "
            "homes. Andrés Peñalba of the national seismological service said aftershocks would "
            "continue for days.",
        ],
    ),
    (
        "corvenna-ledger",
        "world/eidsvika-declaration-reaction",
        "Eidsvika methane pledge: what fourteen countries promised",
        [
            "The Eidsvika Declaration signed by fourteen "
            "countries on Friday commits them to cutting methane emissions by 40% by 2035.",
            "Fjellmark's climate minister Hanne Strøm, who chaired the summit, said the 2 billion "
            "dollar fund would open to applications next year.",
        ],
    ),
    (
        "corvenna-ledger",
        "business/marosa-backlog-clears",
        "Marosa port works through backlog after strike",
        [
            "The Port of Marosa handled a record number of containers on Friday as "
            "dockworkers returned after the strike ended with a 7% pay deal.",
            "Port authority chief Harlan Oduya said the ships waiting off the port would all be "
            "berthed within ten days.",
        ],
    ),
    (
        "northgate-post",
        "politics/rent-cap-what-changes",
        "Valdoria's rent cap: what changes for tenants",
        [
            "Valdoria's new housing law, passed by 112 votes to 98, caps rent "
            "increases at 3 per cent a year.",
            "Housing minister Alba Reyes-Morton said the 25,000 "
            "public homes promised by 2030 would be built in Corvenna and Marosa first.",
        ],
    ),
    (
        "northgate-post",
        "sport/continental-cup-homecoming",
        "Costaluna's Continental Cup winners return home",
        [
            "Thousands greeted Costaluna's team in San Aurelio after their "
            "2-1 win over Brandtal in the Continental Cup final in Corvenna.",
            "Diego Sarmiento, who "
            "scored the winner two minutes from time, lifted the trophy on the steps of the city "
            "hall alongside coach Ramiro Ortega.",
        ],
    ),
    (
        "corvenna-ledger",
        "world/nordlys-telekom-report",
        "Nordlys Telekom blames update for nationwide outage",
        [
            "Nordlys Telekom said a faulty software update in its core network "
            "caused the outage that cut off 2.3 million customers in Fjellmark.",
            "Chief executive "
            "Kari Vangen repeated her apology; minister Eirik Sande still expects a full report "
            "within 14 days.",
        ],
    ),
]


def _page(outlet: str, title: str, paragraphs: list[str], published: str) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f'</title><meta property="og:site_name" content="{escape(outlet)}">'
        f'<meta property="article:published_time" content="{published}"></head><body>'
        f'<div class="fiction-note">Fictional outlet for the Tidings demo</div>'
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        f"<footer>Fictional outlet for the Tidings demo.</footer></body></html>"
    )


def _add_to_feed(site: Path, folder: str, path: str, title: str, published: str) -> None:
    """Put an entry at the top of the outlet's feed (RSS or Atom)."""
    url = f"/{folder}/{path}.html"
    rss = site / folder / "rss.xml"
    if rss.exists():
        entry = (
            f"<item><title>{escape(title)}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>Fri, 06 Nov 2026 {published[11:19]} +0100</pubDate></item>\n"
        )
        text = rss.read_text(encoding="utf-8")
        marker = "<item>"
        rss.write_text(text.replace(marker, entry + marker, 1), encoding="utf-8")
        return
    atom = site / folder / "atom.xml"
    entry = (
        f'<entry><title>{escape(title)}</title><link rel="alternate" href="{url}"/>'
        f"<id>tag:bench,2026:{url}</id><published>{published}</published>"
        f"<updated>{published}</updated></entry>\n"
    )
    text = atom.read_text(encoding="utf-8")
    atom.write_text(text.replace("<entry>", entry + "<entry>", 1), encoding="utf-8")


def _story_with(db: Path, url_path: str) -> int | None:
    """The story version written from the article at `url_path`, once there is one."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as con:
        row = con.execute("SELECT id FROM articles WHERE url LIKE ?", (f"%{url_path}",)).fetchone()
        if row is None:
            return None
        for story_id, article_ids in con.execute(
            "SELECT story_id, article_ids FROM story_versions"
        ):
            if row[0] in json.loads(article_ids):
                return int(story_id)
    return None


def _idle(log: Path, after: int) -> bool:
    if not log.exists():
        return False
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines() if x]
    idle = [
        e
        for e in lines
        if e.get("event") == "cycle"
        and not set(e.get("stages", {})) - {"poll", "fetch", "extract"}
        and not e["stages"].get("fetch", {}).get("done")
    ]
    return len(idle) > after


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=len(FOLLOW_UPS))
    parser.add_argument("--poll-minutes", type=float, default=0.1)
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tidings-latency-"))
    site = work / "site"
    shutil.copytree(SITE_DIR, site)
    data = work / "data"
    port = _free_port()
    with DemoServer(site) as server:
        settings = load_settings({"data": data}, env={})
        with open_store(settings) as store:
            add_sources(store, demo_outlets(server.base_url))
        env = dict(
            os.environ,
            TIDINGS_DATA=str(data),
            TIDINGS_ALLOW_HOSTS=server.host,
            TIDINGS_HOST_DELAY="0",
            TIDINGS_POLL_MINUTES=str(args.poll_minutes),
            TIDINGS_EMBEDDER=args.embedder,
            TIDINGS_PORT=str(port),
        )
        started = time.monotonic()
        run = subprocess.Popen(
            [sys.executable, "-m", "tidings", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        log = data / "logs" / "tidings.log"
        try:
            while not _idle(log, 0):
                time.sleep(0.5)
            print(f"first build by `tidings run`: {time.monotonic() - started:.0f} s")
            latencies = []
            for n, (folder, path, title, paragraphs) in enumerate(FOLLOW_UPS[: args.articles]):
                published = f"2026-11-06T19:{10 + n:02d}:00+01:00"
                page = site / folder / f"{path}.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                outlet = next(o.name for o in demo_outlets("") if o.homepage == f"/{folder}/")
                page.write_text(_page(outlet, title, paragraphs, published), encoding="utf-8")
                added = time.monotonic()
                _add_to_feed(site, folder, path, title, published)
                story = None
                while story is None and time.monotonic() - added < args.timeout:
                    time.sleep(0.5)
                    story = _story_with(data / "tidings.db", f"/{folder}/{path}.html")
                if story is None:
                    print(f"{title}: no story version within {args.timeout:.0f} s")
                    continue
                latencies.append(time.monotonic() - added)
                shown = httpx.get(
                    f"http://127.0.0.1:{port}/en/story/{story}", timeout=30, follow_redirects=True
                )
                print(f"{latencies[-1]:5.1f} s  story {story} (HTTP {shown.status_code})  {title}")
        finally:
            run.send_signal(signal.SIGTERM)
            run.wait(timeout=120)
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"poll_minutes {args.poll_minutes}, embedder {args.embedder}: "
            f"p50 {statistics.median(ordered):.1f} s, p95 {p95:.1f} s over {len(ordered)}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
