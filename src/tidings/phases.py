"""The stage of a running process that a report is about: "the second day of talks".

Successive days or rounds of one negotiation, trial or summit are separate events of one
storyline: the same actors, the same place, the same words, a day apart. What tells a report
of the second day from one of the first is that it says so. `phases_in` reads such ordinal
stages ("first day", "opening day", "zweite Verhandlungsrunde", "segunda jornada", "첫날") as
keys like "day:1" and "round:2"; `phases_conflict` says when an article's stage and an event's
stages cannot be the same.

Only the title and the first sentences are read: further down, reports recall earlier stages
("after the first day ended without a deal"), which does not make them about those stages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

__all__ = ["LEAD_CHARS", "phases_conflict", "phases_in"]

LEAD_CHARS = 300  # of the body read when the title names no stage

# Ordinal words by value, in the languages the product publishes in and reads most.
_ORDINALS: dict[int, tuple[str, ...]] = {
    1: (
        "first",
        "opening",
        "1st",
        "første",
        "förste",
        "första",
        "erste",
        "ersten",
        "erster",
        "primer",
        "primera",
        "primero",
        "premier",
        "première",
        "primeiro",
        "primeira",
        "primo",
        "prima",
        "eerste",
    ),
    2: (
        "second",
        "2nd",
        "andre",
        "annen",
        "andra",
        "zweite",
        "zweiten",
        "zweiter",
        "segundo",
        "segunda",
        "deuxième",
        "seconde",
        "secondo",
        "seconda",
        "tweede",
    ),
    3: (
        "third",
        "3rd",
        "tredje",
        "dritte",
        "dritten",
        "tercer",
        "tercera",
        "tercero",
        "troisième",
        "terceiro",
        "terceira",
        "terzo",
        "terza",
        "derde",
    ),
    4: (
        "fourth",
        "4th",
        "fjerde",
        "vierte",
        "vierten",
        "cuarto",
        "cuarta",
        "quatrième",
        "quarto",
        "quarta",
        "vierde",
    ),
    5: ("fifth", "5th", "femte", "fünfte", "fünften", "quinto", "quinta", "cinquième"),
}
# Units of a process, by the key they are counted under.
_UNITS: dict[str, tuple[str, ...]] = {
    "day": (
        "day",
        "dag",
        "dagen",
        "tag",
        "tages",
        "verhandlungstag",
        "prozesstag",
        "día",
        "dia",
        "jornada",
        "jour",
        "journée",
        "giorno",
        "giornata",
    ),
    "round": (
        "round",
        "runde",
        "runden",
        "rundan",
        "verhandlungsrunde",
        "ronda",
        "tour",
        "rodada",
        "turno",
    ),
}
_KOREAN = {
    re.compile(r"첫\s?날|첫째\s?날|1일차"): "day:1",
    re.compile(r"둘째\s?날|이틀째|2일차"): "day:2",
    re.compile(r"셋째\s?날|사흘째|3일차"): "day:3",
    re.compile(r"(\d)\s?차\s?(?:협상|회담|협의)"): "round:{0}",
}


@cache
def _pattern() -> re.Pattern[str]:
    ordinals = "|".join(sorted((w for ws in _ORDINALS.values() for w in ws), key=len, reverse=True))
    units = "|".join(sorted((w for ws in _UNITS.values() for w in ws), key=len, reverse=True))
    # "second day", "zweite Verhandlungsrunde", "segunda jornada", with one word between
    # at most ("second full day", "første forhandlingsdag" is one word and matches the unit).
    return re.compile(
        rf"\b(?P<ordinal>{ordinals})(?:\s+\w+)?\s+(?P<unit>\w*(?:{units}))\b", re.IGNORECASE
    )


@cache
def _value_of(word: str) -> int:
    folded = word.casefold()
    return next(value for value, words in _ORDINALS.items() if folded in words)


def _unit_of(word: str) -> str | None:
    folded = word.casefold()
    for unit, words in _UNITS.items():
        if any(folded == w or (len(w) > 3 and folded.endswith(w)) for w in words):
            return unit
    return None


def _phases(text: str) -> set[str]:
    found = set()
    for match in _pattern().finditer(text):
        unit = _unit_of(match["unit"])
        if unit is not None:
            found.add(f"{unit}:{_value_of(match['ordinal'])}")
    for pattern, key in _KOREAN.items():
        for match in pattern.finditer(text):
            found.add(key.format(*match.groups()))
    return found


def phases_in(title: str, body: str) -> frozenset[str]:
    """The ordinal stages a report is about: those of its title, else of its first lines."""
    return frozenset(_phases(title) or _phases(body[:LEAD_CHARS]))


def phases_conflict(phases: Iterable[str], event_phases: Counter[str]) -> bool:
    """Whether a report of `phases` cannot be about an event whose reports name
    `event_phases`: both name stages of one unit, and none in common."""
    mine: dict[str, set[str]] = {}
    for key in phases:
        mine.setdefault(key.split(":")[0], set()).add(key)
    for unit, keys in mine.items():
        theirs = {k for k in event_phases if k.startswith(unit + ":")}
        if theirs and not theirs & keys:
            return True
    return False
