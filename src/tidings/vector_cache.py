"""Vectors of texts already embedded in this process, so that no stage embeds a text twice.

The e5 model makes about ten to twenty vectors a second here, and several stages read the same
texts: the write stage embeds the sentences of every article of an event again when one more
article joins it, the pulse stage reads the posts the match stage just placed, and the
sentiment prototypes are the same on every run. `VectorCache` keeps the latest vectors of one
embedder by text, drops the least recently used beyond `max_items`, and embeds only the texts
it does not hold. `cache_for` gives each embedder (the instance a run or a `tidings run` loop
builds once) its own cache, which the stages share and which goes when the embedder goes.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .embedding import Embedder

__all__ = ["MAX_CACHED", "VectorCache", "cache_for"]

Vectors = npt.NDArray[np.float32]

MAX_CACHED = 8192  # vectors kept per embedder (about 12 MB of e5-small's 384 dimensions)


class VectorCache:
    """The vectors of the texts one embedder embedded lately (least recently used go first)."""

    def __init__(self, max_items: int = MAX_CACHED) -> None:
        self.max_items = max(0, max_items)
        self._rows: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, text: str) -> Vectors | None:
        """The vector of `text`, when it is kept."""
        with self._lock:
            row = self._rows.get(text)
            if row is not None:
                self._rows.move_to_end(text)
            return row

    def put(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Keep the vectors of `texts`, one row each."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(vectors)} vectors for {len(texts)} texts")
        with self._lock:
            for text, row in zip(texts, vectors, strict=True):
                kept = np.array(row, dtype=np.float32)
                kept.flags.writeable = False
                self._rows[text] = kept
                self._rows.move_to_end(text)
            while len(self._rows) > self.max_items:
                self._rows.popitem(last=False)

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> Vectors:
        """One vector per text, as `embedder.embed` gives it; only the texts not kept are
        embedded, each once, in one call."""
        if not texts:
            return np.zeros((0, embedder.dim), dtype=np.float32)
        found: dict[str, Vectors] = {}
        for text in dict.fromkeys(texts):
            row = self.get(text)
            if row is not None:
                found[text] = row
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            made = embedder.embed(missing)
            self.put(missing, made)
            found.update(zip(missing, made, strict=True))
        return np.vstack([found[text] for text in texts]).astype(np.float32, copy=False)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


_CACHES: weakref.WeakKeyDictionary[Embedder, VectorCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache_for(embedder: Embedder) -> VectorCache:
    """The cache of `embedder`'s vectors in this process; a fresh one (kept nowhere) for an
    embedder that cannot be referenced weakly."""
    with _CACHES_LOCK:
        try:
            cache = _CACHES.get(embedder)
            if cache is None:
                cache = _CACHES[embedder] = VectorCache()
        except TypeError:
            return VectorCache()
    return cache
