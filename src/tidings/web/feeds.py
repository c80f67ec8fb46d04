"""The site's syndication feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

There is one feed per edition (`/{edition}/feed.rss`, `.atom`, `.json`), per topic
(`/{edition}/topic/{topic}/feed.…`) and per storyline (`/{edition}/storyline/{id}/feed.…`).
An entry's id is a tag URI made of the site's host, the day the story was first written, the
edition and the story's id, so a rewritten story keeps its id and readers see an update, not a
new item. Each entry carries its permalink, when it was published and last updated, the
standfirst as summary and the honest label of what wrote it.

Story text is untrusted: the XML is written by ElementTree (which escapes markup and
entities), characters XML cannot carry are removed first, and JSON is written by `json`.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import __version__, models
from ..db import Store
from ..settings import Settings
from .i18n import gettext, ngettext, use
from .reading import StoryCard, latest_stories, story_path, storyline_stories, topic_stories

__all__ = [
    "FEED_FORMATS",
    "Feed",
    "FeedItem",
    "edition_feed",
    "entry_id",
    "feed_path",
    "feed_routes",
    "honest_label",
    "known_topics",
    "render_atom",
    "render_feed",
    "render_json_feed",
    "render_rss",
    "storyline_feed",
    "topic_feed",
    "xml_text",
]

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "xml:lang"  # namespaces are written as plain attributes, prefixes as plain names

FEED_FORMATS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FEED_SIZE = 50
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedItem:
    """One story as a feed entry."""

    id: str  # tag URI, stable across rewrites
    url: str  # permalink of the story page
    title: str
    summary: str  # the standfirst
    label: str  # "Reported by AI" or "Compiled automatically from N sources", translated
    published: datetime
    updated: datetime
    lang: str  # the language the title and summary are in
    topics: tuple[str, ...]
    image: str | None  # absolute URL of the illustration


@dataclass(frozen=True)
class Feed:
    """One feed, whatever format it is written in."""

    id: str
    title: str
    home: str  # the page the feed follows
    base: str  # the feed's URL without its format extension
    lang: str
    updated: datetime
    items: tuple[FeedItem, ...]
    author: str = "Tidings"
    generator: str = "Tidings"


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry (control characters, lone
    surrogates); ElementTree escapes the rest."""
    return _NOT_XML.sub("", value)


def _site(settings: Settings) -> str:
    return settings.site_url.rstrip("/")


def entry_id(settings: Settings, edition: str, card: StoryCard) -> str:
    """The tag URI of a story in an edition: the same for every version of the story."""
    host = urlsplit(settings.site_url).hostname or "localhost"
    day = card.created_at.astimezone(UTC).date().isoformat()
    return f"tag:{host},{day}:{edition}/story/{card.id}"


def honest_label(card: StoryCard, lang: str) -> str:
    """What wrote the story, in `lang`: "Reported by AI" only when a generative model did."""
    with use(lang):
        if card.generative:
            return gettext("Reported by AI")
        text = ngettext(
            "Compiled automatically from %(num)d source",
            "Compiled automatically from %(num)d sources",
            card.outlets,
        )
    return text % {"num": card.outlets}


def _item(settings: Settings, edition: str, card: StoryCard) -> FeedItem:
    site = _site(settings)
    return FeedItem(
        id=entry_id(settings, edition, card),
        url=site + story_path(edition, card),
        title=xml_text(card.headline),
        summary=xml_text(card.standfirst),
        label=honest_label(card, edition),
        published=card.created_at,
        updated=card.updated_at,
        lang=card.shown_lang,
        topics=card.topics,
        image=site + card.image.url if card.image else None,
    )


def feed_path(page: str) -> str:
    """The path of a page's feed, without the format extension: /en/ → /en/feed,
    /en/topic/world → /en/topic/world/feed."""
    return page.rstrip("/") + "/feed"


def _feed(
    settings: Settings, edition: str, path: str, title: str, cards: Sequence[StoryCard]
) -> Feed:
    site = _site(settings)
    ordered = sorted(cards, key=lambda c: (c.updated_at, c.id), reverse=True)[:FEED_SIZE]
    items = tuple(_item(settings, edition, c) for c in ordered)
    host = urlsplit(settings.site_url).hostname or "localhost"
    return Feed(
        id=f"tag:{host},2026:{path.strip('/') or edition}",
        title=title,
        home=site + path,
        base=site + feed_path(path),
        lang=edition,
        updated=max((i.updated for i in items), default=datetime(2026, 1, 1, tzinfo=UTC)),
        items=items,
        author=settings.site_name,
        generator=f"Tidings {__version__}",
    )


def edition_feed(session: Session, settings: Settings, edition: str) -> Feed:
    """The latest stories of an edition."""
    cards = latest_stories(session, edition, limit=FEED_SIZE)
    return _feed(settings, edition, f"/{edition}/", settings.site_name, cards)


def known_topics(session: Session) -> list[str]:
    """Every topic an outlet is filed under, lower-case, sorted."""
    topics: set[str] = set()
    for value in session.scalars(sa.select(models.Source.topics).distinct()):
        topics.update(t.strip().lower() for t in (value or "").split(",") if t.strip())
    return sorted(topics)


def topic_feed(session: Session, settings: Settings, edition: str, topic: str) -> Feed | None:
    """The latest stories of a topic; None when no outlet is filed under it."""
    if topic.lower() not in known_topics(session):
        return None
    cards = topic_stories(session, topic, edition, limit=FEED_SIZE)
    with use(edition):
        title = f"{settings.site_name}: {gettext(topic.capitalize())}"
    return _feed(settings, edition, f"/{edition}/topic/{quote(topic.lower())}", title, cards)


