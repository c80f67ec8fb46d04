"""The faithfulness check every story passes before it is published.

A sentence may state only what the articles it cites state. `check_story` reads each
sentence of a story (headline, standfirst, body), finds its facts (`tidings.facts`: amounts,
dates, names, quotes) and looks for each in the cited articles' titles and texts (and outlet
names). A sentence with a fact its sources lack is rewritten from them (the cited source
sentence that best overlaps it, when that one passes) or dropped; each such fact is recorded
as a `FactFailure` in the story's `CheckReport`. A headline that fails gives way to a cited
source's own headline. As a last line of defence, a sentence aimed at a language model
(`tidings.injection.is_instruction_like`) is always dropped, whatever its sources say.

`write_checked` runs a writer and checks what it wrote; when the writer fails, writes
something invalid, or too little of its story survives the check, the fallback writer (the
extractive one) writes the story instead, and the report says so and why.

`find_disagreements` finds outlets that report different values for one fact ("$350 billion"
against "roughly $400 billion" for the investment pledge), so that a story can show the
difference instead of averaging it away; `disagreement_sentence` says so in one cited sentence.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from pydantic import ValidationError

from .errors import TidingsError
from .evidence import CALENDAR_WORDS, CURRENCIES, PERCENTS, SCALES, entity_key, stopwords
from .facts import (
    Fact,
    SourceFacts,
    amount_facts,
    date_facts,
    facts_of,
    read_names,
    source_facts,
)
from .injection import is_instruction_like
from .language import language_code
from .sentences import split_sentences
from .stories import (
    CheckReport,
    Citation,
    Coverage,
    Disagreement,
    FactFailure,
    Paragraph,
    Report,
    Sentence,
    SourceArticle,
    Story,
    Writer,
)

__all__ = [
    "MAX_FAILED_SHARE",
    "MIN_SENTENCES",
    "StoryRejectedError",
    "check_story",
    "disagreement_sentence",
    "find_disagreements",
    "write_checked",
]

log = logging.getLogger(__name__)

MIN_SENTENCES = 3  # fewer surviving sentences than this, and the fallback writes the story
MAX_FAILED_SHARE = 0.5  # more of the sentences failing than this, and the fallback writes
MIN_REWRITE_OVERLAP = 0.4  # share of a sentence's content words a replacement must carry
MIN_REWRITE_WORDS = 2
REWRITE_LENGTH = (25, 400)  # characters of a source sentence that may replace one
MAX_RATIO = Decimal(3)  # values further apart than this are different facts, not a dispute
NEAR = 6  # content words either side of a number that say what it counts


class StoryRejectedError(TidingsError):
    """Too little of a story survives the faithfulness check to make a story."""


# -- words --------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_STEM_ENDINGS = ("ing", "ed", "es", "s", "e")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A word without case, possessive and the commonest endings ("pledged" = "pledge")."""
    folded = entity_key(word).replace(" ", "")
    for ending in _STEM_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            return folded[: -len(ending)]
    return folded


def _content_stems(text: str, lang: str | None) -> frozenset[str]:
    stop = stopwords(lang)
    words = (w.casefold() for w in _WORD.findall(text))
    return frozenset(_stem(w) for w in words if len(w) > 2 and w not in stop)


# -- the sources of one story -------------------------------------------------------------------


