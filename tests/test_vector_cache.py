"""Vectors are embedded once per embedder: the cache, the writer's reuse and status labels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from tidings.db import Store
from tidings.embedding import HashingEmbedder
from tidings.extractive import ExtractiveWriter
from tidings.stages import record_failure
from tidings.status import store_status
from tidings.stories import Coverage, SourceArticle
from tidings.vector_cache import VectorCache, cache_for


class CountingEmbedder(HashingEmbedder):
    """Real hashing vectors; it also notes every text it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen.extend(texts)
        return super().embed(texts)


def _article(key: str, outlet: str, hour: int, text: str) -> SourceArticle:
    return SourceArticle(
        id=key,
        outlet=outlet,
        lang="en",
        published=datetime(2031, 5, 4, hour, tzinfo=UTC),
        title=f"Quarry lake at Brenholt closed after algae bloom - {outlet}",
        text=text,
    )


FIRST = _article(
    "a1",
    "Brenholt Courier",
    8,
    "The quarry lake at Brenholt was closed to swimmers on Sunday after an algae bloom. "
    "The district health office said 42 people reported rashes after swimming there. "
    "Water samples will be taken every day until the bloom fades.",
)
SECOND = _article(
    "b1",
    "Valley Gazette",
    9,
    "Swimming in the Brenholt quarry lake is banned after a bloom of blue-green algae. "
    "Health officials said 42 swimmers reported rashes over the weekend. "
    "The lake's kiosk will stay open for visitors who do not swim.",
)
THIRD = _article(
    "c1",
    "Northern Ledger",
    11,
    "An algae bloom has closed the quarry lake at Brenholt to swimmers. "
    "Officials said 42 people had rashes and that samples will be taken daily. "
    "Mayor Ruth Kessel asked visitors to keep dogs out of the water.",
)


def test_the_cache_embeds_only_texts_it_does_not_hold() -> None:
    embedder = CountingEmbedder()
    cache = VectorCache()
    first = cache.embed(embedder, ["red kite", "grey heron"])
    again = cache.embed(embedder, ["grey heron", "barn owl", "barn owl"])
    assert embedder.seen == ["red kite", "grey heron", "barn owl"]
    assert np.array_equal(again[0], first[1])
    assert np.array_equal(again[1], again[2])
    assert np.allclose(again, HashingEmbedder().embed(["grey heron", "barn owl", "barn owl"]))
    assert cache.embed(embedder, []).shape == (0, embedder.dim)


def test_the_cache_drops_the_least_recently_used() -> None:
    embedder = CountingEmbedder()
    cache = VectorCache(max_items=2)
    cache.embed(embedder, ["one", "two"])
    cache.embed(embedder, ["one"])  # "two" is now the least recently used
    cache.embed(embedder, ["three"])
    assert len(cache) == 2
    assert cache.get("two") is None
    assert cache.get("one") is not None


def test_each_embedder_has_its_own_cache() -> None:
    first, second = CountingEmbedder(), CountingEmbedder()
    assert cache_for(first) is cache_for(first)
    assert cache_for(first) is not cache_for(second)


def test_a_rewrite_embeds_only_the_sentences_of_the_article_that_joined() -> None:
    embedder = CountingEmbedder()
    writer = ExtractiveWriter(embedder)
    writer.write(Coverage(event_id="1", articles=(FIRST, SECOND)))
    before = set(embedder.seen)
    embedder.seen.clear()
    story = writer.write(Coverage(event_id="1", articles=(FIRST, SECOND, THIRD)))
    assert embedder.seen, "the new article's sentences are embedded"
    assert not set(embedder.seen) & before
    assert all(text not in FIRST.text and text not in SECOND.text for text in embedder.seen)
    assert "Northern Ledger" in story.outlets


def test_stored_article_vectors_stand_in_for_embedding_them() -> None:
    embedder = CountingEmbedder()
    stored = [
        a.model_copy(update={"vector": tuple(float(x) for x in row)})
        for a, row in zip((FIRST, SECOND), embedder.embed([FIRST.title, SECOND.title]), strict=True)
    ]
    embedder.seen.clear()
    ExtractiveWriter(embedder).write(Coverage(event_id="2", articles=tuple(stored)))
    assert not any(text.startswith(FIRST.title) for text in embedder.seen)
    assert "vector" not in stored[0].model_dump(mode="json")


def test_failures_name_what_kind_of_item_failed(store: Store) -> None:
    with store.session() as session:
        for stage, item in [("pulse", 3), ("illustrate", 4), ("match-posts", 5), ("write", 6)]:
            record_failure(session, stage, item, "it broke")
    named = {stage: item for stage, item, _reason in store_status(store).item_failures}
    assert named == {
        "pulse": "event 3",
        "illustrate": "story 4",
        "match-posts": "post 5",
        "write": "event 6",
    }
