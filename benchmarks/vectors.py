"""An on-disk cache of embeddings for repeated benchmark runs (not part of the product).

Vectors are stored per model under `benchmarks/.cache/<model>/`, keyed by a hash of the text,
so a benchmark run after the first one costs no embedding time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tidings.embedding import Embedder, make_embedder

CACHE = Path(__file__).resolve().parent / ".cache"


class CachedEmbedder:
    """An embedder that remembers every vector it made, on disk."""

    def __init__(self, inner: Embedder, directory: Path = CACHE) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.directory = directory / inner.name.replace("/", "_")
        self.directory.mkdir(parents=True, exist_ok=True)
        self._store = self.directory / "vectors.npz"
        self._known: dict[str, npt.NDArray[np.float32]] = {}
        if self._store.exists():
            with np.load(self._store) as data:
                self._known = {key: data[key] for key in data.files}

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - a cache key, not security

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        keys = [self._key(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._known}.items()
        )
        if missing:
            vectors = self.inner.embed([t for _k, t in missing])
            for (key, _t), vector in zip(missing, vectors, strict=True):
                self._known[key] = vector
            np.savez(self._store, **self._known)
        return np.stack([self._known[k] for k in keys]).astype(np.float32)


def cached(name: str = "e5") -> CachedEmbedder:
    return CachedEmbedder(make_embedder(name))
