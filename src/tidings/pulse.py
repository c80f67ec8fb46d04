"""What people say about an event: volume, sentiment and themes of the posts matched to it.

`analyse` sums up the public posts matched to one event the way the story page shows them
under "What people say": how many posts, on which networks and in which languages; the shares
of positive, neutral and negative posts; the themes the posts gather around (clusters of the
posts' vectors, each named by its most distinctive words); and a summary built from those
numbers by templates.

No generative model is involved. Sentiment comes from two sources that are blended:

- the VADER lexicon (`vaderSentiment`), which reads English words and emoji;
- the multilingual e5 vectors of the posts compared with labelled prototype posts written for
  Tidings in English, Norwegian, German, Spanish, French and Korean
  (`data/sentiment_prototypes.toml`); a post's label is the one whose prototypes it lies
  nearest to.

English posts lean on the lexicon, other languages on the prototypes; the weights were tuned
on the development split of the sentiment benchmark (`benchmarks/pulse.py`).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import re
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .embedding import Embedder, make_embedder
from .errors import ConfigError
from .evidence import spacy_stopwords
from .vector_cache import VectorCache, cache_for

__all__ = [
    "LABELS",
    "LEXICON_ONLY",
    "MADE_BY",
    "PROTOTYPE_EMBEDDERS",
    "PostLike",
    "PulseSummary",
    "SentimentModel",
    "Theme",
    "analyse",
    "clean_post_text",
    "cluster_vectors",
    "lexicon_label",
    "load_prototypes",
    "summary_text",
]

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
LABELS = ("negative", "neutral", "positive")  # the order of every score row
MADE_BY = "sentiment lexicon and multilingual e5 prototypes"
LEXICON_ONLY = "sentiment lexicon"
# Embedders whose vectors carry meaning across languages, so that nearness to a labelled
# prototype says something about a post's sentiment; with any other (word hashing) the
# lexicon alone decides.
PROTOTYPE_EMBEDDERS = frozenset({"e5-small"})

# Tuned on the `val` split of the sentiment benchmark (see benchmarks/pulse.py).
PROTOTYPE_TOP_K = 18  # a label's score: the mean cosine of its k nearest prototypes
PROTOTYPE_TEMPERATURE = 0.02  # softmax temperature over the three label scores
LEXICON_WEIGHT = {"en": 0.45}  # the lexicon's share of the blend, by language
OTHER_LEXICON_WEIGHT = 0.15  # elsewhere the lexicon mostly reads emoji
NEUTRAL_BIAS = 0.1  # added to the neutral score before the label is chosen
LEXICON_NEUTRAL_BAND = 0.05  # VADER's own cut-off: |compound| below this is neutral
LEXICON_NEUTRAL_SCALE = 0.3  # in the blend, the lexicon's neutral score: this times 1 - |compound|

MAX_THEME_POSTS = 400  # the most recent posts are clustered into themes
MAX_THEMES = 3
MIN_THEME_SHARE = 0.1  # a theme gathers at least this share of the posts (and two posts)
# Average-linkage cosine at which clusters stop merging. e5: on the crisis tweets, 0.86 gives
# 2.4 themes per crisis gathering 76% of the tweets, 52% of each theme of one information type.
THEME_SIMILARITY = {"e5-small": 0.86}
OTHER_THEME_SIMILARITY = 0.25  # bag-of-words vectors (the hashing embedder) are far sparser

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_RETWEET = re.compile(r"^\s*RT\b(?:\s*@\w+)?\s*:?", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPACES = re.compile(r"\s+")
_TERM = re.compile(r"[^\W\d_]{3,30}")
_SOCIAL_TEXT = "amp http https www via retweet user rts"
_SOCIAL_WORDS = frozenset(_SOCIAL_TEXT.split())


class PostLike(Protocol):
    """What analysis reads of a post (a `models.SocialPost` is one)."""

    @property
    def text(self) -> str: ...

    @property
    def lang(self) -> str | None: ...

    @property
    def network(self) -> str: ...


def clean_post_text(text: str) -> str:
    """A post as plain words: no links, mentions or retweet marks; hashtags become words
    ("#BridgeClosure" -> "Bridge Closure")."""
    text = _MENTION.sub("", _RETWEET.sub("", _URL.sub(" ", text)))
    text = _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)).replace("_", " "), text)
    return _SPACES.sub(" ", text).strip()


# -- sentiment ----------------------------------------------------------------------------------


def load_prototypes() -> dict[str, dict[str, tuple[str, ...]]]:
    """The labelled prototype posts shipped with Tidings, by language and label."""
    data = resources.files("tidings").joinpath("data/sentiment_prototypes.toml").read_text("utf-8")
    parsed = tomllib.loads(data)
    prototypes: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang, labels in parsed.items():
        missing = set(LABELS) - set(labels)
        if missing:
            raise ConfigError(f"sentiment prototypes of {lang!r} lack {sorted(missing)}")
        prototypes[lang] = {label: tuple(labels[label]) for label in LABELS}
    return prototypes


@cache
def _vader() -> Any:
    module = importlib.import_module("vaderSentiment.vaderSentiment")
    return module.SentimentIntensityAnalyzer()


def _softmax(scores: npt.NDArray[np.float64], temperature: float) -> npt.NDArray[np.float64]:
    shifted = (scores - scores.max(axis=1, keepdims=True)) / temperature
    weights = np.exp(shifted)
    result: npt.NDArray[np.float64] = weights / weights.sum(axis=1, keepdims=True)
    return result


class SentimentModel:
    """Sentiment of short posts from the VADER lexicon and e5 prototypes, blended by language.

    The prototypes' vectors are made on first use by the given embedder and kept in `cache`
    (by default the embedder's own `vector_cache.cache_for`, which also holds the posts'
    vectors the match stage made), so a process embeds them once; an embedder not in
    `PROTOTYPE_EMBEDDERS` leaves the lexicon to decide alone.
    """

    def __init__(
        self,
        embedder: Embedder,
        prototypes: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
        *,
        cache: VectorCache | None = None,
    ) -> None:
        self.embedder = embedder
        self.cache = cache if cache is not None else cache_for(embedder)
        self.prototypes = prototypes if prototypes is not None else load_prototypes()
        self._vectors: dict[str, Vectors] | None = None
        self.uses_prototypes = embedder.name in PROTOTYPE_EMBEDDERS
        self.made_by = MADE_BY if self.uses_prototypes else LEXICON_ONLY

    def _prototype_vectors(self) -> dict[str, Vectors]:
        if self._vectors is None:
            self._vectors = {
                label: self.cache.embed(
                    self.embedder,
                    [text for by_label in self.prototypes.values() for text in by_label[label]],
                )
                for label in LABELS
            }
        return self._vectors

    def lexicon(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """VADER's compound score of each text, from -1 (negative) to 1 (positive)."""
        vader = _vader()
        return np.array([float(vader.polarity_scores(t)["compound"]) for t in texts])

    def prototype_scores(self, vectors: Vectors) -> npt.NDArray[np.float64]:
        """Per text, the probabilities of (negative, neutral, positive) by nearest prototypes."""
        columns = []
        for label in LABELS:
            sims = vectors @ self._prototype_vectors()[label].T
            k = min(PROTOTYPE_TOP_K, sims.shape[1])
            columns.append(np.sort(sims, axis=1)[:, -k:].mean(axis=1))
        return _softmax(np.stack(columns, axis=1).astype(np.float64), PROTOTYPE_TEMPERATURE)

    def scores(
        self, texts: Sequence[str], langs: Sequence[str | None], vectors: Vectors
    ) -> npt.NDArray[np.float64]:
        """Per text, the blended (negative, neutral, positive) scores."""
        compound = self.lexicon(texts)
        if not self.uses_prototypes:  # VADER's own reading, one label per text
            return np.array([[float(lexicon_label(c) == k) for k in LABELS] for c in compound])
        lexical = np.stack(
            [
                np.clip(-compound, 0, 1),
                LEXICON_NEUTRAL_SCALE * (1 - np.abs(compound)),
                np.clip(compound, 0, 1),
            ],
            axis=1,
        )
        weight = np.array([LEXICON_WEIGHT.get(lang or "", OTHER_LEXICON_WEIGHT) for lang in langs])
        prototypes = self.prototype_scores(vectors)
        blended: npt.NDArray[np.float64] = (
            weight[:, None] * lexical + (1 - weight[:, None]) * prototypes
        )
        blended[:, 1] += NEUTRAL_BIAS
        return blended

    def labels(
        self, texts: Sequence[str], langs: Sequence[str | None], vectors: Vectors
    ) -> list[str]:
        """The sentiment label of each text."""
        if not texts:
            return []
        return [LABELS[i] for i in self.scores(texts, langs, vectors).argmax(axis=1)]


