"""Writing benchmark: how faithful, complete, tight and fast the stories of each writer are.

    python -m benchmarks.writing [--writer extractive|chat] [--limit N]
                                 [--embedder e5|hashing] [--chat-url URL --chat-model NAME]
                                 [--shared PATH] [--json OUT]

Reads `shared/bench/clustering/events.jsonl` (ECB+ and MEANTIME articles with event labels)
and writes one story per gold event of two or more articles, the gold cluster as the
coverage, so that writing is measured apart from clustering. Each writer runs as the write
stage runs it: through the faithfulness check, with the extractive writer as the fallback
(`tidings.checking.write_checked`). The chat writer runs only when `--chat-url` names a
server.

Scores, per dataset and over all events, each re-computed from the story's text and the
articles it cites (the writer's own check report is not trusted):

- unsupported: the share of the facts of the story's sentences (numbers, amounts, shares,
  dates, names, quotes; `tidings.facts`) whose key is in none of the sentence's cited
  articles (target 0). "lenient" counts a fact as supported when a cited article supports
  it in the product's own sense (a name as part of a longer one, a known variant).
- shared covered: of the fact keys that two or more outlets of the event state, the share
  the story states (target at least 0.8); "values" counts only numbers, amounts, shares and
  dates.
- redundant: the share of pairs of body sentences whose content words overlap by at least
  `REDUNDANT` (Jaccard).
- sentences and words per story, seconds per story, the share of stories that fell back.

`--limit N` keeps the first N events of each dataset. Results go to standard output as a
table and to `--json` (default `benchmarks/results/writing.json`, not committed).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from statistics import mean
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.vectors import cached
from tidings.checking import write_checked
from tidings.embedding import Embedder, make_embedder
from tidings.evidence import entity_key
from tidings.extractive import ExtractiveWriter
from tidings.facts import Fact, facts_of, source_facts
from tidings.moments import parse_time
from tidings.settings import load_settings
from tidings.stories import Coverage, Sentence, SourceArticle, Story, Writer, make_writer
from tidings.writing import outlet_name

__all__ = [
    "DATASETS",
    "EDITIONS",
    "StoryScore",
    "WriterResult",
    "load_events",
    "main",
    "score_story",
]

DATASETS = {"ECB+": "ECB+", "MEANTIME": "MEANTIME"}  # name -> source_dataset prefix
REDUNDANT = 0.5  # Jaccard overlap of content words above which two sentences repeat
VALUE_KINDS = frozenset({"number", "money", "percent", "date"})
RESULTS = Path(__file__).resolve().parent / "results" / "writing.json"
EDITIONS = load_settings({}, env={}).editions  # the default site's languages, first preferred
_WORD = re.compile(r"[^\W_]{3,}")


def default_shared() -> Path:
    return Path(__file__).resolve().parents[2] / "shared"


# -- the events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchEvent:
    dataset: str
    coverage: Coverage


def _article(row: dict[str, Any]) -> SourceArticle:
    outlet = row.get("outlet") or None
    url = row.get("url") or None
    return SourceArticle(
        id=str(row["id"]),
        outlet=outlet_name(outlet, url) if outlet or url else f"source {row['id']}",
        title=str(row.get("title") or ""),
        text=str(row.get("text") or ""),
        url=url,
        lang=row.get("lang") or None,
        published=parse_time(row.get("published")),
    )


def load_events(shared: Path, limit: int | None = None) -> list[BenchEvent]:
    """The gold events of two or more articles, the first `limit` of each dataset."""
    path = shared / "bench" / "clustering" / "events.jsonl"
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        dataset = next(n for n, p in DATASETS.items() if str(row["source_dataset"]).startswith(p))
        groups.setdefault((dataset, str(row["event_id"])), []).append(row)
    events: list[BenchEvent] = []
    taken: dict[str, int] = {}
    for (dataset, event_id), members in groups.items():
        if len(members) < 2 or taken.get(dataset, 0) >= (limit or len(groups)):
            continue
        taken[dataset] = taken.get(dataset, 0) + 1
        articles = tuple(_article(r) for r in members)
        events.append(BenchEvent(dataset, Coverage(event_id=event_id, articles=articles)))
    return events


# -- scoring --------------------------------------------------------------------------------


def _source_text(article: SourceArticle) -> str:
    """What a cited article supports: its title, its text and its outlet's name."""
    return f"{article.title}\n{article.text}\n{article.outlet}"


def _report_text(article: SourceArticle) -> str:
    return f"{article.title}\n{article.text}"


def _facts(article: SourceArticle) -> tuple[Fact, ...]:
    """The facts the article reports (its title and text)."""
    return facts_of(_report_text(article), lang=article.lang, published=article.published)


