"""The checkable facts of a sentence: amounts, dates, names and quotes.

A story may say only what its sources say. What can be checked mechanically is what a sentence
states precisely: numbers, sums of money, percentages, dates, the names of people,
organisations and places, and words in quotation marks. `facts_of` finds them and gives each
a key that compares across outlets and ways of writing:

- "$350 billion", "US$350 billion", "350 billion dollars" and "$350bn" are one fact
  ("USD 350000000000"); "25%", "25 per cent" and "25 percent" are one ("25%");
- dates resolve against the published time ("Thursday", "Jan 30" → "2026-01-29", ...);
- names fold case, accents, possessives and hyphens ("Kim Jung-kwan" = "Kim Jung kwan");
- quotes keep only their words, so quote marks and spacing do not matter.

`source_facts` reads a whole source article once (cached) and answers whether it supports a
fact: a name also as a part of a longer one ("Lutnick" of "Howard Lutnick") or in a known
variant ("US", "U.S.", "United States"); a quote when its words appear in the article.

The recognisers are those of `tidings.evidence`: spaCy's named-entity recogniser for English,
capitalised runs that are not mere sentence starts elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from .evidence import (
    CALENDAR_WORDS,
    ENTITY_LABELS,
    WEEKDAYS,
    date_spans,
    english_ner,
    entity_key,
    is_named_code,
    name_alternatives,
    number_spans,
    stopwords,
    title_cased,
)
from .language import language_code

__all__ = [
    "Fact",
    "FactKind",
    "SourceFacts",
    "amount_facts",
    "date_facts",
    "facts_of",
    "read_names",
    "source_facts",
]

FactKind = Literal["number", "money", "percent", "date", "name", "quote"]


@dataclass(frozen=True)
class Fact:
    """One checkable statement of a text. Two facts are equal when they state the same thing,
    however each is written: equality is by kind and key, not by the words or the place."""

    kind: FactKind
    key: str  # normalised: "USD 350000000000", "25%", "2026-01-29", "kim jung kwan"
    text: str = field(compare=False)  # as written: "$350bn", "Kim Jung-kwan's"
    start: int = field(default=0, compare=False)  # where in the text it is written
    end: int = field(default=0, compare=False)


# -- amounts and dates --------------------------------------------------------------------------

_MONEY_KEY = re.compile(r"[A-Z]{3} ")
WEEK = timedelta(days=7)


def _number_kind(key: str) -> FactKind:
    if _MONEY_KEY.match(key):
        return "money"
    return "percent" if key.endswith("%") else "number"


def amount_facts(text: str, *, lang: str | None = None) -> tuple[Fact, ...]:
    """The numbers, sums of money and percentages of `text`, read the way `lang` writes them."""
    return tuple(
        Fact(_number_kind(key), key, text[start:end], start, end)
        for start, end, key in number_spans(text, lang=lang)
    )


def date_facts(
    text: str, *, lang: str | None = None, published: datetime | None = None
) -> tuple[Fact, ...]:
    """The dates `text` mentions, resolved against `published` (relative ones need it)."""
    return tuple(
        Fact("date", when.isoformat(), text[start:end], start, end)
        for start, end, when in date_spans(text, lang=lang, published=published)
    )


# -- names --------------------------------------------------------------------------------------


def _is_name_key(key: str, stop: frozenset[str]) -> bool:
    words = key.split()
    return (
        len(key) > 1
        and not key.replace(" ", "").isdigit()
        and key not in stop
        and not all(w in CALENDAR_WORDS for w in words)
    )


MAX_CACHED_NAMES = 20000
_NAMES: dict[tuple[str, str | None], tuple[Fact, ...]] = {}


def read_names(texts: Iterable[str], *, lang: str | None = None) -> None:
    """Find the names of many texts at once (the recogniser is several times faster on a
    batch); `facts_of` then takes them from the cache."""
    code = language_code(lang) if lang else None
    todo = list(dict.fromkeys(t for t in texts if (t, code) not in _NAMES))
    nlp = _recogniser(code)
    if not todo or nlp is None:
        return
    for text, doc in zip(todo, nlp.pipe(todo, batch_size=64), strict=True):
        _remember(text, code, _names_of(text, code, doc))


def _recogniser(lang: str | None) -> Any:
    """spaCy's recogniser for English text (and text of unknown language), else None."""
    return english_ner() if lang in ("en", None) else None