def lexicon_label(compound: float) -> str:
    """VADER's own reading of a compound score."""
    if compound >= LEXICON_NEUTRAL_BAND:
        return "positive"
    if compound <= -LEXICON_NEUTRAL_BAND:
        return "negative"
    return "neutral"


# -- themes -------------------------------------------------------------------------------------


def cluster_vectors(vectors: Vectors, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clusters of unit rows: pairs of clusters merge, closest
    first, while their mean cosine is at least `threshold`. Largest clusters first."""
    count = len(vectors)
    if count == 0:
        return []
    sims = (vectors @ vectors.T).astype(np.float64)
    np.fill_diagonal(sims, -np.inf)
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    while len(members) > 1:
        flat = int(np.argmax(sims))
        a, b = divmod(flat, count)
        if sims[a, b] < threshold:
            break
        size_a, size_b = len(members[a]), len(members[b])
        merged = (sims[a] * size_a + sims[b] * size_b) / (size_a + size_b)  # Lance-Williams
        sims[a, :] = merged
        sims[:, a] = merged
        sims[a, a] = -np.inf
        sims[b, :] = -np.inf
        sims[:, b] = -np.inf
        members[a] += members.pop(b)
    return sorted(members.values(), key=lambda m: (-len(m), m[0]))


@dataclass(frozen=True)
class Theme:
    """A group of posts about one aspect of the event, named by its most distinctive words."""

    label: str
    keywords: tuple[str, ...]
    posts: int
    sentiment: Mapping[str, int]  # posts per label

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "keywords": list(self.keywords),
            "posts": self.posts,
            "sentiment": dict(self.sentiment),
        }


@cache
def _stopwords(lang: str | None) -> frozenset[str]:
    words: set[str] = set(_SOCIAL_WORDS)
    for code in {lang or "en", "en"}:
        words.update(spacy_stopwords(code))
    return frozenset(words)


def _terms(text: str, lang: str | None) -> set[str]:
    """The content words of a post, and its pairs of adjacent content words."""
    stop = _stopwords(lang)
    words = [w.casefold() for w in _TERM.findall(text)]
    terms = {w for w in words if w not in stop}
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(words) if {a, b}.isdisjoint(stop))
    return terms


def _distinctive(cluster: list[set[str]], rest: list[set[str]]) -> list[str]:
    """Terms most frequent in the cluster relative to the other posts; a term must occur in
    two posts of the cluster (when it has two), and word pairs weigh a little more."""
    inside = Counter(t for terms in cluster for t in terms)
    outside = Counter(t for terms in rest for t in terms)
    needed = 2 if len(cluster) > 1 else 1
    scored = []
    for term, n in inside.items():
        if n < needed:
            continue
        score = n / len(cluster) - (outside[term] / len(rest) if rest else 0.0)
        scored.append((score * (1.25 if " " in term else 1.0), n, term))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    chosen: list[str] = []
    for _score, _n, term in scored:
        if any(term in c or c in term for c in chosen):
            continue  # "tariff" beside "tariff threat" says nothing new
        chosen.append(term)
        if len(chosen) == 4:
            break
    return chosen


def _display_forms(texts: Sequence[str]) -> dict[str, str]:
    """How each word is shown in a theme's name: capitalised only when the posts always
    capitalise it (a name), else in lowercase."""
    forms: dict[str, str] = {}
    for text in texts:
        for word in _TERM.findall(text):
            folded = word.casefold()
            if word[0].isupper() and forms.get(folded, word) != folded:
                forms.setdefault(folded, word)
            else:
                forms[folded] = folded
    return forms


def _themes(
    texts: Sequence[str],
    langs: Sequence[str | None],
    labels: Sequence[str],
    vectors: Vectors,
    threshold: float,
) -> tuple[Theme, ...]:
    recent = list(range(max(0, len(texts) - MAX_THEME_POSTS), len(texts)))
    clusters = cluster_vectors(vectors[recent], threshold)
    terms = [_terms(texts[i], langs[i]) for i in recent]
    forms = _display_forms([texts[i] for i in recent])
    themes: list[Theme] = []
    for cluster in clusters:
        if len(cluster) < max(2, MIN_THEME_SHARE * len(recent)) or len(themes) == MAX_THEMES:
            break
        keep = set(cluster)
        found = _distinctive(
            [terms[i] for i in cluster], [t for i, t in enumerate(terms) if i not in keep]
        )
        if not found:
            continue
        keywords = tuple(" ".join(forms.get(w, w) for w in term.split()) for term in found)
        counts = Counter(labels[recent[i]] for i in cluster)
        label = keywords[0] if " " in keywords[0] else " and ".join(keywords[:2])
        themes.append(Theme(label, keywords, len(cluster), {k: counts[k] for k in LABELS}))
    return tuple(themes)


# -- the summary --------------------------------------------------------------------------------

NETWORK_NAMES = {
    "x": "X", "twitter": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "bsky": "Bluesky",
    "reddit": "Reddit", "threads": "Threads", "facebook": "Facebook", "youtube": "YouTube",
}  # fmt: skip
LANGUAGE_NAMES = {
    "en": "English", "nb": "Norwegian", "nn": "Norwegian", "de": "German", "es": "Spanish",
    "fr": "French", "ko": "Korean", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "ja": "Japanese", "zh": "Chinese", "ar": "Arabic",
    "ru": "Russian", "hi": "Hindi", "pl": "Polish", "tr": "Turkish", "uk": "Ukrainian",
}  # fmt: skip
SENTIMENT_PHRASES = {
    "neutral": ("neutral reporting", "of"),
    "negative": ("concerns", "over"),
    "positive": ("approval", "of"),
}


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _volume(posts: int) -> str:
    if posts < 25:
        return "Limited discussion"
    return "Steady discussion" if posts < 200 else "Wide discussion"


def _theme_for(label: str, themes: Sequence[Theme], taken: set[str]) -> Theme | None:
    """The theme `label` speaks of: one where it is the main sentiment, else the one holding
    most posts of that sentiment; none is taken twice."""
    free = [t for t in themes if t.label not in taken and t.sentiment[label] > 0]
    main = [t for t in free if t.sentiment[label] == max(t.sentiment.values())]
    return max(main or free, key=lambda t: (t.sentiment[label] / t.posts, t.posts), default=None)


def _sentiment_clauses(sentiment: Mapping[str, float], themes: Sequence[Theme]) -> list[str]:
    taken: set[str] = set()
    clauses = []
    for label in sorted(LABELS, key=lambda k: (-sentiment[k], LABELS.index(k))):
        share = sentiment[label]
        if share <= 0:
            continue
        noun, preposition = SENTIMENT_PHRASES[label]
        theme = _theme_for(label, themes, taken)
        if theme is not None:
            taken.add(theme.label)
            noun = f"{noun} {preposition} {theme.label}"
        clauses.append(f"{noun} ({round(100 * share)}%)")
    return clauses


def summary_text(
    posts: int,
    networks: Sequence[tuple[str, int]],
    langs: Sequence[tuple[str, int]],
    sentiment: Mapping[str, float],
    themes: Sequence[Theme],
) -> str:
    """The "What people say" paragraph, in the seeds' style, from the numbers alone."""
    if posts == 0:
        return "No public posts about this event have been found yet."
    where = _join([NETWORK_NAMES.get(n.casefold(), n) for n, _c in networks[:3]]) or "social media"
    spoken = [LANGUAGE_NAMES.get(code, code) for code, _c in langs[:3]]
    head = f"{_volume(posts)} on {where} ({posts} post{'s' if posts != 1 else ''}"
    head += f" in {_join(spoken)})" if spoken else ")"
    if themes:
        head += f" centres on {_join([t.label for t in themes])}"
    return f"{head}. Sentiments include {_join(_sentiment_clauses(sentiment, themes))}."


# -- the analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PulseSummary:
    """Volume, sentiment and themes of the posts about one event, with their summary."""

    posts: int
    networks: tuple[tuple[str, int], ...]  # (network, posts), the busiest first
    langs: tuple[tuple[str, int], ...]  # (language code, posts); unknown languages left out
    sentiment: Mapping[str, float]  # share of posts per label; the shares add up to 1
    themes: tuple[Theme, ...]
    summary: str
    labels: tuple[str, ...] = field(default=())  # each post's label, in input order
    made_by: str = MADE_BY
    generative: bool = False


def _shares(labels: Sequence[str]) -> dict[str, float]:
    counts = Counter(labels)
    total = len(labels)
    return {label: (counts[label] / total if total else 0.0) for label in LABELS}


def analyse(
    posts: Sequence[PostLike],
    *,
    embedder: Embedder | None = None,
    model: SentimentModel | None = None,
    volume: int | None = None,
) -> PulseSummary:
    """Sum up the posts about one event: volume, sentiment, themes and a summary.

    Posts are read in the order given (oldest first). The same embedder makes the vectors for
    the sentiment prototypes and the themes: the model's when a `SentimentModel` is given,
    else `embedder`, else e5. When `posts` are a sample of the event's latest posts, `volume`
    is how many there are in all; the shares and themes are those of the sample.
    """
    if model is None:
        model = SentimentModel(embedder or make_embedder("e5"))
    texts = [clean_post_text(p.text) for p in posts]
    langs = [p.lang for p in posts]
    vectors = model.cache.embed(model.embedder, texts) if texts else np.zeros((0, 1), np.float32)
    labels = model.labels([p.text for p in posts], langs, vectors)
    threshold = THEME_SIMILARITY.get(model.embedder.name, OTHER_THEME_SIMILARITY)
    themes = _themes(texts, langs, labels, vectors, threshold) if texts else ()
    networks = tuple(Counter(p.network for p in posts).most_common())
    spoken = tuple(Counter(lang for lang in langs if lang).most_common())
    sentiment = _shares(labels)
    total = max(volume or 0, len(posts))
    return PulseSummary(
        posts=total,
        networks=networks,
        langs=spoken,
        sentiment=sentiment,
        themes=themes,
        summary=summary_text(total, networks, spoken, sentiment, themes),
        labels=tuple(labels),
        made_by=model.made_by,
    )
