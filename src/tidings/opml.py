"""OPML import and export of sources.

`parse_opml()` reads what feed readers export: `<outline>` elements with an `xmlUrl` are
feeds; the outlines that hold them are categories, whose titles become topics (lowercased).
Feeds that share an `htmlUrl` (or, without one, a title) are one outlet with several feeds,
so they become one `SourceSpec`. `write_opml()` writes OPML 2.0 that `parse_opml()` reads back
unchanged: each source's feeds sit in the folder of its first topic, all its topics are in the
`category` attribute, and its language and country are in `language` and `country`.

OPML files come from anywhere: they are parsed without DTD loading, entity expansion or
network access, and a document that declares entities is refused.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from .documents import SourceSpec
from .errors import InputError
from .feeds import normalize_lang
from .urls import http_url

__all__ = ["parse_opml", "write_opml"]

logger = logging.getLogger(__name__)

_SEPARATORS = " \t-\u2013\u2014|:\u00b7\u2022/"  # spaces, dashes, bars, dots


def parse_opml(data: bytes) -> list[SourceSpec]:
    """The sources an OPML document lists, one per outlet, in document order.

    Raises `InputError` when the document is not well-formed OPML or declares entities.
    """
    body = _body(_parse(data))
    groups: dict[tuple[str, str], _Group] = {}
    for feed in _feeds(body, ()):
        groups.setdefault(feed.key, _Group()).add(feed)
    return [group.spec() for group in groups.values()]


def write_opml(sources: Iterable[SourceSpec]) -> bytes:
    """An OPML 2.0 document listing `sources`."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "Tidings sources"
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for source in sources:
        parent = body
        if source.topics:
            topic = source.topics[0]
            if topic not in folders:
                folders[topic] = etree.SubElement(body, "outline", text=topic, title=topic)
            parent = folders[topic]
        for feed in source.feeds:
            etree.SubElement(parent, "outline", _feed_attributes(source, feed))
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True))


def _feed_attributes(source: SourceSpec, feed: str) -> dict[str, str]:
    attributes = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": feed}
    if source.homepage:
        attributes["htmlUrl"] = source.homepage
    if source.topics:
        attributes["category"] = ",".join(f"/{topic}" for topic in source.topics)
    if source.lang:
        attributes["language"] = source.lang
    if source.country:
        attributes["country"] = source.country
    return attributes


# -- reading ------------------------------------------------------------------------------------


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    if not data.strip():
        raise InputError("not OPML: empty document")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"malformed OPML at line {exc.lineno}: {exc.msg}") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError("OPML that declares entities is refused")
    if root is None or _local(root.tag) != "opml":
        raise InputError(f"not OPML: root element <{_local(root.tag)}>")
    return root


def _body(root: etree._Element) -> etree._Element:
    for child in root:
        if _local(child.tag) == "body":
            return child
    raise InputError("not OPML: no <body> element")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


@dataclass(frozen=True)
class _Feed:
    """One feed outline and what its ancestors say about it."""

    url: str
    name: str
    homepage: str | None
    lang: str | None
    country: str | None
    topics: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        if self.homepage:
            return ("homepage", self.homepage.rstrip("/").lower())
        return ("name", self.name.casefold())


def _feeds(parent: etree._Element, topics: tuple[str, ...]) -> Iterator[_Feed]:
    for outline in parent:
        if _local(outline.tag) != "outline":
            continue
        attributes = {str(k).lower(): str(v).strip() for k, v in outline.attrib.items()}
        if "xmlurl" in attributes:
            feed = _feed(attributes, topics)
            if feed is not None:
                yield feed
            continue
        title = (attributes.get("title") or attributes.get("text") or "").strip().lower()
        yield from _feeds(outline, (*topics, title) if title else topics)


def _feed(attributes: dict[str, str], topics: tuple[str, ...]) -> _Feed | None:
    url = http_url(attributes.get("xmlurl"))
    if url is None:
        logger.warning("OPML outline skipped: feed URL %r is not http(s)", attributes["xmlurl"])
        return None
    name = attributes.get("title") or attributes.get("text") or urlsplit(url).hostname or url
    country = attributes.get("country", "").upper()
    return _Feed(
        url=url,
        name=name,
        homepage=http_url(attributes.get("htmlurl")),
        lang=normalize_lang(attributes.get("language") or attributes.get("lang")),
        country=country if re.fullmatch(r"[A-Z]{2}", country) else None,
        topics=_unique((*topics, *_categories(attributes.get("category", "")))),
    )


def _categories(value: str) -> Iterator[str]:
    """Topics from an OPML 2.0 `category` attribute: comma-separated slash paths."""
    for path in value.split(","):
        for part in path.split("/"):
            if part.strip():
                yield part.strip().lower()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


@dataclass
class _Group:
    """The feeds of one outlet, gathered from several outlines."""

    feeds: list[_Feed] = field(default_factory=list)

    def add(self, feed: _Feed) -> None:
        self.feeds.append(feed)

    def spec(self) -> SourceSpec:
        feeds = self.feeds
        return SourceSpec(
            name=_common_name([feed.name for feed in feeds]),
            feeds=_unique(feed.url for feed in feeds),
            homepage=next((f.homepage for f in feeds if f.homepage), None),
            lang=next((f.lang for f in feeds if f.lang), None),
            country=next((f.country for f in feeds if f.country), None),
            topics=_unique(topic for feed in feeds for topic in feed.topics),
        )


def _common_name(names: list[str]) -> str:
    """The outlet's name from its feeds' titles: "BBC News - World", "BBC News - Business"
    give "BBC News"; titles with nothing useful in common give the first title."""
    first = names[0]
    prefix = first
    for name in names[1:]:
        size = next((i for i, (a, b) in enumerate(zip(prefix, name, strict=False)) if a != b), None)
        prefix = prefix[: min(len(prefix), len(name)) if size is None else size]
    if prefix == first:
        return first
    size = len(prefix)
    if not all(len(name) == size or name[size] in _SEPARATORS for name in names):
        prefix = prefix[: max(prefix.rfind(char) for char in _SEPARATORS) + 1]
    prefix = prefix.rstrip(_SEPARATORS)
    return prefix if len(prefix) >= 3 else first
