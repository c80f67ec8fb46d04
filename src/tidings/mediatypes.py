"""Which responses a fetch accepts: media types, and sniffing bodies whose type is vague.

Servers label feeds as `text/html` or `text/plain` and pages with no type at all, so a vague
type is accepted when the body looks like what the caller asked for.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "Accept",
    "accept_header",
    "is_acceptable",
    "needs_sniffing",
    "parse_content_type",
    "sniffs_as_feed",
    "sniffs_as_html",
]


class Accept(StrEnum):
    """What a fetch is for, which decides the content types it accepts."""

    FEED = "feed"
    PAGE = "page"
    ROBOTS = "robots"


ACCEPT_HEADERS = {
    Accept.FEED: "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.1",
    Accept.PAGE: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
    Accept.ROBOTS: "text/plain, */*;q=0.1",
}
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/x-rss+xml",
        "application/atom+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/rss+xml",
        "text/atom+xml",
        "application/json",
        "application/feed+json",
        "text/plain",
    }
)
# Types a server sends when it does not know better: the body decides.
VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
SNIFF_BYTES = 2048
HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|meta|link|script|style|div|p|h1|table|!--)[\s>/]",
    re.IGNORECASE,
)
FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
JSON_FEED = re.compile(rb'^\s*\{.*"version"\s*:\s*"https?://jsonfeed\.org/', re.DOTALL)
PROLOGUE = re.compile(rb"^(\s|<\?[^>]*\?>|<!--.*?-->|<!doctype[^>]*>)*", re.IGNORECASE | re.DOTALL)


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """(media type in lowercase, charset parameter) of a Content-Type header value."""
    if not value:
        return "", None
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        name, _, param_value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = param_value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def accept_header(accept: Accept) -> str:
    """The Accept request header for a fetch of this kind."""
    return ACCEPT_HEADERS[accept]


def _head(body: bytes) -> bytes:
    return body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")


def sniffs_as_html(body: bytes) -> bool:
    """True when the body starts like an HTML document."""
    return bool(HTML_START.match(_head(body)))


def sniffs_as_feed(body: bytes) -> bool:
    """True when the body's root element is rss, feed or rdf:RDF, or it is a JSON Feed."""
    head = _head(body)
    if JSON_FEED.match(head):
        return True
    prologue = PROLOGUE.match(head)
    rest = head[prologue.end() :] if prologue else head
    return bool(FEED_ROOT.match(rest))


def needs_sniffing(accept: Accept, media_type: str) -> bool:
    """True when only the body can tell whether the response is acceptable."""
    if accept is Accept.ROBOTS:
        return False
    if media_type in VAGUE_TYPES:
        return True
    return accept is Accept.FEED and media_type in PAGE_TYPES


def is_acceptable(accept: Accept, media_type: str, body: bytes | None = None) -> bool:
    """Whether a response of `media_type` (and, for vague types, `body`) suits `accept`.

    Without a body, vague types count as acceptable: the caller reads the body and asks
    again.
    """
    if accept is Accept.ROBOTS:
        return True
    known = PAGE_TYPES if accept is Accept.PAGE else FEED_TYPES
    if media_type in known:
        return True
    if not needs_sniffing(accept, media_type):
        return False
    if body is None:
        return True
    return sniffs_as_html(body) if accept is Accept.PAGE else sniffs_as_feed(body)
