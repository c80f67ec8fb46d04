"""Content types a fetch accepts, and body sniffing for vague types."""

from __future__ import annotations

import pytest

from tidings.mediatypes import (
    Accept,
    is_acceptable,
    parse_content_type,
    sniffs_as_feed,
    sniffs_as_html,
)

RSS = b'<?xml version="1.0"?>\n<!-- generated --><rss version="2.0"><channel/></rss>'
ATOM = b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom"></feed>'
RDF = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>'
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": []}'
HTML = b"\n  <!DOCTYPE html><html><body></body></html>"


def test_parse_content_type() -> None:
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "ISO-8859-1")
    assert parse_content_type("application/rss+xml") == ("application/rss+xml", None)
    assert parse_content_type(None) == ("", None)


@pytest.mark.parametrize("body", [RSS, ATOM, RDF, JSON_FEED])
def test_feeds_sniff_as_feeds(body: bytes) -> None:
    assert sniffs_as_feed(body)
    assert not sniffs_as_html(body)


def test_html_sniffs_as_html() -> None:
    assert sniffs_as_html(HTML)
    assert not sniffs_as_feed(HTML)
    assert not sniffs_as_html(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("accept", "media_type", "body", "expected"),
    [
        (Accept.PAGE, "text/html", None, True),
        (Accept.PAGE, "application/xhtml+xml", None, True),
        (Accept.PAGE, "application/pdf", None, False),
        (Accept.PAGE, "", HTML, True),
        (Accept.PAGE, "", RSS, False),
        (Accept.FEED, "application/atom+xml", None, True),
        (Accept.FEED, "application/feed+json", None, True),
        (Accept.FEED, "text/plain", None, True),
        (Accept.FEED, "text/html", RSS, True),
        (Accept.FEED, "text/html", HTML, False),
        (Accept.FEED, "image/svg+xml", None, False),
        (Accept.ROBOTS, "text/html", HTML, True),
    ],
)
def test_is_acceptable(accept: Accept, media_type: str, body: bytes | None, expected: bool) -> None:
    assert is_acceptable(accept, media_type, body) is expected
