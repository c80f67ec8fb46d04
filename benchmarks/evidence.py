"""Which evidence tells events apart: pair statistics on the clustering dev set.

    python benchmarks/evidence.py [--shared PATH] [--pairs N] [--json OUT]

For pairs of articles of `shared/bench/clustering/events.jsonl`, in three kinds:

- same: two reports of one event;
- trap: two different events of one topic (ECB+ pairs two events of one kind per topic;
  MEANTIME's four narrow topics hold many look-alike events);
- random: two events of different topics;

it prints the mean and median of the e5 cosine of `embedding_text`, entity Jaccard and
containment, number and date containment (over the pairs where both sides have some, with
that share as "both"), and keyword Jaccard, for ECB+ (English) and for MEANTIME across
languages (English against its es/it/nl versions). At most N pairs of each kind are drawn.
The e5 vectors are kept in `benchmarks/.cache/` (see `benchmarks.vectors`), so a second run
costs no embedding time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dateutil.parser import UnknownTimezoneWarning

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.vectors import cached
from tidings.embedding import embedding_text
from tidings.evidence import Evidence, gather_evidence
from tidings.moments import parse_time

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
Pair = tuple[int, int]


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def containment(a: frozenset[Any], b: frozenset[Any]) -> float | None:
    """Share of the smaller set found in the other; None when either side is empty."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


MEASURES: dict[str, Callable[[Evidence, Evidence], float | None]] = {
    "entity_jaccard": lambda a, b: jaccard(a.entities, b.entities),
    "entity_containment": lambda a, b: containment(a.entities, b.entities) or 0.0,
    "number_containment": lambda a, b: containment(a.numbers, b.numbers),
    "date_containment": lambda a, b: containment(a.dates, b.dates),
    "keyword_jaccard": lambda a, b: jaccard(a.keywords, b.keywords),
}


def _is_ecb(record: dict[str, Any]) -> bool:
    return str(record["source_dataset"]).startswith("ECB")


def _pairs(records: Sequence[dict[str, Any]], ecb: bool) -> Iterator[tuple[str, Pair]]:
    """(kind, pair) of every pair of the dataset (MEANTIME: English with another language)."""
    chosen = [i for i, r in enumerate(records) if _is_ecb(r) == ecb]
    for i, j in itertools.combinations(chosen, 2):
        a, b = records[i], records[j]
        if not ecb and (a["lang"] == "en") == (b["lang"] == "en"):
            continue
        if a["event_id"] == b["event_id"]:
            yield "same", (i, j)
        elif a["topic_id"] == b["topic_id"]:
            yield "trap", (i, j)
        else:
            yield "random", (i, j)


def _sample(records: Sequence[dict[str, Any]], ecb: bool, limit: int) -> dict[str, list[Pair]]:
    kinds: dict[str, list[Pair]] = {"same": [], "trap": [], "random": []}
    for kind, pair in _pairs(records, ecb):
        kinds[kind].append(pair)
    rng = random.Random(7)
    return {k: rng.sample(v, min(limit, len(v))) for k, v in kinds.items()}


def _summary(values: Sequence[float | None]) -> dict[str, float]:
    present = [v for v in values if v is not None]
    if not present:
        return {"mean": 0.0, "median": 0.0, "both": 0.0}
    return {
        "mean": round(statistics.fmean(present), 3),
        "median": round(statistics.median(present), 3),
        "both": round(len(present) / len(values), 3),
    }


def pair_table(
    pairs: dict[str, list[Pair]], cosines: Any, evidence: Sequence[Evidence]
) -> dict[str, dict[str, dict[str, float]]]:
    """measure -> kind -> {mean, median, both} over the pairs of each kind."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    table["e5_cosine"] = {
        kind: _summary([float(cosines[i] @ cosines[j]) for i, j in chosen])
        for kind, chosen in pairs.items()
    }
    for name, measure in MEASURES.items():
        table[name] = {
            kind: _summary([measure(evidence[i], evidence[j]) for i, j in chosen])
            for kind, chosen in pairs.items()
        }
    return table


def _print(title: str, pairs: dict[str, list[Pair]], table: dict[str, Any]) -> None:
    counts = ", ".join(f"{kind} {len(chosen)}" for kind, chosen in pairs.items())
    print(f"\n{title} (pairs: {counts})  mean / median [share of pairs where both have any]")
    print(f"{'measure':<20}" + "".join(f"{kind:>24}" for kind in pairs))
    for name, kinds in table.items():
        cells = []
        for kind in pairs:
            cell = kinds[kind]
            both = f" [{cell['both']:.2f}]" if cell["both"] < 1.0 else ""
            cells.append(f"{cell['mean']:.3f} / {cell['median']:.3f}{both}".rjust(24))
        print(f"{name:<20}" + "".join(cells))


def run(shared: Path, limit: int) -> dict[str, Any]:
    path = shared / "bench" / "clustering" / "events.jsonl"
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    # ECB+ writes raw times with US zone names ("EST"); only the day matters here.
    warnings.filterwarnings("ignore", category=UnknownTimezoneWarning)
    started = time.perf_counter()
    evidence = [
        gather_evidence(
            r["title"] or "", r["text"] or "", lang=r["lang"], published=parse_time(r["published"])
        )
        for r in records
    ]
    evidence_seconds = time.perf_counter() - started
    vectors = cached("e5").embed(
        [embedding_text(r["title"] or "", r["text"] or "") for r in records]
    )
    result: dict[str, Any] = {
        "articles": len(records),
        "evidence_articles_per_s": round(len(records) / evidence_seconds, 1),
    }
    print(f"gather_evidence: {result['evidence_articles_per_s']} articles/s")
    for name, ecb in (("ECB+ (English)", True), ("MEANTIME (English vs es/it/nl)", False)):
        pairs = _sample(records, ecb, limit)
        table = pair_table(pairs, vectors, evidence)
        _print(name, pairs, table)
        result[name] = table
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--pairs", type=int, default=5000, help="pairs drawn of each kind")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    result = run(args.shared, args.pairs)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
