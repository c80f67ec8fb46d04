"""The faithfulness check: planted errors are caught, true sentences survive, writers fall back,
and outlets that disagree are found.

The articles are fictional: two outlets report a trade pact between two made-up countries.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.checking import (
    MIN_SENTENCES,
    StoryRejectedError,
    check_story,
    disagreement_sentence,
    find_disagreements,
    write_checked,
)
from tidings.errors import ChatError
from tidings.sentences import split_sentences
from tidings.stories import (
    Citation,
    Coverage,
    Disagreement,
    Paragraph,
    Report,
    Sentence,
    SourceArticle,
    Story,
)

FRIDAY = datetime(2026, 1, 30, 9, 0, tzinfo=UTC)

LEDGER = SourceArticle(
    id="ledger-1",
    outlet="Harbour Ledger",
    title="Veloria and Tarsand sign trade pact - Harbour Ledger",
    text=(
        "Veloria pledged $350 billion in Tarsand investments under a trade pact signed in "
        "Port Amsel on Thursday. Trade Minister Ilse Marrow-Dahl met Tarsand's commerce chief "
        "Oren Vasquez for three hours before the signing. Tariffs on Velorian cars will fall "
        "from 25% to 15 per cent, the trade ministry said. Marrow-Dahl told reporters: "
        "\u201cThis deal opens a new chapter for both our nations.\u201d The agreement still "
        "needs the approval of the Velorian parliament, which meets again in March."
    ),
    lang="en",
    published=FRIDAY,
)
WIRE = SourceArticle(
    id="wire-7",
    outlet="Northgate Wire",
    title="Veloria promises billions to Tarsand in tariff deal",
    text=(
        "Veloria has promised roughly $400 billion of investment in Tarsand, officials said "
        "on Thursday. The pact cuts tariffs on cars to 15 percent from 25 percent. Vasquez "
        "called the agreement \u201ca fair bargain\u201d after the talks in Port Amsel. "
        "Lawmakers in Veloria are expected to vote on the pact next month."
    ),
    lang="en",
    published=FRIDAY,
)
COURIER = SourceArticle(
    id="courier-3",
    outlet="Coastline Courier",
    title="Tarsand welcomes Velorian money",
    text=(
        "The package is worth US$350bn in investment in Tarsand, the ministry said on "
        "Thursday. Tarsand also expects 12,000 new jobs at its ports by 2030."
    ),
    lang="en",
    published=FRIDAY,
)
STADIUM = SourceArticle(
    id="gazette-9",
    outlet="Amsel Gazette",
    title="Port Amsel opens a new stadium",
    text=(
        "Port Amsel opened a $120 million stadium on Thursday. The arena seats 18,000 fans "
        "and its roof took 200 workers two years to build."
    ),
    lang="en",
    published=FRIDAY,
)
EVENT = Coverage(event_id="e1", articles=(LEDGER, WIRE))


def _cite(article: SourceArticle, text: str | None = None, *, sentence: int = 0) -> Sentence:
    """The `sentence`-th sentence of the article (or `text`), cited at its place."""
    start, end = split_sentences(article.text, article.lang)[sentence]
    if text is None:
        return Sentence(
            text=article.text[start:end],
            citations=(Citation(article_id=article.id, start=start, end=end),),
        )
    return Sentence(text=text, citations=(Citation(article_id=article.id),))


def _story(
    standfirst: Iterable[Sentence], *body: Iterable[Sentence], headline: Sentence | None = None
) -> Story:
    first = list(standfirst)
    return Story(
        event_id="e1",
        lang="en",
        headline=headline
        or Sentence(text=LEDGER.title.split(" - ")[0], citations=(Citation(article_id=LEDGER.id),)),
        standfirst=tuple(first),
        paragraphs=tuple(Paragraph(sentences=tuple(p)) for p in body),
        outlets=("Harbour Ledger", "Northgate Wire"),
        langs=("en",),
        writer="test",
    )


def _texts(story: Story) -> list[str]:
    return [s.text for s in story.sentences()]


# -- true sentences survive ---------------------------------------------------------------------


def test_supported_sentences_survive_untouched() -> None:
    story = _story(
        [_cite(LEDGER, sentence=0)],
        [_cite(LEDGER, sentence=1), _cite(LEDGER, sentence=2), _cite(WIRE, sentence=2)],
        [_cite(LEDGER, sentence=3), _cite(WIRE, sentence=1)],
    )
    checked = check_story(story, EVENT)
    assert checked.check is not None
    assert checked.check.passed
    assert checked.check.facts_checked >= 12
    assert list(checked.sentences()) == list(story.sentences())
    assert checked.headline == story.headline


def test_paraphrases_with_the_same_facts_pass() -> None:
    story = _story(
        [_cite(LEDGER, "Veloria promised US$350bn of investment in Tarsand on Jan 29.")],
        [
            _cite(LEDGER, "Haggling was absent when Marrow-Dahl met Vasquez and Lutnick."),
            _cite(WIRE, "Tariffs on cars fall from 25 per cent to 15%."),
            _cite(LEDGER, "Marrow-Dahl said the deal \u00abopens a new chapter\u00bb."),
        ],
    )
    checked = check_story(story, EVENT)
    assert checked.check is not None
    failures = [(f.fact, f.kind) for f in checked.check.failures]
    assert failures == [("Lutnick", "name")]


# -- planted errors are caught ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planted", "fact", "kind"),
    [
        (
            "Veloria pledged $500 billion in Tarsand investments under a trade pact signed in "
            "Port Amsel on Thursday.",
            "$500 billion",
            "money",
        ),
        (
            "Trade Minister Ilse Marrow-Dahl met Tarsand's commerce chief Karl Brenner for "
            "three hours before the signing.",
            "Karl Brenner",
            "name",
        ),
        (
            "Marrow-Dahl told reporters: \u201cThis deal is the best in our history.\u201d",
            "This deal is the best in our history.",
            "quote",
        ),
        (
            "Veloria pledged $350 billion in Tarsand investments under a trade pact signed in "
            "Port Amsel on Wednesday.",
            "Wednesday",
            "date",
        ),
        (
            "Tariffs on Velorian cars will fall from 25% to 10 per cent, the trade ministry said.",
            "10 per cent",
            "percent",
        ),
    ],
)
def test_a_planted_error_is_rewritten_from_the_source(planted: str, fact: str, kind: str) -> None:
    true = [_cite(LEDGER, sentence=i) for i in range(5)]
    story = _story([true[4]], [_cite(LEDGER, planted), true[1]], [true[2]])
    checked = check_story(story, EVENT)
    assert checked.check is not None
    (failure,) = checked.check.failures
    assert (failure.sentence, failure.fact, failure.kind) == (planted, fact, kind)
    assert failure.action == "rewritten"
    assert planted not in _texts(checked)
    rewritten = checked.paragraphs[0].sentences[0]
    assert rewritten.text in LEDGER.text
    (citation,) = rewritten.citations
    assert citation.start is not None
    assert citation.end is not None
    assert LEDGER.text[citation.start : citation.end] == rewritten.text


def test_an_invented_sentence_with_nothing_like_it_is_dropped() -> None:
    invented = _cite(WIRE, "Zandor Airways ordered 40 aircraft from Skyforge for the route.")
    story = _story([_cite(WIRE, sentence=0)], [invented, _cite(WIRE, sentence=1)])
    checked = check_story(story, EVENT)
    assert checked.check is not None
    assert {(f.fact, f.action) for f in checked.check.failures} == {
        ("Zandor Airways", "dropped"),
        ("40", "dropped"),
        ("Skyforge", "dropped"),
    }
    assert invented.text not in _texts(checked)
    assert _texts(checked) == [WIRE.text.split(". ")[0] + ".", _cite(WIRE, sentence=1).text]


def test_a_sentence_citing_the_wrong_article_fails() -> None:
    ledger_sentence = _cite(LEDGER, sentence=1).text
    wrong = Sentence(text=ledger_sentence, citations=(Citation(article_id=WIRE.id),))
    story = _story([_cite(WIRE, sentence=0)], [wrong, _cite(WIRE, sentence=1)])
    checked = check_story(story, EVENT)
    assert checked.check is not None
    assert any(
        "Ilse Marrow" in f.fact and f.kind == "name" and f.action == "dropped"
        for f in checked.check.failures
    )
    assert ledger_sentence not in _texts(checked)


def test_a_sentence_citing_an_unknown_article_is_dropped() -> None:
    stray = Sentence(text="Veloria and Tarsand met.", citations=(Citation(article_id="nope"),))
    story = _story([_cite(WIRE, sentence=0)], [stray, _cite(WIRE, sentence=1)])
    assert stray.text not in _texts(check_story(story, EVENT))


def test_empty_paragraphs_are_removed_and_the_standfirst_refilled() -> None:
    story = _story(
        [_cite(LEDGER, "Zandor won 4,000 medals.")],
        [_cite(WIRE, "Oren Vasquez resigned on Monday.")],
        [_cite(LEDGER, sentence=1), _cite(LEDGER, sentence=2), _cite(LEDGER, sentence=3)],
    )
    checked = check_story(story, EVENT)
    assert [len(p.sentences) for p in checked.paragraphs] == [2]
    assert checked.standfirst == (_cite(LEDGER, sentence=1),)


def test_a_story_with_nothing_true_is_rejected() -> None:
    story = _story(
        [_cite(LEDGER, "Zandor won 4,000 medals.")], [_cite(WIRE, "Skyforge lost 900 ships.")]
    )
    with pytest.raises(StoryRejectedError):
        check_story(story, EVENT)


def test_a_failing_headline_gives_way_to_the_cited_source_headline() -> None:
    headline = _cite(LEDGER, "Veloria pledges $900 billion to Tarsand")
    story = _story([_cite(LEDGER, sentence=0)], [_cite(LEDGER, sentence=1)], headline=headline)
    checked = check_story(story, EVENT)
    assert checked.headline.text == "Veloria and Tarsand sign trade pact"
    assert checked.headline.sources == (LEDGER.id,)
    assert checked.check is not None
    assert [(f.fact, f.action) for f in checked.check.failures] == [("$900 billion", "rewritten")]


# -- writing with a fallback --------------------------------------------------------------------


class SourceWriter:
    """Writes a story of the sources' own sentences, each cited at its place."""

    name = "sources"
    generative = False
    model: str | None = None

    def write(self, coverage: Coverage) -> Story:
        sentences = [
            _cite(a, sentence=i)
            for a in coverage.originals
            for i in range(len(split_sentences(a.text, a.lang)))
        ]
        return _story(sentences[:1], sentences[1:4], sentences[4:]).model_copy(
            update={"writer": self.name}
        )


