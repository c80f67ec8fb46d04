"""The user's source list in the store: outlets and their feeds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .db import Store
from .documents import SourceSpec
from .errors import InputError
from .models import Feed, Source

__all__ = [
    "ImportReport",
    "add_sources",
    "list_sources",
    "remove_source",
    "source_specs",
    "spec_for_url",
]


@dataclass(frozen=True)
class ImportReport:
    sources_added: int
    feeds_added: int
    feeds_known: int  # feeds that were in the list already


def spec_for_url(
    url: str,
    *,
    name: str | None = None,
    homepage: str | None = None,
    lang: str | None = None,
    country: str | None = None,
    topics: Iterable[str] = (),
) -> SourceSpec:
    """A source of one feed URL; the outlet is named after the host unless a name is given."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.removeprefix("www.")
    return SourceSpec(
        name=name or host,
        feeds=(url,),
        homepage=homepage or f"{parts.scheme}://{parts.netloc}/",
        lang=lang,
        country=country,
        topics=tuple(topics),
    )


def add_sources(store: Store, specs: Iterable[SourceSpec]) -> ImportReport:
    """Add outlets and feeds; an outlet already known by name gains the new feeds."""
    sources = feeds = known = 0
    with store.session() as session:
        for spec in specs:
            source = session.scalar(sa.select(Source).where(Source.name == spec.name))
            if source is None:
                source = _new_source(spec)
                session.add(source)
                sources += 1
            for url in spec.feeds:
                if session.scalar(sa.select(Feed.id).where(Feed.url == url)) is not None:
                    known += 1
                    continue
                source.feeds.append(Feed(url=url))
                feeds += 1
            session.flush()
    return ImportReport(sources, feeds, known)


def _new_source(spec: SourceSpec) -> Source:
    return Source(
        name=spec.name,
        homepage=spec.homepage,
        lang=spec.lang,
        country=spec.country.upper() if spec.country else None,
        topics=",".join(spec.topics),
    )


def remove_source(store: Store, name_or_url: str) -> str:
    """Remove an outlet (by name) or one feed (by URL); returns what was removed."""
    with store.session() as session:
        feed = session.scalar(sa.select(Feed).where(Feed.url == name_or_url))
        if feed is not None:
            session.delete(feed)
            return f"feed {name_or_url}"
        source = session.scalar(sa.select(Source).where(Source.name == name_or_url))
        if source is None:
            raise InputError(f"no source or feed named {name_or_url!r}")
        session.delete(source)
        return f"source {name_or_url} and its {len(source.feeds)} feeds"


def list_sources(session: Session) -> list[Source]:
    """Every source with its feeds, by name."""
    query = sa.select(Source).options(selectinload(Source.feeds)).order_by(Source.name)
    return list(session.scalars(query))


def source_specs(store: Store) -> list[SourceSpec]:
    """The source list as specs, e.g. to export it as OPML."""
    with store.session() as session:
        return [
            SourceSpec(
                name=s.name,
                feeds=tuple(f.url for f in s.feeds),
                homepage=s.homepage,
                lang=s.lang,
                country=s.country,
                topics=tuple(t for t in s.topics.split(",") if t),
            )
            for s in list_sources(session)
        ]
