"""Learn the clusterer's decision on the labelled dev events and write `data/decision.json`.

    python benchmarks/train_decision.py [--shared PATH] [--threshold T] [--write]

The articles of `bench/clustering/events.jsonl` are streamed in published order through an
oracle that places each article in its true event. At every step the live events the
clusterer would weigh (nearest centroids) give one example each: the evidence of
`events.features` and whether the candidate is the article's true event. A logistic
regression over those examples gives the weights; the threshold is then swept with the real
online clusterer (merging of event fragments included), keeping the one with the best mean
BCubed F1 over ECB+ and MEANTIME, with their publication times and without them, and over
undated MEANTIME with the names and keywords of its translations taken out, as reports in
another script would read (the weights are learned on all three streams), unless
`--threshold` names the one to keep.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from benchmarks.clustering import unreadable
from benchmarks.vectors import cached
from tidings.cluster_scoring import score_clustering
from tidings.clustering import Decision, OnlineClusterer, items_from_records
from tidings.events import FEATURES, EventState, Item, features

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
# The threshold is chosen for the best mean BCubed F1 over both datasets, with and without
# publication times, and over MEANTIME as reports in other scripts would read.
SCORED = ("ecbplus", "meantime", "undated_ecbplus", "undated_meantime", "unreadable_meantime")
DECISION = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data" / "decision.json"


def load(shared: Path) -> list[dict[str, Any]]:
    path = shared / "bench" / "clustering" / "events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def examples(items: Sequence[Item], gold: Mapping[str, str], decision: Decision) -> tuple[Any, Any]:
    """Evidence rows and labels from an oracle stream over `items`."""
    clusterer = OnlineClusterer(items[0].vector.shape[0], decision)
    by_gold: dict[str, EventState] = {}
    rows, labels = [], []
    for item in items:
        truth = gold[item.key]
        clusterer.rarity.see(item.evidence.entities | item.evidence.keywords)
        if item.published is not None and (clusterer.now is None or item.published > clusterer.now):
            clusterer.now = item.published
        for key, cosine in clusterer.events.index.nearest(item.vector, decision.candidates):
            state = clusterer.events.live[key]
            if cosine < decision.min_cosine or clusterer.events.stale(state, clusterer.now):
                continue
            rows.append(features(item, state, clusterer.rarity))
            labels.append(by_gold.get(truth) is state)
        own = by_gold.get(truth)
        if own is None:
            own = by_gold[truth] = clusterer.events.open()
        clusterer.events.grow(own, item, clusterer.now)
    return np.array(rows), np.array(labels)


def evaluate(
    items: Sequence[Item], records: Sequence[Mapping[str, Any]], decision: Decision
) -> dict[str, float]:
    placed = OnlineClusterer(items[0].vector.shape[0], decision).run(items)
    predicted = {a.article_id: a.event_id for a in placed}
    scores = {}
    for name, prefix in (("ecbplus", "ECB+"), ("meantime", "MEANTIME")):
        chosen = [r for r in records if str(r["source_dataset"]).startswith(prefix)]
        gold = {str(r["id"]): r["event_id"] for r in chosen}
        result = score_clustering(gold, {k: predicted[k] for k in gold})
        scores[name] = result.bcubed_f1
        scores[name + "_p"] = result.bcubed_precision
        scores[name + "_r"] = result.bcubed_recall
    return scores


def fit(rows: Any, labels: Any) -> tuple[dict[str, float], float]:
    model = LogisticRegression(C=10.0, max_iter=3000)
    model.fit(rows, labels)
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
    return weights, round(float(model.intercept_[0]), 4)


def _untrained() -> Decision:
    """The shipped decision's settings (candidates, thresholds), its weights yet to learn."""
    data = json.loads(DECISION.read_text())
    data["weights"] = {name: data["weights"].get(name, 0.0) for name in FEATURES}
    return Decision.load(json.dumps(data))


def streams(items: Sequence[Item]) -> dict[str, list[Item]]:
    """The streams the decision learns from and is scored on, by score-name prefix."""
    undated = [replace(item, published=None) for item in items]
    return {"": list(items), "undated_": undated, "unreadable_": unreadable(undated)}


def sweep(
    learned: Decision,
    streams: Mapping[str, Sequence[Item]],
    records: Sequence[Mapping[str, Any]],
    keep: float | None,
) -> tuple[float, float, dict[str, float]]:
    """(mean, threshold, scores) of the threshold with the best mean of SCORED, or of `keep`."""
    best: tuple[float, float, dict[str, float]] = (0.0, learned.threshold, {})
    for threshold in np.arange(0.05, 0.6, 0.05):
        decision = replace(learned, threshold=float(threshold))
        scores: dict[str, float] = {}
        for prefix, stream in streams.items():
            got = evaluate(stream, records, decision)
            scores.update(
                (prefix + k, v) for k, v in got.items() if prefix + k in SCORED or not prefix
            )
        mean = sum(scores[k] for k in SCORED) / len(SCORED)
        shown = " ".join(f"{k} {v:.3f}" for k, v in scores.items())
        print(f"threshold {threshold:.2f}: {shown} mean {mean:.4f}")
        chosen = keep is not None and abs(threshold - keep) < 1e-9
        if chosen or (keep is None and mean > best[0]):
            best = (mean, float(threshold), scores)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--write", action="store_true", help="write src/tidings/data/decision.json")
    parser.add_argument(
        "--threshold", type=float, help="keep this threshold instead of the best mean"
    )
    args = parser.parse_args()
    records = load(args.shared)
    gold = {str(r["id"]): str(r["event_id"]) for r in records}
    start = _untrained()
    learned_on = streams(items_from_records(records, cached("e5")))
    found = [examples(stream, gold, start) for stream in learned_on.values()]
    rows = np.vstack([r for r, _labels in found])
    labels = np.concatenate([labels for _r, labels in found])
    print(f"{len(rows)} examples, {int(labels.sum())} positive")
    weights, bias = fit(rows, labels)
    print("weights", weights, "bias", bias)
    learned = replace(start, weights=tuple(weights[n] for n in FEATURES), bias=bias)
    best = sweep(learned, learned_on, records, args.threshold)
    print("best", best)
    if args.write:
        data = json.loads(DECISION.read_text())
        data.update(weights=weights, bias=bias, threshold=round(best[1], 2))
        data["metrics"] = {k: round(v, 4) for k, v in best[2].items()}
        DECISION.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
