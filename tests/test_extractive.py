"""The extractive writer on a fictional event: structure, citations, attribution, headline.

Every place, person and outlet here is invented. The hashing embedder stands in for the
multilingual model (it is deterministic and fast); the seed story test runs the real one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import combinations

import pytest

from tidings import extractive
from tidings.corroboration import Corroboration, Stated, coverage_order
from tidings.embedding import HashingEmbedder
from tidings.errors import WriteError
from tidings.excerpts import attribute, has_attribution, leans_back, places_days
from tidings.extractive import ExtractiveWriter
from tidings.facts import Fact, FactKind, facts_of
from tidings.headlines import clean_headline, lead_headline
from tidings.layout import Item, lay_out
from tidings.settings import Settings
from tidings.stories import Coverage, Sentence, SourceArticle, Story, make_writer

KESTREL = SourceArticle(
    id="k1",
    outlet="Kestrel Daily",
    lang="en",
    published=datetime(2031, 3, 12, 8, 0, tzinfo=UTC),
    title="Storm shuts Vellmar Bridge for two weeks - Kestrel Daily",
    text=(
        "By Mara Holt\n"
        "VELLMAR, March 12 - The Vellmar Bridge will stay closed for 14 days after the storm "
        "on Monday cracked two of its support cables, the town council said.\n"
        "Engineer Tomas Greve told the council that both cables must be replaced before any "
        "traffic returns. The bridge normally carries about 3,200 vehicles a day between "
        "Vellmar and the island of Osk.\n"
        "Photo: Kestrel Daily/J. Berg\n"
        "The council has set aside $4.5 million for the repairs, the largest emergency outlay "
        "in its history.\n"
        "Read more: Storm batters the west coast\n"
        "Mayor Ilse Marrow said the closure would hurt shops on both sides of the strait. "
        "However, the ferry between the two harbours will be free for residents until the "
        "bridge reopens.\n"
        "Were you affected by the closure of the bridge this week?\n"
    ),
)
HARBOUR = SourceArticle(
    id="h1",
    outlet="Harbour Times",
    lang="en",
    published=datetime(2031, 3, 12, 10, 30, tzinfo=UTC),
    title="BREAKING: VELLMAR BRIDGE CLOSED for two weeks after storm! | Harbour Times",
    text=(
        "The Vellmar Bridge, which carries about 3,200 vehicles a day, has been closed for "
        "14 days after a storm damaged two of its support cables.\n"
        "Town engineer Tomas Greve said the damaged cables would be replaced by a crew from "
        "the mainland.\n"
        "The bridge was opened in 1987 and was last repaired in 2019 after a ship struck one "
        "of its piers.\n"
        "Read more: New ferry timetable\n"
        "He added that the ferries would run every 20 minutes during the day.\n"
        "Officials expect the bridge to reopen on March 26, once the new cables have been "
        "tested under load.\n"
    ),
)
BAY = SourceArticle(  # a wire copy of the Harbour Times report
    id="b1",
    outlet="Bay Courier",
    lang="en",
    published=datetime(2031, 3, 12, 11, 0, tzinfo=UTC),
    title="Vellmar Bridge closed for two weeks after storm - Bay Courier",
    text=HARBOUR.text,
    duplicate_of="h1",
)
FJORD = SourceArticle(
    id="f1",
    outlet="Fjordposten",
    lang="nb",
    published=datetime(2031, 3, 12, 9, 0, tzinfo=UTC),
    title="Vellmar-brua stengt i 14 dager etter uværet",
    text=(
        "Vellmar-brua blir stengt i 14 dager etter at uværet mandag skadet to av "
        "bærekablene, opplyser kommunen.\n"
        "Brua har normalt rundt 3200 kjøretøy i døgnet mellom Vellmar og øya Osk.\n"
        "Ordfører Ilse Marrow sier stengingen rammer butikkene på begge sider av sundet.\n"
    ),
)
VELLMAR = Coverage(event_id="vellmar", articles=(KESTREL, HARBOUR, BAY, FJORD))

_WORD = re.compile(r"[^\W\d_]{4,}")


@pytest.fixture(scope="module")
def story() -> Story:
    return ExtractiveWriter(HashingEmbedder()).write(VELLMAR)


def _sentences_with(story: Story, needle: str) -> list[Sentence]:
    return [s for s in story.sentences() if needle in s.text]


def _same_start(span_text: str, sentence: str) -> bool:
    """Whether the cited text is in the sentence, its first letter's case aside."""
    folded = span_text[:1].upper() + span_text[1:]
    body = folded[:-1] if folded.endswith(".") else folded
    return folded in sentence or body in sentence


