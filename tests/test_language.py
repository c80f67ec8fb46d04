from __future__ import annotations

import pytest

from tidings.language import detect_language, language_code

SAMPLES = {
    "en": "The government presented its budget on Tuesday and promised lower taxes for families.",
    "nb": "Regjeringen la fram statsbudsjettet i dag, og finansministeren varslet kutt i "
    "pengebruken for neste år.",
    "de": "Die Bundesregierung hat am Dienstag den Haushalt vorgestellt und Steuersenkungen "
    "für Familien versprochen.",
    "es": "El gobierno presentó el martes el presupuesto y prometió rebajas de impuestos para "
    "las familias.",
    "fr": "Le gouvernement a présenté mardi son budget et a promis des baisses d'impôts pour "
    "les familles.",
    "ko": "정부는 화요일 예산안을 발표하고 가계를 위한 세금 인하를 약속했다.",
}


@pytest.mark.parametrize(("expected", "text"), sorted(SAMPLES.items()))
def test_detects_the_language_of_a_sentence(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_norwegian_bokmal_is_nb_not_no() -> None:
    assert detect_language(SAMPLES["nb"]) == "nb"


@pytest.mark.parametrize("text", ["", "ok", "Trump", "12345 67890", "!!! ???"])
def test_too_short_or_unsure_is_none(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("no", "nb"), ("nb_NO", "nb"), ("DE", "de"), ("", None), ("xyz", None)],
)
def test_language_code_of_a_tag(tag: str, code: str | None) -> None:
    assert language_code(tag) == code