def _supported_keys(article: SourceArticle, facts: tuple[Fact, ...]) -> frozenset[str]:
    """The keys a sentence citing the article may state: its facts and its outlet's name."""
    return frozenset(f.key for f in facts) | {entity_key(article.outlet)}


@dataclass
class StoryScore:
    """What one story was measured to be."""

    facts: int = 0
    unsupported: int = 0
    unsupported_lenient: int = 0
    shared: int = 0  # fact keys two or more outlets state
    shared_covered: int = 0
    shared_values: int = 0
    shared_values_covered: int = 0
    pairs: int = 0
    redundant_pairs: int = 0
    sentences: int = 0
    words: int = 0
    seconds: float = 0.0
    fell_back: bool = False
    unsupported_examples: list[str] = field(default_factory=list)


def _sentence_facts(
    sentence: Sentence, coverage: Coverage, keys: dict[str, frozenset[str]], score: StoryScore
) -> set[str]:
    """Count the sentence's facts and those its cited articles lack; its fact keys."""
    cited = [coverage.article(i) for i in sentence.sources if i in keys]
    stated: set[str] = set()
    base = cited[0] if cited else None
    facts = facts_of(sentence.text, lang=base.lang if base else None, published=_when(base))
    for fact in facts:
        score.facts += 1
        stated.add(fact.key)
        if not any(_resolved(fact, sentence, a) in keys[a.id] for a in cited):
            score.unsupported += 1
            if len(score.unsupported_examples) < 3:
                score.unsupported_examples.append(f"{fact.kind} {fact.text!r} in {sentence.text!r}")
        if not any(_lenient(fact, sentence, a) for a in cited):
            score.unsupported_lenient += 1
    return stated


def _when(article: SourceArticle | None) -> Any:
    return article.published if article is not None else None


def _resolved(fact: Fact, sentence: Sentence, article: SourceArticle) -> str:
    """The fact's key with relative dates resolved against the cited article's time."""
    if fact.kind != "date":
        return fact.key
    again = facts_of(sentence.text, lang=article.lang, published=article.published)
    return next((f.key for f in again if f.start == fact.start and f.kind == "date"), fact.key)


def _lenient(fact: Fact, sentence: Sentence, article: SourceArticle) -> bool:
    facts = source_facts(_source_text(article), lang=article.lang, published=article.published)
    if fact.kind == "date":
        fact = Fact("date", _resolved(fact, sentence, article), fact.text, fact.start, fact.end)
    return facts.supports(fact)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _redundancy(sentences: Sequence[Sentence], score: StoryScore) -> None:
    words = [_content_words(s.text) for s in sentences]
    for a, b in combinations(words, 2):
        score.pairs += 1
        union = a | b
        if union and len(a & b) / len(union) >= REDUNDANT:
            score.redundant_pairs += 1


def _shared_keys(facts: dict[str, tuple[Fact, ...]], outlets: dict[str, str]) -> dict[str, str]:
    """Fact keys stated by two or more outlets (an outlet's own translations of one report
    count once), with their kind."""
    stating: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for article_id, stated in facts.items():
        for fact in stated:
            kinds[fact.key] = fact.kind
            stating.setdefault(fact.key, set()).add(entity_key(outlets[article_id]))
    return {key: kinds[key] for key, who in stating.items() if len(who) >= 2}


def score_story(story: Story, coverage: Coverage) -> StoryScore:
    """The story measured against the articles of its event."""
    facts = {a.id: _facts(a) for a in coverage.articles}
    keys = {a.id: _supported_keys(a, facts[a.id]) for a in coverage.articles}
    score = StoryScore()
    stated: set[str] = set()
    for sentence in (story.headline, *story.sentences()):
        stated |= _sentence_facts(sentence, coverage, keys, score)
    body = list(story.sentences())
    _redundancy(body, score)
    score.sentences = len(body)
    score.words = sum(len(s.text.split()) for s in body)
    shared = _shared_keys(facts, {a.id: a.outlet for a in coverage.articles})
    score.shared = len(shared)
    score.shared_covered = len(stated & set(shared))
    values = {k for k, kind in shared.items() if kind in VALUE_KINDS}
    score.shared_values = len(values)
    score.shared_values_covered = len(stated & values)
    score.fell_back = bool(story.check and story.check.fell_back)
    return score


# -- running --------------------------------------------------------------------------------


