"""Scoring of extracted article bodies against human-checked ones.

The method is the published one of the article-extraction benchmark: each body is split into
word tokens, each token run of four (a shingle) is counted, and a page's true positives,
false positives and false negatives are the overlaps of the two shingle counts, normalised so
that every page weighs the same. Precision and recall are averaged over the pages; F1 is taken
from the two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PageScore", "Scores", "aggregate", "score_page", "shingles"]

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class PageScore:
    """The normalised shingle overlap of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


@dataclass(frozen=True)
class Scores:
    """Precision and recall averaged over pages, and their F1."""

    f1: float
    precision: float
    recall: float
    pages: int


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the runs of `size` word tokens of `text` (a shorter text is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    runs = (tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))
    return Counter(run for run in runs if run)


def score_page(expected: str, extracted: str) -> PageScore:
    """Compare one extracted body with the expected one."""
    truth, found = shingles(expected), shingles(extracted)
    tp = sum((truth & found).values())
    fp = sum((found - truth).values())
    fn = sum((truth - found).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def aggregate(pages: Iterable[PageScore]) -> Scores:
    """Average precision and recall over pages (skipping undefined ones) and take F1."""
    scored = list(pages)
    precisions = [p.precision for p in scored if p.tp + p.fp > 0]
    recalls = [p.recall for p in scored if p.tp + p.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return Scores(f1=f1, precision=precision, recall=recall, pages=len(scored))
