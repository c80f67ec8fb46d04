"""Evidence that separates events: names, numbers, dates and keywords across languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tidings.evidence import Evidence, dates_in, entity_key, gather_evidence, number_keys

FRIDAY = datetime(2026, 1, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Kim Jung-kwan", "Kim Jung kwan"),
        ("South Korea's", "south korea"),
        ("Lutnick\u2019s", "LUTNICK"),
        ("U.S.", "US"),
        ("the United States", "United States"),
        ("José Manuel Barroso", "Jose Manuel Barroso"),
        ("Jørgen Straße", "Jorgen Strasse"),
        ("  Airbus  ", "airbus"),
    ],
)
def test_entity_keys_agree_across_spellings(first: str, second: str) -> None:
    assert entity_key(first) == entity_key(second)


def test_entity_keys_keep_different_names_apart() -> None:
    assert entity_key("Kim Jung-kwan") != entity_key("Kim Jeong-kwan")


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [
        ("1.4 million", "en", "1400000"),
        ("1,4 millones", "es", "1400000"),
        ("1,4 milioni", "it", "1400000"),
        ("1.400.000", "nl", "1400000"),
        ("1,400,000", "en", "1400000"),
        ("1 400 000", "fr", "1400000"),
        ("$350bn", "en", "USD 350000000000"),
        ("US$350 billion", "en", "USD 350000000000"),
        ("350 billion dollars", "en", "USD 350000000000"),
        ("350.000 millones de dólares", "es", "USD 350000000000"),
        ("350 mil millones de dólares", "es", "USD 350000000000"),
        ("€1.2bn", "en", "EUR 1200000000"),
        ("1,2 Milliarden Euro", "de", "EUR 1200000000"),
        ("3 Billionen", "de", "3000000000000"),
        ("$5m", "en", "USD 5000000"),
        ("25%", "en", "25%"),
        ("25 percent", "en", "25%"),
        ("25 por ciento", "es", "25%"),
        ("25 procent", "nl", "25%"),
        ("2,5 %", "de", "2.5%"),
        ("179 aircraft", "en", "179"),
        ("3,500억 달러", "ko", "USD 350000000000"),
        ("3500亿美元", "zh", "USD 350000000000"),
    ],
)
def test_numbers_are_normalised_across_forms_and_languages(text: str, lang: str, key: str) -> None:
    assert number_keys(text, lang=lang) == {key}


@pytest.mark.parametrize(
    "text",
    [
        "in 2008 there were 5 of them",  # a bare year, a single digit
        "talks on 30 January 2026 at 7:35 am",  # a date and a time
        "the A380 and the F-35",  # names, not amounts
        "a 5m wall",  # a length, not money
    ],
)
def test_trivial_numbers_and_numbers_of_dates_are_left_out(text: str) -> None:
    assert number_keys(text, lang="en") == frozenset()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("They met on Thursday.", "en", {date(2026, 1, 29)}),
        ("Talks resume on Friday.", "en", {date(2026, 1, 30)}),
        ("SEOUL, Jan. 30 (Yonhap)", "en", {date(2026, 1, 30)}),
        ("on 30 January 2026", "en", {date(2026, 1, 30)}),
        ("SEOUL, July 25 (AJP)", "en", {date(2025, 7, 25)}),
        (
            "It said so yesterday and will again tomorrow.",
            "en",
            {date(2026, 1, 29), date(2026, 1, 31)},
        ),
        ("Thursday, December 11, 2008", "en", {date(2008, 12, 11)}),
        ("el martes 27 de enero de 2026", "es", {date(2026, 1, 27)}),
        ("ieri a Roma", "it", {date(2026, 1, 29)}),
        ("op 12 maart 2024", "nl", {date(2024, 3, 12)}),
        ("am 25. Juli 2025", "de", {date(2025, 7, 25)}),
        ("12/16/08", "en", {date(2008, 12, 16)}),
        ("30.01.2026", "de", {date(2026, 1, 30)}),
        ("2026-01-29", None, {date(2026, 1, 29)}),
    ],
)
def test_dates_resolve_against_the_published_time(
    text: str, lang: str | None, expected: set[date]
) -> None:
    assert dates_in(text, lang=lang, published=FRIDAY) == expected


def test_relative_dates_need_a_published_time() -> None:
    assert dates_in("They met on Thursday, July 25.", lang="en") == frozenset()
    assert dates_in("on 30 January 2026", lang="en") == {date(2026, 1, 30)}


def test_english_names_come_from_the_recogniser() -> None:
    evidence = gather_evidence(
        "Talks end without a deal",
        "Howard Lutnick met Kim Jung-kwan in Washington on Thursday. The Commerce "
        "Department declined to comment.",
        lang="en",
        published=FRIDAY,
    )
    assert {"howard lutnick", "washington"} <= evidence.entities
    assert "thursday" not in evidence.entities
    assert evidence.dates == {date(2026, 1, 29)}


def test_names_without_a_recogniser_are_capitalised_runs() -> None:
    evidence = gather_evidence(
        "Conversaciones sin acuerdo en Washington",
        "El ministro surcoreano Kim Jung-kwan se reunió con Howard Lutnick el jueves. "
        "Además, Boeing firmó un contrato de 40.000 millones de dólares con la Fuerza Aérea. "
        "El contrato cubre 179 aviones. "
        "Howard Lutnick no hizo comentarios.",
        lang="es",
        published=FRIDAY,
    )
    assert {"kim jung kwan", "howard lutnick", "washington", "boeing"} <= evidence.entities
    assert not {"el", "además", "conversaciones"} & evidence.entities
    assert "USD 40000000000" in evidence.numbers
    assert evidence.dates == {date(2026, 1, 29)}
    assert "contrato" in evidence.keywords
    assert not {"el", "con", "de"} & evidence.keywords


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("김정관 장관은 워싱턴에서 Howard Lutnick 장관과 만나 관세 25% 인하를 논의했다.", "ko"),
        ("韩国产业部长周四在华盛顿会见了Howard Lutnick，讨论了25%的关税。", "zh"),  # noqa: RUF001
        ("التقى الوزير كيم مع Howard Lutnick في واشنطن لمناقشة رسوم بنسبة 25%.", "ar"),
        ("Министр Ким встретился с Howard Lutnick в Вашингтоне, пошлины 25%.", "ru"),  # noqa: RUF001
    ],
)
def test_text_without_latin_script_keeps_latin_names_and_numbers(text: str, lang: str) -> None:
    evidence = gather_evidence("", text, lang=lang, published=FRIDAY)
    assert "howard lutnick" in evidence.entities
    assert "25%" in evidence.numbers


def test_chinese_and_japanese_words_are_pairs_of_characters() -> None:
    first = gather_evidence(
        "港口费谈判破裂", "韩国和美国的关税谈判在华盛顿破裂。", lang="zh", published=None
    )
    second = gather_evidence(
        "关税谈判无果", "双方在华盛顿举行的关税谈判没有达成协议。", lang="zh", published=None
    )
    assert {"关税", "谈判", "华盛"} <= first.keywords & second.keywords
    assert not any("的" in word for word in first.keywords)  # a function character
    japanese = gather_evidence(
        "東京で地震", "東京湾で強い地震が発生した。", lang="ja", published=None
    )
    assert {"東京", "地震", "発生"} <= japanese.keywords


def test_empty_article_gives_empty_evidence() -> None:
    assert gather_evidence("", "", lang=None, published=None) == Evidence()


def _seed(shared: Path, number: str) -> tuple[str, str]:
    (path,) = (shared / "seeds").glob(f"{number}_*.txt")
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    return title, text


def test_two_events_of_one_storyline_differ_in_dates_but_share_names(shared: Path) -> None:
    january = gather_evidence(
        *_seed(shared, "002"), lang="en", published=datetime(2026, 1, 29, 22, tzinfo=UTC)
    )
    july = gather_evidence(
        *_seed(shared, "003"), lang="en", published=datetime(2025, 7, 25, 8, tzinfo=UTC)
    )
    assert january.dates
    assert july.dates
    assert all((d.year, d.month) == (2026, 1) for d in january.dates)
    assert date(2025, 7, 25) in july.dates
    assert not january.dates & july.dates
    assert {"howard lutnick", "kim"} <= january.entities & july.entities
    assert "USD 400000000000" in july.numbers
