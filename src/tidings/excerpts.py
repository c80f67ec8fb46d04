"""The sentences of a source article that a story may quote, and how they read out of place.

An `Excerpt` is one sentence of an article with its character span. `excerpts_of` keeps the
sentences that can stand in a story: not fragments, headings, bylines, datelines, "Read also"
inserts, photo credits, questions to readers, text in another script than the story's, or
text aimed at a language model instead of readers (`tidings.injection`: source text is data,
never instructions); a sentence is split at chat role markers, and the content of a chat
turn they open is left out. A dateline ("SEOUL, Jan 30 - ") is left out of the span.

A sentence moved next to another outlet's sentences loses its context, so this module also
tells whether it leans on the sentence before it (`leans_back`: "He added …", "Those remarks
…", the end of a quotation an earlier sentence opened), whether it names a day that only
its own date can place (`relative_days`), which opening connective to drop ("However, …"),
whether it is attributed already ("…, she said"), and how to attribute it to its outlet in
the story's language ("…, according to Yonhap.").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .boilerplate import clean_text
from .injection import is_instruction_like, unmarked_spans
from .sentences import split_sentences
from .stories import SourceArticle

__all__ = [
    "Excerpt",
    "attribute",
    "continues_quote",
    "dominant_script",
    "excerpts_of",
    "has_attribution",
    "leans_back",
    "places_days",
    "relative_days",
    "script_of",
]

log = logging.getLogger(__name__)

MIN_WORDS = 6  # fewer words is a fragment, a label or a heading
MIN_CJK_CHARS = 12
MIN_SCRIPT_SHARE = 0.6  # of a sentence's letters in the story's script

_DATELINE = re.compile(
    r"[A-ZÆØÅÄÖÜÉ][A-ZÆØÅÄÖÜÉ.'\- ]{2,40}"  # SEOUL, NEW YORK, WASHINGTON
    r"(?:,\s*[^\W\d_]{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"  # , Jan 30 / , July 25, 2025
    r"\s*(?:\([^()\n]{1,40}\))?"  # (Reuters)
    r"\s*(?:-{1,2}|[\u2013\u2014]|:)\s+"
)
_READ_MORE = re.compile(
    r"^(?:read (?:also|more)|also read|see also|related|watch|listen|les også|les mer|les aussi"
    r"|lire aussi|à lire aussi|lesen sie auch|mehr zum thema|lee también|leer más|ver también)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|av|von|por|par)\s+[A-ZÆØÅ][\w.'-]+(?:\s+[A-ZÆØÅ][\w.'-]+){0,3}\b", re.IGNORECASE
)
_CREDIT = re.compile(
    r"(?:\b(?:photo|image|picture|foto|bild|bilde|credit|illustration)s?\s*(?:by|:|/|©)"
    r"|©|ⓒ|getty images|all rights reserved|alle rettigheter)",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"\b(?:subscribe|sign up|newsletter|click here|follow us|let us know|share this)\b",
    re.IGNORECASE,
)
_CLOSERS = "\"'\u201d\u2019\u00bb)]\u300d\u300f"
_OPENERS = "\"'\u201c\u2018\u00ab([\u00bf\u00a1"
_TERMINAL = (".", "!", "\u2026", "\u3002", "\uff01")
_CJK_SCRIPTS = frozenset({"CJK", "HANGUL", "HIRAGANA", "KATAKANA"})


@dataclass(frozen=True)
class Excerpt:
    """One quotable sentence of an article: where it is and where its opening ends.

    `start`/`end` span the sentence in the article's text (after any dateline); `bare` is
    where it starts without an opening connective ("However, "), equal to `start` if none.
    `index` is the sentence's place among all sentences of the article, `rank` its place
    among the article's quotable sentences.
    """

    article: SourceArticle
    index: int
    rank: int
    start: int
    end: int
    bare: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def bare_text(self) -> str:
        return self.article.text[self.bare : self.end]


# -- scripts ------------------------------------------------------------------------------------


def script_of(char: str) -> str | None:
    """The script of a letter ("LATIN", "HANGUL", "CJK", …), None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0]
    return "CJK" if script in ("CJK", "IDEOGRAPHIC") else script or None


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        script = script_of(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def dominant_script(text: str) -> str | None:
    """The script most letters of `text` are written in."""
    counts = _script_counts(text)
    return max(sorted(counts), key=lambda s: counts[s]) if counts else None


def _script_share(text: str, script: str) -> float:
    counts = _script_counts(text)
    total = sum(counts.values())
    return counts.get(script, 0) / total if total else 0.0


# -- what is not a sentence of the story --------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _is_junk(text: str, script: str | None) -> bool:
    """Whether a sentence cannot stand in a story (see the module's docstring)."""
    if script in _CJK_SCRIPTS:
        if len(text) < MIN_CJK_CHARS:
            return True
    elif _words(text) < MIN_WORDS:
        return True
    ending = text.rstrip(_CLOSERS)
    if not ending.endswith(_TERMINAL):
        return True  # headings, captions, inserts and questions
    if _READ_MORE.match(text) or _PROMPT.search(text) or _CREDIT.search(text):
        return True
    if _BYLINE.match(text) and _words(text) <= 12:
        return True
    if not clean_text(text):
        return True  # a boilerplate line by the extraction rules
    return script is not None and _script_share(text, script) < MIN_SCRIPT_SHARE


def _without_dateline(text: str, start: int, end: int) -> int:
    """Where the sentence starts once an opening dateline ("SEOUL, Jan 30 - ") is left out."""
    match = _DATELINE.match(text, start, end)
    if match is None or _words(match.group()) > 6:
        return start
    return match.end()


def excerpts_of(
    article: SourceArticle, *, script: str | None, lang: str | None, limit: int | None = None
) -> list[Excerpt]:
    """The quotable sentences of `article`, the first `limit` of them when given."""
    found: list[Excerpt] = []
    for index, (start, end) in enumerate(_sentences(article, lang)):
        start = _without_dateline(article.text, start, end)
        text = article.text[start:end]
        if is_instruction_like(text):
            log.info("left out an instruction-like sentence of article %s", article.id)
            continue
        if _is_junk(text, script):
            continue
        bare = start + _connective_length(text, lang)
        found.append(Excerpt(article, index, len(found), start, end, bare))
        if limit is not None and len(found) >= limit:
            break
    return found


def _sentences(article: SourceArticle, lang: str | None) -> list[tuple[int, int]]:
    """The spans of the article's sentences, split at chat role markers too; the content of
    a chat turn such a marker opens is no sentence of the article."""
    return [
        piece
        for start, end in split_sentences(article.text, lang)
        for piece in unmarked_spans(article.text, start, end)
    ]


# -- context: connectives, references back, relative days ---------------------------------------

_CONNECTIVES = {
    "en": "however|meanwhile|also|in addition|moreover|furthermore|still|nevertheless|"
    "nonetheless|separately|additionally|but|and|yet|instead|indeed|in turn|as well",
    "nb": "samtidig|imidlertid|likevel|i tillegg|dessuten|men|og|også",
    "de": "jedoch|allerdings|außerdem|zudem|dennoch|indes|unterdessen",
    "es": "sin embargo|además|mientras tanto|por otra parte|asimismo|pero|y|también",
    "fr": "cependant|toutefois|par ailleurs|en outre|de plus|néanmoins|mais|et|aussi",
}
# Connectives that may open a sentence without a comma ("But the talks …").
_BARE_CONNECTIVES = frozenset({"but", "and", "yet", "men", "og", "pero", "mais"})


def _connective_pattern(lang: str | None) -> re.Pattern[str]:
    words = _CONNECTIVES.get(lang or "en", _CONNECTIVES["en"])
    return re.compile(rf"^(?:{words})(?P<comma>,)?\s+(?=\S)", re.IGNORECASE)


def _connective_length(text: str, lang: str | None) -> int:
    """The length of an opening connective to drop out of context ("However, "), or 0."""
    match = _connective_pattern(lang).match(text)
    if match is None:
        return 0
    word = match.group().strip(" ,").lower()
    if match["comma"] is None and word not in _BARE_CONNECTIVES:
        return 0  # "Also the talks …" is not an opening connective; German inverts after one
    rest = text[match.end() :]
    return match.end() if rest[:1].isalpha() or rest[:1] in _OPENERS else 0


_BACK_REFERENCES = {
    "en": "he|she|they|it|this|that|these|those|his|her|their|its|him|them|such|the latter|"
    "the former|there, he|the move|the remarks|the comments|the statement",
    "nb": "han|hun|dette|disse|hans|hennes|deres|de sistnevnte",
    "de": "er|sie|dies|diese|dieser|dieses|damit|dabei|dazu|seine|ihre",
    "es": "él|ella|ellos|ellas|esto|estos|estas|eso|su|sus",
    "fr": "il|elle|ils|elles|cela|ceci|ces|cette|son|sa|ses|leur|leurs",
}


_QUOTE_MARK = re.compile(r"``|''|[\"\u201c\u201d\u00ab\u00bb]")
_CLOSING_QUOTES = frozenset({"''", "\u201d", "\u00bb"})


def continues_quote(text: str) -> bool:
    """Whether the sentence closes a quotation that an earlier sentence opened: its first
    quotation mark is a closing one ("…, '' said Maral.")."""
    first = _QUOTE_MARK.search(text)
    return first is not None and first.group() in _CLOSING_QUOTES


def leans_back(text: str, lang: str | None) -> bool:
    """Whether the sentence refers back to the one before it ("He added …", "This …") or
    goes on with a quotation it opened."""
    words = _BACK_REFERENCES.get(lang or "en", _BACK_REFERENCES["en"])
    opening = text.lstrip(_OPENERS)
    refers = re.match(rf"(?:{words})\b", opening, re.IGNORECASE) is not None
    return refers or continues_quote(text)


_WEEKDAYS = {
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "nb": "mandag tirsdag onsdag torsdag fredag lørdag søndag",
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
}
_RELATIVE_WORDS = {
    "yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1,
    "i går": -1, "i dag": 0, "i morgen": 1, "gestern": -1, "heute": 0, "morgen": 1,
    "ayer": -1, "hoy": 0, "mañana": 1, "hier": -1, "aujourd'hui": 0, "demain": 1,
}  # fmt: skip
_WEEKDAY_NUMBER = {
    name: number for names in _WEEKDAYS.values() for number, name in enumerate(names.split())
}
_RELATIVE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in sorted([*_RELATIVE_WORDS, *_WEEKDAY_NUMBER], key=len)[::-1])
    + r")(?!\w)",
    re.IGNORECASE,
)