def test_story_has_a_standfirst_and_paragraphs_of_news(story: Story) -> None:
    assert 2 <= len(story.standfirst) <= 3
    assert 1 <= len(story.paragraphs) <= 6
    assert story.lang == "en"
    assert story.writer == "extractive"
    assert not story.generative
    assert story.model is None
    assert story.label == "Compiled automatically from 4 sources"
    assert set(story.outlets) == {"Kestrel Daily", "Harbour Times", "Bay Courier", "Fjordposten"}
    assert set(story.langs) == {"en", "nb"}
    assert story.first_published == KESTREL.published
    assert story.last_published == BAY.published


def test_every_citation_points_at_the_text_it_supports(story: Story) -> None:
    for sentence in [story.headline, *story.sentences()]:
        assert sentence.citations
    for sentence in story.sentences():
        own, *others = sentence.citations
        text = VELLMAR.article(own.article_id).text
        assert own.start is not None
        assert own.end is not None
        assert _same_start(text[own.start : own.end], sentence.text), sentence.text
        for other in others:
            assert other.article_id != own.article_id
            source = VELLMAR.article(other.article_id).text
            assert other.start is not None
            assert other.end is not None
            assert 0 <= other.start < other.end <= len(source)


def test_sources_are_originals_in_the_story_language(story: Story) -> None:
    for sentence in story.sentences():
        assert VELLMAR.article(sentence.citations[0].article_id).lang == "en"
        assert "b1" not in sentence.sources  # the wire copy counts as an outlet, not a source


def test_no_near_duplicate_sentences(story: Story) -> None:
    words = [frozenset(_WORD.findall(s.text.casefold())) for s in story.sentences()]
    for first, second in combinations(words, 2):
        assert len(first & second) / len(first | second) < 0.5


def test_a_claim_of_one_outlet_is_attributed_to_it(story: Story) -> None:
    (money,) = _sentences_with(story, "$4.5 million")
    assert money.sources == ("k1",)
    assert money.text.endswith(", according to Kestrel Daily.")
    for sentence in story.sentences():
        outlets = {VELLMAR.article(a).outlet for a in sentence.sources}
        if len(outlets) == 1:
            assert has_attribution(sentence.text, outlets.pop()), sentence.text


def test_a_fact_several_outlets_report_cites_each_of_them(story: Story) -> None:
    cited = [s for s in _sentences_with(story, "3,200") if len(s.sources) >= 2]
    assert cited, [s.text for s in story.sentences()]
    assert {"k1", "h1"} <= set(cited[0].sources)


def test_junk_and_dangling_sentences_are_left_out(story: Story) -> None:
    text = " ".join(s.text for s in story.sentences())
    for junk in ("He added", "By Mara Holt", "Photo:", "Read more", "affected", "VELLMAR,"):
        assert junk not in text


def test_an_opening_connective_stays_only_after_its_own_sentence(story: Story) -> None:
    (ferry,) = _sentences_with(story, "ferry between the two harbours")
    sentences = list(story.sentences())
    before = sentences[sentences.index(ferry) - 1]
    if ferry.text.startswith("However"):
        assert before.text.startswith("Mayor Ilse Marrow said the closure")
    else:
        assert ferry.text.startswith("The ferry")
        assert ferry.citations[0].start == KESTREL.text.index("the ferry between")


