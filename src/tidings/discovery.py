"""Finding an outlet's feeds from its homepage (feed autodiscovery)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from .documents import SourceSpec
from .errors import InputError
from .fetching import Accept, Fetcher
from .urls import http_url

__all__ = ["Homepage", "discover_source", "read_homepage"]

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    }
)


@dataclass(frozen=True)
class Homepage:
    """What a homepage says about its outlet."""

    name: str | None
    lang: str | None
    feeds: tuple[str, ...]


def _name(tree: lxml.html.HtmlElement) -> str | None:
    for path in ('//meta[@property="og:site_name"]/@content', "//title/text()"):
        found = [str(v).strip() for v in tree.xpath(path) if str(v).strip()]
        if found:
            return found[0][:200]
    return None


def _feeds(tree: lxml.html.HtmlElement, base: str) -> tuple[str, ...]:
    feeds: list[str] = []
    for link in tree.xpath("//link[@href]"):
        rel = set((link.get("rel") or "").lower().split())
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = http_url(link.get("href"), base)
        if url is not None and url not in feeds:
            feeds.append(url)
    return tuple(feeds)


def read_homepage(html: str, *, url: str) -> Homepage:
    """The outlet's name, language and advertised feeds (absolute URLs, in page order)."""
    if not html.strip():
        return Homepage(None, None, ())
    tree = lxml.html.document_fromstring(html)
    lang = (tree.get("lang") or "").split("-")[0].lower() or None
    return Homepage(_name(tree), lang, _feeds(tree, url))


async def discover_source(fetcher: Fetcher, url: str) -> SourceSpec:
    """The outlet whose homepage is `url`, with the feeds the homepage advertises."""
    result = await fetcher.fetch(url, accept=Accept.PAGE)
    home = read_homepage(result.text, url=result.final_url)
    if not home.feeds:
        raise InputError(f"{url} advertises no feeds; add a feed URL instead")
    return SourceSpec(
        name=home.name or (urlsplit(result.final_url).hostname or url).removeprefix("www."),
        feeds=home.feeds,
        homepage=result.final_url,
        lang=home.lang,
    )