@dataclass
class WriterResult:
    writer: str
    dataset: str
    stories: int = 0
    failed: int = 0
    unsupported: float = 0.0
    unsupported_lenient: float = 0.0
    shared_covered: float = 0.0
    shared_values_covered: float = 0.0
    redundant: float = 0.0
    sentences: float = 0.0
    words: float = 0.0
    seconds: float = 0.0
    fell_back: float = 0.0
    examples: list[str] = field(default_factory=list)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summarise(writer: str, dataset: str, scores: Sequence[StoryScore], failed: int) -> WriterResult:
    """Scores pooled over the stories (facts and pairs summed; lengths and times averaged)."""
    total = WriterResult(writer, dataset, stories=len(scores), failed=failed)
    if not scores:
        return total
    facts = sum(s.facts for s in scores)
    total.unsupported = _ratio(sum(s.unsupported for s in scores), facts)
    total.unsupported_lenient = _ratio(sum(s.unsupported_lenient for s in scores), facts)
    total.shared_covered = _ratio(
        sum(s.shared_covered for s in scores), sum(s.shared for s in scores)
    )
    total.shared_values_covered = _ratio(
        sum(s.shared_values_covered for s in scores), sum(s.shared_values for s in scores)
    )
    total.redundant = _ratio(sum(s.redundant_pairs for s in scores), sum(s.pairs for s in scores))
    total.sentences = mean(s.sentences for s in scores)
    total.words = mean(s.words for s in scores)
    total.seconds = mean(s.seconds for s in scores)
    total.fell_back = _ratio(sum(s.fell_back for s in scores), len(scores))
    total.examples = [e for s in scores for e in s.unsupported_examples][:5]
    return total


def run_writer(
    name: str, writer: Writer, events: Sequence[BenchEvent], embedder: Embedder
) -> list[WriterResult]:
    """Write every event's story with `writer` and score it; per dataset and over all."""
    fallback = ExtractiveWriter(embedder, languages=EDITIONS)
    scored: dict[str, list[StoryScore]] = {}
    failed: dict[str, int] = {}
    for event in events:
        started = time.perf_counter()
        try:
            story = write_checked(writer, event.coverage, fallback=fallback)
        except Exception as exc:  # a failed story is counted, and the others go on
            logging.warning("event %s: %s", event.coverage.event_id, exc)
            failed[event.dataset] = failed.get(event.dataset, 0) + 1
            continue
        seconds = time.perf_counter() - started
        score = score_story(story, event.coverage)
        score.seconds = seconds
        scored.setdefault(event.dataset, []).append(score)
    results = [summarise(name, d, scored.get(d, []), failed.get(d, 0)) for d in DATASETS]
    everything = [s for d in DATASETS for s in scored.get(d, [])]
    results.append(summarise(name, "all", everything, sum(failed.values())))
    return results


def _writers(args: argparse.Namespace, embedder: Embedder) -> Iterable[tuple[str, Writer]]:
    names = [args.writer] if args.writer else ["extractive", "chat"]
    for name in names:
        if name == "chat" and not args.chat_url:
            if args.writer:
                raise SystemExit("the chat writer needs --chat-url")
            continue
        overrides = {"writer": name, "chat_base_url": args.chat_url, "chat_model": args.chat_model}
        yield name, make_writer(load_settings(overrides, env={}), embedder)


def _table(results: Sequence[WriterResult]) -> str:
    head = (
        f"{'writer':<11} {'dataset':<9} {'stories':>7} {'failed':>6} {'unsupp':>7} "
        f"{'lenient':>7} {'shared':>6} {'values':>6} {'redund':>6} {'sents':>5} "
        f"{'words':>6} {'s/story':>7} {'fellback':>8}"
    )
    lines = [head]
    for r in results:
        lines.append(
            f"{r.writer:<11} {r.dataset:<9} {r.stories:>7} {r.failed:>6} {r.unsupported:>7.3f} "
            f"{r.unsupported_lenient:>7.3f} {r.shared_covered:>6.3f} "
            f"{r.shared_values_covered:>6.3f} {r.redundant:>6.3f} {r.sentences:>5.1f} "
            f"{r.words:>6.0f} {r.seconds:>7.2f} {r.fell_back:>8.2f}"
        )
    return "\n".join(lines)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--limit", type=int, default=None, help="first N events per dataset")
    parser.add_argument("--writer", choices=("extractive", "chat"), default=None)
    parser.add_argument("--embedder", choices=("e5", "hashing"), default="e5")
    parser.add_argument("--chat-url", default="", help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--chat-model", default="", help="model name sent to the chat server")
    parser.add_argument("--json", type=Path, default=RESULTS, help="write the results here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    events = load_events(args.shared, args.limit)
    embedder = cached("e5") if args.embedder == "e5" else make_embedder("hashing")
    results: list[WriterResult] = []
    for name, writer in _writers(args, embedder):
        results += run_writer(name, writer, events, embedder)
    print(_table(results))
    for r in results:
        if r.dataset == "all":
            for example in r.examples:
                print(f"  {r.writer} unsupported: {example}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "embedder": args.embedder,
        "limit": args.limit,
        "results": [asdict(r) for r in results],
    }
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