@dataclass
class _Sources:
    """The articles of a coverage, each read once for the facts it supports."""

    coverage: Coverage
    lang: str | None
    _facts: dict[str, SourceFacts] = field(default_factory=dict)
    _sentences: dict[str, list[tuple[int, int, frozenset[str]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.coverage.articles}

    def cited(self, sentence: Sentence) -> list[SourceArticle]:
        return [self.by_id[i] for i in sentence.sources if i in self.by_id]

    def facts(self, article: SourceArticle) -> SourceFacts:
        if article.id not in self._facts:
            text = f"{article.title}\n{article.text}\n{article.outlet}"
            lang = language_code(article.lang) or self.lang
            self._facts[article.id] = source_facts(text, lang=lang, published=article.published)
        return self._facts[article.id]

    def sentences(self, article: SourceArticle) -> list[tuple[int, int, frozenset[str]]]:
        """(start, end, content stems) of each sentence of the article's text."""
        if article.id not in self._sentences:
            self._sentences[article.id] = [
                (start, end, _content_stems(article.text[start:end], self.lang))
                for start, end in split_sentences(article.text, article.lang)
            ]
        return self._sentences[article.id]

    def same_language(self, article: SourceArticle) -> bool:
        lang = language_code(article.lang)
        return lang is None or self.lang is None or lang == self.lang


def _overlaps(fact: Fact, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < fact.end and fact.start < end for start, end in spans)


def _verdict(
    text: str, cited: Sequence[SourceArticle], sources: _Sources
) -> tuple[tuple[Fact, ...], list[Fact]]:
    """The facts of `text`, and those that none of the cited articles states.

    An amount or date that fails in the story's language is read again in each source's
    language (a value quoted from an English source in a Norwegian story is still read the
    English way) and resolved against each source's own published time.
    """
    lang = sources.lang
    facts = facts_of(text, lang=lang, published=cited[0].published if cited else None)
    found = [sources.facts(a) for a in cited]
    bad = [f for f in facts if not any(source.supports(f) for source in found)]
    if any(f.kind not in ("name", "quote") for f in bad):
        supported = list(_other_readings(text, cited, sources))
        bad = [f for f in bad if f.kind in ("name", "quote") or not _overlaps(f, supported)]
    return facts, bad


def _other_readings(
    text: str, cited: Sequence[SourceArticle], sources: _Sources
) -> Iterator[tuple[int, int]]:
    """Where `text` states amounts and dates that a cited article supports, read in the
    story's and the article's language, dated from the article's published time."""
    for article in cited:
        found = sources.facts(article)
        for reading in dict.fromkeys((sources.lang, language_code(article.lang))):
            readings = (
                *amount_facts(text, lang=reading),
                *date_facts(text, lang=reading, published=article.published),
            )
            yield from ((f.start, f.end) for f in readings if found.supports(f))


def _unsupported(text: str, cited: Sequence[SourceArticle], sources: _Sources) -> list[Fact]:
    """The facts of `text` that none of the cited articles states."""
    return _verdict(text, cited, sources)[1]


# -- checking a story ---------------------------------------------------------------------------


@dataclass
class _Outcome:
    """What the check kept of a story, and what it found."""

    headline: Sentence | None = None
    standfirst: list[Sentence] = field(default_factory=list)
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    failures: list[FactFailure] = field(default_factory=list)
    facts_checked: int = 0
    total: int = 0  # sentences of the standfirst and body as written
    dropped: int = 0
    failed: int = 0  # dropped or rewritten
    standfirst_written: int = 0
    standfirst_dropped: int = 0

    @property
    def kept(self) -> int:
        return len(self.standfirst) + sum(len(p) for p in self.paragraphs)

    def shortfall(self) -> str | None:
        """Why too little survived to publish the story as written, or None."""
        if self.standfirst_written and self.standfirst_dropped == self.standfirst_written:
            return "no sentence of the standfirst survived the check"
        if self.kept < MIN_SENTENCES:
            return f"only {self.kept} sentence(s) survived the check"
        if self.failed > MAX_FAILED_SHARE * self.total:
            return f"{self.failed} of {self.total} sentences failed the check"
        return None


@dataclass
class _Checker:
    sources: _Sources
    outcome: _Outcome = field(default_factory=_Outcome)
    used: set[str] = field(default_factory=set)

    def sentence(self, sentence: Sentence) -> Sentence | None:
        """The sentence if it passes, else its rewrite from the sources, else None."""
        self.outcome.total += 1
        if is_instruction_like(sentence.text):
            self.outcome.failed += 1
            self.outcome.dropped += 1
            self._injected(sentence.text, "dropped")
            return None
        cited = self.sources.cited(sentence)
        facts, bad = _verdict(sentence.text, cited, self.sources)
        self.outcome.facts_checked += len(facts)
        if cited and not bad and sentence.text not in self.used:
            self.used.add(sentence.text)
            return sentence
        self.outcome.failed += 1
        rewrite = self._rewrite(sentence, cited) if cited else None
        action = "rewritten" if rewrite is not None else "dropped"
        if not cited:
            log.warning("dropped a sentence that cites no article of the event: %r", sentence.text)
        self._record(sentence.text, bad, action)
        if rewrite is None:
            self.outcome.dropped += 1
        return rewrite

    def _record(self, text: str, bad: Iterable[Fact], action: str) -> None:
        for fact in bad:
            self.outcome.failures.append(
                FactFailure.model_validate(
                    {"sentence": text, "fact": fact.text, "kind": fact.kind, "action": action}
                )
            )

    def _injected(self, text: str, action: str) -> None:
        """Record text aimed at a language model, which is never published."""
        log.warning("%s an instruction-like sentence: %.80r", action, text)
        # FactFailure's kinds name facts; "quote" is the nearest: the text quotes no news.
        failure = {"sentence": text, "fact": "instruction-like text", "kind": "quote"}
        self.outcome.failures.append(FactFailure.model_validate({**failure, "action": action}))

    def _rewrite(self, sentence: Sentence, cited: Sequence[SourceArticle]) -> Sentence | None:
        """The cited source sentence that best overlaps `sentence` and itself passes."""
        words = _content_stems(sentence.text, self.sources.lang)
        if not words:
            return None
        scored: list[tuple[float, str, SourceArticle, int, int]] = []
        for article in cited:
            if not self.sources.same_language(article):
                continue
            for start, end, stems in self.sources.sentences(article):
                shared = len(words & stems)
                text = article.text[start:end]
                short, long = REWRITE_LENGTH
                if (
                    shared >= MIN_REWRITE_WORDS
                    and short <= len(text) <= long
                    and not is_instruction_like(text)
                ):
                    scored.append((shared / len(words), text, article, start, end))
        scored.sort(key=lambda s: s[0], reverse=True)
        for score, text, article, start, end in scored[:5]:
            if score < MIN_REWRITE_OVERLAP:
                break
            if text not in self.used and not _unsupported(text, [article], self.sources):
                self.used.add(text)
                return Sentence(
                    text=text, citations=(Citation(article_id=article.id, start=start, end=end),)
                )
        return None

    def headline(self, headline: Sentence) -> Sentence | None:
        """The headline if it passes, else a cited (then any) source's own headline."""
        cited = self.sources.cited(headline)
        facts, bad = _verdict(headline.text, cited, self.sources)
        self.outcome.facts_checked += len(facts)
        injected = is_instruction_like(headline.text)
        if cited and not bad and not injected:
            return headline
        others = [a for a in self.sources.coverage.originals if a not in cited]
        for article in [*cited, *others]:
            title = source_headline(article)
            if (
                title
                and not is_instruction_like(title)
                and self.sources.same_language(article)
                and not _unsupported(title, [article], self.sources)
            ):
                self._record(headline.text, bad, "rewritten")
                if injected:
                    self._injected(headline.text, "rewritten")
                return Sentence(text=title, citations=(Citation(article_id=article.id),))
        self._record(headline.text, bad, "dropped")
        if injected:
            self._injected(headline.text, "dropped")
        return None


_OUTLET_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+([^|\u2013\u2014]{1,60})$")


def source_headline(article: SourceArticle) -> str:
    """The article's title without the outlet's name at its end ("Talks end | Outlet")."""
    title = " ".join(article.title.split())
    match = _OUTLET_SUFFIX.search(title)
    if match is not None:
        suffix = entity_key(match.group(1))
        outlet = entity_key(article.outlet)
        if "|" in match.group() or (outlet and (outlet in suffix or suffix in outlet)):
            title = title[: match.start()].rstrip()
    return title


def _check(story: Story, coverage: Coverage) -> _Outcome:
    lang = language_code(story.lang)
    read_names([story.headline.text, *(s.text for s in story.sentences())], lang=lang)
    checker = _Checker(_Sources(coverage, lang))
    outcome = checker.outcome
    for sentence in story.standfirst:
        outcome.standfirst_written += 1
        kept = checker.sentence(sentence)
        if kept is None:
            outcome.standfirst_dropped += 1
        else:
            outcome.standfirst.append(kept)
    for paragraph in story.paragraphs:
        sentences = [checker.sentence(s) for s in paragraph.sentences]
        outcome.paragraphs.append([s for s in sentences if s is not None])
    outcome.headline = checker.headline(story.headline)
    return outcome


def _assembled(story: Story, outcome: _Outcome, report: CheckReport) -> Story:
    """The story made of what survived; a standfirst or body taken from the other if empty."""
    standfirst = list(outcome.standfirst)
    paragraphs = [list(p) for p in outcome.paragraphs if p]
    if not standfirst and paragraphs:
        standfirst.append(paragraphs[0].pop(0))
        paragraphs = [p for p in paragraphs if p]
    if not paragraphs and len(standfirst) > 1:
        paragraphs = [standfirst[1:]]
        standfirst = standfirst[:1]
    if not standfirst or not paragraphs:
        raise StoryRejectedError(
            f"too little of the story of event {story.event_id} survived the check "
            f"({outcome.kept} sentence(s))"
        )
    headline = outcome.headline or standfirst[0]
    return story.model_copy(
        update={
            "headline": headline,
            "standfirst": tuple(standfirst),
            "paragraphs": tuple(Paragraph(sentences=tuple(p)) for p in paragraphs),
            "check": report,
        }
    )


def check_story(story: Story, coverage: Coverage) -> Story:
    """The story with every sentence whose facts its cited sources lack rewritten or dropped,
    and the `CheckReport` of what was found (with the outlets' disagreements) attached.

    Raises `StoryRejectedError` when not even a standfirst and one body sentence survive.
    """
    outcome = _check(story, coverage)
    report = CheckReport(
        writer=story.writer,
        model=story.model,
        facts_checked=outcome.facts_checked,
        failures=tuple(outcome.failures),
        disagreements=find_disagreements(coverage),
    )
    return _assembled(story, outcome, report)


# -- writing with a fallback --------------------------------------------------------------------


def _first_attempt(writer: Writer, coverage: Coverage) -> tuple[Story | None, _Outcome, str]:
    """The writer's checked story, or None with what was found and why it cannot stand."""
    outcome = _Outcome()
    try:
        story = writer.write(coverage)
        outcome = _check(story, coverage)
    except ValidationError as exc:
        log.warning("the %s writer wrote an invalid story: %s", writer.name, exc)
        return None, outcome, f"the {writer.name} writer's output was invalid"
    except Exception as exc:  # any failure of a backend falls back; it is logged, not lost
        log.warning("the %s writer failed: %s", writer.name, exc, exc_info=True)
        return None, outcome, f"the {writer.name} writer failed: {_short(exc)}"
    reason = outcome.shortfall()
    if reason is not None:
        return None, outcome, reason
    return story, outcome, ""


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 120 else message[:119] + "\u2026"


def write_checked(writer: Writer, coverage: Coverage, *, fallback: Writer) -> Story:
    """The writer's story, checked; the fallback's, checked, when the writer fails, writes an
    invalid story or too little of its story survives (the report keeps both writers'
    failures and the reason for falling back)."""
    disagreements = find_disagreements(coverage)
    story, first, reason = _first_attempt(writer, coverage)
    if story is not None:
        report = CheckReport(
            writer=story.writer,
            model=story.model,
            facts_checked=first.facts_checked,
            failures=tuple(first.failures),
            disagreements=disagreements,
        )
        return _assembled(story, first, report)
    log.info(
        "event %s: falling back to the %s writer: %s", coverage.event_id, fallback.name, reason
    )
    backup = fallback.write(coverage)
    second = _check(backup, coverage)
    report = CheckReport(
        writer=backup.writer,
        model=backup.model,
        facts_checked=first.facts_checked + second.facts_checked,
        failures=(*first.failures, *second.failures),
        fell_back=True,
        fallback_reason=reason,
        disagreements=disagreements,
    )
    return _assembled(backup, second, report)


# -- disagreements ------------------------------------------------------------------------------

_LOWER = (
    r"(?:just\s+)?(?:more\s+than|over)|at\s+least|upwards\s+of|mehr\s+als|über|mindestens|"
    r"más\s+de|al\s+menos|plus\s+de|au\s+moins|mer\s+enn|minst"
)
_UPPER = (
    r"(?:just\s+)?(?:less|fewer)\s+than|up\s+to|nearly|almost|under|as\s+(?:much|many)\s+as|"
    r"close\s+to|knapp|bis\s+zu|casi|hasta|presque|jusqu'à|nesten|opptil"
)
_APPROX = (
    r"an\s+estimated|estimated|roughly|about|around|approximately|some|rund|etwa|ungefähr|"
    r"cerca\s+de|unos|unas|alrededor\s+de|environ|près\s+de|omtrent|rundt|cirka"
)
_HEDGE = re.compile(
    rf"(?<!\w)(?:(?P<lower>{_LOWER})|(?P<upper>{_UPPER})|(?P<approx>{_APPROX}))\s+$",
    re.IGNORECASE,
)
APPROXIMATE = Decimal("0.1")  # "about 400" covers 360 to 440
TIED = 3  # a word ties two amounts to one fact when it stands this close to both
_CLAUSE_BREAK = re.compile(r"[;:()\[\]\u2014\u2013]|\s-\s")
_VALUE_WORDS = frozenset(
    {*(w for w in SCALES if w.isalpha()), *(w for w in CURRENCIES if w.isalpha()),
     *(w for p in PERCENTS for w in p.split()),
     "said", "says", "say", "reported", "according", "told", "added", "worth", "total",
     "roughly", "about", "around", "approximately", "nearly", "almost", "estimated", "least",
     "more", "less", "than", "over", "under", "some", "just", "figure", "amount", "sum",
     "year", "years", "annual", "annually", "month", "months", "monthly", "week", "weeks",
     "day", "days", "daily", "hour", "hours", "minute", "minutes", "time", "times", "start",
     "starting", "since", "previous", "last", "first", "new"}
)  # fmt: skip


@dataclass(frozen=True)
class _Near:
    """A content word near an amount."""

    distance: int  # in content words of its kind (names, other words), 1 = the nearest
    word: str  # as written
    at: int  # where it is written in the sentence
    name: bool  # capitalised inside the sentence


@dataclass
class _Mention:
    """One amount an article states, with the words near it that say what it is of."""

    article: SourceArticle
    unit: str  # "USD", "%", or for a count the noun it counts ("peopl")
    value: Decimal
    hedge: str  # "lower", "upper", "approx" or "exact"
    written: str  # as the outlet wrote it, with its hedge: "roughly $400 billion"
    context: dict[str, _Near]
    noun: str = ""  # the counted noun as written, for a count
    noun_at: int = 0

    def near(self) -> set[str]:
        """The stems of the words (not names) that stand close to the amount."""
        return {s for s, n in self.context.items() if n.distance <= TIED and not n.name}

    def bounds(self) -> tuple[Decimal, Decimal]:
        """The values the report allows: "more than 600" allows everything above 600."""
        if self.hedge == "lower":
            return self.value, Decimal("Infinity")
        if self.hedge == "upper":
            return Decimal(0), self.value
        if self.hedge == "approx":
            return self.value * (1 - APPROXIMATE), self.value * (1 + APPROXIMATE)
        return self.value, self.value


def _is_context_word(word: str, stop: frozenset[str]) -> bool:
    folded = word.casefold()
    return (
        len(folded) > 2
        and folded not in stop
        and folded not in CALENDAR_WORDS
        and folded not in _VALUE_WORDS
    )


def _context(sentence: str, fact: Fact, stop: frozenset[str]) -> list[list[re.Match[str]]]:
    """The content words of the clause before and after an amount, nearest first."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, fact.start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, fact.end)), len(sentence))
    words = [m for m in _WORD.finditer(sentence, left, right) if _is_context_word(m[0], stop)]
    before = [m for m in words if m.end() <= fact.start][::-1]
    after = [m for m in words if m.start() >= fact.end]
    return [before[:NEAR], after[:NEAR]]


def _mention(
    article: SourceArticle, sentence: str, fact: Fact, stop: frozenset[str]
) -> _Mention | None:
    """The amount with its unit, hedge and nearby words; None for a count of nothing."""
    unit, value = _unit_and_value(fact)
    before, after = _context(sentence, fact, stop)
    noun, noun_at = "", 0
    if not unit:  # a count: of what is the word right after it ("22 people")
        following = sentence[fact.end :].split(maxsplit=1)
        if not after or not following or after[0][0] != following[0].strip(",.;:"):
            return None
        noun, noun_at, unit = after[0][0], after[0].start(), _stem(after[0][0])
        after = after[1:]
    context: dict[str, _Near] = {}
    for side in (before, after):
        counted = {True: 0, False: 0}  # names and other words are counted apart
        for match in side:
            name = match[0][:1].isupper() and match.start() > 0
            counted[name] += 1
            stem = _stem(match[0])
            if stem not in context or context[stem].distance > counted[name]:
                context[stem] = _Near(counted[name], match[0], match.start(), name)
    hedge = _HEDGE.search(sentence, 0, fact.start)
    kind = next((k for k, v in hedge.groupdict().items() if v), "exact") if hedge else "exact"
    begin = hedge.start() if hedge is not None else fact.start
    written = sentence[begin : fact.end]
    return _Mention(article, unit, value, kind, written, context, noun, noun_at)


def _unit_and_value(fact: Fact) -> tuple[str, Decimal]:
    if fact.kind == "money":
        unit, _, value = fact.key.partition(" ")
        return unit, Decimal(value)
    if fact.kind == "percent":
        return "%", Decimal(fact.key.rstrip("%"))
    return "", Decimal(fact.key)


def _mentions(article: SourceArticle) -> list[_Mention]:
    """The amounts an article states, each value of a unit once (the first time)."""
    lang = language_code(article.lang)
    stop = stopwords(lang)
    found: dict[tuple[str, Decimal], _Mention] = {}
    for start, end in split_sentences(article.text, lang):
        sentence = article.text[start:end]
        for fact in amount_facts(sentence, lang=lang):
            if fact.text.startswith("0"):
                continue  # "0737": a code, not an amount
            mention = _mention(article, sentence, fact, stop)
            if mention is not None:
                found.setdefault((mention.unit, mention.value), mention)
    return list(found.values())


class _Index:
    """Which values each article states, and how many of its amounts each word stands near."""

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.values: dict[str, set[tuple[str, Decimal]]] = {}
        self.near: dict[tuple[str, str, str], int] = {}
        for m in mentions:
            self.values.setdefault(m.article.id, set()).add(("" if m.noun else m.unit, m.value))
            for stem in m.near():
                key = (m.article.id, m.unit, stem)
                self.near[key] = self.near.get(key, 0) + 1

    def ties(self, a: _Mention, b: _Mention) -> list[str]:
        """The words that tie two outlets' amounts to one fact: near both, and near no other
        amount of the unit in either article (else it is unclear which amount it goes with);
        one word must stand right next to both amounts, or two words near them."""
        shared = (a.near() & b.near()) - {a.unit}
        only = [
            s
            for s in shared
            if self.near[a.article.id, a.unit, s] == 1 and self.near[b.article.id, b.unit, s] == 1
        ]
        only.sort(key=lambda s: (a.context[s].distance, a.context[s].at))
        if a.noun:  # counts of things differ for many reasons: ask for more
            return only if len(only) >= 2 and not _other_names(a, b) else []
        adjacent = any(a.context[s].distance == b.context[s].distance == 1 for s in only)
        return only if adjacent or len(only) >= 2 else []

    def disputed(self, a: _Mention, b: _Mention) -> bool:
        """Whether two outlets' amounts are values for one quantity that cannot both hold."""
        if a.unit != b.unit or a.value == b.value or min(a.value, b.value) <= 0:
            return False
        if entity_key(a.article.outlet) == entity_key(b.article.outlet):
            return False
        if max(a.value, b.value) > MAX_RATIO * min(a.value, b.value):
            return False  # an order of magnitude apart: a different quantity
        (low_a, high_a), (low_b, high_b) = a.bounds(), b.bounds()
        if low_a <= high_b and low_b <= high_a:
            return False  # "more than 600" and "640" agree
        # An outlet that also states the other value reports two facts, not another value.
        return not (self.states(a.article, b) or self.states(b.article, a))

    def states(self, article: SourceArticle, mention: _Mention) -> bool:
        """Whether the article states the mention's value (a count, of anything)."""
        unit = "" if mention.noun else mention.unit
        return (unit, mention.value) in self.values[article.id]


@lru_cache(maxsize=1)
def _key_stems() -> frozenset[str]:
    """The stems of the words that name a quantity worth a "reports differ" sentence."""
    text = resources.files("tidings").joinpath("data/key_quantities.toml").read_text("utf-8")
    lists = tomllib.loads(text).values()
    return frozenset(_stem(word.casefold()) for entry in lists for word in entry["words"])


def _key_quantity(a: _Mention, ties: list[str]) -> bool:
    """Whether the tying words (or the counted noun) say the amount is one of the event's key
    quantities (`data/key_quantities.toml`)."""
    words = {a.context[s].word for s in ties} | ({a.noun} if a.noun else set())
    return any(_stem(w.casefold()) in _key_stems() for w in words)


def _other_names(a: _Mention, b: _Mention) -> bool:
    """Whether both amounts stand near names and share none ("Smith ran for 120 yards",
    "Jones ran for 85 yards" are two players' figures)."""
    names_a = {s for s, n in a.context.items() if n.name}
    names_b = {s for s, n in b.context.items() if n.name}
    return bool(names_a and names_b and not names_a & names_b)


def _subject(a: _Mention, b: _Mention, ties: list[str]) -> str:
    """What the value is of, in the first outlet's words: the nearest tying word (the shorter
    of the two outlets' forms), and for a count the counted noun too ("people killed")."""
    tie = ties[0]
    word = min((a.context[tie].word, b.context[tie].word), key=len).casefold()
    if not a.noun:
        return word
    words = sorted([(a.context[tie].at, word), (a.noun_at, a.noun.casefold())])
    return " ".join(w for _at, w in words)


def find_disagreements(coverage: Coverage, *, key_only: bool = True) -> tuple[Disagreement, ...]:
    """Outlets that report different values for one key quantity (a toll, the people
    affected, the money of a deal, a magnitude; any quantity unless `key_only`): amounts of
    one unit (within a factor of three, and not reconciled by their hedges) tied by a word
    that stands next to each of them and to no other amount in either report."""
    mentions = [m for a in coverage.originals for m in _mentions(a)]
    index = _Index(mentions)
    groups: list[tuple[str, list[_Mention]]] = []
    for i, a in enumerate(mentions):
        for b in mentions[i + 1 :]:
            if a.article.id == b.article.id or not index.disputed(a, b):
                continue
            ties = index.ties(a, b)
            if ties and (not key_only or _key_quantity(a, ties)):
                _join(groups, _subject(a, b, ties), a, b)
    return tuple(d for d in (_disagreement(s, ms) for s, ms in groups) if d is not None)


def _join(groups: list[tuple[str, list[_Mention]]], subject: str, a: _Mention, b: _Mention) -> None:
    """Add the pair to the group that holds either amount or names the same quantity in
    other word order ("people killed", "killed people"), else start a group."""
    words = sorted(subject.split())
    for subject_words, members in groups:
        same = sorted(subject_words.split()) == words
        if same or any(m is a or m is b for m in members):
            members.extend(m for m in (a, b) if all(m is not x for x in members))
            return
    groups.append((subject, [a, b]))


def _disagreement(subject: str, members: list[_Mention]) -> Disagreement | None:
    """One report per outlet (its first), when at least two different values remain."""
    reports: dict[str, _Mention] = {}
    for mention in members:
        reports.setdefault(entity_key(mention.article.outlet), mention)
    if len(reports) < 2 or len({m.value for m in reports.values()}) < 2:
        return None
    return Disagreement(
        subject=subject,
        reports=tuple(
            Report(outlet=m.article.outlet, article_id=m.article.id, value=m.written)
            for m in reports.values()
        ),
    )


_TEMPLATES = {  # opening, the first outlet's verb, before each further value, "and"
    "en": ("Reports differ on the {subject}", "reports", "", "and", ":"),
    "nb": ("Kildene oppgir ulike tall for {subject}", "oppgir", "", "og", ":"),
    "de": ("Die Angaben zu {subject} gehen auseinander", "nennt", "", "und", ":"),
    "es": ("Las fuentes difieren sobre {subject}", "informa de", "de ", "y", ":"),
    "fr": ("Les sources divergent sur {subject}", "fait état de", "de ", "et", " :"),
}


def _cited_span(report: Report, coverage: Coverage | None) -> Citation:
    if coverage is not None:
        try:
            text = coverage.article(report.article_id).text
        except KeyError:
            text = ""
        start = text.find(report.value)
        if start >= 0:
            return Citation(
                article_id=report.article_id, start=start, end=start + len(report.value)
            )
    return Citation(article_id=report.article_id)


def disagreement_sentence(
    d: Disagreement, lang: str, *, coverage: Coverage | None = None
) -> Sentence:
    """One sentence that says the outlets differ and what each reports, citing each report
    (at the place of its value when the coverage is given). English for unknown languages."""
    opening, verb, before, conjunction, colon = _TEMPLATES.get(
        language_code(lang) or "en", _TEMPLATES["en"]
    )
    first, *rest = d.reports
    parts = [f"{first.outlet} {verb} {first.value}"]
    parts.extend(f"{r.outlet} {before}{r.value}" for r in rest)
    listed = ", ".join(parts[:-1]) + (f" {conjunction} " if len(parts) > 2 else ", ") + parts[-1]
    text = f"{opening.format(subject=d.subject)}{colon} {listed}."
    citations = tuple(_cited_span(r, coverage) for r in d.reports)
    return Sentence(text=text, citations=citations)
