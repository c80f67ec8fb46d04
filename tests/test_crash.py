"""Crash safety: `tidings run` killed with SIGKILL at several points, then run again.

The fictional demo newsroom is served from 127.0.0.1; the run is killed while it fetches,
while it extracts and while it works on events, then restarted until everything waiting is
done and stopped with SIGTERM. Afterwards nothing is lost (every page is an article or a
recorded failure), nothing is done twice (one article per page, one membership per article,
story versions numbered without gaps and never written twice from the same reports) and no
story is half-written (each has its current version, and its body is a valid story).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tidings import models
from tidings.db import Store, open_store
from tidings.demo import DEMO_DIR, DemoServer, demo_outlets
from tidings.settings import Settings
from tidings.social import import_posts
from tidings.sources import add_sources
from tidings.stories import Story

EXPECTED = json.loads((DEMO_DIR / "expected.json").read_text(encoding="utf-8"))


def _count(store: Store, query: sa.Select[int]) -> int:
    with store.session() as session:
        return int(session.scalar(query) or 0)


def _stage_done(stage: str) -> sa.Select[int]:
    item = models.StageItem
    return sa.select(sa.func.count()).where(item.stage == stage, item.status == "done")


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _start(settings: Settings, *, keep_errors: bool = False) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        TIDINGS_DATA=str(settings.data),
        TIDINGS_DB=settings.db,
        TIDINGS_ALLOW_HOSTS="127.0.0.1",
        TIDINGS_HOST_DELAY="0",
        TIDINGS_EMBEDDER="hashing",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "tidings", "run", "--no-serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if keep_errors else subprocess.DEVNULL,
    )


def _idle_cycles(settings: Settings) -> int:
    log = settings.data / "logs" / "tidings.log"
    if not log.exists():
        return 0
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    return sum(1 for e in lines if e.get("event") == "cycle" and not e.get("stages"))


@pytest.mark.slow
def test_killed_runs_lose_nothing_and_do_nothing_twice(settings: Settings) -> None:
    posts = json.loads((DEMO_DIR / "site/social/posts.json").read_text(encoding="utf-8"))
    with DemoServer() as server, open_store(settings) as store:
        add_sources(store, demo_outlets(server.base_url))
        import_posts(store, posts["items"])
        kill_points = [("fetch", 20), ("extract", 30), ("cluster", 40)]
        for stage, count in kill_points:
            process = _start(settings)
            _wait(
                lambda s=stage, n=count: _count(store, _stage_done(s)) >= n,  # type: ignore[misc]
                120,
                f"{count} items done by {stage}",
            )
            process.send_signal(signal.SIGKILL)
            process.wait()
        idle_before = _idle_cycles(settings)
        process = _start(settings, keep_errors=True)
        _wait(lambda: _idle_cycles(settings) > idle_before, 180, "a run with nothing left to do")
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
        _check_nothing_lost(store)
        _check_nothing_twice(store)
        _check_stories_whole(store)


def _check_nothing_lost(store: Store) -> None:
    pages = {p for paths in EXPECTED["events"].values() for p in paths}
    broken = set(EXPECTED["failures"]["pages"])
    with store.session() as session:
        articles = [urlsplit(u or "").path for u in session.scalars(sa.select(models.Article.url))]
        documents = list(session.scalars(sa.select(models.Document)))
        failed = {
            item.item_id
            for item in session.scalars(
                sa.select(models.StageItem).where(models.StageItem.status == "failed")
            )
        }
        with_article = set(session.scalars(sa.select(models.Article.document_id)))
    assert set(articles) == pages
    for doc in documents:
        assert doc.id in with_article or doc.id in failed, f"{doc.url} neither article nor failure"
    assert {urlsplit(d.url or "").path for d in documents if d.id in failed} == broken
    with store.session() as session:
        members = session.scalar(sa.select(sa.func.count()).select_from(models.EventMember))
    assert members == len(pages)


def _check_nothing_twice(store: Store) -> None:
    with store.session() as session:
        urls = list(session.scalars(sa.select(models.Article.url)))
        keys = list(session.scalars(sa.select(models.SocialPost.key)))
        versions = session.execute(
            sa.select(
                models.StoryVersion.story_id,
                models.StoryVersion.version,
                models.StoryVersion.article_ids,
            ).order_by(models.StoryVersion.story_id, models.StoryVersion.version)
        ).all()
    assert len(urls) == len(set(urls))
    assert len(keys) == len(set(keys))
    by_story: dict[int, list[tuple[int, list[int]]]] = {}
    for story_id, version, article_ids in versions:
        by_story.setdefault(story_id, []).append((version, sorted(article_ids)))
    for story_id, rows in by_story.items():
        assert [v for v, _ids in rows] == list(range(1, len(rows) + 1)), f"story {story_id}"
        sources = [tuple(ids) for _v, ids in rows]
        assert len(sources) == len(set(sources)), f"story {story_id} written twice"


def _check_stories_whole(store: Store) -> None:
    with store.session() as session:
        stories = list(session.scalars(sa.select(models.Story)))
        assert stories, "no story was written"
        for story in stories:
            version = session.get(models.StoryVersion, (story.id, story.version))
            assert version is not None, f"story {story.id} has no version {story.version}"
            assert version.body == story.body
            parsed = Story.model_validate(story.body)
            assert parsed.headline.text == story.headline
