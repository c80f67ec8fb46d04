"""Sentence spans of news text: abbreviations, initials, numbers, quotes, paragraphs, scripts."""

from __future__ import annotations

import itertools

import pytest

from tidings.sentences import split_sentences


def sentences(text: str, lang: str | None = None) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. and the U.K. met on Jan. 5 in Geneva. Talks went on.",
            ["The U.S. and the U.K. met on Jan. 5 in Geneva.", "Talks went on."],
        ),
        (
            "Dr. Mira Solberg and Mr. Arne Vik spoke. St. Olav Street was shut.",
            ["Dr. Mira Solberg and Mr. Arne Vik spoke.", "St. Olav Street was shut."],
        ),
        (
            "Ticket No. 12 won the draw. Nobody claimed it.",
            ["Ticket No. 12 won the draw.", "Nobody claimed it."],
        ),
        (
            "Senator Donald J. Trump Jr. Visited nobody. He stayed home.",
            ["Senator Donald J. Trump Jr. Visited nobody.", "He stayed home."],
        ),
        (
            "Tools, e.g. hammers, and nails, i.e. small ones, etc. They were sold.",
            ["Tools, e.g. hammers, and nails, i.e. small ones, etc.", "They were sold."],
        ),
        (
            "Norvik Fisheries Inc. Chief Pia Lund resigned. The board met.",
            ["Norvik Fisheries Inc. Chief Pia Lund resigned.", "The board met."],
        ),
        (
            "Shipments rose 3.5 percent to 1,250.75 tonnes. Prices fell.",
            ["Shipments rose 3.5 percent to 1,250.75 tonnes.", "Prices fell."],
        ),
        (
            "The mayor paused... Then she left. Waiting... is hard, she said.",
            ["The mayor paused...", "Then she left.", "Waiting... is hard, she said."],
        ),
        (
            'She said: "The bridge is safe." Engineers disagreed.',
            ['She said: "The bridge is safe."', "Engineers disagreed."],
        ),
        (
            "“Will it hold?” he asked. “Nobody knows,” she replied.",
            ["“Will it hold?” he asked.", "“Nobody knows,” she replied."],
        ),
        (
            "Officials met in the U.S. The talks ended without a deal.",
            ["Officials met in the U.S.", "The talks ended without a deal."],
        ),
        (
            "Sr. García habló con el Sr. Pérez. ¿Qué pasa? Nada.",
            ["Sr. García habló con el Sr. Pérez.", "¿Qué pasa?", "Nada."],
        ),
    ],
)
def test_english_and_spanish_abbreviations_numbers_and_quotes(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_german_abbreviations_and_ordinal_dates_do_not_end_sentences() -> None:
    text = "Er nannte z.B. Brücken bzw. Tunnel. Am 5. Januar beginnt die Reparatur. Sie dauert."
    assert sentences(text, "de") == [
        "Er nannte z.B. Brücken bzw. Tunnel.",
        "Am 5. Januar beginnt die Reparatur.",
        "Sie dauert.",
    ]


def test_norwegian_abbreviations_and_dates() -> None:
    text = "Han nevnte f.eks. ferjene. Brua åpner 30. januar i år. Ordføreren er fornøyd."
    assert sentences(text, "nb") == [
        "Han nevnte f.eks. ferjene.",
        "Brua åpner 30. januar i år.",
        "Ordføreren er fornøyd.",
    ]


def test_a_line_break_always_ends_a_sentence() -> None:
    text = "Read also: Storm hits the coast\nThe bridge closed on Monday\n\n  Ferries run.  \n"
    assert sentences(text) == [
        "Read also: Storm hits the coast",
        "The bridge closed on Monday",
        "Ferries run.",
    ]


def test_chinese_and_japanese_full_stops_need_no_space() -> None:
    # Full stop, exclamation and question mark of CJK text (U+3002, U+FF01, U+FF1F).
    text = "大桥关闭了\u3002市长说很遗憾\uff01何时重开\uff1f"
    assert sentences(text) == ["大桥关闭了\u3002", "市长说很遗憾\uff01", "何时重开\uff1f"]


def test_korean_sentences_end_at_da_with_or_without_a_space() -> None:
    assert sentences("다리가 폐쇄됐다. 시장은 유감이라고 말했다.수리는 2주 걸린다.") == [
        "다리가 폐쇄됐다.",
        "시장은 유감이라고 말했다.",
        "수리는 2주 걸린다.",
    ]


def test_spans_are_trimmed_ordered_and_cover_every_word() -> None:
    text = "  The bridge shut.   Ferries took over.\n\nRepairs begin soon.  "
    spans = split_sentences(text)
    assert all(text[s].strip() and text[e - 1].strip() for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()


def test_empty_or_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_lower_case_after_a_full_stop_continues_the_sentence() -> None:
    assert sentences("The vote was 5 vs. 4 in favour. it passed.") == [
        "The vote was 5 vs. 4 in favour. it passed."
    ]
