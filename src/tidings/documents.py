"""The records that flow between the ingest stages.

A `RawPage` is what a fetch or an offline input gives: bytes and what is known about them.
`extract()` turns one into an `Article`. A `SourceSpec` describes one outlet and its feeds, as
read from OPML, the command line or the curated default list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = ["Article", "PageKind", "RawPage", "SourceSpec"]


class PageKind(StrEnum):
    """How the bytes of a raw page are to be read."""

    HTML = "html"  # a web page; extraction finds the article in it
    TEXT = "text"  # plain text like the seeds: first line is the title, the rest the body
    ARTICLE_JSON = "article-json"  # one JSON object: id, url, outlet, lang, title, text, published


@dataclass(frozen=True)
class RawPage:
    """One page as fetched or read, before extraction."""

    kind: PageKind
    body: bytes
    url: str | None = None  # the final URL after redirects, when it came from the web
    origin: str = ""  # where it came from: a feed URL, a file path, "warc:FILE#N"
    encoding: str | None = None  # the charset the server or file declared, if any
    fetched_at: datetime | None = None
    # What the feed entry said about the page, used when the page itself does not say.
    hint_title: str | None = None
    hint_published: datetime | None = None
    hint_outlet: str | None = None
    hint_lang: str | None = None


@dataclass(frozen=True)
class Article:
    """A clean news article: what the later stages read."""

    title: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    lang: str | None = None  # ISO 639-1; Norwegian Bokmål is "nb"
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    image: str | None = None
    external_id: str | None = None  # the id a JSONL input gave the article


@dataclass(frozen=True)
class SourceSpec:
    """One outlet and its feeds."""

    name: str
    feeds: tuple[str, ...]
    homepage: str | None = None
    lang: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    topics: tuple[str, ...] = field(default_factory=tuple)  # world, business, tech, ...
