"""Reading syndication feeds: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1.

`parse_feed()` turns the bytes of one feed into a `ParsedFeed`: the feed's title, link and
language, and one `FeedEntry` per article with an absolute http(s) link. It is lenient the way
feedparser is: a malformed feed that still gives entries returns them with `warning` set, and
only a document that gives nothing usable raises `FeedError` with a reason a person can act on.

Feeds are hostile input. The bytes are decoded here (BOM, then UTF-8, then the declared
charsets, then a guess), internal DTD subsets are removed before any XML parser sees them (so
entity bombs and external entities are never expanded), summaries are reduced to plain text
without script content, and links other than http(s) are dropped.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
import xml.sax
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag

import feedparser

from .charsets import decode, detect_encoding, normalize_encoding
from .errors import FeedError
from .urls import http_url

__all__ = ["FeedEntry", "ParsedFeed", "normalize_lang", "parse_feed"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedEntry:
    """One article a feed points to."""

    url: str  # absolute http(s) link, resolved against the feed's URL and xml:base
    title: str | None
    published: datetime | None  # timezone-aware UTC
    summary: str | None  # plain text
    guid: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """What one feed document says."""

    title: str | None
    link: str | None
    lang: str | None  # ISO 639-1; Norwegian Bokmål ("no", "nb-NO") is "nb"
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # why the feed is malformed, when entries were still recovered


def parse_feed(body: bytes, *, url: str, encoding: str | None = None) -> ParsedFeed:
    """Parse one feed document fetched from `url`.

    `encoding` is the charset the server declared, if any; the bytes win when they disagree.
    Raises `FeedError` when the document gives no feed at all.
    """
    text, encoding_warning = _decode(body, encoding)
    stripped = text.lstrip()
    if not stripped:
        raise FeedError("empty document")
    if stripped[0] in "{[":
        parsed = _parse_json_feed(stripped, url=url)
    elif stripped[0] == "<":
        parsed = _parse_xml_feed(text, url=url)
    else:
        raise FeedError("not a feed: the document is neither XML nor JSON")
    if encoding_warning:
        warning = "; ".join(w for w in (encoding_warning, parsed.warning) if w)
        parsed = ParsedFeed(parsed.title, parsed.link, parsed.lang, parsed.entries, warning)
    return parsed


def normalize_lang(value: str | None) -> str | None:
    """An ISO 639-1 code from a language tag ("nb-NO" -> "nb", "no" -> "nb", "EN_us" -> "en")."""
    if not value:
        return None
    primary = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


_LANGUAGE_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en", "deu": "de", "ger": "de"}


# -- decoding -----------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
FEED_MEDIA_TYPE = "application/xml"


def _decode(body: bytes, declared: str | None) -> tuple[str, str | None]:
    """The text of `body` and, when a declared charset did not fit the bytes, why not."""
    encoding = detect_encoding(body, declared=declared, media_type=FEED_MEDIA_TYPE)
    text = decode(body, declared=declared, media_type=FEED_MEDIA_TYPE)
    match = _XML_DECLARATION.match(body[:1024])
    labels = [declared, match.group(1).decode("ascii") if match else None]
    return text.removeprefix("\ufeff"), _mismatch(body, text, labels, encoding)


def _mismatch(body: bytes, text: str, labels: Iterable[str | None], used: str) -> str | None:
    """A warning naming the first declared charset that would have read the text wrongly."""
    for label in labels:
        codec = normalize_encoding(label)
        if codec is None or codec == used:
            continue
        try:
            if body.decode(codec) == text:
                continue
        except UnicodeDecodeError:
            pass
        return f"declared charset {label} does not fit the bytes; read as {used}"
    return None


# -- XML feeds ----------------------------------------------------------------------------------

_FIRST_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_CLOSED_ITEM = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)


def _parse_xml_feed(text: str, *, url: str) -> ParsedFeed:
    text, subset_warning = _without_dtd_subset(text)
    # The declaration is rewritten for UTF-8, on the first line so line numbers stay right.
    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    data, found = _XML_DECLARATION_TEXT.subn(declaration, text, count=1)
    if not found:
        data = declaration + text
    # No base URL is given to feedparser: links keep their xml:base resolution only, so that
    # a guid like "12345" is not mistaken for a relative link; links are resolved below.
    headers = {"content-type": "application/xml; charset=utf-8"}
    result = feedparser.parse(io.BytesIO(data.encode("utf-8")), response_headers=headers)
    raw_entries = list(result.get("entries", []))
    problem = _xml_problem(result, text) if result.get("bozo") else None
    if problem and raw_entries:
        raw_entries = raw_entries[: len(_CLOSED_ITEM.findall(text))]  # drop a truncated tail
    entries = _collect(_xml_entry(raw, url) for raw in raw_entries)
    if not entries and (problem or not result.get("version")):
        raise FeedError(problem or _not_a_feed(text))
    warnings = [w for w in (subset_warning, problem) if w]
    feed = result.get("feed", {})
    return ParsedFeed(
        title=_plain_line(feed.get("title"), _is_html(feed.get("title_detail"))),
        link=http_url(feed.get("link"), url),
        lang=normalize_lang(feed.get("language")),
        entries=entries,
        warning="; ".join(warnings) or None,
    )


def _without_dtd_subset(text: str) -> tuple[str, str | None]:
    """The document without an internal DTD subset, which is where entity bombs live.

    The subset is replaced by as many newlines as it spanned, so that line numbers in parse
    errors still point into the original document.
    """
    doctype = _DOCTYPE.search(text)
    first = _FIRST_ELEMENT.search(text)
    if doctype is None or (first is not None and first.start() < doctype.start()):
        return text, None
    match = _DOCTYPE_SUBSET.match(text, doctype.start())  # one linear scan, from one place
    if match is None:
        return text, None
    blank = "\n" * match.group(0).count("\n")
    warning = "entity declarations ignored" if "<!ENTITY" in match.group(0) else None
    return text[: match.start()] + blank + text[match.end() :], warning


def _xml_problem(result: Mapping[str, Any], text: str) -> str:
    exc = result.get("bozo_exception")
    if _root_name(text) == "html":
        return "not a feed: looks like an HTML page"
    if isinstance(exc, xml.sax.SAXParseException):
        return f"malformed XML at line {exc.getLineNumber()}: {exc.getMessage()}"
    return f"malformed feed: {exc}"


def _not_a_feed(text: str) -> str:
    root = _root_name(text)
    if root == "html":
        return "not a feed: looks like an HTML page"
    return f"not a feed: root element <{root}> is not RSS, RDF or Atom"


def _root_name(text: str) -> str:
    match = _FIRST_ELEMENT.search(text)
    return match.group(1).rsplit(":", 1)[-1].lower() if match else "?"


def _xml_entry(raw: Mapping[str, Any], base: str) -> FeedEntry | None:
    guid = _text(raw.get("id"))
    url = _first_http(_link_candidates(raw, guid), base)
    if url is None and raw.get("guidislink"):
        url = http_url(guid, "")  # a permalink guid counts only when it is absolute
    if url is None:
        logger.debug("feed entry without a usable link skipped: %r", raw.get("title"))
        return None
    return FeedEntry(
        url=url,
        title=_plain_line(raw.get("title"), _is_html(raw.get("title_detail"))),
        published=_xml_date(raw),
        summary=_xml_summary(raw),
        guid=guid,
    )


def _link_candidates(raw: Mapping[str, Any], guid: str | None) -> Iterator[object]:
    link = raw.get("link")
    if not (raw.get("guidislink") and link == guid):  # feedparser copies a permalink guid
        yield link
    for alternate in raw.get("links", []):
        if alternate.get("rel", "alternate") == "alternate" and alternate.get("href") != guid:
            yield alternate.get("href")


def _xml_date(raw: Mapping[str, Any]) -> datetime | None:
    # feedparser maps dc:date to "updated" and gives every date as a UTC struct_time.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except ValueError:
                continue
    return None


def _xml_summary(raw: Mapping[str, Any]) -> str | None:
    if raw.get("summary"):
        return _plain_block(raw.get("summary"), _is_html(raw.get("summary_detail")))
    for content in raw.get("content", []):
        text = _plain_block(content.get("value"), _is_html(content))
        if text:
            return text
    return None


# -- JSON Feed ----------------------------------------------------------------------------------

_JSON_FEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/")


def _parse_json_feed(text: str, *, url: str) -> ParsedFeed:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise FeedError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise FeedError("invalid JSON: nested too deeply") from exc
    if not isinstance(document, dict) or not _JSON_FEED_VERSION.match(
        str(document.get("version", ""))
    ):
        raise FeedError("not a feed: a JSON document that is not a JSON Feed")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without items")
    objects = [item for item in items if isinstance(item, dict)]
    skipped = len(items) - len(objects)
    return ParsedFeed(
        title=_plain_line(document.get("title"), html=False),
        link=http_url(document.get("home_page_url"), url),
        lang=normalize_lang(_text(document.get("language"))),
        entries=_collect(_json_entry(item, url) for item in objects),
        warning=f"items that are not objects skipped: {skipped}" if skipped else None,
    )


def _json_entry(item: Mapping[str, Any], base: str) -> FeedEntry | None:
    url = http_url(item.get("url"), base) or http_url(item.get("id"), "")
    if url is None:
        return None
    summary = (
        _plain_block(item.get("summary"), html=False)
        or _plain_block(item.get("content_text"), html=False)
        or _plain_block(item.get("content_html"), html=True)
    )
    return FeedEntry(
        url=url,
        title=_plain_line(item.get("title"), html=False),
        published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
        summary=summary,
        guid=_text(item.get("id")) or None,
    )


def _iso_date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# -- links --------------------------------------------------------------------------------------


def _collect(entries: Iterable[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    """The entries that have a link, each link once (fragments do not make a new page)."""
    seen: set[str] = set()
    kept: list[FeedEntry] = []
    for entry in entries:
        if entry is None:
            continue
        key = urldefrag(entry.url).url
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return tuple(kept)


def _first_http(candidates: Iterable[object], base: str) -> str | None:
    for candidate in candidates:
        url = http_url(candidate, base)
        if url is not None:
            return url
    return None


# -- text ---------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _is_html(detail: Mapping[str, Any] | None) -> bool:
    """Whether a feedparser text construct holds markup; RSS text is HTML unless marked."""
    return detail is None or "html" in str(detail.get("type", "html"))


def _plain_block(value: object, html: bool) -> str | None:
    """Plain text of a text or HTML construct; paragraphs kept as lines."""
    text = _text(value)
    if text is None:
        return None
    if html:
        text = _html_to_text(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line) or None


def _plain_line(value: object, html: bool) -> str | None:
    text = _plain_block(value, html)
    return " ".join(text.split()) if text else None


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, leaving out what a reader never sees."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
         "blockquote", "pre", "section", "article", "figure", "figcaption", "table", "hr"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)
