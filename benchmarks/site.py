"""Site speed: requests per second and p99 latency of the home page and a story page.

    python -m benchmarks.site [--stories 100000] [--workers 1] [--duration 15] [--json OUT]

Fills a SQLite store with synthetic, fictional stories (bulk inserts straight into the
migrated schema: outlets, storylines, events, two source articles per event, and a story
whose body is a valid `stories.Story` with every sentence cited), starts the site the way
`tidings serve` does (uvicorn, no access log, no reload), and runs `wrk` (Debian package
`wrk`) against it on 127.0.0.1. Each run is bounded by `--duration`. Target on 2 cores:
at least 1,500 requests/s with p99 at most 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tidings.db import open_store
from tidings.settings import load_settings
from tidings.stories import Citation, Paragraph, Sentence, Story
from tidings.web.app import create_app

PLACES = ["Lowmere", "Tarnby", "Copperfield", "Eastwick Bay", "Halden Cross", "Norvik", "Saltgate"]
ACTORS = [
    "the city council",
    "the port authority",
    "the mining cooperative",
    "rail workers",
    "the regional court",
    "the water board",
    "the fisheries union",
    "the health agency",
]
ACTIONS = ["approved", "rejected", "announced", "postponed", "expanded", "reviewed", "cut"]
OBJECTS = [
    "a new ferry line",
    "the harbour budget",
    "a bridge repair plan",
    "school meal prices",
    "the night train service",
    "a wind farm permit",
    "the river flood barrier",
]
TOPICS = ["world", "business", "tech", "science", "sport"]
BASE = datetime(2031, 1, 1, tzinfo=UTC)


def served_app() -> Any:
    """The app uvicorn's workers import (`--factory`): settings from the environment."""
    return create_app(load_settings())


def _sentence(rng: random.Random) -> str:
    return (
        f"In {rng.choice(PLACES)}, {rng.choice(ACTORS)} {rng.choice(ACTIONS)} "
        f"{rng.choice(OBJECTS)} after {rng.randint(2, 90)} days of talks."
    )


def _body(rng: random.Random, event_id: int, articles: list[int], when: datetime) -> dict[str, Any]:
    def cited(text: str) -> Sentence:
        return Sentence(text=text, citations=tuple(Citation(article_id=str(a)) for a in articles))

    story = Story(
        event_id=str(event_id),
        lang="en",
        headline=cited(_sentence(rng).rstrip(".")),
        standfirst=(cited(_sentence(rng)), cited(_sentence(rng))),
        paragraphs=tuple(
            Paragraph(sentences=tuple(cited(_sentence(rng)) for _ in range(3))) for _ in range(4)
        ),
        outlets=("Harbour Gazette", "Valley Courier"),
        langs=("en",),
        first_published=when,
        last_published=when,
        writer="extractive",
    )
    return story.model_dump(mode="json")


