"""Reference event clusterers for the clustering benchmark, and the e5 vectors they share.

- `single_pass`: the classic online clusterer. Articles are taken in stream order; each joins
  the live cluster whose centroid is most similar (cosine) if that similarity reaches the
  threshold, else opens a cluster. With a time window, a cluster is live for a dated article
  only while the article lies within the window of the cluster's dated members.
- `hdbscan_clusters`: HDBSCAN (minimum cluster size 2) over cosine distances; noise points
  become singletons.

Both run over a Gram matrix of L2-normalised vectors (TF-IDF rows or e5 vectors), so a
threshold sweep costs one matrix product.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from tidings.moments import parse_time

__all__ = [
    "Labels",
    "gram",
    "hdbscan_clusters",
    "parse_date",
    "single_pass",
    "tfidf_vectors",
]

Labels = list[int]


# -- lexical vectors and dates --------------------------------------------------------------


def tfidf_vectors(texts: Sequence[str]) -> Any:
    """L2-normalised TF-IDF rows (sparse) of `texts`, words of two letters or more."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts)


def gram(vectors: Any) -> npt.NDArray[np.float64]:
    """Cosine similarities of all pairs of L2-normalised rows (dense or sparse)."""
    product = vectors @ vectors.T
    dense = product.toarray() if hasattr(product, "toarray") else np.asarray(product)
    return np.asarray(dense, dtype=np.float64)


def parse_date(raw: object) -> date | None:
    """The calendar date of a raw dateline, read as Tidings reads published times."""
    moment = parse_time(raw)
    return moment.date() if moment is not None else None


# -- the clusterers -------------------------------------------------------------------------


def _live(
    when: date | None, spans: list[tuple[date, date] | None], window: timedelta | None
) -> npt.NDArray[np.bool_]:
    """Which clusters an article dated `when` may join."""
    if window is None or when is None:
        return np.ones(len(spans), dtype=bool)
    return np.array(
        [span is None or span[0] - window <= when <= span[1] + window for span in spans],
        dtype=bool,
    )


def _widen(span: tuple[date, date] | None, when: date | None) -> tuple[date, date] | None:
    if when is None:
        return span
    return (when, when) if span is None else (min(span[0], when), max(span[1], when))


def single_pass(
    similarity: npt.NDArray[np.float64],
    threshold: float,
    dates: Sequence[date | None] | None = None,
    window: timedelta | None = None,
) -> Labels:
    """Single-pass centroid clustering of the rows of a Gram matrix, in row order."""
    count = len(similarity)
    labels = np.full(count, -1, dtype=np.int64)
    norms: list[float] = []  # squared norm of each cluster's vector sum
    spans: list[tuple[date, date] | None] = []
    stamps = list(dates) if dates is not None else [None] * count
    for i in range(count):
        dots = np.bincount(labels[:i], weights=similarity[i, :i], minlength=len(norms))
        cosines = dots / np.sqrt(np.maximum(norms, 1e-12)) if norms else dots
        cosines = np.where(_live(stamps[i], spans, window), cosines, -np.inf)
        best = int(np.argmax(cosines)) if len(cosines) else -1
        if best < 0 or cosines[best] < threshold:
            best = len(norms)
            norms.append(0.0)
            spans.append(None)
        norms[best] += 2 * float(dots[best] if best < len(dots) else 0.0) + similarity[i, i]
        spans[best] = _widen(spans[best], stamps[i])
        labels[i] = best
    return [int(label) for label in labels]


def hdbscan_clusters(
    similarity: npt.NDArray[np.float64], min_samples: int = 1, selection: str = "eom"
) -> Labels:
    """HDBSCAN (minimum cluster size 2) over cosine distances; noise points stand alone."""
    from sklearn.cluster import HDBSCAN

    distances = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    found = HDBSCAN(
        min_cluster_size=2,
        min_samples=min_samples,
        cluster_selection_method=selection,
        metric="precomputed",
        copy=True,
    ).fit_predict(distances)
    singles = iter(range(int(found.max()) + 1, int(found.max()) + 1 + len(found)))
    return [int(label) if label >= 0 else next(singles) for label in found]
