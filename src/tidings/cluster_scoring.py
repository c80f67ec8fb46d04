"""Scoring of event clusters against labelled events.

Two standard measures, both computed from the gold labeling (article id -> event) and the
predicted one (article id -> cluster):

- **BCubed**: for every article, precision is the share of its predicted cluster that is in
  its gold event and recall the share of its gold event that is in its predicted cluster;
  both are averaged over the articles and F1 is taken from the two averages.
- **Pairwise**: every pair of articles is a decision, "together" or "apart"; precision is the
  share of the pairs put together that belong together, recall the share of the pairs that
  belong together that were put together. With no pair put together precision is 1.0 (no
  wrong claim was made); with no pair belonging together recall is 1.0.

Scores can be restricted to a subset of the articles (one dataset, the events told in more
than one language). The clusters and events stay those of the whole run: an article of the
subset that was merged with an article outside it is still charged for it, and a pair counts
for the subset when at least one of its articles is in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

__all__ = [
    "ClusterScores",
    "multilingual_items",
    "score_clustering",
    "score_subsets",
]


@dataclass(frozen=True)
class ClusterScores:
    """BCubed and pairwise precision, recall and F1 over `items` articles."""

    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pair_precision: float
    pair_recall: float
    pair_f1: float
    items: int


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _pairs_touching(inside: int, outside: int) -> int:
    """Pairs of a group with `inside` subset members that hold at least one of them."""
    return _pairs(inside + outside) - _pairs(outside)


def _check_same_items(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> None:
    missing = gold.keys() - predicted.keys()
    extra = predicted.keys() - gold.keys()
    if missing or extra:
        raise ValueError(
            f"labelings differ: {len(missing)} articles have no predicted cluster, "
            f"{len(extra)} predicted articles have no gold event"
        )


def _bcubed(
    gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable], subset: Collection[str]
) -> tuple[float, float]:
    events = Counter(gold.values())
    clusters = Counter(predicted.values())
    cells = Counter((gold[item], predicted[item]) for item in gold)
    precision = recall = 0.0
    for item in subset:
        shared = cells[gold[item], predicted[item]]
        precision += shared / clusters[predicted[item]]
        recall += shared / events[gold[item]]
    return precision / len(subset), recall / len(subset)


def _group_counts(
    labels: Mapping[str, Hashable], subset: Collection[str]
) -> dict[Hashable, list[int]]:
    """For each label, how many of its articles are inside and outside the subset."""
    counts: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for item, label in labels.items():
        counts[label][0 if item in subset else 1] += 1
    return counts


def _pair_count(labels: Mapping[str, Hashable], subset: Collection[str]) -> int:
    return sum(_pairs_touching(i, o) for i, o in _group_counts(labels, subset).values())


def _pairwise(
    gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable], subset: Collection[str]
) -> tuple[float, float]:
    cells = {item: (gold[item], predicted[item]) for item in gold}
    together = _pair_count(cells, subset)
    claimed = _pair_count(predicted, subset)
    true = _pair_count(gold, subset)
    precision = together / claimed if claimed else 1.0
    recall = together / true if true else 1.0
    return precision, recall


def score_clustering(
    gold: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
    subset: Collection[str] | None = None,
) -> ClusterScores:
    """Score `predicted` clusters against `gold` events, over `subset` (default: all).

    Both labelings must cover the same article ids; `subset` must be a part of them.
    """
    _check_same_items(gold, predicted)
    chosen = frozenset(gold) if subset is None else frozenset(subset)
    if not chosen <= gold.keys():
        raise ValueError("the subset holds articles that have no gold event")
    if not chosen:
        return ClusterScores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, items=0)
    b_precision, b_recall = _bcubed(gold, predicted, chosen)
    p_precision, p_recall = _pairwise(gold, predicted, chosen)
    return ClusterScores(
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        pair_precision=p_precision,
        pair_recall=p_recall,
        pair_f1=_f1(p_precision, p_recall),
        items=len(chosen),
    )


def score_subsets(
    gold: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
    subsets: Mapping[str, Collection[str]],
) -> dict[str, ClusterScores]:
    """Scores over all articles (key "all") and over each named subset."""
    scores = {"all": score_clustering(gold, predicted)}
    for name, subset in subsets.items():
        scores[name] = score_clustering(gold, predicted, subset)
    return scores


def multilingual_items(gold: Mapping[str, Hashable], languages: Mapping[str, str]) -> set[str]:
    """The articles whose gold event is told in more than one language."""
    spoken: dict[Hashable, set[str]] = defaultdict(set)
    for item, event in gold.items():
        spoken[event].add(languages[item])
    return {item for item, event in gold.items() if len(spoken[event]) > 1}
