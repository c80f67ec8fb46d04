"""Finding the character encoding of a fetched body, and decoding it.

The order of evidence, strongest first:

1. a byte-order mark;
2. the body is valid UTF-8 with non-ASCII text (a legacy encoding almost never is);
3. the charset of the Content-Type header, if the body decodes with it;
4. the document's own declaration (`<meta charset>` / `http-equiv` for HTML, the XML
   declaration for XML), if the body decodes with it;
5. the body is UTF-8 with a few stray bytes;
6. a statistical guess (charset-normalizer), preferring windows-1252 when it is as likely;
7. UTF-8, decoded with replacement characters.

Servers often label windows-1252 pages as UTF-8 or UTF-8 pages as ISO-8859-1; the order
above gives the right text in both cases.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode", "detect_encoding", "normalize_encoding"]

UTF8 = "utf-8"
BOMS = (
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels that web browsers read as a wider encoding (WHATWG Encoding Standard).
WEB_ALIASES = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
PRESCAN_BYTES = 4096
GUESS_BYTES = 65536
GUESS_PREFERENCE = ("utf_8", "cp1252")
META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)""", re.IGNORECASE
)
XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_.:\-]+)["']""", re.IGNORECASE
)


def normalize_encoding(label: str | None) -> str | None:
    """Python's codec name for an encoding label, or None if Python has no such codec."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
        "".encode(name)  # refuses codecs that are not text encodings (rot13, base64)
    except (LookupError, ValueError):
        return None
    return WEB_ALIASES.get(name, name)


def _bom(body: bytes) -> str | None:
    for mark, name in BOMS:
        if body.startswith(mark):
            return name
    return None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _is_markup(media_type: str) -> bool:
    return "html" in media_type or not media_type


def _is_xml(media_type: str) -> bool:
    return "xml" in media_type or not media_type


def _in_document(body: bytes, media_type: str) -> list[str]:
    """Encodings the document declares about itself, in the order they are trusted."""
    head = body[:PRESCAN_BYTES]
    found: list[str] = []
    xml = XML_DECLARATION.match(head)
    if xml and _is_xml(media_type):
        found.append(xml.group(1).decode("ascii"))
    meta = META_CHARSET.search(head)
    if meta and _is_markup(media_type):
        label = meta.group(1).decode("ascii")
        # A page that could be read as ASCII cannot really be UTF-16 (HTML standard).
        found.append(UTF8 if (normalize_encoding(label) or "").startswith("utf-16") else label)
    return [name for name in map(normalize_encoding, found) if name]


def _mostly_utf8(body: bytes) -> bool:
    """True for UTF-8 text with a few invalid bytes: far more valid sequences than bad ones."""
    text = body.decode(UTF8, errors="replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - text.count("\ufffd")
    return good > 0 and bad * 20 <= good


def _guess(body: bytes) -> str | None:
    matches = list(from_bytes(body[:GUESS_BYTES]))
    if not matches:
        return None
    best = matches[0]
    close = [
        m for m in matches if m.chaos <= best.chaos + 0.15 and m.coherence >= best.coherence - 0.1
    ]
    for preferred in GUESS_PREFERENCE:
        if any(preferred in m.could_be_from_charset for m in close):
            return normalize_encoding(preferred)
    return normalize_encoding(best.encoding)


def detect_encoding(body: bytes, *, declared: str | None, media_type: str) -> str:
    """The encoding to decode `body` with: a Python codec name that is always usable.

    `declared` is the charset of the Content-Type header (None if absent) and `media_type`
    the lowercase media type, which decides whether HTML or XML declarations are read.
    """
    bom = _bom(body)
    if bom:
        return bom
    if not body.isascii() and _decodes(body, UTF8):
        return UTF8
    candidates = [normalize_encoding(declared), *_in_document(body, media_type)]
    for candidate in candidates:
        if candidate and _decodes(body, candidate):
            return candidate
    if body.isascii() or _mostly_utf8(body):
        return UTF8
    return _guess(body) or UTF8


def decode(body: bytes, *, declared: str | None, media_type: str) -> str:
    """`body` as text, decoded with `detect_encoding`; undecodable bytes become U+FFFD."""
    encoding = detect_encoding(body, declared=declared, media_type=media_type)
    if encoding == UTF8 and body.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    return body.decode(encoding, errors="replace")