def _rows(first: int, count: int, rng: random.Random) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in ("doc", "art", "mem", "ev", "st")}
    for event_id in range(first, first + count):
        when = (BASE + timedelta(minutes=3 * event_id)).isoformat(" ")
        articles = [2 * event_id - 1, 2 * event_id]
        for i, article_id in enumerate(articles):
            url = f"https://outlet{i}.test/news/{article_id}"
            rows["doc"].append((article_id, url, url, "article", "", 1 + (event_id + i) % 10, when))
            rows["art"].append(
                (
                    article_id,
                    article_id,
                    url,
                    f"Outlet {i}",
                    f"Report {article_id}",
                    "text",
                    "en",
                    when,
                    "[]",
                    f"{article_id:064d}",
                    when,
                )
            )
            rows["mem"].append((article_id, event_id, 0.9, 0))
        rows["ev"].append(
            (event_id, 1 + event_id // 5, when, when, when, 2, 2, '["en"]', 0, "[]", when)
        )
        body = _body(rng, event_id, articles, datetime.fromisoformat(when))
        standfirst = " ".join(s["text"] for s in body["standfirst"])
        rows["st"].append(
            (
                event_id,
                event_id,
                1,
                "en",
                body["headline"]["text"],
                standfirst,
                "extractive",
                0,
                2,
                json.dumps(body),
                when,
                when,
            )
        )
    return rows


def fill(data: Path, count: int) -> Path:
    """A store of `count` synthetic stories in `data`; returns the database file."""
    settings = load_settings({"data": data}, env={})
    open_store(settings).close()
    db = sqlite3.connect(data / "tidings.db")
    db.execute("PRAGMA synchronous=OFF")
    start = time.perf_counter()
    with db:
        for i in range(10):
            db.execute(
                "INSERT INTO sources (id, name, homepage, lang, topics, added_at) "
                "VALUES (?,?,?,?,?,?)",
                (
                    i + 1,
                    f"Outlet {i}",
                    f"https://outlet{i}.test/",
                    "en",
                    TOPICS[i % 5],
                    BASE.isoformat(" "),
                ),
            )
            db.execute(
                "INSERT INTO feeds (id, source_id, url, failures, entries_seen) VALUES (?,?,?,0,0)",
                (i + 1, i + 1, f"https://outlet{i}.test/rss"),
            )
        lines = [
            (i, BASE.isoformat(" "), BASE.isoformat(" "), 5, 0) for i in range(1, count // 5 + 2)
        ]
        db.executemany(
            "INSERT INTO storylines (id, opened_at, updated_at, size, closed) VALUES (?,?,?,?,?)",
            lines,
        )
        for offset in range(0, count, 10_000):
            rows = _rows(offset + 1, min(10_000, count - offset), random.Random(offset))
            db.executemany(
                "INSERT INTO documents (id, key, url, kind, origin, feed_id, discovered_at) "
                "VALUES (?,?,?,?,?,?,?)",
                rows["doc"],
            )
            db.executemany(
                "INSERT INTO articles (id, document_id, url, outlet, title, text, lang, published, "
                "authors, "
                "content_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows["art"],
            )
            db.executemany(
                "INSERT INTO events (id, storyline_id, opened_at, first_published, last_published, "
                "size, outlets, langs, closed, entities, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows["ev"],
            )
            db.executemany(
                "INSERT INTO event_members (article_id, event_id, probability, opened) "
                "VALUES (?,?,?,?)",
                rows["mem"],
            )
            db.executemany(
                "INSERT INTO stories (id, event_id, version, lang, headline, standfirst, writer, "
                "generative, outlets, body, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                rows["st"],
            )
    db.close()
    print(f"filled {count} stories in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return data / "tidings.db"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIDINGS_DATA": str(data), "TIDINGS_PORT": str(port)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.site:served_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(command, env=env, cwd=root)


def _wait(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/en/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the site did not come up")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (the uvicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own, parent = int(stat.parent.name), int(fields[1])
        if pid in (own, parent):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wrk(url: str, *, duration: int, connections: int, threads: int) -> dict[str, float]:
    """Requests/s and latency percentiles (ms) of one wrk run."""
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 30,
    ).stdout
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if found:
            result[f"p{pct}_ms"] = _ms(found.group(1), found.group(2))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", type=Path, help="Keep the store here (reused when present).")
    parser.add_argument("--json", type=Path, help="Write the results here too.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    data = args.data or Path(tempfile.mkdtemp(prefix="tidings-site-"))
    if not (data / "tidings.db").is_file():
        fill(data, args.stories)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(data, port, args.workers)
    results: dict[str, Any] = {
        "stories": args.stories,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "load_before": os.getloadavg()[0],
    }
    try:
        _wait(base)
        story = f"{base}/en/story/{args.stories // 2}"
        story_url = str(httpx.get(story, follow_redirects=True, timeout=10).url)
        for name, url in (("home", f"{base}/en/"), ("story", story_url)):
            httpx.get(url, timeout=10)  # warm the page cache
            cpu = _cpu_seconds(server.pid)
            results[name] = wrk(
                url, duration=args.duration, connections=args.connections, threads=args.threads
            )
            served = results[name]["requests_per_s"] * args.duration
            per_request = (_cpu_seconds(server.pid) - cpu) / max(served, 1)
            results[name]["server_cpu_ms_per_request"] = round(per_request * 1000, 3)
            print(name, url, results[name], file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
