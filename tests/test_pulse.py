"""What people say: sentiment, themes and the summary of the posts about one event."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tidings.embedding import HashingEmbedder, make_embedder
from tidings.pulse import (
    LEXICON_ONLY,
    MADE_BY,
    SentimentModel,
    analyse,
    clean_post_text,
    cluster_vectors,
    load_prototypes,
)


@dataclass(frozen=True)
class Post:
    """A post as analysis reads it (the store's `SocialPost` has the same fields)."""

    text: str
    lang: str | None = "en"
    network: str = "x"


# Fictional posts about a fictional ferry fire and the fictional harbour fee talks.
FERRY = [
    Post("Fire on the Lindmo ferry tonight, passengers in lifeboats in the Eskerud fjord."),
    Post("Lindmo ferry fire: the lifeboats reached Eskerud harbour, everyone safe. Amazing crews!"),
    Post("The Lindmo ferry fire started in the engine room, coast guard says."),
]
CROSSINGS = [
    Post("Lindmo crossings suspended for a week, commuters stuck. What a terrible mess."),
    Post("Crossings suspended again, commuters stuck without a bus. Awful planning."),
    Post("Commuters stuck in Eskerud while crossings are suspended, this is a disaster."),
]


def test_post_text_is_cleaned_of_links_mentions_and_hashtag_glue() -> None:
    text = "RT @harbourwatch: Talks resume #PortAlder #harbour_fees https://t.test/x1"
    assert clean_post_text(text) == "Talks resume Port Alder harbour fees"


def test_prototypes_cover_every_label_in_the_edition_languages() -> None:
    prototypes = load_prototypes()
    assert set(prototypes) >= {"en", "nb", "de", "es", "fr", "ko"}
    for by_label in prototypes.values():
        assert all(len(by_label[label]) >= 3 for label in ("negative", "neutral", "positive"))


def test_english_sentiment_of_clear_cases() -> None:
    model = SentimentModel(HashingEmbedder())  # no multilingual vectors: the lexicon decides
    texts = [
        "Wonderful news, I am so happy and proud of the rescue crews!",
        "The talks resume on Tuesday in Port Alder.",
        "This is a terrible, awful disaster and I am furious.",
    ]
    vectors = model.embedder.embed(texts)
    assert model.labels(texts, ["en"] * 3, vectors) == ["positive", "neutral", "negative"]
    assert model.made_by == LEXICON_ONLY


@pytest.mark.slow
def test_english_and_norwegian_sentiment_with_e5_prototypes() -> None:
    model = SentimentModel(make_embedder("e5"))
    posts = [
        ("Fantastic news, thank you to the crews who saved everyone!", "en", "positive"),
        ("This fee is a disaster and nobody takes responsibility.", "en", "negative"),
        ("Så glad for at alle kom seg trygt i land, for en fantastisk innsats!", "nb", "positive"),
        ("Forferdelig og skammelig, denne avgiften ødelegger havna vår.", "nb", "negative"),
        ("Ferja går igjen fra klokken åtte i morgen.", "nb", "neutral"),
    ]
    texts = [text for text, _lang, _label in posts]
    vectors = model.embedder.embed(texts)
    labels = model.labels(texts, [lang for _t, lang, _l in posts], vectors)
    assert labels == [label for _t, _lang, label in posts]
    assert model.made_by == MADE_BY


def test_clustering_merges_close_vectors_and_keeps_far_ones_apart() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(2, 32))
    rows = np.vstack([centres[i] + 0.05 * rng.normal(size=32) for i in (0, 1, 0, 1, 0)])
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    assert cluster_vectors(rows, 0.9) == [[0, 2, 4], [1, 3]]
    assert cluster_vectors(rows, 0.9999) == [[0], [1], [2], [3], [4]]
    assert cluster_vectors(rows[:0], 0.9) == []


def test_posts_group_into_themes_named_by_their_words() -> None:
    summary = analyse([*FERRY, *CROSSINGS], embedder=HashingEmbedder())
    assert len(summary.themes) == 2
    by_words = {theme.label: theme for theme in summary.themes}
    ferry = next(t for t in summary.themes if "ferry" in " ".join(t.keywords))
    crossings = next(t for t in summary.themes if "suspended" in " ".join(t.keywords))
    assert ferry is not crossings
    assert ferry.posts == crossings.posts == 3
    assert crossings.sentiment["negative"] == 3
    assert len(by_words) == 2


def test_summary_states_volume_networks_languages_and_sentiment() -> None:
    posts = [*FERRY, *CROSSINGS, Post("Ferja brant i kveld, alle er reddet.", "nb", "mastodon")]
    summary = analyse(posts, embedder=HashingEmbedder())
    assert summary.posts == 7
    assert summary.networks == (("x", 6), ("mastodon", 1))
    negative = summary.labels.count("negative")
    assert negative >= 3  # the three posts about the suspended crossings at least
    assert summary.sentiment["negative"] == pytest.approx(negative / 7)
    assert sum(summary.sentiment.values()) == pytest.approx(1.0)
    text = summary.summary
    assert text.startswith(
        "Limited discussion on X and Mastodon (7 posts in English and Norwegian)"
    )
    assert f"concerns over commuters stuck ({round(100 * negative / 7)}%)" in text
    assert not summary.generative


def test_a_sample_reports_the_whole_volume() -> None:
    summary = analyse(FERRY, embedder=HashingEmbedder(), volume=240)
    assert summary.posts == 240
    assert summary.summary.startswith("Wide discussion on X (240 posts")
