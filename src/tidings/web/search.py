"""Full-text search over the published stories, ranked, on SQLite and PostgreSQL alike.

Migration 0004 keeps the index: an FTS5 table over each story's headline, standfirst and body
sentences on SQLite, a weighted text-vector expression index over the same on PostgreSQL. A
reader's query is never handed to either query language as it is: `parse_query` reads it as
words, "quoted phrases" and -excluded words, and each dialect's query is built from those parts
alone, so no input, however odd, is a syntax error. Headlines weigh more than standfirsts, and
standfirsts more than the body.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Story as StoryRow
from .reading import StoryCard, story_cards

__all__ = [
    "PG_DOCUMENT",
    "QueryParts",
    "SearchHit",
    "fts5_query",
    "parse_query",
    "pg_search_statement",
    "search_stories",
]

log = logging.getLogger(__name__)

MAX_LIMIT = 100
MAX_QUERY_CHARS = 500
MAX_PARTS = 12
_TOKENS = re.compile(r'"[^"]*"?|\S+')
_WORDS = re.compile(r"\w+")

# Word for word the expression of the index `ix_stories_search` (migration 0004).
PG_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, headline), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, standfirst), 'B') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, jsonb_path_query_array("
    "body::jsonb, '$.paragraphs[*].sentences[*].text'), '[\"string\"]'), 'C')"
)

_SQLITE_SEARCH = sa.text(
    "SELECT stories.id, bm25(stories_search, 10.0, 4.0, 1.0) AS rank "
    "FROM stories_search JOIN stories ON stories.id = stories_search.rowid "
    "WHERE stories_search MATCH :match ORDER BY rank, stories.id DESC LIMIT :limit"
)


@dataclass(frozen=True)
class QueryParts:
    """What a reader asked for: phrases that must all occur, and words that must not.

    A phrase is a tuple of words (a single word is a phrase of one).
    """

    required: tuple[tuple[str, ...], ...]
    excluded: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One story that matches: its card (in the edition's language where a translation of
    its current version exists) and how well it matches."""

    card: StoryCard
    score: float  # higher is a better match

    @property
    def story_id(self) -> int:
        return self.card.id


def parse_query(text: str) -> QueryParts:
    """Read a reader's query as words, "quoted phrases" and -excluded words or phrases.

    Everything but letters and digits is a separator, so quotes, brackets, stars, colons and
    operators of any query language are read as plain text, never as syntax.
    """
    required: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    for token in _TOKENS.findall(text[:MAX_QUERY_CHARS]):
        negative = token.startswith("-") and len(token) > 1
        words = tuple(w.lower() for w in _WORDS.findall(token))
        if not words:
            continue
        # a quoted phrase stays one; "u.s.-led" unquoted is the words u, s and led
        phrases = [words] if token.lstrip("-").startswith('"') else [(w,) for w in words]
        (excluded if negative else required).extend(phrases)
    return QueryParts(tuple(required[:MAX_PARTS]), tuple(excluded[:MAX_PARTS]))


def fts5_query(parts: QueryParts) -> str | None:
    """The FTS5 MATCH expression of `parts`; None when nothing is required."""
    if not parts.required:
        return None

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'  # words hold letters and digits only

    expression = " AND ".join(phrase(p) for p in parts.required)
    for words in parts.excluded:
        expression = f"({expression}) NOT {phrase(words)}"
    return expression


def _pg_query(parts: QueryParts) -> sa.ColumnElement[Any]:
    def phrase(words: tuple[str, ...]) -> sa.ColumnElement[Any]:
        return sa.func.phraseto_tsquery(sa.literal_column("'simple'::regconfig"), " ".join(words))

    query = phrase(parts.required[0])
    for words in parts.required[1:]:
        query = sa.func.tsquery_and(query, phrase(words))
    for words in parts.excluded:
        query = sa.func.tsquery_and(query, sa.func.tsquery_not(phrase(words)))
    return query


def _ranked_ids(session: Session, parts: QueryParts, limit: int) -> list[tuple[int, float]]:
    if session.get_bind().dialect.name == "sqlite":
        match = fts5_query(parts)
        try:
            rows = session.execute(_SQLITE_SEARCH, {"match": match, "limit": limit}).all()
        except sa.exc.OperationalError as exc:  # the parser above should make this unreachable
            log.warning("search query %r failed: %s", match, exc.orig)
            return []
        return [(int(row.id), -float(row.rank)) for row in rows]
    statement = pg_search_statement(parts, limit)
    return [(int(row.id), float(row.rank)) for row in session.execute(statement)]


def pg_search_statement(parts: QueryParts, limit: int) -> sa.Select[int, float]:
    """The PostgreSQL query of `parts`: story ids and ranks, over the index's expression."""
    document: sa.ColumnElement[Any] = sa.literal_column(f"({PG_DOCUMENT})")
    query = _pg_query(parts)
    rank = sa.func.ts_rank_cd(document, query).label("rank")
    return (
        sa.select(StoryRow.id, rank)
        .where(document.bool_op("@@")(query))
        .order_by(rank.desc(), StoryRow.id.desc())
        .limit(limit)
    )


def search_stories(
    session: Session, query: str, edition: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """The stories that match a reader's `query`, best first, at most `limit` of them.

    Every story is published in every edition; `edition` picks the language the headline and
    standfirst are shown in where a translation into it exists (None: the story's own). A
    query with no words gives no hits; no query raises.
    """
    parts = parse_query(query)
    if not parts.required or limit < 1:
        return []
    ranked = _ranked_ids(session, parts, min(limit, MAX_LIMIT))
    scores = dict(ranked)
    cards = story_cards(session, [story_id for story_id, _score in ranked], edition or "")
    return [SearchHit(card, scores[card.id]) for card in cards]
