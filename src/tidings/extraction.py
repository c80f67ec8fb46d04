"""Turning a raw page into a clean article.

Three kinds of page are read (see `PageKind`):

- HTML: trafilatura finds the article block (precision mode, reader comments left out; the
  other modes are tried when it finds nothing), the page's head gives the metadata, and
  `boilerplate` removes what the block still holds. Markup never reaches the text.
- TEXT: the first non-empty line after boilerplate removal is the title and the rest is the
  body. A first line as long as a paragraph is a lead without a headline: it stays in the
  body and its first sentence becomes the title.
- ARTICLE_JSON: one object with id, url, outlet, lang, title, text and published.

In every article the body is a run of paragraphs separated by one blank line ("\\n\\n"); a
line break inside a sentence (hard-wrapped text) is joined with a space.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

import trafilatura
from lxml import html
from trafilatura.utils import load_html

from .boilerplate import clean_html, clean_text
from .charsets import decode
from .documents import Article, PageKind, RawPage
from .errors import ExtractionError
from .language import detect_language, language_code
from .moments import parse_time, utc
from .urls import http_url

__all__ = ["MIN_TEXT_CHARS", "extract", "paragraphs"]

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 25  # a body shorter than this is not an article
TITLE_CHARS = 150  # a first line longer than this is a paragraph, not a headline
_SENTENCE_END = re.compile(
    r"(?<=[.!?\u2026])[\"\u201d\u2019\u00bb)]*\s+(?=[\"\u201c\u2018\u00ab(]?[A-Z\u00c0-\u00de0-9])"
)
# trafilatura modes tried in turn, as (favor_precision, favor_recall)
_MODES = ((True, False), (False, False), (False, True))


def extract(page: RawPage) -> Article:
    """The article in `page`; raises ExtractionError when the page holds no article text."""
    readers: dict[PageKind, Callable[[RawPage], Article]] = {
        PageKind.HTML: _from_html,
        PageKind.TEXT: _from_text,
        PageKind.ARTICLE_JSON: _from_json,
    }
    article = readers[page.kind](page)
    return _with_hints(article, page)


# -- paragraphs and the parts shared by every kind ------------------------------------------


def _joins(line: str, following: str) -> bool:
    """Whether a line break falls inside a sentence (hard-wrapped text)."""
    return bool(following) and following[0].islower() and not line.endswith((".", ":", ";"))


def paragraphs(text: str) -> str:
    """Normalise `text` to paragraphs separated by one blank line.

    Each non-empty line is a paragraph, except that a line continuing a sentence (it starts in
    lower case after a line that ends without punctuation) is joined to the one before.
    """
    out: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if out and _joins(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n\n".join(out)


def _headline(line: str) -> str:
    """A headline for a lead paragraph: its first sentence, cut at a word if too long."""
    first = _SENTENCE_END.split(line, maxsplit=1)[0].strip()
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-\u2013\u2014 ")
    return f"{cut}…"


def _body(text: str) -> str:
    body = paragraphs(text)
    if len(body) < MIN_TEXT_CHARS:
        raise ExtractionError(f"no article text ({len(body)} characters after cleaning)")
    return body


def _with_hints(article: Article, page: RawPage) -> Article:
    """Fill what the page did not say from what the feed entry said."""
    return replace(
        article,
        url=article.url or page.url,
        title=article.title or (page.hint_title or "").strip(),
        published=article.published or utc(page.hint_published),
        outlet=article.outlet or page.hint_outlet,
        lang=article.lang or page.hint_lang,
    )


# -- plain text -----------------------------------------------------------------------------


def _from_text(page: RawPage) -> Article:
    text = clean_text(decode(page.body, declared=page.encoding, media_type="text/plain"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ExtractionError("no article text: the text page is empty")
    first, rest = lines[0], lines[1:]
    if len(first) > TITLE_CHARS:
        title, rest = _headline(first), lines
    else:
        title = first
    body = _body("\n".join(rest))
    return Article(title=title, text=body, url=page.url, lang=detect_language(body))


# -- article JSON ---------------------------------------------------------------------------


def _field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None


def _from_json(page: RawPage) -> Article:
    try:
        record = json.loads(
            decode(page.body, declared=page.encoding, media_type="application/json")
        )
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"article JSON is not valid JSON: {exc.msg} at {exc.pos}") from exc
    if not isinstance(record, dict):
        raise ExtractionError("article JSON is not one object")
    text = _field(record, "text")
    if not text:
        raise ExtractionError("article JSON has no text")
    body = _body(clean_text(text))
    url = http_url(_field(record, "url"), None)
    return Article(
        title=_field(record, "title") or "",
        text=body,
        url=url,
        outlet=_field(record, "outlet"),
        lang=language_code(_field(record, "lang")) or detect_language(body),
        published=parse_time(_field(record, "published")),
        external_id=_field(record, "id"),
    )


# -- HTML -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Head:
    """What a page says about itself, outside the article text."""

    title: str | None = None
    canonical: str | None = None
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    image: str | None = None
    outlet: str | None = None
    lang: str | None = None


_PUBLISHED_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='pubdate' or @name='publishdate' or @name='publish-date']/@content",
    "//meta[@name='dc.date.issued' or @name='DC.date.issued' or @name='date']/@content",
    "//meta[@name='parsely-pub-date' or @name='sailthru.date']/@content",
    "//time[@pubdate]/@datetime",
)
_IMAGE_META = (
    "//meta[@property='og:image:secure_url']/@content",
    "//meta[@property='og:image']/@content",
    "//meta[@name='twitter:image' or @property='twitter:image']/@content",
    "//link[@rel='image_src']/@href",
)
_CANONICAL = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href",
    "//meta[@property='og:url']/@content",
)


def _first(tree: html.HtmlElement, paths: Iterable[str]) -> str | None:
    for path in paths:
        for value in tree.xpath(path):
            if str(value).strip():
                return str(value).strip()
    return None


def _json_ld_published(tree: html.HtmlElement) -> datetime | None:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            found = _find_key(json.loads(script), "datePublished")
        except json.JSONDecodeError:
            continue
        moment = parse_time(found)
        if moment:
            return moment
    return None


def _find_key(data: Any, key: str) -> str | None:
    """The first string value of `key` anywhere in decoded JSON."""
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return str(data[key])
        children: Iterable[Any] = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children:
        found = _find_key(child, key)
        if found:
            return found
    return None


def _published(tree: html.HtmlElement, found: Any) -> datetime | None:
    moment = parse_time(_first(tree, _PUBLISHED_META)) or _json_ld_published(tree)
    return moment or parse_time(getattr(found, "date", None))


def _authors(found: Any, tree: html.HtmlElement) -> tuple[str, ...]:
    raw = getattr(found, "author", None) or _first(tree, ("//meta[@name='author']/@content",))
    if not raw:
        return ()
    names = (" ".join(name.split()) for name in re.split(r";|\s+and\s+|\|", raw))
    return tuple(dict.fromkeys(name for name in names if name))


def _head(tree: html.HtmlElement, found: Any, base: str | None) -> _Head:
    site = _first(tree, ("//meta[@property='og:site_name']/@content",))
    named = getattr(found, "sitename", None) or ""
    site = site or (named if " " in named or "." not in named else None) or None
    lang = _first(tree, ("/html/@lang", "//meta[@http-equiv='content-language']/@content"))
    return _Head(
        title=getattr(found, "title", None),
        canonical=http_url(_first(tree, _CANONICAL) or getattr(found, "url", None), base),
        published=_published(tree, found),
        authors=_authors(found, tree),
        image=http_url(_first(tree, _IMAGE_META) or getattr(found, "image", None), base),
        outlet=site,
        lang=language_code(lang),
    )


def _parse(markup: str) -> html.HtmlElement:
    if not markup.strip():
        raise ExtractionError("no article text: the page is empty")
    tree = load_html(markup)
    if tree is None:
        raise ExtractionError("no article text: the page is not HTML")
    return cast(html.HtmlElement, tree)


def _article_block(tree: html.HtmlElement, url: str | None) -> Any:
    """trafilatura's result for the first mode that finds text, or None."""
    for precision, recall in _MODES:
        found: Any = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            with_metadata=True,
            favor_precision=precision,
            favor_recall=recall,
        )
        if found is not None and (found.text or "").strip():
            return found
    return None


def _drop_title_line(text: str, title: str | None) -> str:
    """The text without a first line that repeats the headline."""
    if not title:
        return text
    first, _, rest = text.lstrip().partition("\n")
    same = " ".join(first.split()).casefold() == " ".join(title.split()).casefold()
    return rest if same else text


def _from_html(page: RawPage) -> Article:
    tree = _parse(decode(page.body, declared=page.encoding, media_type="text/html"))
    found = _article_block(clean_html(tree), page.url)
    if found is None:
        raise ExtractionError("no article text: no article block found in the page")
    head = _head(tree, found, page.url)
    body = _body(clean_text(_drop_title_line(found.text, head.title)))
    return Article(
        title=(head.title or "").strip(),
        text=body,
        url=page.url,
        canonical_url=head.canonical,
        outlet=head.outlet,
        lang=detect_language(body) or head.lang,
        published=head.published,
        authors=head.authors,
        image=head.image,
    )