class InventingWriter(SourceWriter):
    """Writes the sources' sentences with other countries and larger sums of money."""

    name = "inventing"
    generative = True
    model = "tiny-inventor"

    def write(self, coverage: Coverage) -> Story:
        story = super().write(coverage)
        changed = [
            Sentence(text=_invent(s.text), citations=(Citation(article_id=s.sources[0]),))
            for s in story.sentences()
        ]
        made = _story(changed[:1], changed[1:3], changed[3:])
        return made.model_copy(update={"writer": self.name, "model": self.model})


def _invent(text: str) -> str:
    for true, false in (("Veloria", "Zandoria"), ("Tarsand", "Quorland"), ("$3", "$93")):
        text = text.replace(true, false)
    return text


class FailingWriter(SourceWriter):
    name = "failing"

    def write(self, coverage: Coverage) -> Story:
        raise ChatError("the chat server at 127.0.0.1:9 refused the connection")


class InvalidWriter(SourceWriter):
    name = "invalid"

    def write(self, coverage: Coverage) -> Story:
        return Story.model_validate({"event_id": coverage.event_id, "lang": "en"})


def test_a_writer_whose_story_passes_is_kept() -> None:
    story = write_checked(SourceWriter(), EVENT, fallback=FailingWriter())
    assert story.check is not None
    assert not story.check.fell_back
    assert story.check.passed
    assert story.writer == "sources"
    assert len(list(story.sentences())) == len(split_sentences(LEDGER.text)) + len(
        split_sentences(WIRE.text)
    )


