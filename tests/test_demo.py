"""The demo: the fictional sample newsroom served on 127.0.0.1 and read end to end.

`expected.json` in the sample newsroom is its ground truth (which pages report which event,
which are wire copies, which feeds and pages are broken); the tests check the pipeline's
result against it. The quick tests use the hashing embedder; the test of events across
outlets and languages needs the e5 model and is marked slow.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from tidings import models
from tidings.article_features import embed_stage
from tidings.cli import cli
from tidings.db import Store, open_store
from tidings.demo import (
    DEMO_DIR,
    WEEK_END,
    DemoServer,
    collect_demo,
    demo_settings,
    prepare_data_dir,
    shift_dates,
    week_shift,
)
from tidings.embedding import make_embedder
from tidings.errors import InputError
from tidings.eventing import cluster_stage
from tidings.pipeline import dedupe_stage, extract_stage
from tidings.settings import Settings, load_settings

EXPECTED: dict[str, Any] = json.loads((DEMO_DIR / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    """`tidings demo --no-serve` run once for the module, with the hashing embedder."""
    data = tmp_path_factory.mktemp("demo") / "data"
    result = CliRunner().invoke(
        cli, ["--data", str(data), "demo", "--no-serve"], env={"TIDINGS_EMBEDDER": "hashing"}
    )
    assert result.exit_code == 0, result.output
    settings = load_settings({"data": data, "embedder": "hashing"}, env={})
    return settings, result.output


@pytest.fixture
def demo_store(built: tuple[Settings, str]) -> Iterator[Store]:
    with open_store(built[0]) as store:
        yield store


def _articles_by_path(store: Store) -> dict[str, models.Article]:
    with store.session() as session:
        rows = session.scalars(sa.select(models.Article))
        return {urlsplit(a.url or "").path: a for a in rows}


def test_every_article_page_becomes_an_article(demo_store: Store) -> None:
    pages = {path for paths in EXPECTED["events"].values() for path in paths}
    assert set(_articles_by_path(demo_store)) == pages


def test_broken_feeds_and_pages_are_reported_with_their_reasons(
    built: tuple[Settings, str],
) -> None:
    output = " ".join(built[1].split())
    failures = EXPECTED["failures"]
    for path, reason in {**failures["feeds"], **failures["pages"]}.items():
        line = next((x for x in built[1].splitlines() if path in x), None)
        assert line is not None, f"{path} not reported in:\n{output}"
        assert reason.lower() in " ".join(line.split()).lower()


def test_wire_copies_are_linked_to_the_first_copy(demo_store: Store) -> None:
    articles = _articles_by_path(demo_store)
    for group in EXPECTED["wire_copies"]:
        first, *copies = sorted((articles[p] for p in group), key=lambda a: a.id)
        assert first.duplicate_of is None
        assert [c.duplicate_of for c in copies] == [first.id] * len(copies)


def test_social_posts_are_imported_from_the_newsroom(demo_store: Store) -> None:
    posts = json.loads((DEMO_DIR / "site/social/posts.json").read_text(encoding="utf-8"))
    with demo_store.session() as session:
        stored = session.scalar(sa.select(sa.func.count()).select_from(models.SocialPost))
    assert stored == len(posts["items"])


def test_dates_are_moved_to_the_latest_full_week(demo_store: Store) -> None:
    with demo_store.session() as session:
        published = list(session.scalars(sa.select(models.Article.published)))
    newest = max(p for p in published if p is not None)
    now = datetime.now(UTC)
    week_end = WEEK_END + week_shift(now)  # the latest end of a demo week that has passed
    assert week_end <= now < week_end + timedelta(days=7)
    assert week_end - timedelta(days=7) <= newest < week_end
    assert newest.weekday() == 4  # the demo's news ends on a Friday, and still does


def test_the_site_shows_the_stories_and_their_storyline(
    built: tuple[Settings, str], demo_store: Store
) -> None:
    from tidings.web.app import create_app

    with demo_store.session() as session:
        stories = list(
            session.execute(
                sa.select(models.Story.id, models.Story.headline, models.Event.storyline_id).join(
                    models.Event, models.Event.id == models.Story.event_id
                )
            )
        )
    assert stories, "no story was written"

    async def fetch(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(built[0], demo_store))
        async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
            return await client.get(path, follow_redirects=True)

    home = asyncio.run(fetch("/en/"))
    assert home.status_code == 200
    for _id, headline, _storyline in stories:
        assert _text(headline) in _text(home.text)
    story_id, headline, storyline_id = stories[0]
    page = asyncio.run(fetch(f"/en/story/{story_id}"))
    assert page.status_code == 200
    assert _text(headline) in _text(page.text)
    storyline = asyncio.run(fetch(f"/en/storyline/{storyline_id}"))
    assert storyline.status_code == 200
    assert _text(headline) in _text(storyline.text)


def _text(html: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(html).split())


def test_a_demo_directory_is_rebuilt_but_other_data_is_refused(tmp_path: Path) -> None:
    demo_dir = tmp_path / "demo"
    prepare_data_dir(demo_dir)
    (demo_dir / "tidings.db").write_bytes(b"old demo")
    prepare_data_dir(demo_dir)
    assert not (demo_dir / "tidings.db").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tidings.db").write_bytes(b"precious")
    with pytest.raises(InputError, match="not a demo"):
        prepare_data_dir(mine)
    assert (mine / "tidings.db").read_bytes() == b"precious"


def test_only_dates_of_the_demo_week_are_moved() -> None:
    shift = timedelta(weeks=3)
    text = (
        "<pubDate>Tue, 03 Nov 2026 09:15:00 +0100</pubDate> "
        '"date_published": "2026-11-05T08:30:00+01:00" kept: 2026-12-24T10:00:00+00:00'
    )
    moved = shift_dates(text, shift)
    assert "Tue, 24 Nov 2026 09:15:00 +0100" in moved
    assert "2026-11-26T08:30:00+01:00" in moved
    assert "2026-12-24T10:00:00+00:00" in moved


def test_the_week_moves_by_whole_weeks_to_the_past() -> None:
    now = datetime(2027, 3, 10, 12, tzinfo=UTC)
    shift = week_shift(now)
    assert shift % timedelta(weeks=1) == timedelta(0)
    friday = datetime(2026, 11, 6, 18, tzinfo=UTC) + shift
    assert now - timedelta(days=7) < friday <= now


def test_the_demo_server_allows_only_its_own_host(tmp_path: Path) -> None:
    base = load_settings({"data": tmp_path, "allow_hosts": ("10.0.0.1",)}, env={})
    with DemoServer() as server:
        settings = demo_settings(base, server, data=tmp_path / "demo")
        assert settings.allow_hosts == ("127.0.0.1",)
        assert settings.db == ""
        answer = httpx.get(server.url("/no/such/page.html"))
        assert answer.status_code == 404
        feed = httpx.get(server.url("/corvenna-ledger/rss.xml"))
        assert feed.status_code == 200
        again = httpx.get(
            server.url("/corvenna-ledger/rss.xml"), headers={"If-None-Match": feed.headers["etag"]}
        )
        assert again.status_code == 304


@pytest.mark.slow
def test_e5_groups_the_reports_of_each_event_across_outlets_and_languages(
    tmp_path: Path,
) -> None:
    """The events of the sample newsroom, as e5 and the clusterer find them (the stages up to
    clustering; writing and enrichment are left out to keep the test short)."""
    data = tmp_path / "demo"
    prepare_data_dir(data)
    base = load_settings({"data": data, "embedder": "e5"}, env={})
    embedder = make_embedder("e5")
    with DemoServer() as server, open_store(base) as store:
        settings = demo_settings(base, server, data=data)
        collect_demo(store, settings, server)
        extract_stage(store, settings)
        dedupe_stage(store, settings)
        embed_stage(store, settings, embedder=embedder)
        cluster_stage(store, settings, embedder=embedder)
        placed = _placements(store)
    events = {name: {placed[p][0] for p in pages} for name, pages in EXPECTED["events"].items()}
    several = [name for name, pages in EXPECTED["events"].items() if len(pages) > 1]
    for name in several:
        assert len(events[name]) == 1, f"{name} split into {events[name]}"
    for one, other in EXPECTED["same_topic_pairs"]:
        assert events[one] != events[other], f"{one} and {other} merged"
    for name in EXPECTED["cross_lingual"]:
        langs = {placed[p][2] for p in EXPECTED["events"][name]}
        assert {"en", "nb", "de", "es"} <= langs
    for chain in EXPECTED["storylines"].values():
        storylines = {placed[p][1] for name in chain for p in EXPECTED["events"][name]}
        assert len(storylines) == 1, f"storyline {chain} split into {storylines}"


def _placements(store: Store) -> dict[str, tuple[int, int, str | None]]:
    query = (
        sa.select(
            models.Article.url, models.Event.id, models.Event.storyline_id, models.Article.lang
        )
        .join(models.EventMember, models.EventMember.article_id == models.Article.id)
        .join(models.Event, models.Event.id == models.EventMember.event_id)
    )
    with store.session() as session:
        return {
            urlsplit(url or "").path: (event, storyline, lang)
            for url, event, storyline, lang in session.execute(query)
        }
