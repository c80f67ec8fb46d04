"""Source text is data, never instructions.

A news article may carry text aimed at a language model instead of at its readers: commands
to ignore instructions ("Ignore all previous instructions and …", "Ignorer alle tidligere
instruksjoner", "Ignoriere alle vorherigen Anweisungen", "Ignora todas las instrucciones
anteriores"), chat-template role markers (`<|im_start|>system`, `[INST]`, `<<SYS>>`,
"system:"), or talk of system prompts. Such sentences are not news: no writer quotes them,
the chat writer never shows them to its model, and the faithfulness check drops any that
slip through.

`is_instruction_like` tells whether a text is such a sentence. A command counts only where it
stands as a command (at the start of a sentence or clause, or addressed to "you" or a model)
and names instructions, prompts or rules as earlier or as the reader's own, so news that
reports someone ignoring something ("The minister ignored previous warnings") or people being
instructed ("Officials were instructed to write to the ministry") is not flagged.
`neutralise` takes chat-template tokens, role prefixes and data delimiters out of a text that
is quoted; `unmarked_spans` gives the parts of a text outside such markup, leaving out the
content of a chat turn a marker opens (`<|im_start|>system …<|im_end|>`).
"""

from __future__ import annotations

import re

__all__ = ["has_role_marker", "is_instruction_like", "neutralise", "unmarked_spans"]

_VERBS = (
    r"ignore|disregard|forget|override|bypass"  # en
    r"|ignorer|glem|overse|se\s+bort\s+fra|hopp\s+over"  # nb
    r"|ignoriere|ignorieren\s+sie|ignoriert|vergiss|vergesst|vergessen\s+sie"  # de
    r"|missachte|missachten\s+sie|übergehe"
    r"|ignora|ignorad|olvida|olvide|olvidad|descarta|omite|haz\s+caso\s+omiso\s+de"  # es
    r"|ignorez|oublie|oubliez"  # fr
)
_QUALIFIERS = (
    r"all|any|every|previous|prior|preceding|earlier|above|foregoing|original|initial|your"
    r"|alle|tidligere|forrige|ovenstående|dine|opprinnelige"
    r"|allen?|vorherigen?|bisherigen?|früheren?|obigen?|vorigen?|deine|ihre|ursprünglichen?"
    r"|todas|todos|anteriores|previas|previos|precedentes|tus|sus|originales|iniciales"
    r"|toutes|tous|précédentes|antérieures|vos|tes"
)
_OBJECTS = (
    r"instructions?|prompts?|rules|directions|directives|guidelines|context|commands"
    r"|instruksjon(?:er|ene)?|instrukse[rn]e?|regler|reglene|beskjeder|føringer|ledetekst\w*"
    r"|kommandoer|anweisungen|instruktionen|befehle|regeln|vorgaben"
    r"|instrucciones|indicaciones|reglas|órdenes|directrices|comandos|consignes|règles"
)
_EVERYTHING_BEFORE = (
    r"everything\s+(?:above|before|prior|said)|the\s+above|alt\s+(?:over|ovenfor|foregående)"
    r"|alles\s+(?:oben|bisherige|vorherige|davor|zuvor)|todo\s+lo\s+(?:anterior|dicho)"
    r"|tout\s+ce\s+qui\s+précède"
)
# Where a verb stands as a command: opening a sentence or clause, after "and"/"please", or
# addressed to the reader or a model ("you must", "AI models should").
_COMMAND_AT = (
    r"(?:^|(?<=[.!?:;,\n\"\u201c\u201d\u00ab\u00bb\u201e'\u2018\u2019()\[\]*>|\u2013\u2014-])"
    r"|(?<![\w-])(?:and|then|now|please|just|simply|og|så|nå|vennligst|und|dann|jetzt|bitte"
    r"|y|luego|ahora|et|puis|maintenant)\s+"
    r"|(?<![\w-])(?:you|ais?|kis?|ias?|assistants?|models?|llms?|chatbots?|du|ihr|tú|usted"
    r"|vous|tu)\s+(?:must|should|will|shall|need\s+to|have\s+to|are\s+to|må|skal|bør|musst"
    r"|müsst|sollst|sollt|debes|tienes\s+que|deben|doit|dois|devez)\s+)"
)
_WORD = r"[^\s.!?,;:]+"
_COMMAND = re.compile(
    rf"{_COMMAND_AT}\s*(?:{_VERBS})\s+(?:"
    rf"(?:{_WORD}\s+){{0,3}}?(?:{_QUALIFIERS})(?:\s+{_WORD}){{0,3}}?\s+(?:{_OBJECTS})\b"
    rf"|(?:{_WORD}\s+){{0,3}}?(?:{_OBJECTS})(?:\s+{_WORD}){{0,2}}?\s+(?:{_QUALIFIERS})\b"
    rf"|(?:{_EVERYTHING_BEFORE})\b)",
    re.IGNORECASE,
)
# Talk of a model's prompt, and text that addresses a model rather than a reader.
_MODEL_TALK = re.compile(
    r"\bsystem\s*-?\s*prompts?\b|\bsystem\s+instructions?\b|\bhidden\s+(?:instructions?|prompts?)\b"
    r"|\bnew\s+instructions\s*:|\bsystemprompts?\b|\bsystem(?:anweisung|instruks|ledetekst)\w*"
    r"|\b(?:prompt|instrucciones?)\s+del\s+sistema\b|\b(?:prompt|consignes?)\s+(?:du\s+)?système\b"
    r"|\bas\s+an?\s+(?:ai|artificial\s+intelligence)\s+(?:language\s+)?model\b"
    r"|\bas\s+a\s+large\s+language\s+model\b"
    r"|\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?"
    r"(?:ai|llm|language\s+model|chatbot|assistant)s?\b"
    r"|\b(?:ai|llm|language\s+model|chatbot)s?(?:\s+(?:models?|systems?|assistants?))?"
    r"\s+(?:reading|summari[sz]ing|processing)\s+this\b"
    r"|\byou\s+are\s+now\s+(?:an?\s+|in\s+)?(?:ai\b|assistant|dan\b|unrestricted|jailbroken"
    r"|developer\s+mode)",
    re.IGNORECASE,
)
# Tokens and prefixes that open a turn of a chat: what follows is meant as a model's prompt.
_ROLE_OPENING = re.compile(
    r"<\|(?!\s*(?:im_end|end\w*|eot\w*)\s*\|>)[^|>]{1,40}\|>|\[INST\]|<<SYS>>"
    r"|(?:^|(?<=[\n.!?]))\s*#*\s*(?:system|assistant|user|human|developer)\s*:",
    re.IGNORECASE,
)
# Every chat-template token, role prefix and data delimiter, opening or closing.
_ROLE_MARKER = re.compile(
    r"<\|[^|>]{0,40}\|>|</?s>|\[/?INST\]|<</?SYS>>|<{3,}|>{3,}|`{3,}"
    r"|(?:^|(?<=[\n.!?]))\s*#*\s*(?:system|assistant|user|human|developer)\s*:",
    re.IGNORECASE,
)
# A marker (as matched by _ROLE_MARKER) that opens a turn: what follows is a prompt, not news.
_OPENS = re.compile(
    r"<\|(?!\s*(?:im_end|end\w*|eot\w*)\s*\|>)[^|>]{1,40}\|>|\[INST\]|<<SYS>>"
    r"|(?:system|assistant|user|human|developer)\s*:",
    re.IGNORECASE,
)