def test_a_failing_writer_falls_back() -> None:
    story = write_checked(FailingWriter(), EVENT, fallback=SourceWriter())
    assert story.check is not None
    assert story.check.fell_back
    assert story.check.fallback_reason is not None
    assert "refused the connection" in story.check.fallback_reason
    assert story.writer == "sources"


def test_an_invalid_story_falls_back() -> None:
    story = write_checked(InvalidWriter(), EVENT, fallback=SourceWriter())
    assert story.check is not None
    assert story.check.fell_back
    assert story.check.fallback_reason == "the invalid writer's output was invalid"


def test_a_writer_whose_story_mostly_fails_falls_back_and_its_failures_are_kept() -> None:
    coverage = Coverage(event_id="e1", articles=(LEDGER, WIRE, COURIER))
    story = write_checked(InventingWriter(), coverage, fallback=SourceWriter())
    assert story.check is not None
    assert story.check.fell_back
    assert story.writer == "sources"
    assert not story.generative
    invented = {f.fact for f in story.check.failures}
    assert {"$9350 billion", "Zandoria", "Quorland"} <= invented
    assert story.check.fallback_reason is not None
    assert story.check.fallback_reason.endswith("sentences failed the check")
    assert all(f.sentence not in _texts(story) for f in story.check.failures)
    assert len(_texts(story)) >= MIN_SENTENCES


