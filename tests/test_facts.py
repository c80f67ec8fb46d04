"""The checkable facts of a sentence, and what a source article supports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tidings.facts import Fact, facts_of, source_facts

FRIDAY = datetime(2026, 1, 30, 9, 0, tzinfo=UTC)


def _keys(text: str, kind: str, lang: str = "en") -> set[str]:
    return {f.key for f in facts_of(text, lang=lang, published=FRIDAY) if f.kind == kind}


@pytest.mark.parametrize(
    ("forms", "kind"),
    [
        (("$350 billion", "US$350 billion", "350 billion dollars", "$350bn"), "money"),
        (("25%", "25 per cent", "25 percent"), "percent"),
        (("1.4 million", "1,400,000"), "number"),
        (("Thursday", "Jan 29", "January 29, 2026", "29 January"), "date"),
        (("Kim Jung-kwan", "Kim Jung kwan", "KIM JUNG-KWAN"), "name"),
    ],
)
def test_one_fact_written_many_ways_has_one_key(forms: tuple[str, ...], kind: str) -> None:
    keys = [_keys(f"They spoke of {form} at the meeting.", kind) for form in forms]
    assert all(len(k) == 1 for k in keys), keys
    assert len(set.union(*keys)) == 1


def test_kinds_and_keys_of_amounts() -> None:
    facts = facts_of("Veloria pledged $350bn, cut tariffs by 25 per cent and hired 4,500 staff.")
    assert {(f.kind, f.key, f.text) for f in facts if f.kind != "name"} == {
        ("money", "USD 350000000000", "$350bn"),
        ("percent", "25%", "25 per cent"),
        ("number", "4500", "4,500"),
    }


def test_facts_are_equal_by_what_they_state() -> None:
    first = facts_of("Veloria pledged $350 billion.")
    second = facts_of("Veloria pledged US$350bn.")
    assert [f for f in first if f.kind == "money"] == [f for f in second if f.kind == "money"]
    money = next(f for f in first if f.kind == "money")
    assert "Veloria pledged $350 billion."[money.start : money.end] == "$350 billion"


def test_relative_dates_resolve_against_the_published_time() -> None:
    assert _keys("The ministers met on Thursday.", "date") == {"2026-01-29"}
    assert _keys("The pact was signed on Jan 30.", "date") == {"2026-01-30"}
    no_reference = facts_of("The ministers met on Thursday.", lang="en")
    assert not [f for f in no_reference if f.kind == "date"]


def test_names_fold_possessives_and_accents() -> None:
    assert _keys("Marrow-Dahl's plan was praised by José Ferrándiz.", "name") == {
        "marrow dahl",
        "jose ferrandiz",
    }


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("However, the talks ended without a deal.", "en"),
        ("Meanwhile negotiators went home.", "en"),
        ("Además, el ministro no hizo comentarios.", "es"),
        ("Dessuten var ministeren fornøyd.", "nb"),
    ],
)
def test_capitalised_words_at_a_sentence_start_are_not_names(text: str, lang: str) -> None:
    assert not [f for f in facts_of(text, lang=lang) if f.kind == "name"]


def test_names_without_a_recogniser_are_capitalised_runs() -> None:
    keys = _keys("Además, Veloria firmó un acuerdo con Oren Vasquez en Port Amsel.", "name", "es")
    assert keys == {"veloria", "oren vasquez", "port amsel"}


@pytest.mark.parametrize(
    "quoted",
    [
        "\u201cThis deal opens a new chapter,\u201d she said.",
        '"This deal opens a new chapter," she said.',
        "\u00abThis deal opens a new chapter\u00bb, she said.",
        "\u201eThis deal opens a new chapter\u201c, she said.",
        "'This deal opens a new chapter,' she said.",
    ],
)
def test_quotes_of_every_style_have_the_same_key(quoted: str) -> None:
    assert _keys(quoted, "quote") == {"this deal opens a new chapter"}


@pytest.mark.parametrize(
    "text",
    [
        "Veloria's minister and Tarsand's envoy met.",
        "Acme Co.'s plan to buy the ports' operator will cost the owners' fund dearly.",
    ],
)
def test_apostrophes_do_not_make_quotes(text: str) -> None:
    assert not _keys(text, "quote")


def test_trademark_signs_are_not_part_of_a_name() -> None:
    source = source_facts("Skyforge sells the Aerowing\u2122 drone.", lang="en")
    facts = facts_of("The maker of the Aerowing drone is Skyforge.", lang="en")
    assert {f.key for f in facts} == {"aerowing", "skyforge"}
    assert all(source.supports(f) for f in facts)


SOURCE = (
    "Veloria pact signed\n"
    "Trade Minister Ilse Marrow-Dahl met Howard Lutnick and Kim Jung-kwan in the United States "
    "on Thursday. The International Trade Council praised the $350 billion pledge, and the "
    'minister said: "We need more talks, and we will have them." Officials of the EU agreed.\n'
    "Harbour Ledger"
)


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("The minister met Lutnick.", True),  # a part of a longer name
        ("Kim spoke to reporters.", True),
        ("Marrow-Dahl's aides in the U.S. were pleased.", True),
        ("Officials in the US were pleased.", True),  # a known variant
        ("U.S. officials were pleased.", True),
        ("Officials in the UK were pleased.", False),
        ("The ITC praised it.", True),  # an acronym of a name the source writes
        ("The European Union agreed.", True),
        ("Harbour Ledger reported it.", True),  # the outlet that wrote it
        ("Oren Vasquez met the minister.", False),
        ("Kim Jeong-kwan spoke to reporters.", False),
        ("The pledge was worth US$350bn.", True),
        ("The pledge was worth $400 billion.", False),
        ("They met on Jan 29.", True),
        ("They met on Wednesday.", False),
        ('She said: "We need more talks ... we will have them."', True),
        ("She said \u00abwe need more talks\u00bb.", True),
        ('She said: "We need no more talks."', False),
    ],
)
def test_what_a_source_supports(sentence: str, supported: bool) -> None:
    source = source_facts(SOURCE, lang="en", published=FRIDAY)
    facts = facts_of(sentence, lang="en", published=FRIDAY)
    assert facts
    assert all(source.supports(f) for f in facts) is supported


def test_source_keys_hold_amounts_dates_and_names() -> None:
    keys = source_facts(SOURCE, lang="en", published=FRIDAY).keys
    assert {"USD 350000000000", "2026-01-29", "howard lutnick"} <= keys


def test_a_bare_number_is_supported_by_the_amount_it_is_part_of() -> None:
    source = source_facts("The fund holds $120 million.", lang="en")
    assert source.supports(Fact("number", "120000000", "120 million"))
    assert not source.supports(Fact("money", "EUR 120000000", "€120 million"))
