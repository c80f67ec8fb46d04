"""Event clustering benchmark: Tidings against reference clusterers, on the same data.

    python benchmarks/clustering.py [--shared PATH] [--limit N] [--pairs-limit N]
                                    [--no-pairs] [--sweep] [--json OUT]

Reads `shared/bench/clustering/events.jsonl` (ECB+ and MEANTIME articles with event labels)
and clusters it with Tidings (`tidings.clustering.cluster_records`, what `tidings cluster`
runs), single-pass TF-IDF with a time window, single-pass e5 and HDBSCAN over e5. Each
reference's main parameter is swept and the setting with the best mean of the ECB+ and
MEANTIME BCubed F1 is shown. Scores (see `tidings.cluster_scoring`) are BCubed and pairwise
precision/recall/F1, over all articles, per dataset and over events told in several
languages.

Then the pairs check on `pairs.jsonl` (SemEval-2022 Task 8, machine-translated rows left
out): the Pearson correlation of a similarity with the human `overall` grade (1 same story,
4 unrelated), reported as -r so that higher is better, for plain e5 cosine and for Tidings'
own same-story probability (`tidings.clustering.pair_similarity`), both over the text
Tidings embeds (`embedding_text`).

`--limit N` keeps the articles of the first N events of each dataset, and `--pairs-limit N`
the first N pairs, for quick runs. `--undated` takes every published date out: MEANTIME's
dates nearly name its events (113 dates for 120 events), so a time window alone separates
them; without dates the MEANTIME score measures the cross-lingual evidence itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import gram, hdbscan_clusters, parse_date, single_pass, tfidf_vectors
from benchmarks.vectors import CACHE, CachedEmbedder, cached
from tidings.cluster_scoring import ClusterScores, multilingual_items, score_subsets
from tidings.embedding import Embedder, embedding_text, make_embedder
from tidings.events import Item

__all__ = [
    "DATASETS",
    "EventBench",
    "MethodResult",
    "article_records",
    "article_texts",
    "default_shared",
    "load_bench",
    "main",
    "pairs_check",
    "pairs_embedder",
    "run_references",
    "run_tidings",
    "tidings_labels",
    "unreadable",
]

DATASETS = {"ECB+": "ECB+", "MEANTIME": "MEANTIME"}  # subset name -> source_dataset prefix
GOLD_FIELDS = ("event_id", "storyline_id", "topic_id", "source_dataset", "is_translation")
TFIDF_WINDOWS = (0, 3, 7)  # days; 0: no window
SUBSETS = ("all", "ECB+", "MEANTIME", "cross-lingual")


def default_shared() -> Path:
    return Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class EventBench:
    """The labelled articles in file order, their gold events and the scored subsets."""

    rows: list[dict[str, Any]]
    gold: dict[str, str]
    subsets: dict[str, set[str]]

    @property
    def ids(self) -> list[str]:
        return [str(row["id"]) for row in self.rows]


@dataclass
class MethodResult:
    """The scores of one clusterer (at its chosen setting) and how long it took."""

    name: str
    setting: str
    scores: dict[str, ClusterScores] = field(default_factory=dict)
    seconds: float = 0.0
    best_per_subset: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def balanced_f1(self) -> float:
        return (self.scores["ECB+"].bcubed_f1 + self.scores["MEANTIME"].bcubed_f1) / 2


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _first_events(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    kept: dict[str, set[str]] = {}
    chosen = []
    for row in rows:
        events = kept.setdefault(str(row["source_dataset"]).split()[0], set())
        if row["event_id"] in events or len(events) < limit:
            events.add(row["event_id"])
            chosen.append(row)
    return chosen


def load_bench(shared: Path, limit: int | None = None, undated: bool = False) -> EventBench:
    """The event benchmark under `shared`: the first `limit` events of each dataset only,
    and with every published date taken out when `undated`."""
    rows = _read_jsonl(shared / "bench" / "clustering" / "events.jsonl")
    if limit is not None:
        rows = _first_events(rows, limit)
    if undated:
        rows = [row | {"published": None} for row in rows]
    gold = {str(r["id"]): str(r["event_id"]) for r in rows}
    subsets = {
        name: {str(r["id"]) for r in rows if str(r["source_dataset"]).startswith(prefix)}
        for name, prefix in DATASETS.items()
    }
    languages = {str(r["id"]): str(r["lang"]) for r in rows}
    subsets["cross-lingual"] = multilingual_items(gold, languages)
    return EventBench(rows, gold, subsets)


def article_records(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records as a clusterer may see them: the labels taken out."""
    return [{k: v for k, v in row.items() if k not in GOLD_FIELDS} for row in rows]


def _score(bench: EventBench, labels: Sequence[Any]) -> dict[str, ClusterScores]:
    predicted = dict(zip(bench.ids, labels, strict=True))
    return score_subsets(bench.gold, predicted, bench.subsets)


