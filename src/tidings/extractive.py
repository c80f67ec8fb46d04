"""The embedded default writer: a news story compiled from the sources' own sentences.

`ExtractiveWriter` needs no model server and invents nothing: every sentence of its story is
a sentence of a source article, cited with its place in that article. How it writes:

1. The story's language is the one most original articles are written in; only sentences in
   it are quoted, but articles in every language count as support for a fact. Wire copies
   count as outlets and are not quoted.
2. Every quotable sentence (`tidings.excerpts`) of each article is read for its facts
   (`tidings.facts`), and each fact is weighed by how many reports state it
   (`tidings.corroboration`: a fact one report alone states is not shared). Since the model
   is slow only some are embedded (`EMBEDDED_PER_ARTICLE` per report, within `MIN_EMBEDDED`
   and `MAX_EMBEDDED`): each article's first sentence,
   the sentences that state the shared facts (in greedy coverage order, wherever in the
   article they stand), the other lead sentences (the first `LEAD_SENTENCES`), then the
   rest that state facts. The embedder's vectors are kept (`tidings.vector_cache`), so a
   story rewritten when one more article joins embeds only the new article's sentences.
   Text aimed at a language model is never quoted (`tidings.injection`), in a sentence or a
   title.
3. Each sentence is scored by how central it is (cosine to the mean vector of the articles:
   the vectors the embed stage stored when the coverage carries them), how many facts it
   states and how many reports state them, and how near the lead it stands.
4. Sentences are chosen one by one by maximal marginal relevance, with a gain for the weight
   of the shared facts each adds to what the chosen ones state: a fact many outlets report
   is stated, and stated once. The story takes at least the first of `STORY_SENTENCES` and
   then grows, up to the second, only by sentences that add shared facts. A sentence that
   repeats a chosen one from another outlet is not taken again: that outlet is cited beside
   the chosen one, so a fact reported by several outlets cites every one of them.
5. A claim that one outlet alone makes is attributed to it ("…, according to Yonhap.").
6. `tidings.layout` orders the story: a standfirst, then paragraphs of details, reactions,
   background and what comes next; a sentence that leans on the one before it stays only
   right after it.
7. The headline is the sources' headline nearest to the event's centre, cleaned of outlet
   signatures and hype (`tidings.headlines`), or the opening of the lead sentence.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .corroboration import Corroboration, Stated, coverage_order
from .embedding import Embedder, embedding_text
from .errors import WriteError
from .excerpts import (
    Excerpt,
    attribute,
    dominant_script,
    excerpts_of,
    has_attribution,
    leans_back,
    places_days,
    relative_days,
)
from .facts import Fact, facts_of, read_names
from .headlines import clean_headline, lead_headline, plain_words
from .injection import has_role_marker, is_instruction_like, neutralise
from .language import detect_language, language_code
from .layout import MAX_PARAGRAPHS, Item, lay_out
from .stories import Citation, Coverage, Paragraph, Sentence, SourceArticle, Story, register_writer
from .vector_cache import VectorCache, cache_for

if TYPE_CHECKING:
    from .settings import Settings

__all__ = [
    "EMBEDDED_PER_ARTICLE",
    "LEAD_SENTENCES",
    "MAX_EMBEDDED",
    "MAX_OPENING",
    "MAX_READ",
    "MIN_EMBEDDED",
    "STORY_SENTENCES",
    "ExtractiveWriter",
    "extractive_writer",
    "story_language",
]

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

MAX_READ = 60  # quotable sentences read per article: the whole of nearly every news article
MAX_OPENING = 12  # of an article in another language, only the opening is read …
MAX_SUPPORT = 6  # … and this many of its sentences embedded, to cite beside the chosen ones
SUPPORT_ROOM = 12  # places among the embedded sentences kept for those of other languages
LEAD_SENTENCES = 6  # an article's first sentences are embedded before the rest …
FIRST_SENTENCES = 1  # … its very first ones even before the sentences stating shared facts
EMBEDDED_PER_ARTICLE = 8  # sentences embedded per original article, at least …
MIN_EMBEDDED, MAX_EMBEDDED = 48, 96  # … this many in all, and at most this many
MIN_SENTENCES = 2
# Sentences chosen: at least, and at most while shared facts remain (what a standfirst of
# three sentences and six paragraphs of four hold).
STORY_SENTENCES = (10, 27)
OPENING = 2  # the first sentences chosen, for the standfirst: near their articles' leads …
OPENING_RANKS = 2  # … among each article's first quotable sentences
RELEVANCE = 0.7  # maximal marginal relevance: weight of a sentence's score against repetition
COVERAGE = 4.0  # weight of the shared facts a sentence adds, in units of the most any states
CENTRAL, FACTS, LEAD = 0.5, 0.3, 0.2  # weights of a sentence's score
# Two sentences of different outlets say the same when their cosine lies this share of the
# way from the event's typical cosine to 1 (tuned on the seeds' paraphrases, e5 and hashing)…
SAME_HIGH = 0.6
SAME_MID = 0.4  # … or this far and they share a fact or a quarter of their words
SAME_LOW = 0.3  # … or this far and they share three facts
SAME_WORDS = 0.5  # … or half of their words (Jaccard), however far
NUMBER_KINDS = frozenset({"number", "money", "percent"})
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass
class _Candidate:
    """A sentence that may go into the story, or that supports one that does."""

    excerpt: Excerpt
    quotable: bool  # in the story's language
    facts: tuple[Fact, ...]
    shared: dict[Fact, float]  # the shared facts it states, each with its weight
    words: frozenset[str]
    score: float = 0.0
    central: float = 0.0
    citations: list[int] = field(default_factory=list)  # candidates saying the same

    @property
    def article(self) -> SourceArticle:
        return self.excerpt.article


def _article_language(article: SourceArticle) -> str | None:
    return language_code(article.lang) or detect_language(f"{article.title}\n{article.text}")


def story_language(articles: Sequence[SourceArticle], preferred: Sequence[str] = ()) -> list[str]:
    """The languages of `articles`, the one most of them are written in first, as the
    story's language candidates. Between languages as many articles are written in, the
    one `preferred` names first (the site's editions) comes first, then the one with more
    text (a translation runs longer than its original, so size comes last)."""
    counts: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for article in articles:
        lang = _article_language(article) or "en"
        counts[lang] += 1
        sizes[lang] += len(article.text)
    rank = {lang: n for n, lang in reversed(list(enumerate(preferred)))}
    return sorted(
        counts, key=lambda lang: (-counts[lang], rank.get(lang, len(rank)), -sizes[lang], lang)
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _CONTENT_WORD.findall(text))


def _candidate(
    excerpt: Excerpt, langs: Mapping[str, str | None], lang: str, corroboration: Corroboration
) -> _Candidate:
    article = excerpt.article
    facts = facts_of(excerpt.text, lang=langs[article.id], published=article.published)
    return _Candidate(
        excerpt=excerpt,
        quotable=langs[article.id] == lang,
        facts=facts,
        shared=corroboration.shared(facts),
        words=_words(excerpt.text),
    )


def _states_facts(candidate: _Candidate) -> bool:
    return any(f.kind != "quote" for f in candidate.facts)


def _read(
    article: SourceArticle,
    langs: Mapping[str, str | None],
    lang: str,
    script: str | None,
    corroboration: Corroboration,
) -> list[_Candidate]:
    """The quotable sentences of an article in the story's language; of one in another
    language, the lead sentences of its opening and the later ones that state facts."""
    own = langs[article.id] == lang
    found = excerpts_of(
        article,
        script=script if own else None,
        lang=langs[article.id],
        limit=MAX_READ if own else MAX_OPENING,
    )
    read_names([e.text for e in found], lang=langs[article.id])
    candidates = [_candidate(e, langs, lang, corroboration) for e in found]
    if own:
        return candidates
    kept = [c for c in candidates if c.excerpt.rank < LEAD_SENTENCES or _states_facts(c)]
    return kept[:MAX_SUPPORT]


def _embedding_order(quotable: Sequence[_Candidate], order: Mapping[str, int]) -> list[_Candidate]:
    """The quotable sentences in the order they are embedded: each article's first ones,
    those that state the shared facts (in coverage order), the other lead sentences, then
    the rest that state facts, each group in reading order."""
    reading = sorted(quotable, key=lambda c: (c.excerpt.rank, order[c.article.id]))
    covering = coverage_order([c.shared for c in reading])
    groups = (
        [n for n, c in enumerate(reading) if c.excerpt.rank < FIRST_SENTENCES],
        covering,
        [n for n, c in enumerate(reading) if c.excerpt.rank < LEAD_SENTENCES],
        [n for n, c in enumerate(reading) if _states_facts(c)],
    )
    return [reading[n] for n in dict.fromkeys(n for group in groups for n in group)]


def _candidates(
    originals: Sequence[SourceArticle],
    langs: Mapping[str, str | None],
    lang: str,
    corroboration: Corroboration,
) -> list[_Candidate]:
    """The sentences to embed: the story language's (see `_embedding_order`) first, a few of
    the others'."""
    script = dominant_script(" ".join(a.text for a in originals if langs[a.id] == lang))
    quotable: list[_Candidate] = []
    support: list[_Candidate] = []
    for article in originals:
        read = _read(article, langs, lang, script, corroboration)
        (quotable if langs[article.id] == lang else support).extend(read)
    order = {a.id: n for n, a in enumerate(originals)}
    support.sort(key=lambda c: (c.excerpt.rank, order[c.article.id]))
    ordered = _embedding_order(quotable, order)
    budget = _embedded_budget(len(originals))
    chosen = ordered[: budget - min(len(support), SUPPORT_ROOM)]
    return chosen + support[: max(0, budget - len(chosen))]


def _embedded_budget(articles: int) -> int:
    """How many sentences a story of `articles` original reports embeds: an event of many
    reports has more shared facts, spread over more sentences."""
    return min(MAX_EMBEDDED, max(MIN_EMBEDDED, EMBEDDED_PER_ARTICLE * articles))


def _fact_score(candidate: _Candidate, corroboration: Corroboration) -> float:
    """How much a sentence states, and how widely: few facts or one report's score low."""
    facts = [f for f in dict.fromkeys(candidate.facts) if f.kind != "quote"]
    if not facts:
        return 0.0
    density = min(len(facts), 4) / 4
    reports = len(corroboration.reports)
    if reports < 2:
        return density
    shares = [(corroboration.reporting(f) - 1) / (reports - 1) for f in facts]
    return 0.4 * density + 0.6 * min(1.0, max(0.0, sum(shares) / len(shares)))


def _normalised(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return np.ones_like(values)
    return (values - low) / (high - low)


def _unit(vector: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@dataclass
class _Similarity:
    """Pairwise cosines of the candidates, read against what is typical for this event."""

    matrix: npt.NDArray[np.float64]
    typical: float

    @classmethod
    def of(cls, vectors: Vectors, articles: Sequence[str]) -> _Similarity:
        matrix = (vectors @ vectors.T).astype(np.float64)
        pairs = [
            matrix[i, j]
            for i in range(len(articles))
            for j in range(i + 1, len(articles))
            if articles[i] != articles[j]
        ]
        return cls(matrix, float(np.median(pairs)) if pairs else 0.0)

    def level(self, i: int, j: int) -> float:
        """How far the cosine of i and j lies from the typical one towards 1 (0 below it)."""
        span = max(1.0 - self.typical, 1e-6)
        return max(0.0, (float(self.matrix[i, j]) - self.typical) / span)


def _numbers_conflict(a: _Candidate, b: _Candidate) -> bool:
    """Whether two sentences both state amounts and share none: they may disagree."""
    first = {f.key for f in a.facts if f.kind in NUMBER_KINDS}
    second = {f.key for f in b.facts if f.kind in NUMBER_KINDS}
    return bool(first) and bool(second) and not first & second


def _same_claim(a: _Candidate, b: _Candidate, level: float) -> bool:
    """Whether two sentences of different articles say the same thing."""
    if a.article.id == b.article.id or _numbers_conflict(a, b):
        return False
    union = a.words | b.words
    overlap = len(a.words & b.words) / len(union) if union else 0.0
    shared = len({f.key for f in a.facts} & {f.key for f in b.facts})
    return (
        level >= SAME_HIGH
        or overlap >= SAME_WORDS
        or (level >= SAME_MID and (shared >= 1 or overlap >= SAME_WORDS / 2))
        or (level >= SAME_LOW and shared >= 3)
    )


def _predecessor(candidates: Sequence[_Candidate], index: int) -> int | None:
    """The candidate right before `index` in its article, when it is a candidate."""
    excerpt = candidates[index].excerpt
    for other, candidate in enumerate(candidates):
        e = candidate.excerpt
        if e.article.id == excerpt.article.id and e.index == excerpt.index - 1:
            return other
    return None


def _merge_citations(
    candidates: list[_Candidate], chosen: list[int], similarity: _Similarity
) -> None:
    """Cite, beside each chosen sentence, the other outlets' sentences that say the same."""
    taken = set(chosen)
    for i, candidate in enumerate(candidates):
        if i in taken:
            continue
        pairs = [(similarity.level(i, j), j) for j in chosen]
        for level, j in sorted(pairs, key=lambda p: (-p[0], p[1])):
            target = candidates[j]
            cited = {target.article.id, *(candidates[k].article.id for k in target.citations)}
            if candidate.article.id in cited:
                continue
            if _same_claim(candidate, target, level):
                target.citations.append(i)
                break


def _score(
    candidates: list[_Candidate], vectors: Vectors, centre: Vectors, corroboration: Corroboration
) -> None:
    """Each candidate's centrality and score (see the module's docstring)."""
    central = _normalised((vectors @ centre).astype(np.float64))
    for candidate, value in zip(candidates, central, strict=True):
        facts = _fact_score(candidate, corroboration)
        lead = 1 - min(candidate.excerpt.rank, 10) / 10
        candidate.central = float(value)
        candidate.score = CENTRAL * float(value) + FACTS * facts + LEAD * lead


def _leaning(candidates: Sequence[_Candidate], lang: str, read: datetime | None) -> set[int]:
    """The candidates that read only right after the sentence before them in their article:
    references back ("He added …") and days the story's reader would place elsewhere."""
    found: set[int] = set()
    for i, candidate in enumerate(candidates):
        excerpt = candidate.excerpt
        days = relative_days(excerpt.text)
        if leans_back(excerpt.bare_text, lang) or not places_days(
            days, excerpt.article.published, read
        ):
            found.add(i)
    return found


@dataclass
class _Selection:
    """The sentences chosen so far, and the shared facts they state."""

    candidates: list[_Candidate]
    similarity: _Similarity
    leaning: set[int]
    stated: Stated
    chosen: list[int] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)

    def value(self, i: int, coverage: float, *, opening: bool, needs_gain: bool) -> float | None:
        """What choosing candidate i next is worth, `coverage` the weight of a unit of shared
        facts it adds; None when it cannot be chosen now (for the `opening`, only sentences
        near an article's lead can)."""
        candidate = self.candidates[i]
        if i in self.chosen or i in self.skipped or not candidate.quotable:
            return None
        if opening and candidate.excerpt.rank >= OPENING_RANKS:
            return None
        if i in self.leaning and _predecessor(self.candidates, i) not in self.chosen:
            return None
        levels = [self.similarity.level(i, j) for j in self.chosen]
        if any(
            _same_claim(candidate, self.candidates[j], v)
            for j, v in zip(self.chosen, levels, strict=True)
        ):
            self.skipped.add(i)
            return None
        added = self.stated.gain(candidate.shared)
        if needs_gain and added <= 0:
            return None
        relevance = RELEVANCE * candidate.score + coverage * added
        return relevance - (1 - RELEVANCE) * max(levels, default=0.0)

    def best(self, coverage: float, *, opening: bool, needs_gain: bool) -> int | None:
        """The candidate worth most next, None when none can be chosen."""
        values = [
            (self.value(i, coverage, opening=opening, needs_gain=needs_gain), i)
            for i in range(len(self.candidates))
        ]
        options = [(v, i) for v, i in values if v is not None]
        return max(options, key=lambda o: (o[0], -o[1]))[1] if options else None

    def choose(self, i: int) -> None:
        self.chosen.append(i)
        self.stated.add(self.candidates[i].facts)


def _select(candidates: list[_Candidate], similarity: _Similarity, leaning: set[int]) -> list[int]:
    """The chosen sentences, best first, by maximal marginal relevance with the weight of the
    shared facts each adds; sentences repeating a chosen one are left out. A sentence that
    leans back waits for its predecessor. The first `OPENING`, which the story opens with,
    are sentences near their articles' leads while there are any; past the fewest sentences a
    story has, only sentences that add shared facts are taken."""
    selection = _Selection(candidates, similarity, leaning, Stated())
    most_shared = max((sum(c.shared.values()) for c in candidates if c.quotable), default=0.0)
    coverage = COVERAGE / (most_shared or 1.0)
    fewest, most = STORY_SENTENCES
    while len(selection.chosen) < most:
        count = len(selection.chosen)
        needs_gain = count >= fewest
        best = selection.best(coverage, opening=count < OPENING, needs_gain=needs_gain)
        if best is None and count < OPENING:
            best = selection.best(coverage, opening=False, needs_gain=needs_gain)
        if best is None:
            break
        selection.choose(best)
    return selection.chosen


def _item(candidates: Sequence[_Candidate], i: int, leaning: set[int]) -> Item:
    candidate = candidates[i]
    excerpt = candidate.excerpt
    return Item(
        key=i,
        article_id=excerpt.article.id,
        index=excerpt.index,
        rank=excerpt.rank,
        text=excerpt.text,
        central=candidate.central,
        numbers=any(f.kind in NUMBER_KINDS for f in candidate.facts),
        leans=i in leaning,
    )


@dataclass
class _Render:
    """Turns chosen candidates into story sentences, in reading order."""

    candidates: list[_Candidate]
    lang: str
    outlets: int  # distinct outlets of the original articles
    previous: Item | None = None
    count: int = 0

    def sentence(self, item: Item) -> Sentence | None:
        """The sentence of `item` after the one rendered before; None when it cannot stand
        there (it leans on a sentence that is not right before it)."""
        joined = self.previous is not None and item.follows(self.previous)
        if item.leans and not joined:
            return None
        self.previous = item
        self.count += 1
        candidate = self.candidates[item.key]
        excerpt = candidate.excerpt
        start = excerpt.start if joined else excerpt.bare
        text = excerpt.article.text[start : excerpt.end]
        if has_role_marker(text):
            text = neutralise(text)
        text = text[:1].upper() + text[1:]
        own = Citation(article_id=excerpt.article.id, start=start, end=excerpt.end)
        others = [self.candidates[k].excerpt for k in candidate.citations]
        citations = (
            own,
            *(Citation(article_id=e.article.id, start=e.start, end=e.end) for e in others),
        )
        outlets = {excerpt.article.outlet, *(e.article.outlet for e in others)}
        single = len(outlets) == 1 and (self.outlets >= 2 or self.count == 1)
        if single and not has_attribution(text, excerpt.article.outlet):
            text = attribute(text, excerpt.article.outlet, self.lang)
        return Sentence(text=text, citations=citations)

    def sentences(self, items: Sequence[Item]) -> list[Sentence]:
        rendered = (self.sentence(item) for item in items)
        return [s for s in rendered if s is not None]


def _disagreements(coverage: Coverage, lang: str) -> list[Sentence]:
    """The "reports differ" sentences of the faithfulness check, when it is installed."""
    try:
        checking: Any = importlib.import_module("tidings.checking")
    except ImportError:
        return []
    find = getattr(checking, "find_disagreements", None)
    say = getattr(checking, "disagreement_sentence", None)
    if find is None or say is None:
        return []
    if "coverage" in inspect.signature(say).parameters:  # cites the place of each value
        return [say(d, lang, coverage=coverage) for d in find(coverage)]
    return [say(d, lang) for d in find(coverage)]


def _body(
    render: _Render, paragraphs: list[tuple[str, list[Item]]], differ: list[Sentence]
) -> list[Paragraph]:
    """The body's paragraphs; the reports that differ stand before what comes next."""
    body: list[Paragraph] = []
    placed = not differ
    for kind, items in paragraphs:
        if kind == "next" and not placed:
            body.append(Paragraph(sentences=tuple(differ)))
            placed = True
        sentences = render.sentences(items)
        if sentences:
            body.append(Paragraph(sentences=tuple(sentences)))
    if not placed:
        body.append(Paragraph(sentences=tuple(differ)))
    return body


def _titled(
    articles: Sequence[SourceArticle], langs: dict[str, str], lang: str
) -> list[SourceArticle]:
    return [
        a
        for a in articles
        if a.title.strip() and langs[a.id] == lang and not is_instruction_like(a.title)
    ]


def _headline(
    titled: Sequence[SourceArticle],
    cleaned: Sequence[str],
    vectors: Vectors,
    centre: Vectors,
    lead: Sentence,
) -> Sentence:
    """The cleaned source headline nearest the event's centre, citing its article; without
    one, the opening of the lead sentence."""
    options = [(float(v @ centre), n) for n, v in enumerate(vectors) if cleaned[n]]
    if options:
        _cosine, best = max(options, key=lambda o: (o[0], -o[1]))
        return Sentence(text=cleaned[best], citations=(Citation(article_id=titled[best].id),))
    own = lead.citations[0]
    start = own.start or 0
    end = own.end or start
    return _lead_headline(lead, own.article_id, start, end)


def _lead_headline(lead: Sentence, article_id: str, start: int, end: int) -> Sentence:
    length = lead_headline(lead.text)
    text = lead.text[:length].rstrip(" ,;:")
    cited = Citation(article_id=article_id, start=start, end=min(end, start + length))
    return Sentence(text=text[:1].upper() + text[1:], citations=(cited,))


def _published(articles: Sequence[SourceArticle]) -> list[datetime]:
    return sorted(a.published for a in articles if a.published is not None)


def _last_published(articles: Sequence[SourceArticle]) -> datetime | None:
    times = _published(articles)
    return times[-1] if times else None


def _story(
    coverage: Coverage,
    lang: str,
    headline: Sentence,
    standfirst: list[Sentence],
    body: list[Paragraph],
    langs: dict[str, str | None],
) -> Story:
    times = _published(coverage.articles)
    return Story(
        event_id=coverage.event_id,
        lang=lang,
        headline=headline,
        standfirst=tuple(standfirst),
        paragraphs=tuple(body),
        outlets=tuple(dict.fromkeys(a.outlet for a in coverage.articles)),
        langs=tuple(sorted({v for v in langs.values() if v})),
        first_published=times[0] if times else None,
        last_published=times[-1] if times else None,
        writer=ExtractiveWriter.name,
    )


class ExtractiveWriter:
    """Writes a story from the sources' own sentences, each cited; no generative model."""

    name = "extractive"
    generative = False
    model: str | None = None

    def __init__(
        self,
        embedder: Embedder,
        *,
        cache: VectorCache | None = None,
        languages: Sequence[str] = (),
    ) -> None:
        self.embedder = embedder
        self.cache = cache if cache is not None else cache_for(embedder)
        self.languages = tuple(languages)  # preferred when no language has more reports

    def _centre(self, originals: Sequence[SourceArticle]) -> Vectors:
        """The mean vector of the articles: the stored ones where the coverage carries them
        (the embed stage made them from the same title and lead), else embedded here."""
        dim = self.embedder.dim
        stored = [a.vector if a.vector and len(a.vector) == dim else None for a in originals]
        texts = [
            embedding_text(a.title, a.text)
            for a, vector in zip(originals, stored, strict=True)
            if vector is None
        ]
        made = iter(self.cache.embed(self.embedder, texts))
        rows = [np.asarray(v, dtype=np.float32) if v else next(made) for v in stored]
        return _unit(np.vstack(rows).mean(axis=0).astype(np.float32))

    def write(self, coverage: Coverage) -> Story:
        """The story of `coverage` (see the module's docstring); `WriteError` when the
        coverage has too little usable text."""
        originals = coverage.originals or coverage.articles
        langs = {a.id: _article_language(a) for a in coverage.articles}
        found = {k: v or "en" for k, v in langs.items()}
        corroboration = Corroboration.of(originals, found)
        for lang in story_language(originals, self.languages):
            candidates = _candidates(originals, found, lang, corroboration)
            if sum(c.quotable for c in candidates) < MIN_SENTENCES:
                continue
            try:
                return self._write(coverage, candidates, lang, langs, corroboration)
            except WriteError as exc:
                log.info("no story in %s: %s", lang, exc)
        raise WriteError(
            f"event {coverage.event_id}: fewer than {MIN_SENTENCES} usable sentences in its "
            f"{len(coverage.articles)} articles"
        )

    def _write(
        self,
        coverage: Coverage,
        candidates: list[_Candidate],
        lang: str,
        langs: dict[str, str | None],
        corroboration: Corroboration,
    ) -> Story:
        originals = coverage.originals or coverage.articles
        found = {k: v or "en" for k, v in langs.items()}
        titled = _titled(coverage.articles, found, lang)
        plain, shouted = plain_words(a.text for a in originals)
        names = tuple(a.outlet for a in coverage.articles)
        cleaned = [
            neutralise(clean_headline(a.title, outlets=names, plain=plain, shouted=shouted))
            for a in titled
        ]
        texts = [c.excerpt.text for c in candidates]
        vectors = self.cache.embed(self.embedder, [*texts, *cleaned])
        n = len(candidates)
        centre = self._centre(originals)
        _score(candidates, vectors[:n], centre, corroboration)
        similarity = _Similarity.of(vectors[:n], [c.article.id for c in candidates])
        leaning = _leaning(candidates, lang, _last_published(coverage.articles))
        chosen = _select(candidates, similarity, leaning)
        _merge_citations(candidates, chosen, similarity)
        differ = _disagreements(coverage, lang)
        items = [_item(candidates, i, leaning) for i in chosen]
        opening, paragraphs = lay_out(items, lang, paragraphs=MAX_PARAGRAPHS - bool(differ))
        render = _Render(candidates, lang, len({a.outlet for a in originals}))
        standfirst = render.sentences(opening)
        body = _body(render, paragraphs, differ)
        if not standfirst or not body:
            raise WriteError(f"event {coverage.event_id}: too few sentences stand on their own")
        headline = _headline(titled, cleaned, vectors[n:], centre, standfirst[0])
        return _story(coverage, lang, headline, standfirst, body, langs)


@register_writer("extractive")
def extractive_writer(settings: Settings, embedder: Embedder) -> ExtractiveWriter:
    """The extractive writer, built from the settings' embedder; it prefers the editions'
    languages when no language has more reports than another."""
    return ExtractiveWriter(embedder, languages=settings.editions)
