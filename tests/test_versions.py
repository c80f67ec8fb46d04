"""What changed between two versions of a story."""

from __future__ import annotations

from tidings.stories import Citation, Paragraph, Sentence, Story
from tidings.versions import MAX_CHANGES, changes

# Fictional news: every place, person and outlet is invented.
OUTLETS = {
    "1": "Orvani Gazette",
    "2": "Valley Times",
    "3": "Northern Ledger",
    "4": "Valley Times",
    "5": "Brisk Herald",
    "6": "Isle Weekly",
    "7": "Sorlund Radio",
}


def _sentence(text: str, source: str = "1") -> Sentence:
    return Sentence(text=text, citations=(Citation(article_id=source),))


def _story(*texts: str) -> Story:
    """A story whose headline is the first text and whose body is the rest."""
    return Story(
        event_id="7",
        lang="en",
        headline=_sentence(texts[0]),
        standfirst=(_sentence(texts[1]),),
        paragraphs=(Paragraph(sentences=tuple(_sentence(t) for t in texts[2:] or texts[1:])),),
        outlets=("Orvani Gazette",),
        langs=("en",),
        writer="extractive",
    )


FIRST = _story(
    "Orvani dam spillway closed",
    "The Orvani water board will spend $350 billion on the repairs, director Petra Lindqvist "
    "said on Tuesday.",
    "About 1,200 people live in the valley below the dam.",
)


def test_the_first_version_says_so() -> None:
    assert changes(None, FIRST, [], ["1", "2"], OUTLETS) == ["first version"]


def test_new_outlets_are_named_once_each() -> None:
    found = changes(FIRST, FIRST, ["1", "2"], ["1", "2", "3", "5", "4"], OUTLETS)
    assert found == ["new outlets: Brisk Herald, Northern Ledger"]  # Valley Times is known


def test_a_new_report_from_a_known_outlet_is_counted() -> None:
    assert changes(FIRST, FIRST, ["1", "2"], ["1", "2", "4"], OUTLETS) == ["1 new report"]


def test_a_changed_value_in_the_same_words_is_a_correction() -> None:
    corrected = _story(
        "Orvani dam spillway closed",
        "The Orvani water board will spend $400 billion on the repairs, director Petra "
        "Lindqvist said on Tuesday.",
        "About 1,200 people live in the valley below the dam.",
    )
    found = changes(FIRST, corrected, ["1", "2"], ["1", "2", "3"], OUTLETS)
    assert found == ["new outlets: Northern Ledger", "corrected: $350 billion -> $400 billion"]


def test_new_facts_are_listed_and_known_ones_are_not() -> None:
    grown = _story(
        "Orvani dam spillway closed",
        "The Orvani water board will spend $350 billion on the repairs, director Petra Lindqvist "
        "said on Tuesday.",
        "About 1,200 people live in the valley below the dam.",
        "Divers from Brisk will examine the wall, and 40 engineers are on site.",
    )
    found = changes(FIRST, grown, ["1"], ["1", "2"], OUTLETS)
    assert found[0] == "new outlets: Valley Times"
    assert found[1].startswith("new facts: ")
    listed = found[1].removeprefix("new facts: ").split(", ")
    assert set(listed) == {"Brisk", "40"}
    assert not any(line.startswith("corrected") for line in found)


def test_a_new_value_in_other_words_is_not_a_correction() -> None:
    other = _story(
        "Orvani dam spillway closed",
        "The Orvani water board will spend $350 billion on the repairs, director Petra Lindqvist "
        "said on Tuesday.",
        "About 1,200 people live in the valley below the dam.",
        "Fishermen on the lake counted 3,000 dead trout after the water level fell.",
    )
    found = changes(FIRST, other, ["1"], ["1"], OUTLETS)
    assert found == ["new facts: 3,000"]


def test_changes_stay_short() -> None:
    many = _story(
        "Orvani dam spillway closed",
        "The Orvani water board will spend $400 billion on the repairs, director Petra "
        "Lindqvist said on Tuesday.",
        "About 1,500 people live in the valley below the dam.",
        "Kalle Moen, Ada Rask, Ivo Sand and Lena Torp of the Brisk Institute inspected it.",
    )
    found = changes(FIRST, many, ["1"], ["1", "2", "3", "5", "6", "7"], OUTLETS)
    assert len(found) <= MAX_CHANGES
    assert found[0] == "new outlets: Brisk Herald, Isle Weekly, Northern Ledger and 2 more"
    assert "corrected: $350 billion -> $400 billion" in found
    assert any(
        line.startswith("corrected: ") and "1,200 ->" in line and line.endswith("1,500")
        for line in found
    )
    new_facts = next(line for line in found if line.startswith("new facts: "))
    assert new_facts.endswith("more")


def test_a_rewrite_from_the_same_reports_still_says_what_it_is() -> None:
    assert changes(FIRST, FIRST, ["1", "2"], ["1", "2"], OUTLETS) == ["rewritten from 2 reports"]