def _remember(text: str, lang: str | None, names: tuple[Fact, ...]) -> tuple[Fact, ...]:
    if len(_NAMES) >= MAX_CACHED_NAMES:
        _NAMES.clear()
    _NAMES[text, lang] = names
    return names


def _name_facts(text: str, lang: str | None) -> tuple[Fact, ...]:
    cached = _NAMES.get((text, lang))
    if cached is not None:
        return cached
    nlp = _recogniser(lang)
    return _remember(text, lang, _names_of(text, lang, nlp(text) if nlp is not None else None))


def _names_of(text: str, lang: str | None, doc: Any) -> tuple[Fact, ...]:
    """Names: the recogniser's entities when there is a parsed `doc`; capitalised runs (in
    their shortest reading, and outside entities); tokens like A380 or F-35."""
    stop = stopwords(lang)
    found: list[Fact] = []
    if doc is not None:
        found.extend(
            Fact("name", entity_key(e.text), e.text, e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ in ENTITY_LABELS
        )
    if not (doc is not None and title_cased(text)):  # in a headline every word is capitalised
        for readings in name_alternatives(text, stop):
            name = readings[-1]  # without a word that may be capitalised as a sentence start
            start = max(text.find(name), 0)
            if not any(f.start < start + len(name) and start < f.end for f in found):
                found.append(Fact("name", entity_key(name), name, start, start + len(name)))
    for match in _CODE.finditer(text):
        if is_named_code(match.group()):
            word = match.group()
            found.append(Fact("name", entity_key(word), word, match.start(), match.end()))
    for match in _ACRONYM.finditer(text):  # "U.S.", "EU": a function word once folded
        key = entity_key(match[0])
        if key in _ALIAS and not any(f.start <= match.start() < f.end for f in found):
            found.append(Fact("name", key, match[0], match.start(), match.end()))
    return tuple(f for f in found if f.key in _ALIAS or _is_name_key(f.key, stop))


_CODE = re.compile(r"(?<![\w-])[^\W\d_][\w-]*\d[\w-]*")  # A380, F-35, G20, COVID-19


# -- quotes -------------------------------------------------------------------------------------

_Q = r"{1,600}?"
_QUOTE = re.compile(
    "|".join(
        (
            rf'"(?P<q1>[^"\n]{_Q})"',
            rf"\u201c(?P<q2>[^\u201c\u201d\n]{_Q})[\u201d\u201c]",  # “...” (and “...“)
            rf"\u201e(?P<q3>[^\u201e\u201c\u201d\n]{_Q})[\u201c\u201d]",  # „...“
            rf"\u00ab(?P<q4>[^\u00ab\u00bb\n]{_Q})\u00bb",  # «...»
            rf"\u00bb(?P<q5>[^\u00ab\u00bb\n]{_Q})\u00ab",  # »...«
            rf"\u2018(?P<q6>[^\u2018\u2019\n]{_Q})\u2019(?!\w)",  # curly single quotes
            rf"(?<![^\s(\[])'(?=\S)(?P<q7>[^'\n]{_Q})(?<=\S)'(?!\w)",  # '...', not "Co.'s"
            rf"\u300c(?P<q8>[^\u300c\u300d\n]{_Q})\u300d",  # 「...」
        )
    )
)
_ELLIPSIS = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]")  # cuts and insertions in a quotation


def _quote_facts(text: str) -> Iterator[Fact]:
    for match in _QUOTE.finditer(text):
        group = match.lastgroup or ""
        words = entity_key(match[group])
        if words:
            yield Fact("quote", words, match[group], match.start(group), match.end(group))