def test_too_few_surviving_sentences_fall_back() -> None:
    class ShortWriter(SourceWriter):
        name = "short"

        def write(self, coverage: Coverage) -> Story:
            return _story([_cite(LEDGER, sentence=0)], [_cite(LEDGER, sentence=1)])

    story = write_checked(ShortWriter(), EVENT, fallback=SourceWriter())
    assert story.check is not None
    assert story.check.fell_back
    assert story.check.fallback_reason == "only 2 sentence(s) survived the check"


# -- disagreements ------------------------------------------------------------------------------


def test_outlets_reporting_different_amounts_disagree() -> None:
    (found,) = find_disagreements(EVENT)
    assert found.subject == "investment"
    assert [(r.outlet, r.article_id, r.value) for r in found.reports] == [
        ("Harbour Ledger", LEDGER.id, "$350 billion"),
        ("Northgate Wire", WIRE.id, "roughly $400 billion"),
    ]


def test_the_disagreement_sentence_cites_each_value_and_passes_the_check() -> None:
    (found,) = find_disagreements(EVENT)
    sentence = disagreement_sentence(found, "en", coverage=EVENT)
    assert sentence.text == (
        "Reports differ on the investment: Harbour Ledger reports $350 billion, "
        "Northgate Wire roughly $400 billion."
    )
    spans = [(c.article_id, c.start, c.end) for c in sentence.citations]
    values = [EVENT.article(a).text[s:e] for a, s, e in spans if s is not None and e is not None]
    assert values == ["$350 billion", "roughly $400 billion"]
    story = _story([_cite(LEDGER, sentence=0)], [sentence, _cite(WIRE, sentence=1)])
    checked = check_story(story, EVENT)
    assert checked.check is not None
    assert checked.check.passed
    assert sentence in checked.paragraphs[0].sentences
    assert checked.check.disagreements == (found,)


@pytest.mark.parametrize(
    ("lang", "opening"),
    [
        ("nb", "Kildene oppgir ulike tall for investment:"),
        ("de", "Die Angaben zu investment gehen auseinander:"),
        ("es", "Las fuentes difieren sobre investment:"),
        ("fr", "Les sources divergent sur investment :"),
        ("ko", "Reports differ on the investment:"),
    ],
)
def test_disagreement_sentences_in_other_languages(lang: str, opening: str) -> None:
    reports = (
        Report(outlet="Harbour Ledger", article_id=LEDGER.id, value="$350 billion"),
        Report(outlet="Northgate Wire", article_id=WIRE.id, value="roughly $400 billion"),
        Report(outlet="Coastline Courier", article_id=COURIER.id, value="$410 billion"),
    )
    sentence = disagreement_sentence(Disagreement(subject="investment", reports=reports), lang)
    assert sentence.text.startswith(opening)
    assert all(r.outlet in sentence.text and r.value in sentence.text for r in reports)
    assert sentence.sources == (LEDGER.id, WIRE.id, COURIER.id)