def test_the_dateline_is_outside_the_cited_span(story: Story) -> None:
    spans = [
        KESTREL.text[c.start or 0 : c.end]
        for s in story.sentences()
        for c in s.citations
        if c.article_id == "k1"
    ]
    opening = [span for span in spans if "will stay closed for 14 days" in span]
    assert opening
    assert opening[0].startswith("The Vellmar Bridge")


def test_the_headline_is_a_cleaned_source_headline(story: Story) -> None:
    titles = {a.title for a in VELLMAR.articles}
    assert story.headline.text not in titles
    for mark in ("Kestrel Daily", "Harbour Times", "Bay Courier", "BREAKING", "!", " | ", " - "):
        assert mark not in story.headline.text
    assert story.headline.sources[0] in {"k1", "h1", "b1"}
    assert "bridge" in story.headline.text.lower()


def test_the_story_is_the_same_every_time() -> None:
    first = ExtractiveWriter(HashingEmbedder()).write(VELLMAR)
    second = ExtractiveWriter(HashingEmbedder()).write(VELLMAR)
    assert first.model_dump() == second.model_dump()


def test_a_story_is_written_in_the_language_of_most_originals() -> None:
    second = SourceArticle(
        id="f2",
        outlet="Sundavisa",
        lang="nb",
        published=datetime(2031, 3, 12, 12, 0, tzinfo=UTC),
        title="Ferja blir gratis mens Vellmar-brua er stengt",
        text=(
            "Kommunen har satt av 4,5 millioner dollar til reparasjonen av Vellmar-brua.\n"
            "Ferja mellom de to havnene blir gratis for innbyggerne til brua åpner igjen.\n"
        ),
    )
    coverage = Coverage(event_id="vellmar-nb", articles=(FJORD, second, KESTREL))
    story = ExtractiveWriter(HashingEmbedder()).write(coverage)
    assert story.lang == "nb"
    for sentence in story.sentences():
        assert coverage.article(sentence.citations[0].article_id).lang == "nb"
    attributed = [s.text for s in story.sentences() if "ifølge" in s.text]
    assert attributed, [s.text for s in story.sentences()]


def test_coverage_without_usable_text_is_a_clear_error() -> None:
    junk = SourceArticle(
        id="j1", outlet="Kestrel Daily", title="Gallery", text="Photo: J. Berg\nRead more: Storms"
    )
    with pytest.raises(WriteError, match="usable sentences"):
        ExtractiveWriter(HashingEmbedder()).write(Coverage(event_id="empty", articles=(junk,)))


def test_the_writer_is_registered_as_extractive(settings: Settings) -> None:
    writer = make_writer(settings, HashingEmbedder())
    assert isinstance(writer, ExtractiveWriter)
    assert (writer.name, writer.generative, writer.model) == ("extractive", False, None)


def test_disagreements_of_the_check_stand_in_the_body() -> None:
    checking = pytest.importorskip("tidings.checking")
    other = HARBOUR.model_copy(
        update={"text": HARBOUR.text.replace("3,200 vehicles", "4,100 vehicles")}
    )
    coverage = Coverage(event_id="differ", articles=(KESTREL, other, FJORD))
    expected = [
        checking.disagreement_sentence(d, "en").text for d in checking.find_disagreements(coverage)
    ]
    story = ExtractiveWriter(HashingEmbedder()).write(coverage)
    body = [s.text for p in story.paragraphs for s in p.sentences]
    assert all(text in body for text in expected)


def _late_report(number: int, outlet: str, chores: tuple[str, ...], late: str) -> SourceArticle:
    """A report of the Brenmoor lock's closure whose opening is long on colour and short on
    facts, with the fact the outlets share in its last sentence."""
    opening = "The Brenmoor lock closed to barges after a gate jammed in the cold."
    return SourceArticle(
        id=f"late{number}",
        outlet=outlet,
        lang="en",
        published=datetime(2031, 11, 4, 9 + number, 0, tzinfo=UTC),
        title="Brenmoor lock closes after gate jams",
        text="\n".join((opening, *chores, late)),
    )