def _quote_parts(quote: str) -> list[str]:
    """The runs of words a quotation is made of, split where it marks a cut ("...")."""
    return [key for part in _ELLIPSIS.split(quote) if (key := entity_key(part))]


# -- all of them --------------------------------------------------------------------------------


def facts_of(
    text: str, *, lang: str | None = None, published: datetime | None = None
) -> tuple[Fact, ...]:
    """Every checkable fact of `text`, in reading order: amounts, dates (relative ones only
    with `published`), names and quotes, each with its normalised key."""
    code = language_code(lang) if lang else None
    found = [
        *amount_facts(text, lang=code),
        *date_facts(text, lang=code, published=published),
        *_name_facts(text, code),
        *_quote_facts(text),
    ]
    return tuple(sorted(found, key=lambda f: (f.start, f.kind)))


# -- what a source supports ---------------------------------------------------------------------

_ALIASES = (
    ("us", "usa", "united states", "united states of america", "america"),
    ("uk", "united kingdom", "britain", "great britain"),
    ("eu", "european union"),
    ("un", "united nations"),
    ("uae", "united arab emirates"),
    ("dprk", "north korea"),
    ("rok", "south korea", "republic of korea"),
)
_ALIAS = {name: group for group in _ALIASES for name in group}
_DEMONYMS = {
    "american": "america", "british": "britain", "chinese": "china", "dutch": "netherlands",
    "french": "france", "german": "germany", "greek": "greece", "mexican": "mexico",
    "norwegian": "norway", "polish": "poland", "spanish": "spain", "swedish": "sweden",
    "danish": "denmark", "finnish": "finland", "swiss": "switzerland", "turkish": "turkey",
    "thai": "thailand", "filipino": "philippines", "european": "europe", "irish": "ireland",
}  # fmt: skip
_DEMONYM_ENDINGS = ("n", "ese", "i")  # Korean, Japanese, Israeli
_CAPITALISED_RUN = re.compile(
    r"(?:[A-Z][\w'\u2019-]*)(?:\s+(?:(?:of|and|for|the|de|du|des|la|le)\s+)?[A-Z][\w'\u2019-]*)+"
)
_ACRONYM = re.compile(r"(?<!\w)(?:[A-Z]\.){2,}|(?<!\w)[A-Z]{2,6}(?![\w$])")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _word_forms(word: str) -> set[str]:
    """A name's last word and the forms it takes as a country or a nationality."""
    forms = {word}
    if word in _DEMONYMS:
        forms.add(_DEMONYMS[word])
    forms.update(k for k, v in _DEMONYMS.items() if v == word)
    for ending in _DEMONYM_ENDINGS:
        forms.add(word + ending)
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            forms.add(word[: -len(ending)])
    return forms


def _name_variants(key: str) -> set[str]:
    """The ways a name may be written in a source that states it."""
    variants = {key, *_ALIAS.get(key, ())}
    head, _, last = key.rpartition(" ")
    for form in _word_forms(last):
        variant = f"{head} {form}".strip()
        variants.add(variant)
        variants.update(_ALIAS.get(variant, ()))
    return variants


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper()).casefold()


def _run_initials(run: str) -> Iterator[str]:
    """The acronyms a run of capitalised words may go by: the initials of it and of each
    shorter run that ends it ("The International Trade Council" → "itc", "tc", ...)."""
    words = run.split()
    for first in range(len(words) - 1):
        initials = _initials(" ".join(words[first:]))
        if len(initials) >= 2:
            yield initials


_LETTER_DIGIT = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")


def _apart(folded: str) -> str:
    """Folded words with letters and digits apart ("30gb" → "30 gb"), as names are compared."""
    return _LETTER_DIGIT.sub(" ", folded)


_MARKS = str.maketrans(dict.fromkeys("\u2122\u00ae\u00a9", " "))  # ™ ® ©: not part of a name


def _value(key: str) -> str:
    """The bare value of a number's key: "USD 350000000000" → "350000000000"."""
    return key.split(" ")[-1].rstrip("%")


