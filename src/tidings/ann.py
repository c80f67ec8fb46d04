"""Approximate nearest neighbours over cluster centroids (usearch HNSW, cosine)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from usearch.index import Index

__all__ = ["CentroidIndex"]


class CentroidIndex:
    """Centroids keyed by cluster id, updated in place as clusters grow or close."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        # Modest graph settings: the index only proposes candidates, which are then weighed
        # exactly, and live clusters number in the thousands.
        self._index = Index(
            ndim=dim,
            metric="cos",
            dtype="f32",
            connectivity=16,
            expansion_add=32,
            expansion_search=64,
        )
        self._keys: set[int] = set()

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, key: int, vector: npt.NDArray[np.float32]) -> None:
        """Insert or replace the centroid of `key`."""
        if key in self._keys:
            self._index.remove(key)
        self._index.add(key, np.ascontiguousarray(vector, dtype=np.float32))
        self._keys.add(key)

    def drop(self, key: int) -> None:
        if key in self._keys:
            self._index.remove(key)
            self._keys.discard(key)

    def nearest(self, vector: npt.NDArray[np.float32], count: int) -> list[tuple[int, float]]:
        """Up to `count` (key, cosine similarity) pairs, most similar first."""
        if not self._keys:
            return []
        found = self._index.search(np.ascontiguousarray(vector, dtype=np.float32), count)
        return [
            (int(key), 1.0 - float(distance))
            for key, distance in zip(found.keys, found.distances, strict=True)
            if int(key) in self._keys
        ]