def is_instruction_like(text: str) -> bool:
    """Whether `text` addresses a model or reader with commands about instructions, opens a
    chat turn (`<|im_start|>system`, `[INST]`, "system:"), or talks of a system prompt."""
    return any(p.search(text) is not None for p in (_COMMAND, _MODEL_TALK, _ROLE_OPENING))


def has_role_marker(text: str) -> bool:
    """Whether `text` holds a chat-template token, role prefix or data delimiter."""
    return _ROLE_MARKER.search(text) is not None


def neutralise(text: str) -> str:
    """`text` without chat-template tokens, role prefixes or data delimiters, on one line."""
    text = _ROLE_MARKER.sub(" ", text)
    return " ".join(text.split())


def unmarked_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of `text[start:end]` outside chat markup, trimmed of spaces: split at every
    role marker, leaving out what follows a marker that opens a chat turn up to the next one."""
    end = len(text) if end is None else end
    pieces: list[tuple[int, int]] = []
    cursor, inside = start, False
    for marker in _ROLE_MARKER.finditer(text, start, end):
        if not inside:
            pieces.append((cursor, marker.start()))
        inside = _OPENS.search(marker.group()) is not None
        cursor = marker.end()
    if not inside:
        pieces.append((cursor, end))
    spans = []
    for left, right in pieces:
        piece = text[left:right]
        stripped = piece.strip()
        if stripped:
            left += len(piece) - len(piece.lstrip())
            spans.append((left, left + len(stripped)))
    return spans