def test_a_norwegian_disagreement_sentence_passes_the_check() -> None:
    (found,) = find_disagreements(EVENT)
    sentence = disagreement_sentence(found, "nb", coverage=EVENT)
    story = _story([_cite(LEDGER, sentence=0)], [sentence, _cite(WIRE, sentence=1)])
    checked = check_story(story.model_copy(update={"lang": "nb"}), EVENT)
    assert checked.check is not None
    assert checked.check.passed


def test_outlets_that_agree_do_not_disagree() -> None:
    assert find_disagreements(Coverage(event_id="e2", articles=(LEDGER, COURIER))) == ()


def test_unrelated_amounts_do_not_disagree() -> None:
    assert find_disagreements(Coverage(event_id="e3", articles=(COURIER, STADIUM))) == ()
    assert find_disagreements(Coverage(event_id="e4", articles=(LEDGER, STADIUM))) == ()


def test_a_total_and_its_part_are_not_a_disagreement() -> None:
    parts = SourceArticle(
        id="post-2",
        outlet="Tarsand Post",
        title="What the pact holds",
        text=(
            "Of the $350 billion in Tarsand investments, $150 billion in Tarsand investments "
            "goes to shipyards."
        ),
        lang="en",
    )
    only_total = LEDGER.model_copy(update={"text": LEDGER.text.split(". ")[0] + "."})
    assert find_disagreements(Coverage(event_id="e5", articles=(only_total, parts))) == ()


def test_a_value_reported_twice_is_one_report() -> None:
    twice = WIRE.model_copy(
        update={"text": WIRE.text + " The roughly $400 billion of investment is a record."}
    )
    (found,) = find_disagreements(Coverage(event_id="e6", articles=(LEDGER, twice)))
    assert len(found.reports) == 2


def test_copies_and_one_outlet_do_not_disagree_with_themselves() -> None:
    copy = WIRE.model_copy(update={"id": "wire-copy", "duplicate_of": WIRE.id})
    assert find_disagreements(Coverage(event_id="e7", articles=(WIRE, copy))) == ()
    same_outlet = WIRE.model_copy(update={"id": "ledger-2", "outlet": "Harbour Ledger"})
    assert find_disagreements(Coverage(event_id="e8", articles=(LEDGER, same_outlet))) == ()


# -- real reports -------------------------------------------------------------------------------


def _seed(shared: Path, number: str, outlet: str) -> SourceArticle:
    paths = sorted((shared / "seeds").glob(f"{number}_*.txt"))
    if not paths:
        pytest.skip(f"seed {number} is not in {shared / 'seeds'}")
    title, _, text = paths[0].read_text(encoding="utf-8").partition("\n")
    published = datetime(2026, 1, 29, 22, tzinfo=UTC)
    return SourceArticle(
        id=number, outlet=outlet, title=title, text=text, lang="en", published=published
    )


def _own_story(article: SourceArticle) -> Story:
    """A story made of every sentence of the article, each citing the article itself."""
    spans = split_sentences(article.text, article.lang)
    sentences = [
        Sentence(
            text=article.text[s:e], citations=(Citation(article_id=article.id, start=s, end=e),)
        )
        for s, e in spans
    ]
    headline = Sentence(
        text=article.title or sentences[0].text, citations=(Citation(article_id=article.id),)
    )
    return Story(
        event_id="own",
        lang=article.lang or "en",
        headline=headline,
        standfirst=tuple(sentences[:1]),
        paragraphs=(Paragraph(sentences=tuple(sentences[1:])),),
        outlets=(article.outlet,),
        langs=(article.lang or "en",),
        writer="own",
    )


