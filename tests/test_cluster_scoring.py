"""BCubed and pairwise scores of event clusters, on labelings small enough to check by hand."""

from __future__ import annotations

import pytest

from tidings.cluster_scoring import (
    ClusterScores,
    multilingual_items,
    score_clustering,
    score_subsets,
)

# Two events: X = {a, b, c}, Y = {d, e}.
GOLD = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}


def _close(scores: ClusterScores, **expected: float) -> None:
    for name, value in expected.items():
        assert getattr(scores, name) == pytest.approx(value), name


def test_perfect_clusters_score_one() -> None:
    predicted = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    scores = score_clustering(GOLD, predicted)
    assert scores == ClusterScores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, items=5)


def test_one_big_cluster_has_full_recall_and_low_precision() -> None:
    scores = score_clustering(GOLD, dict.fromkeys(GOLD, 0))
    # BCubed precision: a, b, c see 3/5 of their cluster right, d, e 2/5.
    bcubed_p = (3 * 3 / 5 + 2 * 2 / 5) / 5
    _close(
        scores,
        bcubed_precision=bcubed_p,
        bcubed_recall=1.0,
        bcubed_f1=2 * bcubed_p / (bcubed_p + 1),
        pair_precision=4 / 10,  # 4 true pairs among the 10 claimed
        pair_recall=1.0,
    )


def test_singletons_have_full_precision_and_no_pairwise_recall() -> None:
    scores = score_clustering(GOLD, {item: item for item in GOLD})
    # BCubed recall: a, b, c find 1/3 of their event, d, e 1/2.
    _close(
        scores,
        bcubed_precision=1.0,
        bcubed_recall=(3 / 3 + 2 / 2) / 5,
        pair_precision=1.0,
        pair_recall=0.0,
        pair_f1=0.0,
    )


def test_mixed_clusters() -> None:
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    scores = score_clustering(GOLD, predicted)
    # a, b: P 1, R 2/3; c: P 1/3, R 1/3; d, e: P 2/3, R 1  ->  both average 11/15.
    _close(scores, bcubed_precision=11 / 15, bcubed_recall=11 / 15, bcubed_f1=11 / 15)
    # Claimed pairs ab, cd, ce, de; true pairs ab, ac, bc, de; two in common.
    _close(scores, pair_precision=0.5, pair_recall=0.5, pair_f1=0.5)


def test_subset_is_charged_for_merges_with_articles_outside_it() -> None:
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    scores = score_clustering(GOLD, predicted, {"d", "e"})
    assert scores.items == 2
    _close(scores, bcubed_precision=2 / 3, bcubed_recall=1.0)
    # Pairs touching d or e: claimed cd, ce, de; true de.
    _close(scores, pair_precision=1 / 3, pair_recall=1.0)


def test_score_subsets_names_each_part() -> None:
    predicted = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 2}
    scores = score_subsets(GOLD, predicted, {"x": {"a", "b", "c"}, "y": {"d", "e"}})
    assert set(scores) == {"all", "x", "y"}
    assert scores["x"].bcubed_recall == 1.0
    assert scores["x"].bcubed_precision == pytest.approx(3 / 4)
    assert scores["y"].bcubed_recall == pytest.approx(1 / 2)


def test_labelings_over_different_articles_are_refused() -> None:
    with pytest.raises(ValueError, match="1 articles have no predicted cluster"):
        score_clustering(GOLD, {"a": 1, "b": 1, "c": 1, "d": 2})
    with pytest.raises(ValueError, match="no gold event"):
        score_clustering(GOLD, dict.fromkeys(GOLD, 0), {"z"})


def test_multilingual_items_are_those_of_events_in_several_languages() -> None:
    languages = {"a": "en", "b": "es", "c": "en", "d": "en", "e": "en"}
    assert multilingual_items(GOLD, languages) == {"a", "b", "c"}