_CHORES = (
    "Bargemen waited along the towpath with flasks of coffee and little to do.",
    "Gulls circled above the stalled boats as the light faded early.",
    "A dog barked at the gate keepers from the deck of a moored barge.",
    "Frost covered the railings of the footbridge over the upper basin.",
    "Children watched from the embankment as divers went down in the murky water.",
    "Cargo of timber and grain sat under tarpaulins on the waiting boats.",
    "The keepers worked through the night with lamps and heavy tools.",
    "Smoke rose from the chimneys of the cottages beside the lock.",
    "A small crowd gathered at the canal side cafe to hear the latest news.",
    "Some skippers tied up their boats and walked into town for supplies.",
    "Ice formed in thin sheets along the edges of the lower basin.",
    "The water level in the upper reach rose slowly during the evening.",
    "Local anglers complained that the boats had scared away the fish.",
    "Rain turned to sleet in the late afternoon as the wind picked up.",
)
LATE = (
    _late_report(
        1,
        "Canal Herald",
        _CHORES,
        "Engineer Halvard Quist, who rebuilt the Tornby weir, will lead the repairs.",
    ),
    _late_report(
        2,
        "Lowland Post",
        tuple(reversed(_CHORES)),
        "The repairs will be led by Halvard Quist, the engineer who rebuilt the Tornby weir.",
    ),
    _late_report(
        3,
        "Barge Weekly",
        _CHORES[7:] + _CHORES[:7],
        "Halvard Quist, known for rebuilding the Tornby weir, was named to lead the repairs.",
    ),
)


def test_a_fact_several_outlets_share_is_stated_even_late_in_their_reports() -> None:
    coverage = Coverage(event_id="brenmoor", articles=LATE)
    story = ExtractiveWriter(HashingEmbedder()).write(coverage)
    stating = [s for s in story.sentences() if "Halvard Quist" in s.text]
    assert stating, [s.text for s in story.sentences()]
    for sentence in story.sentences():
        own = sentence.citations[0]
        text = coverage.article(own.article_id).text
        assert _same_start(text[own.start or 0 : own.end], sentence.text), sentence.text


def test_past_its_fewest_sentences_a_story_takes_only_those_adding_shared_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extractive, "STORY_SENTENCES", (2, extractive.STORY_SENTENCES[1]))
    story = ExtractiveWriter(HashingEmbedder()).write(Coverage(event_id="brenmoor", articles=LATE))
    texts = [s.text for s in story.sentences()]
    assert 2 <= len(texts) <= 4, texts  # the colour of each report is not shared
    assert any("Halvard Quist" in t for t in texts)
    assert 1 <= len(story.paragraphs) <= 6


def test_widely_reported_facts_come_first_and_a_longer_name_states_a_shorter() -> None:
    def fact(key: str, kind: FactKind = "name") -> Fact:
        return Fact(kind, key, key.title())

    sentences = [
        {fact("quist"): 1.0},
        {fact("halvard quist"): 1.0, fact("40", "number"): 2.0},
        {},
        {fact("40", "number"): 2.0, fact("tornby"): 1.0},
    ]
    assert coverage_order(sentences) == [1, 3]  # "Quist" was stated within "Halvard Quist"
    stated = Stated()
    stated.add([fact("halvard quist"), fact("40", "number")])
    assert stated.has(fact("quist"))
    assert not stated.has(fact("tornby"))
    assert not stated.has(fact("quist", "quote"))


def test_facts_are_weighed_by_the_reports_that_state_them() -> None:
    reports = Corroboration.of((*LATE[:2], KESTREL), {a.id: "en" for a in (*LATE, KESTREL)})
    quist = facts_of("Halvard Quist will lead the repairs.", lang="en")[0]
    vellmar = facts_of("The Vellmar Bridge is shut.", lang="en")[0]
    assert reports.reporting(quist) == 2
    assert reports.weight(quist) == 1.0
    assert reports.weight(vellmar) == 0.0  # one report alone: not shared
    assert reports.shared([quist, vellmar]) == {quist: 1.0}