def storyline_feed(
    session: Session, settings: Settings, edition: str, storyline_id: int
) -> Feed | None:
    """The stories of one storyline, latest first; None when there is no such storyline."""
    if session.get(models.Storyline, storyline_id) is None:
        return None
    cards = storyline_stories(session, storyline_id, edition)
    first = cards[0].headline if cards else str(storyline_id)
    title = f"{settings.site_name}: {first}"
    return _feed(settings, edition, f"/{edition}/storyline/{storyline_id}", title, cards)


def _rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _xml(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def render_rss(feed: Feed) -> bytes:
    """The feed as RSS 2.0."""
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM})
    channel = _sub(rss, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.home)
    _sub(channel, "description", feed.title)
    _sub(channel, "language", feed.lang)
    _sub(channel, "lastBuildDate", format_datetime(feed.updated.astimezone(UTC), usegmt=True))
    _sub(channel, "generator", feed.generator)
    _sub(channel, "atom:link", href=feed.base + ".rss", rel="self", type=FEED_FORMATS["rss"])
    for item in feed.items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.url)
        _sub(entry, "guid", item.id, isPermaLink="false")
        _sub(entry, "pubDate", format_datetime(item.published.astimezone(UTC), usegmt=True))
        _sub(entry, "description", f"{item.summary}\n\n{item.label}")
        for topic in item.topics:
            _sub(entry, "category", topic)
        if item.image:
            _sub(entry, "enclosure", url=item.image, type="image/png", length="0")
    return _xml(rss)


def render_atom(feed: Feed) -> bytes:
    """The feed as Atom 1.0."""
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: feed.lang})
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    _sub(root, "updated", _rfc3339(feed.updated))
    _sub(root, "link", rel="alternate", type="text/html", href=feed.home)
    _sub(root, "link", rel="self", type=FEED_FORMATS["atom"], href=feed.base + ".atom")
    _sub(_sub(root, "author"), "name", feed.author)
    _sub(root, "generator", feed.generator)
    for item in feed.items:
        entry = _sub(root, "entry", **{XML_LANG: item.lang})
        _sub(entry, "id", item.id)
        _sub(entry, "title", item.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=item.url)
        _sub(entry, "published", _rfc3339(item.published))
        _sub(entry, "updated", _rfc3339(item.updated))
        _sub(entry, "summary", item.summary, type="text")
        _sub(entry, "content", f"{item.summary}\n\n{item.label}", type="text")
        for topic in item.topics:
            _sub(entry, "category", term=topic)
        if item.image:
            _sub(entry, "link", rel="enclosure", type="image/png", href=item.image)
    return _xml(root)


def render_json_feed(feed: Feed) -> bytes:
    """The feed as JSON Feed 1.1."""
    items: list[dict[str, Any]] = []
    for item in feed.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "content_text": f"{item.summary}\n\n{item.label}",
            "date_published": _rfc3339(item.published),
            "date_modified": _rfc3339(item.updated),
            "language": item.lang,
            "tags": list(item.topics),
            "_tidings": {"label": item.label},
        }
        if item.image:
            entry["image"] = item.image
        items.append(entry)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.base + ".json",
        "language": feed.lang,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


RENDERERS: dict[str, Callable[[Feed], bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json_feed,
}


def render_feed(feed: Feed, fmt: str) -> bytes:
    """The feed written in `fmt` (rss, atom or json)."""
    return RENDERERS[fmt](feed)


def _response(request: Request, feed: Feed | None, fmt: str) -> Response:
    if feed is None:
        raise HTTPException(404)
    body = render_feed(feed, fmt)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(feed.updated.astimezone(UTC), usegmt=True),
        "Cache-Control": "public, max-age=300",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{FEED_FORMATS[fmt]}; charset=utf-8", headers=headers)


def _context(request: Request) -> tuple[Settings, Store, str, str]:
    settings: Settings = request.app.state.settings
    edition = request.path_params["edition"]
    fmt = request.path_params["fmt"]
    if edition not in settings.editions or fmt not in FEED_FORMATS:
        raise HTTPException(404)
    return settings, request.app.state.store, edition, fmt


def _edition_endpoint(request: Request) -> Response:
    settings, store, edition, fmt = _context(request)
    with store.session() as session:
        feed = edition_feed(session, settings, edition)
    return _response(request, feed, fmt)


def _topic_endpoint(request: Request) -> Response:
    settings, store, edition, fmt = _context(request)
    with store.session() as session:
        feed = topic_feed(session, settings, edition, request.path_params["topic"])
    return _response(request, feed, fmt)


def _storyline_endpoint(request: Request) -> Response:
    settings, store, edition, fmt = _context(request)
    with store.session() as session:
        feed = storyline_feed(session, settings, edition, request.path_params["storyline"])
    return _response(request, feed, fmt)


def feed_routes() -> list[BaseRoute]:
    """The feed routes the web app mounts; they read `app.state.settings` and `.store`."""
    return [
        Route("/{edition}/feed.{fmt}", _edition_endpoint, name="feed"),
        Route("/{edition}/topic/{topic}/feed.{fmt}", _topic_endpoint, name="topic_feed"),
        Route(
            "/{edition}/storyline/{storyline:int}/feed.{fmt}",
            _storyline_endpoint,
            name="storyline_feed",
        ),
    ]
