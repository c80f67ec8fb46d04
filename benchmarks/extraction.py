"""Article body extraction benchmark: Tidings' `extract()` against plain trafilatura.

    python benchmarks/extraction.py [--shared PATH] [--json OUT]

Reads the 181 pages and human-checked bodies of `shared/bench/extraction` and scores both
extractors on the same pages in the same run (shingle precision/recall averaged over pages,
F1 of the averages; see `tidings.evaluation`), with their speed in pages per second.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import trafilatura

from tidings.documents import PageKind, RawPage
from tidings.errors import ExtractionError
from tidings.evaluation import Scores, aggregate, score_page
from tidings.extraction import extract

__all__ = ["BenchPage", "Result", "default_shared", "load_pages", "main", "run", "tidings_body"]

Extractor = Callable[[bytes, str | None], str]


@dataclass(frozen=True)
class BenchPage:
    """One benchmark page: its bytes, its URL and the expected body."""

    key: str
    html: bytes
    url: str | None
    expected: str


@dataclass(frozen=True)
class Result:
    """The scores and speed of one extractor."""

    name: str
    scores: Scores
    pages_per_second: float


def default_shared() -> Path:
    return Path(__file__).resolve().parents[2] / "shared"


def load_pages(shared: Path) -> list[BenchPage]:
    """The benchmark pages under `shared`, in a stable order."""
    root = shared / "bench" / "extraction"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        record = truth[key]
        pages.append(BenchPage(key, body, record.get("url"), record.get("articleBody", "")))
    return pages


def tidings_body(html: bytes, url: str | None) -> str:
    """The body Tidings extracts from one page ("" when it finds none)."""
    try:
        return extract(RawPage(PageKind.HTML, html, url=url)).text
    except ExtractionError:
        return ""


def trafilatura_body(html: bytes, url: str | None) -> str:
    """The body plain trafilatura extracts in its standard mode."""
    return trafilatura.extract(html) or ""


def run(name: str, extractor: Extractor, pages: list[BenchPage]) -> Result:
    """Score one extractor over `pages`, timing the extraction only."""
    bodies: list[str] = []
    started = time.perf_counter()
    for page in pages:
        bodies.append(extractor(page.html, page.url))
    elapsed = time.perf_counter() - started
    scores = aggregate(score_page(p.expected, b) for p, b in zip(pages, bodies, strict=True))
    return Result(name, scores, len(pages) / elapsed if elapsed else 0.0)


def _table(results: list[Result]) -> Iterator[str]:
    yield f"{'extractor':<14} {'F1':>6} {'prec':>6} {'recall':>6} {'pages/s':>8}"
    for r in results:
        s = r.scores
        yield (
            f"{r.name:<14} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} {r.pages_per_second:8.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    pages = load_pages(args.shared)
    results = [
        run("tidings", tidings_body, pages),
        run("trafilatura", trafilatura_body, pages),
    ]
    print(f"{len(pages)} pages from {args.shared / 'bench' / 'extraction'}")
    for line in _table(results):
        print(line)
    if args.json:
        data = {
            r.name: {**asdict(r.scores), "pages_per_second": r.pages_per_second} for r in results
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