# -- the parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "outlets", "expected"),
    [
        ("Storm shuts bridge - Reuters", ("Reuters",), "Storm shuts bridge"),
        ("Storm shuts bridge | BBC News", ("BBC",), "Storm shuts bridge"),
        ("Storm shuts bridge — Yonhap", ("Yonhap News Agency",), "Storm shuts bridge"),
        ("Storm shuts bridge: NPR", ("NPR",), "Storm shuts bridge"),
        ("Storm shuts bridge - Section - Kestrel Daily", ("Kestrel Daily",), "Storm shuts bridge"),
        (
            "Mayor: bridge will reopen in March",
            ("Kestrel Daily",),
            "Mayor: bridge will reopen in March",
        ),
        ("BREAKING: Storm shuts bridge", (), "Storm shuts bridge"),
        ("WATCH: Storm shuts bridge!", (), "Storm shuts bridge"),
        ("LIVE: Storm shuts bridge", (), "Storm shuts bridge"),
        ("EXCLUSIVE: Storm shuts bridge!!", (), "Storm shuts bridge"),
        ("STORM SHUTS VELLMAR BRIDGE", (), "Storm shuts Vellmar bridge"),
        ("US and EU agree on NATO plan", (), "US and EU agree on NATO plan"),
    ],
)
def test_headlines_lose_signatures_and_hype(
    title: str, outlets: tuple[str, ...], expected: str
) -> None:
    plain = frozenset({"storm", "shuts", "bridge"})
    assert clean_headline(title, outlets=outlets, plain=plain) == expected


def test_a_lead_sentence_gives_a_headline_without_its_tail() -> None:
    short = "The Vellmar Bridge was closed for 14 days."
    assert short[: lead_headline(short)] == "The Vellmar Bridge was closed for 14 days"
    long = (
        "The Vellmar Bridge was closed for fourteen days on Monday evening by the town council, "
        "after a storm that had raged along the coast for two days cracked its support cables."
    )
    assert long[: lead_headline(long)] == (
        "The Vellmar Bridge was closed for fourteen days on Monday evening by the town council"
    )


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The bridge was shut.", "en", "The bridge was shut, according to Kestrel Daily."),
        ("Brua ble stengt.", "nb", "Brua ble stengt, ifølge Kestrel Daily."),
        (
            "Die Brücke wurde gesperrt.",
            "de",
            "Die Brücke wurde gesperrt, wie Kestrel Daily berichtet.",
        ),
        ("El puente fue cerrado.", "es", "El puente fue cerrado, según Kestrel Daily."),
        ("Le pont a été fermé.", "fr", "Le pont a été fermé, selon Kestrel Daily."),
        ("The bridge was shut.", "ko", "The bridge was shut, according to Kestrel Daily."),
        ("The bridge is shut!", "en", "According to Kestrel Daily, the bridge is shut!"),
        ("Il ponte è stato chiuso.", "it", "Il ponte è stato chiuso, secondo Kestrel Daily."),
        ("Il ponte è chiuso!", "it", "Secondo Kestrel Daily, il ponte è chiuso!"),
        ("De brug is dicht!", "nl", "Volgens Kestrel Daily: De brug is dicht!"),
        ("Bron er lukket!", "da", "Ifølge Kestrel Daily: Bron er lukket!"),
        ("다리가 폐쇄됐다!", "ko", "According to Kestrel Daily: 다리가 폐쇄됐다!"),
    ],
)
def test_attribution_in_the_story_language(text: str, lang: str, expected: str) -> None:
    assert attribute(text, "Kestrel Daily", lang) == expected


