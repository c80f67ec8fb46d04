"""A story's headline, made from its sources' headlines or, without any, from its lead.

Outlets sign their headlines (" - Reuters", " | BBC News", " — Yonhap", ": NPR") and some
shout ("BREAKING:", "WATCH:", exclamation marks, words in capitals). `clean_headline` takes
all of that away, so a story's headline is never an outlet's headline with its signature.
Words in capitals become ordinary words unless the sources write them in capitals too
(acronyms such as "KOSPI"), they are well-known acronyms ("US", "EU"), or they are short
and the sources never write them in lower case.
`lead_headline` gives the length of a sentence's opening that can serve as a headline when
no source has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["clean_headline", "lead_headline", "outlet_key", "plain_words"]

MAX_SIGNATURE_WORDS = 5  # a tail longer than this is part of the headline, not a signature
MAX_SECTION_WORDS = 2  # a section name between a headline and its signature ("World")
MAX_ACRONYM = 4  # capitals of at most this many letters stay, unless sources write them small
ACRONYMS = frozenset({"US", "UK", "EU", "UN", "NATO", "IMF", "WHO", "GDP", "CEO", "AI", "G7"})
MAX_LEAD = 120  # the longest sentence opening used as a headline
MIN_LEAD = 40

_SEPARATOR = re.compile(r"(?:\s+(?P<sep>[-|\u2013\u2014\u2022\u00b7~/]|//|::)|\s*(?P<colon>:))\s+")
_HYPE = re.compile(
    r"^\s*(?:breaking(?:\s+news)?|watch|live(?:\s+updates)?|exclusive|just\s+in|updated?"
    r"|video|photos?|opinion|analysis|siste nytt|eilmeldung|última hora|en direct|direkte"
    r"|live-ticker|urgent)\s*[:|\-\u2013\u2014]\s*",
    re.IGNORECASE,
)
_TAG = re.compile(r"\s*[\[(](?:video|watch|photos?|live|updated?|opinion)[\])]\s*$", re.IGNORECASE)
_BRAND = re.compile(
    r"\b(?:news|times|post|press|agency|herald|tribune|journal|daily|tv|radio|online|"
    r"reuters|ap|afp|bbc|cnn|npr|yonhap|nrk|ntb|dpa|\w+\.(?:com|net|org|co\.\w+|no|de|fr|es))\b",
    re.IGNORECASE,
)
_CAPS_WORD = re.compile(r"\b[^\W\d_a-z]{2,}\b")
_WORD = re.compile(r"[^\W\d_]+")
_CUT = re.compile(r",\s|\s(?:after|as|amid|while|when|following|despite)\s|\s[-\u2013\u2014]\s")


def outlet_key(name: str) -> str:
    """A name as signatures are compared: lower case, letters and digits only."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def _is_signature(tail: str, separator: str, outlets: Iterable[str]) -> bool:
    """Whether `tail`, after `separator`, signs the headline rather than continues it."""
    key = outlet_key(tail)
    if not key or len(key.split()) > MAX_SIGNATURE_WORDS:
        return False
    for outlet in outlets:
        name = outlet_key(outlet)
        if name and (key == name or name in key or (len(key) > 2 and key in name)):
            return True
    if separator == ":":
        return False  # "Trump: tariffs will rise" — only an outlet's name signs after a colon
    return separator in ("|", "//", "::", "\u2022", "\u00b7") or _BRAND.search(tail) is not None


def _without_signatures(title: str, outlets: Iterable[str]) -> str:
    """`title` without the outlet's name at its end, and the section name before it
    ("Storm shuts bridge - World - Kestrel Daily")."""
    names = tuple(outlets)
    signed = False
    while True:
        matches = list(_SEPARATOR.finditer(title))
        if not matches:
            return title
        last = matches[-1]
        tail = title[last.end() :]
        separator = last["sep"] or ":"
        section = signed and separator != ":" and len(tail.split()) <= MAX_SECTION_WORDS
        if last.start() == 0 or not (section or _is_signature(tail, separator, names)):
            return title
        title = title[: last.start()].rstrip()
        signed = True


def _without_hype(title: str) -> str:
    previous = None
    while previous != title:
        previous = title
        title = _TAG.sub("", _HYPE.sub("", title, count=1))
    return re.sub(r"[!\uff01]+", "", title.replace("?!", "?").replace("!?", "?"))


def _calm_word(word: str, *, first: bool, plain: frozenset[str], shouted: frozenset[str]) -> str:
    if word in shouted or word in ACRONYMS:
        return word
    lower = word.lower()
    if lower in plain:
        return word.capitalize() if first else lower
    return word if len(word) <= MAX_ACRONYM else word.capitalize()


def _calm_capitals(title: str, plain: frozenset[str], shouted: frozenset[str]) -> str:
    first_word = _WORD.search(title)
    start = first_word.start() if first_word else -1

    def calm(match: re.Match[str]) -> str:
        return _calm_word(match.group(), first=match.start() == start, plain=plain, shouted=shouted)

    return _CAPS_WORD.sub(calm, title)


def _within_line(text: str, at: int) -> bool:
    """Whether a word at `at` follows other words on its line (not a dateline or heading)."""
    line_start = text.rfind("\n", 0, at) + 1
    return any(c.islower() for c in text[line_start:at])


def plain_words(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The words the sources write in lower case, and those they write in capitals within a
    sentence (acronyms): what words in capitals in a headline should become."""
    lower: set[str] = set()
    shouted: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            if word.islower():
                lower.add(word)
            elif word.isupper() and len(word) > 1 and _within_line(text, match.start()):
                shouted.add(word)
    return frozenset(lower), frozenset(shouted)


def clean_headline(
    title: str,
    *,
    outlets: Iterable[str],
    plain: frozenset[str] = frozenset(),
    shouted: frozenset[str] = frozenset(),
) -> str:
    """`title` without outlet signatures, hype labels, exclamation marks or shouting."""
    text = " ".join(title.split())
    text = _without_hype(_without_signatures(text, outlets))
    text = _without_signatures(text, outlets).strip(" -|:\u2013\u2014")
    text = _calm_capitals(text, plain, shouted)
    text = " ".join(text.split()).rstrip(".;, ")
    return text[:1].upper() + text[1:]


def lead_headline(sentence: str) -> int:
    """How much of a lead sentence reads as a headline: the whole of a short one (without
    its full stop), else its opening up to a comma or a clause such as "after …"."""
    body = sentence.rstrip()
    if body.endswith(".") and not body.endswith(".."):
        body = body[:-1]
    if len(body) <= MAX_LEAD:
        return len(body)
    cuts = [m.start() for m in _CUT.finditer(body) if MIN_LEAD <= m.start() <= MAX_LEAD]
    if cuts:
        return cuts[0]
    space = body.rfind(" ", MIN_LEAD, MAX_LEAD)
    return space if space > 0 else min(len(body), MAX_LEAD)