def test_every_sentence_of_the_seed_reports_is_supported_by_its_own_report(shared: Path) -> None:
    for article in (_seed(shared, "002", "Outlet Two"), _seed(shared, "004", "Outlet Four")):
        story = _own_story(article)
        checked = check_story(story, Coverage(event_id="seed", articles=(article,)))
        assert checked.check is not None
        assert checked.check.failures == ()
        assert checked.check.facts_checked > 20
        assert list(checked.sentences()) == list(story.sentences())


def test_a_seed_sentence_citing_the_other_outlet_fails(shared: Path) -> None:
    two, four = _seed(shared, "002", "Outlet Two"), _seed(shared, "004", "Outlet Four")
    region = next(  # a sentence of one report that names a place the other does not
        two.text[s:e] for s, e in split_sentences(two.text) if "Asia" in two.text[s:e]
    )
    wrong = Sentence(text=region, citations=(Citation(article_id=four.id),))
    story = _own_story(four)
    story = story.model_copy(
        update={"paragraphs": (Paragraph(sentences=(wrong,)), *story.paragraphs)}
    )
    checked = check_story(story, Coverage(event_id="seed", articles=(two, four)))
    assert checked.check is not None
    assert [f.fact for f in checked.check.failures] == ["Asia"]
    assert region not in _texts(checked)


SAMPLED = 40


def test_true_sentences_of_benchmark_articles_are_rarely_rejected(shared: Path) -> None:
    path = shared / "bench" / "clustering" / "events.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = random.Random(7).sample(records, SAMPLED)
    checked_sentences = rejected = 0
    started = time.perf_counter()
    for row in rows:
        article = SourceArticle(
            id=row["id"],
            outlet=row.get("outlet") or "Outlet",
            title=row["title"],
            text=row["text"],
            lang=row["lang"],
        )
        if len(split_sentences(article.text)) < 2:
            continue
        checked = check_story(_own_story(article), Coverage(event_id="b", articles=(article,)))
        assert checked.check is not None
        checked_sentences += 1 + len(split_sentences(article.text))
        rejected += len({f.sentence for f in checked.check.failures})
    elapsed = time.perf_counter() - started
    assert checked_sentences > 300
    assert rejected / checked_sentences < 0.02, (rejected, checked_sentences)
    assert elapsed < 60


def _report(key: str, outlet: str, text: str) -> SourceArticle:
    return SourceArticle(id=key, outlet=outlet, title="Report", text=text, lang="en")


def test_numbers_that_are_not_the_events_key_quantities_do_not_disagree() -> None:
    """A player's season, a poll or a company's revenue differ between reports for reasons a
    word match cannot tell; only tolls, people affected, deal money and the like count."""
    season = _report("s1", "Fenwick Post", "Ardley hit 13 homers and 43 runs in 54 games.")
    career = _report("s2", "Dalby Sun", "Over his career Ardley hit 33 homers and 121 runs.")
    assert find_disagreements(Coverage(event_id="stats", articles=(season, career))) == ()
    toll = _report("t1", "Fenwick Post", "The blast at the Ardley mill killed 40 people.")
    lower = _report("t2", "Dalby Sun", "Some 30 people were killed in the mill blast.")
    (found,) = find_disagreements(Coverage(event_id="toll", articles=(toll, lower)))
    assert {r.value for r in found.reports} == {"40", "Some 30"}


def test_one_quantity_named_in_either_word_order_is_one_disagreement() -> None:
    reports = (
        _report("k1", "Fenwick Post", "The blast at the Ardley mill killed 40 people."),
        _report("k2", "Dalby Sun", "Some 30 people were killed in the mill blast."),
        _report("k3", "Orvani Gazette", "At the mill, 42 people killed by the blast were named."),
        _report("k4", "Isle Weekly", "At least 43 people killed at the mill were counted."),
    )
    found = find_disagreements(Coverage(event_id="mill", articles=reports))
    assert len(found) == 1
    assert len(found[0].reports) == 4