def _digit_values(text: str) -> set[str]:
    """Every group of digits as written, as a plain value ("1,400" → "1400")."""
    values: set[str] = set()
    for raw in _DIGITS.findall(text):
        for candidate in (raw.replace(",", ""), raw.replace(".", "").replace(",", ".")):
            try:
                values.add(format(Decimal(candidate).normalize(), "f"))
            except InvalidOperation:
                continue
    return values


@dataclass(frozen=True)
class SourceFacts:
    """What one source article states, read once and asked about many sentences."""

    numbers: frozenset[str]  # keys of its amounts
    values: frozenset[str]  # the bare values of its amounts and of every digit group
    dates: frozenset[str]  # ISO dates it mentions, resolved against its published time
    names: frozenset[str]  # keys of the capitalised runs of its text
    folded: tuple[str, ...]  # its text as folded words (" kim jung kwan met ... "), two ways
    acronyms: frozenset[str]  # acronyms it writes ("us", "imf")
    initials: frozenset[str]  # acronyms its names may go by ("itc")

    @property
    def keys(self) -> frozenset[str]:
        """Every fact key of the article: amounts, dates and names."""
        return self.numbers | self.dates | self.names

    def contains_words(self, key: str) -> bool:
        """Whether these folded words appear, whole, in the article."""
        needle = f" {_apart(key)} "
        return any(needle in text for text in self.folded)

    def supports(self, fact: Fact) -> bool:
        """Whether the article states `fact` (a date resolved against its published time)."""
        if fact.kind in ("money", "percent"):
            return fact.key in self.numbers
        if fact.kind == "number":
            return fact.key in self.numbers or _value(fact.key) in self.values
        if fact.kind == "date":
            return fact.key in self.dates or (
                fact.text.casefold() in WEEKDAYS
                and (date.fromisoformat(fact.key) + WEEK).isoformat() in self.dates
            )
        if fact.kind == "quote":
            return all(self.contains_words(part) for part in _quote_parts(fact.text))
        return self._supports_name(fact)

    def _supports_name(self, fact: Fact) -> bool:
        if any(self.contains_words(v) for v in _name_variants(fact.key)):
            return True
        compact = fact.key.replace(" ", "")
        if fact.text.replace(".", "").isupper() and compact in self.initials:
            return True  # "ITC" for "International Trade Council"
        initials = _initials(fact.text)  # "International Trade Council" for "ITC"
        return len(initials) >= 2 and " " in fact.key and initials in self.acronyms


@lru_cache(maxsize=256)
def source_facts(
    text: str, *, lang: str | None = None, published: datetime | None = None
) -> SourceFacts:
    """What a whole source article (title, text and outlet in one string) states; cached,
    since it is asked about every sentence that cites the article."""
    code = language_code(lang) if lang else None
    numbers = frozenset(key for _s, _e, key in number_spans(text, lang=code))
    dates: set[date] = set()
    for start, end, when in date_spans(text, lang=code, published=published):
        dates.add(when)
        if text[start:end].casefold() in WEEKDAYS:  # "on Friday" may be the coming one
            dates.add(when + WEEK)
    stop = stopwords(code)
    names = {entity_key(r) for readings in name_alternatives(text, stop) for r in readings}
    acronyms = frozenset(m[0].replace(".", "").casefold() for m in _ACRONYM.finditer(text))
    initials = {i for m in _CAPITALISED_RUN.finditer(text) for i in _run_initials(m[0])}
    return SourceFacts(
        numbers=numbers,
        values=frozenset({_value(k) for k in numbers} | _digit_values(text)),
        dates=frozenset(d.isoformat() for d in dates),
        names=frozenset(n for n in names if _is_name_key(n, stop)),
        folded=tuple(
            f" {_apart(entity_key(t.translate(_MARKS)))} " for t in (text, text.replace(".", " "))
        ),
        acronyms=acronyms,
        initials=frozenset(initials | acronyms),
    )
