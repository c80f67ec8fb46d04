"""Where the sentences of a news text begin and end.

`split_sentences` returns character spans, so a story can cite the exact place in a source
article that a sentence comes from. The rules are those of news copy in the languages Tidings
reads:

- a line break always ends a sentence (paragraphs, headings and inserts stand on their own);
- ".", "!", "?" and "…" end a sentence when a space and a word that is not in lower case
  follow; closing quotes and brackets after the stop belong to the sentence;
- a full stop after an abbreviation does not end it: titles before a name ("Dr.", "Mr.",
  "St.", "Sr."), words before a number ("No.", "Jan."), dotted abbreviations ("U.S.", "e.g.",
  "z.B.", "f.eks.") and initials ("Donald J. Trump") end a sentence only when a word that
  usually starts one follows ("… in the U.S. The talks …");
- decimals ("3.5") and ordinal dates ("30. januar", "5. Januar") are not stops;
- Chinese and Japanese full stops (U+3002, U+FF01, U+FF1F) end a sentence with no space
  after them, and so does a Korean "다." directly followed by the next sentence.

pysbd was measured as an alternative: it splits the same English cases, but it has no rules
for Norwegian ("f.eks. at" became two sentences) or Korean and was last released in 2021,
so this compact splitter stands in.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# Titles and words that stand before a name: a stop after them never ends a sentence.
_TITLE_WORDS = (
    "mr mrs ms messrs dr prof st mt ft gen lt col maj sgt capt cmdr adm sen rep gov pres supt "
    "rev hon sr sra srta dra mme mlle hr fr"
)
# Words that stand before a number: "No. 5", "Jan. 30", "Nr. 3", "ca. 40".
_NUMBER_WORDS = (
    "no nr art vol p pp fig ch sec ca approx jan feb mar apr jun jul aug sep sept oct nov dec tel"
)
# Abbreviations that may also close a sentence: a sentence starter after them decides.
_ENDING_WORDS = (
    "etc inc corp ltd co plc llc jr bros al vs ca approx bzw usw ggf vgl evt osv mfl "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_MONTH_TEXT = (
    "januar februar mars märz april mai juni juli august september oktober november "
    "desember dezember jan feb mar apr jun jul aug sep sept okt oct nov des dez"
)
# Words that commonly open a news sentence (capitalised as they would be there).
_STARTER_TEXT = """The A An He She It They We I You This That These Those There His Her Its Their
    Our But And Or So Yet In On At As After Before While When Where If Since Although Though
    However Meanwhile Also Still Officials Both Some Many Most Other Others One Two Three
    What Who Why How Mr Mrs Ms Dr Such Then Now Earlier Later Last Next
    Der Die Das Er Sie Es Wir Ein Eine Im Am Auch Aber Und Nach Laut Dies Diese
    Den Det De Han Hun Vi Jeg Men Og Etter Ifølge Dette
    El La Los Las Un Una Pero En Según Este Esta
    Le Les Il Elle Ils Une Mais Selon Ce Cette"""
_TITLES = frozenset(_TITLE_WORDS.split())
_BEFORE_NUMBER = frozenset(_NUMBER_WORDS.split())
_MAY_END = frozenset(_ENDING_WORDS.split())
_MONTH_WORDS = frozenset(_MONTH_TEXT.split())
_STARTERS = frozenset(_STARTER_TEXT.split())
_STOP = re.compile(
    r"(?P<stop>[.!?\u2026]+|[\u3002\uff01\uff1f\uff0e]+)"
    r"(?P<close>[\"'\u201d\u2019\u00bb)\]\u300d\u300f\uff09]*)"
)
_CJK_STOPS = frozenset("\u3002\uff01\uff1f\uff0e")
_OPENERS = "\"'\u201c\u2018\u00ab([\u00bf\u00a1\u300c\u300e"
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,4}")  # U.S, e.g, z.B, f.eks, a.m
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_WORD_AFTER = re.compile(r"\s*(\S+)")


def _first_letter(word: str) -> str:
    """The first character of `word` after opening quotes and brackets."""
    stripped = word.lstrip(_OPENERS)
    return stripped[:1]


def _abbreviation_holds(token: str, following: str) -> bool:
    """Whether the full stop after `token` belongs to an abbreviation, given the next word."""
    bare = token.lstrip(_OPENERS)
    low = bare.lower()
    next_word = following.lstrip(_OPENERS).rstrip(".,;:!?\"'\u201d\u2019")
    starter = next_word in _STARTERS
    digit_next = following.lstrip(_OPENERS)[:1].isdigit()
    if low in _TITLES:
        return True
    if low in _BEFORE_NUMBER and digit_next:
        return True
    if bare.isdigit() and len(bare) <= 2 and next_word.lower() in _MONTH_WORDS:
        return True  # "30. januar", "5. Januar"
    initial = len(bare) == 1 and bare.isalpha() and bare.isupper()
    if low in _MAY_END or initial or _DOTTED.fullmatch(bare):
        return not starter
    return False


def _is_boundary(line: str, match: re.Match[str]) -> bool:
    """Whether the stop `match` in `line` ends a sentence."""
    rest = line[match.end() :]
    if not rest.strip():
        return True
    stop = match["stop"]
    if stop[-1] in _CJK_STOPS:
        return True
    if not rest[0].isspace():
        # A Korean sentence ending ("…했다.") directly followed by the next one.
        before = line[match.start() - 1 : match.start()]
        return stop == "." and bool(_HANGUL.match(before)) and bool(_HANGUL.match(rest[0]))
    word_match = _WORD_AFTER.match(rest)
    following = word_match.group(1) if word_match else ""
    first = _first_letter(following)
    if not first or first.islower():
        return False
    if stop != "." or match["close"]:
        return True
    token_match = _TOKEN_BEFORE.search(line[: match.start()])
    if token_match is None:
        return True
    return not _abbreviation_holds(token_match.group(1), following)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the whitespace at its ends, or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """The (start, end) character spans of the sentences of `text`, in order.

    Spans exclude surrounding whitespace; `text[start:end]` is the sentence as written, with
    its closing punctuation and quotes. `lang` is accepted for callers that know the language;
    the rules above hold for every language read, so it does not change the result today.
    """
    del lang  # the rules are shared by every language read
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        offset, body = line.start(), line.group()
        start = 0
        for stop in _STOP.finditer(body):
            if _is_boundary(body, stop):
                span = _trimmed(text, offset + start, offset + stop.end())
                if span is not None:
                    spans.append(span)
                start = stop.end()
        span = _trimmed(text, offset + start, offset + len(body))
        if span is not None:
            spans.append(span)
    return spans
