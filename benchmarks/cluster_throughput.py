"""Clustering throughput and memory.

    python benchmarks/cluster_throughput.py [--shared PATH] [--limit N] [--stream N]
                                            [--days D] [--skip-embed] [--skip-stream]

1. Throughput: e5 alone on the dev articles' `embedding_text`s (texts/s), then
   `cluster_records` on the same articles with the same (uncached) embedder (articles/s),
   and their ratio: the share of embedding speed left once evidence and clustering are
   added (target at least 0.8). `--limit N` takes the first N articles (0: all 1,462).
2. Memory: a synthetic stream of `--stream` articles (default 1,000,000) spread evenly over
   `--days` days is fed in time order to `OnlineClusterer.add`. Vectors are random unit
   vectors: about half the articles open a synthetic event (a random centre), the others
   report a recent one (its centre plus noise, cosine about 0.9); evidence is a few names,
   keywords and numbers from the event's own pool plus a date. The resident set size is
   printed at 100k, 250k, 500k and 1M articles with the live events and storylines: once
   the stream is longer than the storyline window it should stay flat.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.clustering import article_records, article_texts, default_shared, load_bench

__all__ = ["Synthetic", "main", "measure_memory", "measure_throughput", "rss_mib"]

DIM = 384
CHECKPOINTS = (100_000, 250_000, 500_000, 1_000_000)
START = datetime(2024, 1, 1, tzinfo=UTC)


def rss_mib() -> float:
    """The resident set size of this process now (peak where /proc is missing), in MiB."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- 1. throughput --------------------------------------------------------------------------


def measure_throughput(shared: Path, limit: int) -> dict[str, float]:
    """texts/s of e5 alone and articles/s of `cluster_records`, on the same articles."""
    from tidings.clustering import cluster_records
    from tidings.embedding import make_embedder

    rows = load_bench(shared).rows
    rows = rows[:limit] if limit else rows
    texts = article_texts(rows)
    embedder = make_embedder("e5")
    embedder.embed(["the model loads before the clock starts"])
    started = time.perf_counter()
    embedder.embed(texts)
    embed_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    cluster_records(article_records(rows), embedder=embedder)
    cluster_rate = len(rows) / (time.perf_counter() - started)
    return {
        "articles": float(len(rows)),
        "embed_texts_per_s": embed_rate,
        "cluster_articles_per_s": cluster_rate,
        "ratio": cluster_rate / embed_rate,
    }


# -- 2. memory over a synthetic stream ------------------------------------------------------


@dataclass
class _Event:
    centre: npt.NDArray[np.float32]
    names: list[str]
    words: list[str]
    numbers: list[str]
    day: date


class Synthetic:
    """A reproducible stream of synthetic articles: (key, vector, names, words, numbers, ...)."""

    def __init__(self, total: int, days: float, seed: int = 7) -> None:
        self.total = total
        self.step = timedelta(days=days) / max(total, 1)
        self.random = random.Random(seed)
        self.numpy = np.random.default_rng(seed)
        self.recent: list[_Event] = []

    def _unit(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def _event(self, when: datetime) -> _Event:
        pick = self.random.randrange
        event = _Event(
            self._unit(self.numpy.standard_normal(DIM).astype(np.float32)),
            [f"name{pick(200_000)}" for _ in range(4)],
            [f"word{pick(50_000)}" for _ in range(8)],
            [str(pick(10_000)) for _ in range(2)],
            when.date(),
        )
        self.recent = [*self.recent[-199:], event]
        return event

    def __iter__(self) -> Iterator[tuple[str, npt.NDArray[np.float32], _Event, datetime]]:
        for n in range(self.total):
            when = START + self.step * n
            fresh = not self.recent or self.random.random() < 0.5
            event = self._event(when) if fresh else self.random.choice(self.recent)
            noise = self.numpy.standard_normal(DIM).astype(np.float32) * (0.45 / DIM**0.5)
            yield f"a{n}", self._unit(event.centre + noise), event, when


def _item(key: str, vector: Any, event: _Event, when: datetime, rng: random.Random) -> Any:
    from tidings.events import Item
    from tidings.evidence import Evidence

    evidence = Evidence(
        entities=frozenset(rng.sample(event.names, 2)),
        numbers=frozenset(rng.sample(event.numbers, 1)),
        keywords=frozenset(rng.sample(event.words, 4)),
        dates=frozenset({event.day}),
    )
    return Item(key, vector, evidence, rng.choice(("en", "de", "es", "nb")), when)


def _live(clusterer: Any, level: str) -> int:
    return len(getattr(getattr(clusterer, level, None), "live", ()))


def measure_memory(total: int, days: float) -> list[dict[str, float]]:
    """RSS and live clusters at each checkpoint of a synthetic stream of `total` articles."""
    from tidings.clustering import OnlineClusterer

    clusterer = OnlineClusterer(DIM)
    rng = random.Random(11)
    marks = sorted({c for c in CHECKPOINTS if c < total} | {total})
    report: list[dict[str, float]] = []
    started = time.perf_counter()
    for n, (key, vector, event, when) in enumerate(Synthetic(total, days), 1):
        clusterer.add(_item(key, vector, event, when, rng))
        if n in marks:
            row = {
                "articles": float(n),
                "rss_mib": rss_mib(),
                "live_events": float(_live(clusterer, "events")),
                "live_storylines": float(_live(clusterer, "storylines")),
                "articles_per_s": n / (time.perf_counter() - started),
            }
            print("  ".join(f"{k} {v:,.0f}" for k, v in row.items()), flush=True)
            report.append(row)
    return report


# -- command line ---------------------------------------------------------------------------


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--limit", type=int, default=300, help="dev articles (0: all)")
    parser.add_argument("--stream", type=int, default=1_000_000, help="synthetic articles")
    parser.add_argument("--days", type=float, default=365.0, help="stream time span")
    parser.add_argument("--skip-embed", action="store_true", help="skip the throughput part")
    parser.add_argument("--skip-stream", action="store_true", help="skip the memory part")
    return parser.parse_args(argv)


def _missing(module: str, names: Sequence[str]) -> str | None:
    try:
        imported = __import__(module, fromlist=list(names))
    except ImportError as exc:
        return f"{module} is not available ({exc})"
    absent = [name for name in names if not hasattr(imported, name)]
    return f"{module} lacks {', '.join(absent)}" if absent else None


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.skip_embed:
        problem = _missing("tidings.clustering", ["cluster_records"])
        if problem:
            print(f"throughput: tidings clusterer not available: {problem}")
        else:
            result = measure_throughput(args.shared, args.limit)
            print("  ".join(f"{k} {v:.2f}" for k, v in result.items()))
    if not args.skip_stream:
        problem = _missing("tidings.clustering", ["OnlineClusterer"]) or _missing(
            "tidings.evidence", ["Evidence"]
        )
        if problem:
            print(f"memory: tidings online clusterer not available: {problem}")
        else:
            print(f"rss before the stream {rss_mib():,.0f} MiB")
            measure_memory(args.stream, args.days)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
