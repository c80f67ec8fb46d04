"""full-text search over stories: an FTS5 index on SQLite, a GIN index on PostgreSQL

The index covers each story's headline, standfirst and the text of every body sentence, and
the database keeps it in step with the stories table by itself: on SQLite, triggers write the
FTS5 table `stories_search` (rowid = the story's id) whenever a story is written, rewritten or
deleted; on PostgreSQL an expression index over the weighted text vector of the same columns is
kept by the database. `tidings.web.search` queries both; it repeats the PostgreSQL expression
below word for word, so that the planner uses the index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 12:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BODY_TEXT = (
    "(SELECT group_concat(json_extract(s.value, '$.text'), ' ') "
    "FROM json_each({row}.body, '$.paragraphs') AS p, json_each(p.value, '$.sentences') AS s)"
)
_INSERT = (
    "INSERT INTO stories_search(rowid, headline, standfirst, body) "
    "VALUES ({row}.id, {row}.headline, {row}.standfirst, " + _BODY_TEXT + ");"
)

_DELETE = "DELETE FROM stories_search WHERE rowid = old.id;"

# Fixed SQL text: nothing from outside is formatted into these statements.
SQLITE_UP = [
    "CREATE VIRTUAL TABLE stories_search USING fts5("
    "headline, standfirst, body, tokenize = 'unicode61 remove_diacritics 2')",
    " ".join(
        [
            "CREATE TRIGGER stories_search_insert AFTER INSERT ON stories BEGIN",
            _INSERT.format(row="new"),
            "END",
        ]
    ),
    " ".join(
        [
            "CREATE TRIGGER stories_search_update AFTER UPDATE OF headline, standfirst, body",
            "ON stories BEGIN",
            _DELETE,
            _INSERT.format(row="new"),
            "END",
        ]
    ),
    " ".join(
        ["CREATE TRIGGER stories_search_delete AFTER DELETE ON stories BEGIN", _DELETE, "END"]
    ),
    " ".join(
        [
            "INSERT INTO stories_search(rowid, headline, standfirst, body)",
            "SELECT stories.id, stories.headline, stories.standfirst,",
            _BODY_TEXT.format(row="stories"),
            "FROM stories",
        ]
    ),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS stories_search_delete",
    "DROP TRIGGER IF EXISTS stories_search_update",
    "DROP TRIGGER IF EXISTS stories_search_insert",
    "DROP TABLE IF EXISTS stories_search",
]

# The same text as tidings.web.search.PG_DOCUMENT.
PG_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, headline), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, standfirst), 'B') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, jsonb_path_query_array("
    "body::jsonb, '$.paragraphs[*].sentences[*].text'), '[\"string\"]'), 'C')"
)


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX ix_stories_search ON stories USING gin (({PG_DOCUMENT}))")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_stories_search")