# -- Tidings --------------------------------------------------------------------------------


def unreadable(items: Sequence[Item]) -> list[Item]:
    """The stream as reports written in other scripts look to the name matcher: the names
    and keywords of the articles not in English taken out (MEANTIME's translations share
    the English spelling of names; Korean or Russian reports would not)."""
    return [
        item
        if item.lang in (None, "en")
        else replace(
            item, evidence=replace(item.evidence, entities=frozenset(), keywords=frozenset())
        )
        for item in items
    ]


def tidings_labels(records: Sequence[dict[str, Any]], embedder: Embedder) -> dict[str, int] | None:
    """Article id -> Tidings event, or None when the clusterer is not available."""
    try:
        from tidings.clustering import cluster_records
    except ImportError:
        return None
    assignments = cluster_records(list(records), embedder=embedder)
    return {a.article_id: a.event_id for a in assignments}


def run_tidings(bench: EventBench, embedder: Embedder) -> MethodResult | None:
    started = time.perf_counter()
    labels = tidings_labels(article_records(bench.rows), embedder)
    if labels is None:
        return None
    result = MethodResult("tidings", "cluster_records (e5)")
    result.scores = _score(bench, [labels[i] for i in bench.ids])
    result.seconds = time.perf_counter() - started
    return result


# -- references -----------------------------------------------------------------------------


Sweep = Iterator[tuple[str, Callable[[], list[int]]]]


def _best(name: str, bench: EventBench, sweep: Sweep, verbose: bool) -> MethodResult:
    best: MethodResult | None = None
    tops: dict[str, tuple[str, float]] = {}
    started = time.perf_counter()
    for setting, cluster in sweep:
        result = MethodResult(name, setting, _score(bench, cluster()))
        if verbose:
            print(f"  {name:<18} {setting:<30} {_brief(result)}", file=sys.stderr)
        if best is None or result.balanced_f1 > best.balanced_f1:
            best = result
        for part, scores in result.scores.items():
            if scores.bcubed_f1 > tops.get(part, ("", -1.0))[1]:
                tops[part] = (setting, scores.bcubed_f1)
    assert best is not None
    best.seconds = time.perf_counter() - started
    best.best_per_subset = tops
    return best


def _brief(result: MethodResult) -> str:
    return "  ".join(
        f"{part} B3 {result.scores[part].bcubed_f1:.3f} pw {result.scores[part].pair_f1:.3f}"
        for part in ("ECB+", "MEANTIME")
    )


def _tfidf_sweep(bench: EventBench) -> Sweep:
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in bench.rows]
    similarity = gram(tfidf_vectors(texts))
    dates = [parse_date(r.get("published")) for r in bench.rows]
    for days in TFIDF_WINDOWS:
        window = timedelta(days=days) if days else None
        for threshold in np.arange(0.05, 0.51, 0.025):
            yield (
                f"threshold {threshold:.3f}, window {days or 'none'}",
                partial(single_pass, similarity, float(threshold), dates, window),
            )


def _e5_single_pass_sweep(similarity: np.ndarray[Any, Any]) -> Sweep:
    for threshold in np.arange(0.76, 0.951, 0.01):
        yield f"threshold {threshold:.2f}", partial(single_pass, similarity, float(threshold))


def _hdbscan_sweep(similarity: np.ndarray[Any, Any]) -> Sweep:
    for min_samples in (1, 2, 3, 4):
        for selection in ("eom", "leaf"):
            yield (
                f"min_samples {min_samples}, {selection}",
                partial(hdbscan_clusters, similarity, min_samples, selection),
            )


def article_texts(rows: Sequence[dict[str, Any]]) -> list[str]:
    """What Tidings embeds of each article (title and lead)."""
    return [embedding_text(str(r.get("title") or ""), str(r.get("text") or "")) for r in rows]


def run_references(
    bench: EventBench, embedder: Embedder, verbose: bool = False
) -> list[MethodResult]:
    """The best setting of each reference clusterer on `bench`."""
    e5 = gram(embedder.embed(article_texts(bench.rows)))
    return [
        _best("tfidf single-pass", bench, _tfidf_sweep(bench), verbose),
        _best("e5 single-pass", bench, _e5_single_pass_sweep(e5), verbose),
        _best("hdbscan e5", bench, _hdbscan_sweep(e5), verbose),
    ]


# -- the pairs check ------------------------------------------------------------------------


def _pair_record(pair: dict[str, Any], side: int) -> dict[str, Any]:
    """One side of a pair as an article record (its title runs into its text, so no title)."""
    return {
        "id": f"{pair['pair_id']}/{side}",
        "lang": pair[f"lang{side}"],
        "title": "",
        "text": str(pair[f"text{side}"]).strip(),
    }