def relative_days(text: str) -> tuple[str, ...]:
    """The words of `text` that name a day relative to when it was written ("Tuesday")."""
    return tuple(m.group().lower() for m in _RELATIVE.finditer(text))


def _resolve(word: str, reference: date) -> date:
    if word in _RELATIVE_WORDS:
        return reference + timedelta(days=_RELATIVE_WORDS[word])
    weekday = _WEEKDAY_NUMBER[word]
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def places_days(words: tuple[str, ...], written: datetime | None, read: datetime | None) -> bool:
    """Whether a reader of a story dated `read` places each relative day of a sentence
    written on `written` on the same date as its writer did."""
    if not words:
        return True
    if written is None or read is None:
        return False
    return all(_resolve(w, written.date()) == _resolve(w, read.date()) for w in words)


# -- attribution --------------------------------------------------------------------------------

_SAID = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|according to|announced|stated|added|"
    r"noted|confirmed|quoted|sa|sier|opplyser|opplyste|melder|meldte|ifølge|skriver|skrev|"
    r"sagte|sagt|sagten|berichtet|berichtete|laut|erklärte|dijo|dicho|según|informó|afirmó|"
    r"declaró|a déclaré|a dit|selon|affirme|rapporte|a indiqué|secondo|ha detto|ha dichiarato|"
    r"volgens|zei|zegt|meldt|segundo|disse|afirmou|enligt|sade|uppger|sagde|oplyser)\b",
    re.IGNORECASE,
)
_SUFFIX = {
    "en": ", according to {outlet}",
    "nb": ", ifølge {outlet}",
    "de": ", wie {outlet} berichtet",
    "es": ", según {outlet}",
    "fr": ", selon {outlet}",
    "it": ", secondo {outlet}",
    "nl": ", volgens {outlet}",
    "pt": ", segundo {outlet}",
    "sv": ", enligt {outlet}",
    "da": ", ifølge {outlet}",
}
_PREFIX = {
    "en": "According to {outlet}, ",
    "nb": "Ifølge {outlet} ",
    "de": "Laut {outlet} ",
    "es": "Según {outlet}, ",
    "fr": "Selon {outlet}, ",
    "it": "Secondo {outlet}, ",
    "nl": "Volgens {outlet} ",
    "pt": "Segundo {outlet}, ",
    "sv": "Enligt {outlet} ",
    "da": "Ifølge {outlet} ",
}
# Languages whose verb comes second: a lead-in would need the verb moved, so "Ifølge NTB:
# «…»" keeps the sentence's own word order.
_VERB_SECOND = frozenset({"de", "nb", "nl", "sv", "da"})
_LOWER_OPENERS = {  # words that lose their capital after a lead-in ("According to X, the …")
    "en": frozenset(
        ["the", "a", "an", "this", "these", "those", "some", "many", "most", "several"]
    ),
    "es": frozenset(
        ["el", "la", "los", "las", "un", "una", "unos", "unas", "este", "esta", "estos", "estas"]
    ),
    "fr": frozenset(["le", "la", "les", "un", "une", "des", "ce", "cette", "ces"]),
    "it": frozenset(["il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "questo", "questa"]),
    "pt": frozenset(["o", "a", "os", "as", "um", "uma", "este", "esta"]),
}


def has_attribution(text: str, outlet: str) -> bool:
    """Whether the sentence says already who says it ("…, he said", "according to …")."""
    return _SAID.search(text) is not None or outlet.casefold() in text.casefold()


def attribute(text: str, outlet: str, lang: str) -> str:
    """The sentence attributed to `outlet` in the story's language (English otherwise):
    "…, according to Yonhap." after a sentence ending in a full stop, else in front."""
    suffix = _SUFFIX.get(lang, _SUFFIX["en"])
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1] + suffix.format(outlet=outlet) + "."
    if lang in _VERB_SECOND or lang not in _PREFIX:
        prefix = _PREFIX.get(lang, _PREFIX["en"]).format(outlet=outlet).rstrip(", ")
        return f"{prefix}: {text}"
    first, _, rest = text.partition(" ")
    if first.lower() in _LOWER_OPENERS.get(lang, frozenset()):
        first = first.lower()
    prefix = _PREFIX.get(lang, _PREFIX["en"]).format(outlet=outlet)
    return f"{prefix}{first} {rest}".rstrip()