def test_sentences_that_lean_back_or_name_days_are_recognised() -> None:
    assert leans_back("He added that ferries would run.", "en")
    assert leans_back("Those remarks surprised the council.", "en")
    assert not leans_back("Heavy rain fell on Monday.", "en")
    assert leans_back("I still don't know who to vote for, '' said Maral, 45.", "en")
    assert leans_back("We will rebuild it\u201d, the mayor said.", "en")
    assert not leans_back('The mayor said "we will rebuild it" on Monday.', "en")
    assert not leans_back("The mayor said ``we will rebuild it'' on Monday.", "en")
    wednesday = datetime(2031, 3, 12, tzinfo=UTC)
    assert places_days(("monday",), wednesday, datetime(2031, 3, 14, tzinfo=UTC))
    assert not places_days(("monday",), wednesday, datetime(2031, 3, 18, tzinfo=UTC))
    assert not places_days(("yesterday",), wednesday, datetime(2031, 3, 13, tzinfo=UTC))
    assert not places_days(("monday",), None, wednesday)


def _item(key: int, index: int, text: str, *, central: float = 0.5, leans: bool = False) -> Item:
    return Item(key, "a", index, index, text, central, numbers="3" in text, leans=leans)


def test_the_layout_keeps_a_leaning_sentence_right_after_its_own() -> None:
    items = [
        _item(0, 0, "The bridge closed after the storm.", central=1.0),
        _item(1, 1, "The storm cracked two cables.", central=0.9),
        _item(2, 4, "Mayor Ilse Marrow said shops would suffer.", central=0.4),
        _item(3, 5, "She added that ferries would be free.", leans=True),
        _item(4, 8, "He said the crew would start on Friday.", leans=True),
        _item(5, 6, "Repairs will cost 3 million crowns next year.", central=0.2),
    ]
    opening, paragraphs = lay_out(items, "en")
    assert [i.key for i in opening] == [0, 1]
    order = [i.key for _kind, p in paragraphs for i in p]
    assert order.index(3) == order.index(2) + 1
    assert 4 not in order  # its own sentence is not in the story
    assert [kind for kind, _p in paragraphs][-1] == "next"


def test_the_layout_keeps_to_the_paragraphs_it_is_given() -> None:
    kinds = [
        "The gate jammed in the cold.",
        "Mayor Ilse Marrow said shops would suffer.",
        "The lock had been repaired in the past.",
        "Repairs will start next week.",
        "Crews counted 3 broken hinges.",
    ]
    items = [
        _item(n, n, kinds[n % len(kinds)] + f" Note {n}.", central=1 - n / 30) for n in range(20)
    ]
    opening, paragraphs = lay_out(items, "en", paragraphs=4)
    assert len(opening) == 3
    assert len(paragraphs) <= 4
    sizes = [len(p) for _kind, p in paragraphs]
    assert sum(sizes) == 17
    assert max(sizes) <= 6
    few = [_item(n, n, f"The gate jammed in the cold, note {n}.") for n in range(7)]
    opening, paragraphs = lay_out(few, "en")
    assert (len(opening), len(paragraphs)) == (2, 3)  # five sentences of details: 2, 2 and 1


def test_a_story_is_written_in_the_language_most_reports_use_and_a_tie_goes_to_the_editions() -> (
    None
):
    """An original and its longer translation tie: the site's first edition language wins
    over the longer text; a language more reports are written in wins over both."""
    english = SourceArticle(
        id="en", outlet="Ledger", title="Dam shut", text="The dam shut.", lang="en"
    )
    italian = SourceArticle(
        id="it", outlet="Gazzetta", title="Diga chiusa", text="La diga è chiusa da ieri.", lang="it"
    )
    second = SourceArticle(
        id="it2", outlet="Corriere", title="Diga", text="Chiusa la diga.", lang="it"
    )
    assert extractive.story_language([english, italian]) == ["it", "en"]
    assert extractive.story_language([english, italian], ("nb", "en")) == ["en", "it"]
    assert extractive.story_language([english, italian, second], ("en",)) == ["it", "en"]
    writer = make_writer(Settings(editions=("en", "it")), HashingEmbedder())
    assert isinstance(writer, ExtractiveWriter)
    assert writer.languages == ("en", "it")
