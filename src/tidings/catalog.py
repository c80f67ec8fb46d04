"""The curated default sources, and the TOML shape that lists sources.

`default_sources()` gives the outlets shipped in `data/sources.toml`, so that a fresh install
fetches real news with no configuration. `parse_source_list()` reads any list of that shape
(one `[[source]]` table per outlet with name, homepage, lang, country, topics and feeds) and
checks it: https URLs, each feed once, ISO 639-1 languages, ISO 3166-1 alpha-2 countries and
topic names from `TOPICS`. A broken list raises `InputError` naming the source and the field.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .documents import SourceSpec
from .errors import InputError

__all__ = ["SUBJECTS", "TOPICS", "default_sources", "parse_source_list"]

SUBJECTS: frozenset[str] = frozenset(
    {"world", "politics", "business", "tech", "science", "health", "climate", "sport",
     "culture", "entertainment"}
)  # fmt: skip
"""Topics that name a subject; every other topic names a place."""

_PLACES = frozenset(
    {"africa", "americas", "asia", "europe", "latin-america", "middle-east", "oceania",
     "argentina", "australia", "austria", "brazil", "canada", "china", "denmark", "finland",
     "france", "germany", "india", "ireland", "italy", "japan", "korea", "mexico", "norway",
     "portugal", "spain", "sweden", "switzerland", "uk", "us"}
)  # fmt: skip

TOPICS: frozenset[str] = SUBJECTS | _PLACES
"""Every topic name a source list may use."""

_FIELDS = frozenset({"name", "homepage", "lang", "country", "topics", "feeds"})
_LANG = re.compile(r"[a-z]{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def default_sources() -> list[SourceSpec]:
    """The curated sources shipped with Tidings."""
    text = resources.files("tidings").joinpath("data", "sources.toml").read_text("utf-8")
    return parse_source_list(text, origin="tidings/data/sources.toml")


def parse_source_list(text: str, *, origin: str) -> list[SourceSpec]:
    """The sources of a TOML source list; `origin` names the list in error messages."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin} is not valid TOML: {exc}") from exc
    tables = document.get("source")
    if not isinstance(tables, list) or not tables:
        raise InputError(f"{origin} has no [[source]] tables")
    sources = [_source(table, f"{origin}: source {n}") for n, table in enumerate(tables, 1)]
    _check_unique_feeds(sources, origin)
    return sources


def _source(table: Any, where: str) -> SourceSpec:
    if not isinstance(table, dict):
        raise InputError(f"{where} is not a table")
    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise InputError(f"{where} has unknown fields: {', '.join(unknown)}")
    name = _string(table, "name", where)
    where = f"{where} ({name})"
    lang = _string(table, "lang", where)
    if not _LANG.fullmatch(lang):
        raise InputError(f"{where}: lang {lang!r} is not an ISO 639-1 code like 'en' or 'nb'")
    country = _string(table, "country", where)
    if not _COUNTRY.fullmatch(country):
        raise InputError(f"{where}: country {country!r} is not an ISO 3166-1 code like 'NO'")
    topics = _strings(table, "topics", where)
    unknown_topics = [topic for topic in topics if topic not in TOPICS]
    if unknown_topics:
        raise InputError(f"{where}: unknown topics: {', '.join(unknown_topics)}")
    return SourceSpec(
        name=name,
        feeds=tuple(_https(url, "feeds", where) for url in _strings(table, "feeds", where)),
        homepage=_https(_string(table, "homepage", where), "homepage", where),
        lang=lang,
        country=country,
        topics=tuple(topics),
    )


def _string(table: dict[str, Any], field: str, where: str) -> str:
    value = table.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: {field} must be a non-empty string")
    return value.strip()


def _strings(table: dict[str, Any], field: str, where: str) -> list[str]:
    value = table.get(field)
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}: {field} must be a non-empty list of strings")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise InputError(f"{where}: {field} must hold only non-empty strings")
    if len(set(value)) != len(value):
        raise InputError(f"{where}: {field} lists an entry twice")
    return [item.strip() for item in value]


def _https(url: str, field: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise InputError(f"{where}: {field} {url!r} is not an https URL")
    return url


def _check_unique_feeds(sources: list[SourceSpec], origin: str) -> None:
    owners: dict[str, str] = {}
    for source in sources:
        for feed in source.feeds:
            if feed in owners:
                raise InputError(
                    f"{origin}: feed {feed} is listed by both {owners[feed]} and {source.name}"
                )
            owners[feed] = source.name
