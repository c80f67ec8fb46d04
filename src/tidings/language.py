"""Which language a text is written in.

The identifier is py3langid's packaged model (it works offline). Its "no" is Norwegian
Bokmål and becomes "nb"; its answer is only taken when it is an ISO 639-1 code and the
identifier is confident, so short or mixed snippets give None rather than a guess.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

__all__ = ["MIN_CONFIDENCE", "MIN_LETTERS", "detect_language", "language_code"]

log = logging.getLogger(__name__)

MIN_LETTERS = 12  # fewer letters than this is too little to tell
MIN_CONFIDENCE = 0.5  # normalised probability of the best language
SAMPLE_CHARS = 4000  # the start of a long text is enough
ALIASES = {"no": "nb"}
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of `text`, or None when too short or unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    code = ALIASES.get(str(code), str(code))
    if confidence < MIN_CONFIDENCE or len(code) != 2:
        log.debug("language unsure: %s at %.2f", code, confidence)
        return None
    return code


def language_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("en-US" -> "en", "no" -> "nb"), or None."""
    if not tag:
        return None
    code = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    if len(code) != 2 or not code.isalpha():
        return None
    return ALIASES.get(code, code)
