"""The order of a compiled news story: a standfirst, then the body's paragraphs.

A news story opens with what happened (the standfirst: the two or three most central
sentences, leads first), then gives the details and numbers, who is involved, what they said,
the background, and what comes next. `lay_out` sorts the chosen sentences into that order,
in three to six paragraphs when there are sentences enough: of about three sentences each,
more in a long story.
Sentences that lean on the one before them in their article ("He added …") travel with it
and are left out when it is not in the story; within a paragraph, sentences keep the order
of their articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "MAX_PARAGRAPHS",
    "MIN_PARAGRAPHS",
    "Item",
    "kind_of",
    "lay_out",
    "standfirst_size",
]

KINDS = ("details", "who", "reactions", "background", "next")
MIN_PARAGRAPHS = 3  # of the body, when it has that many sentences
MAX_PARAGRAPHS = 6
PARAGRAPH_SENTENCES = 3  # sentences per paragraph, more when there are many
LEAD_RANKS = 10  # how far from an article's lead a sentence still counts as near it

_FUTURE = {
    "en": r"will|won't|expect|expected|expects|next|plans?|planned|scheduled|upcoming|due to|"
    r"set to|is to|are to|later this|tomorrow|coming (?:days|weeks|months)|"
    r"further (?:talks|discussions)",
    "nb": r"skal|vil|ventes|forventes|planlegger|planlagt|neste|kommende|i morgen",
    "de": r"wird|werden|soll|sollen|erwartet|geplant|nächste[nrs]?|kommende[nrs]?|morgen",
    "es": r"va a|van a|prevé|previsto|se espera|próxim[oa]s?|mañana|[a-záéí]+rá[n]?",
    "fr": r"doit|doivent|devrait|devraient|prévu|prochaine?s?|demain|[a-zé]+ra(?:nt)?",
}
_BACKGROUND = {
    "en": r"last (?:year|month|week)|earlier (?:this|in)|previously|in the past|since|had been|"
    r"came after|followed|history|long-?standing|was reached|were reached|agreed in",
    "nb": r"i fjor|tidligere|siden|forrige|i fjor høst|i fjor vår",
    "de": r"im vergangenen|vergangene[nrs]?|zuvor|bereits|seit|im vorigen",
    "es": r"el año pasado|anteriormente|desde|el pasado|previamente",
    "fr": r"l'an dernier|l'année dernière|auparavant|depuis|précédemment",
}
_SPOKEN = re.compile(
    r"[\"\u201c\u201d\u00ab\u00bb]|\b(?:said|says|told|added|stated|sa|sier|sagte|erklärte|"
    r"dijo|afirmó|a déclaré|a dit)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Item:
    """A chosen sentence as the layout sees it."""

    key: int
    article_id: str
    index: int  # its place among all sentences of its article
    rank: int  # its place among its article's quotable sentences
    text: str
    central: float  # 0..1 among the chosen, 1 the most central
    numbers: bool  # states amounts
    leans: bool  # reads only right after the sentence before it in its article

    def follows(self, other: Item) -> bool:
        """Whether `other` is the sentence right before this one in their article."""
        return other.article_id == self.article_id and other.index == self.index - 1


def _cue(patterns: dict[str, str], lang: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{patterns.get(lang, patterns['en'])})\b", re.IGNORECASE)


def kind_of(item: Item, lang: str) -> str:
    """Which part of the body a sentence belongs to (one of `KINDS`)."""
    if _cue(_FUTURE, lang).search(item.text):
        return "next"
    if _SPOKEN.search(item.text):
        return "reactions"
    if _cue(_BACKGROUND, lang).search(item.text):
        return "background"
    return "details" if item.numbers else "who"


def standfirst_size(chosen: int) -> int:
    """How many sentences open the story: one of two, two of up to seven, else three."""
    if chosen <= 2:
        return 1
    return 2 if chosen < 8 else 3


def _lead_score(item: Item) -> float:
    return 0.6 * item.central + 0.4 * (1 - min(item.rank, LEAD_RANKS) / LEAD_RANKS)


def _standfirst(items: Sequence[Item]) -> list[Item]:
    """The most central sentences near their articles' leads, that stand on their own."""
    free = [i for i in items if not i.leans] or list(items)
    ranked = sorted(free, key=lambda i: (-_lead_score(i), i.key))
    opening = ranked[: standfirst_size(len(items))]
    for item in items:  # a follower of the last opening sentence may join it
        if len(opening) < 3 and item.leans and item.follows(opening[-1]):
            opening.append(item)
    return opening


def _units(items: Sequence[Item]) -> list[list[Item]]:
    """Each free sentence with the chain of sentences that lean on it; strays are left out."""
    units: list[list[Item]] = []
    for item in items:
        if item.leans:
            continue
        unit = [item]
        while True:
            follower = next((i for i in items if i.leans and i.follows(unit[-1])), None)
            if follower is None:
                break
            unit.append(follower)
        units.append(unit)
    return units


def _chunks(units: list[list[Item]], size: int) -> list[list[Item]]:
    paragraphs: list[list[Item]] = []
    for unit in units:
        if paragraphs and len(paragraphs[-1]) + len(unit) <= size:
            paragraphs[-1].extend(unit)
        else:
            paragraphs.append(list(unit))
    return paragraphs


def _paragraph_size(sentences: int, room: int) -> int:
    """Sentences per paragraph: `PARAGRAPH_SENTENCES`, more when the body would not fit in
    `room` paragraphs, fewer when it would have fewer than `MIN_PARAGRAPHS`."""
    fits = max(PARAGRAPH_SENTENCES + (sentences > 3 * room - 6), -(-sentences // room))
    return max(1, min(fits, -(-sentences // MIN_PARAGRAPHS)))


def _merge_cost(
    paragraphs: Sequence[tuple[str, list[Item]]], n: int, size: int
) -> tuple[int, bool, int, int]:
    """How much merging paragraph n with the next one costs: sentences past `size`, then
    whether their kinds differ, then the merged length."""
    merged = len(paragraphs[n][1]) + len(paragraphs[n + 1][1])
    return (max(merged - size, 0), paragraphs[n][0] != paragraphs[n + 1][0], merged, n)


def _merged(
    paragraphs: list[tuple[str, list[Item]]], most: int, size: int
) -> list[tuple[str, list[Item]]]:
    """At most `most` paragraphs: the neighbours whose merging costs least merge first."""
    while len(paragraphs) > max(most, 1):
        at = min(range(len(paragraphs) - 1), key=lambda n: _merge_cost(paragraphs, n, size))
        kind, first = paragraphs[at]
        paragraphs[at : at + 2] = [(kind, first + paragraphs[at + 1][1])]
    return paragraphs


def lay_out(
    items: Sequence[Item], lang: str, *, paragraphs: int = MAX_PARAGRAPHS
) -> tuple[list[Item], list[tuple[str, list[Item]]]]:
    """The standfirst and the body's paragraphs (each with its kind) of the chosen sentences,
    at most `paragraphs` of them."""
    opening = _standfirst(items)
    taken = {i.key for i in opening}
    rest = [i for i in items if i.key not in taken]
    groups: dict[str, list[list[Item]]] = {kind: [] for kind in KINDS}
    for unit in _units(rest):
        groups[kind_of(unit[0], lang)].append(unit)
    size = _paragraph_size(len(rest), max(paragraphs, 1))
    body: list[tuple[str, list[Item]]] = []
    for kind in KINDS:
        units = sorted(groups[kind], key=lambda u: (u[0].rank, u[0].index, u[0].key))
        body.extend((kind, p) for p in _chunks(units, size))
    return opening, _merged(body, paragraphs, size)
