"""Ordinal stages of a process ("the second day of talks") and when they rule out an event."""

from __future__ import annotations

from collections import Counter

import pytest

from tidings.phases import phases_conflict, phases_in


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Tariff talks conclude second day without agreement", {"day:2"}),
        ("Negotiators end their first day in the capital", {"day:1"}),
        ("Delegations finish the opening day of in-person talks", {"day:1"}),
        ("Die zweite Verhandlungsrunde endete ohne Ergebnis", {"round:2"}),
        ("La segunda jornada de negociaciones termina sin acuerdo", {"day:2"}),
        ("Forhandlingene gikk inn i andre runde", {"round:2"}),
        ("La troisième journée du procès s'ouvre", {"day:3"}),
        ("관세 협상 첫날 합의 없이 종료", {"day:1"}),
        ("2차 협상 시작", {"round:2"}),
        ("Talks resume for a second full day", {"day:2"}),
    ],
)
def test_stages_named_in_titles(title: str, expected: set[str]) -> None:
    assert phases_in(title, "") == expected


@pytest.mark.parametrize(
    "title",
    [
        "For the first time in a decade the port reopens",
        "Am ersten Dienstag im Monat tagt der Rat",
        "The day the markets fell",
        "Talks end without agreement",
    ],
)
def test_no_stage_where_none_is_named(title: str) -> None:
    assert phases_in(title, "") == frozenset()


def test_the_body_counts_only_when_the_title_names_no_stage() -> None:
    body = "The second day of talks ended. " + "Background. " * 40 + "after the first day"
    assert phases_in("Talks end", body) == {"day:2"}
    assert phases_in("Talks end their first day", body) == {"day:1"}
    assert phases_in("Talks end", "Background. " * 40 + "The second day of talks.") == set()


def test_conflict_only_between_different_stages_of_one_unit() -> None:
    first_day = Counter({"day:1": 3})
    assert phases_conflict({"day:2"}, first_day)
    assert not phases_conflict({"day:1"}, first_day)
    assert not phases_conflict({"round:2"}, first_day)  # another unit says nothing
    assert not phases_conflict(set(), first_day)  # a report that names no stage may join
    assert not phases_conflict({"day:2"}, Counter())
    assert not phases_conflict({"day:2"}, Counter({"day:1": 2, "day:2": 1}))
