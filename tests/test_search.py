"""Full-text search over stories, on the store's own index (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from feeddata import EVENTS, fill, story_body
from tidings import models
from tidings.db import MIGRATIONS, Store
from tidings.web.search import fts5_query, parse_query, pg_search_statement, search_stories


@pytest.fixture
def room(store: Store) -> dict[int, int]:
    return fill(store).story_ids


def _ids(store: Store, query: str, edition: str | None = None, limit: int = 20) -> list[int]:
    with store.session() as session:
        return [hit.card.id for hit in search_stories(session, query, edition, limit)]


def test_finds_words_of_the_headline_standfirst_and_body(
    store: Store, room: dict[int, int]
) -> None:
    assert set(_ids(store, "bridge")) == {room[11], room[12]}
    assert _ids(store, "councillors") == [room[12]]  # standfirst only
    assert _ids(store, "ventilation shafts") == [room[13]]  # body only
    assert _ids(store, "nothing-like-this") == []


def test_headline_matches_rank_above_body_matches(store: Store, room: dict[int, int]) -> None:
    # "reopens" in 11's headline; "repairs" in 11's headline and body; "Tarn" in 12's headline
    assert _ids(store, "lowmere")[0] in (room[11], room[12])
    assert _ids(store, "cables") == [room[11]]
    with store.session() as session:
        hits = search_stories(session, "copperfield", None, 10)
    assert hits[0].card.id == room[13]  # headline beats standfirst of the ferry
    assert hits[0].score > hits[1].score


def test_phrases_and_exclusions(store: Store, room: dict[int, int]) -> None:
    assert _ids(store, '"second bridge"') == [room[12]]
    assert _ids(store, '"bridge second"') == []
    assert set(_ids(store, "lowmere -councillors")) == {room[11]}


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "bridge AND",
        "NEAR(bridge",
        "headline:bridge",
        "^bridge*",
        "bri* OR (",
        "'; DROP TABLE stories; --",
        "\x00\x01",
        "-",
        "",
        "   ",
        "!!&|:*",
        "x" * 5000,
    ],
)
def test_hostile_queries_never_raise(store: Store, room: dict[int, int], query: str) -> None:
    found = _ids(store, query)
    assert all(i in room.values() for i in found)
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(models.Story)) == len(EVENTS)


def test_operator_words_are_searched_as_words(store: Store, room: dict[int, int]) -> None:
    assert _ids(store, "reopens:bridge") == [room[11]]


def test_the_index_follows_rewrites_and_deletions(store: Store, room: dict[int, int]) -> None:
    with store.session() as session:
        row = session.get(models.Story, room[12])
        assert row is not None
        body = story_body(12, [1]).model_copy(update={"lang": "en"})
        data = body.model_dump(mode="json")
        data["paragraphs"][0]["sentences"][0]["text"] = "A gondola was chosen instead."
        row.body = data
        row.headline = "Lowmere picks a gondola over a second bridge"
    assert _ids(store, "gondola") == [room[12]]
    assert _ids(store, "spring") == []  # the old body is gone from the index
    with store.session() as session:
        session.execute(sa.delete(models.Story).where(models.Story.id == room[11]))
    assert _ids(store, "cables") == []


def test_translated_headline_for_the_edition(store: Store, room: dict[int, int]) -> None:
    translated = story_body(11, [1]).model_dump(mode="json")
    translated["headline"]["text"] = "Riverside-brua i Lowmere er åpen igjen"
    with store.session() as session:
        session.add(
            models.StoryTranslation(
                story_id=room[11], lang="nb", version=1, body=translated, translator="x"
            )
        )
    with store.session() as session:
        (hit,) = search_stories(session, "cables", "nb", 5)
        (original,) = search_stories(session, "cables", None, 5)
    assert hit.card.headline == "Riverside-brua i Lowmere er åpen igjen"
    assert hit.card.shown_lang == "nb"
    assert original.card.headline.startswith("Riverside bridge")


def test_limit_and_labels(store: Store, room: dict[int, int]) -> None:
    assert len(_ids(store, "lowmere", limit=1)) == 1
    assert _ids(store, "lowmere", limit=0) == []
    with store.session() as session:
        hits = {h.card.id: h for h in search_stories(session, "copperfield", None, 5)}
    assert hits[room[13]].card.generative
    assert not hits[room[14]].card.generative
    assert hits[room[14]].card.outlets == 2


def test_query_parsing_keeps_syntax_out() -> None:
    parts = parse_query('"Second  bridge" -tarn NEAR(x) a:b')
    assert parts.required == (("second", "bridge"), ("near",), ("x",), ("a",), ("b",))
    assert parts.excluded == (("tarn",),)
    assert fts5_query(parts) == '("second bridge" AND "near" AND "x" AND "a" AND "b") NOT "tarn"'
    assert fts5_query(parse_query("-only")) is None


def test_upgrading_an_older_store_indexes_its_stories(store: Store) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    room = fill(store)  # written while no index exists
    assert store.revision() == "0003"
    store.migrate()
    assert _ids(store, "ventilation") == [room.story_ids[13]]


def test_postgresql_search_uses_the_index(store: Store, room: dict[int, int]) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the expression index is PostgreSQL's; run with --db postgresql+psycopg://…")
    statement = pg_search_statement(parse_query("bridge -tarn"), 10)
    compiled = statement.compile(
        dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with store.session() as session:
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = session.execute(sa.text(f"EXPLAIN {compiled}")).scalars().all()
    assert any("ix_stories_search" in line for line in plan), plan