def _neg_pearson(similarities: Sequence[float], grades: Sequence[float]) -> float:
    if len(similarities) < 2 or np.std(similarities) == 0:
        return float("nan")
    return -float(np.corrcoef(similarities, grades)[0, 1])


def _correlations(sims: Sequence[float], pairs: Sequence[dict[str, Any]]) -> dict[str, float]:
    grades = [float(p["overall"]) for p in pairs]
    cross = [i for i, p in enumerate(pairs) if p["lang1"] != p["lang2"]]
    return {
        "all": _neg_pearson(sims, grades),
        "cross-lingual": _neg_pearson([sims[i] for i in cross], [grades[i] for i in cross]),
        "pairs": float(len(pairs)),
        "cross-lingual pairs": float(len(cross)),
    }


def pairs_embedder() -> Embedder:
    """e5 with its own vector cache for the pair texts, apart from the articles'."""
    return CachedEmbedder(make_embedder("e5"), CACHE / "pairs")


def pairs_check(shared: Path, embedder: Embedder, limit: int | None = None) -> dict[str, Any]:
    """-Pearson r of e5 cosine and of Tidings' pair similarity with the human grades."""
    rows = _read_jsonl(shared / "bench" / "clustering" / "pairs.jsonl")
    pairs = [p for p in rows if not p.get("augmented_translation")][:limit]
    records = [(_pair_record(p, 1), _pair_record(p, 2)) for p in pairs]
    texts = [embedding_text(r["title"], r["text"]) for pair in records for r in pair]
    vectors = embedder.embed(texts)
    cosines = [float(vectors[2 * i] @ vectors[2 * i + 1]) for i in range(len(pairs))]
    report: dict[str, Any] = {"e5 cosine": _correlations(cosines, pairs)}
    try:
        from tidings.clustering import pair_similarity
    except ImportError:
        report["tidings"] = None
        return report
    sims = [float(pair_similarity(a, b, embedder=embedder)) for a, b in records]
    report["tidings"] = _correlations(sims, pairs)
    return report


# -- report ---------------------------------------------------------------------------------


def _table(results: Sequence[MethodResult | None]) -> str:
    head = f"{'method':<18} {'subset':<14} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}"
    lines = [head + f" {'pw P':>6} {'pw R':>6} {'pw F1':>6} {'n':>5}  setting"]
    for result in results:
        if result is None:
            lines.append(f"{'tidings':<18} tidings clusterer not available")
            continue
        for part in SUBSETS:
            s = result.scores[part]
            lines.append(
                f"{result.name:<18} {part:<14} {s.bcubed_precision:6.3f} {s.bcubed_recall:6.3f} "
                f"{s.bcubed_f1:6.3f} {s.pair_precision:6.3f} {s.pair_recall:6.3f} "
                f"{s.pair_f1:6.3f} {s.items:5d}  {result.setting if part == 'all' else ''}"
            )
    return "\n".join(lines + _per_subset_lines(results))


def _per_subset_lines(results: Sequence[MethodResult | None]) -> list[str]:
    lines = ["best BCubed F1 of each subset over the sweep (each at its own setting):"]
    for result in results:
        if result is None or not result.best_per_subset:
            continue
        tops = result.best_per_subset.items()
        lines.append(
            f"  {result.name:<18} " + "  ".join(f"{k} {f:.3f} ({h})" for k, (h, f) in tops)
        )
    return lines


def _pairs_lines(report: dict[str, Any]) -> str:
    lines = ["pairs check: -Pearson r with the human grade (higher is better)"]
    for name, values in report.items():
        if values is None:
            lines.append(f"  {name:<10} tidings clusterer not available")
        else:
            lines.append(
                f"  {name:<10} all {values['all']:.3f}  cross-lingual "
                f"{values['cross-lingual']:.3f}  ({values['pairs']:.0f} pairs, "
                f"{values['cross-lingual pairs']:.0f} cross-lingual)"
            )
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--limit", type=int, default=None, help="first N events per dataset")
    parser.add_argument("--pairs-limit", type=int, default=None, help="first N pairs")
    parser.add_argument("--no-pairs", action="store_true", help="skip the pairs check")
    parser.add_argument("--sweep", action="store_true", help="print every swept setting")
    parser.add_argument(
        "--undated", action="store_true", help="take every published date out of the articles"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the scores here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    bench = load_bench(args.shared, args.limit, args.undated)
    embedder = cached("e5")
    results = [run_tidings(bench, embedder), *run_references(bench, embedder, args.sweep)]
    print(_table(results))
    pairs = None if args.no_pairs else pairs_check(args.shared, pairs_embedder(), args.pairs_limit)
    if pairs is not None:
        print(_pairs_lines(pairs))
    if args.json:
        methods = [asdict(r) for r in results if r is not None]
        args.json.write_text(json.dumps({"methods": methods, "pairs": pairs}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
