"""Social posts: reading them in, and matching each to the event it talks about."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import sqlalchemy as sa

from tidings.article_features import embed_stage
from tidings.db import Store
from tidings.embedding import Embedder, HashingEmbedder, make_embedder
from tidings.eventing import cluster_stage
from tidings.ingest import ingest_paths
from tidings.models import Article, EventMember, SocialPost, StageItem
from tidings.pipeline import dedupe_stage, extract_stage
from tidings.settings import Settings
from tidings.social import MATCH_STAGE, PostProblem, import_posts, match_posts, read_posts

FIXTURES = Path(__file__).parent / "fixtures" / "pulse"  # fictional news and posts


def build_events(store: Store, settings: Settings, embedder: Embedder) -> dict[str, int]:
    """The fixture's articles through the real stages up to events; article id -> event id."""
    ingest_paths(store, [FIXTURES / "articles.jsonl"])
    extract_stage(store, settings)
    dedupe_stage(store, settings)
    embed_stage(store, settings, embedder=embedder)
    cluster_stage(store, settings, embedder=embedder)
    query = sa.select(Article.external_id, EventMember.event_id).join(
        EventMember, EventMember.article_id == Article.id
    )
    with store.session() as session:
        return {str(key): event for key, event in session.execute(query)}


def placed(store: Store) -> dict[str, int | None]:
    with store.session() as session:
        rows = session.execute(sa.select(SocialPost.key, SocialPost.event_id))
        return {str(key): event for key, event in rows}


def test_import_stores_good_posts_and_reports_bad_ones(store: Store) -> None:
    problems: list[PostProblem] = []
    stored = import_posts(store, read_posts(FIXTURES / "posts.jsonl"), problems=problems)
    assert stored == 10
    reasons = {p.origin: p.reason for p in problems}
    assert reasons["record 11"] == "no text"
    assert reasons["record 12"].startswith("not JSON")
    assert "is not a date" in reasons["record 13"]
    with store.session() as session:
        post = session.scalars(sa.select(SocialPost).where(SocialPost.key == "mastodon:104")).one()
    assert (post.network, post.lang, post.author) == ("mastodon", "nb", "fjordkyst@social.test")
    assert post.published is not None
    assert post.published.isoformat() == "2026-03-02T14:00:00+00:00"


def test_importing_again_stores_nothing_twice(store: Store) -> None:
    records = read_posts(FIXTURES / "posts.jsonl")
    first = import_posts(store, records)
    again = import_posts(store, records)
    assert (first, again) == (10, 0)
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SocialPost)) == 10


def test_json_feed_items_are_posts(store: Store, tmp_path: Path) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "a1",
                "url": "https://social.test/@ferjefolk/a1",
                "content_html": "<p>Lindmo ferry <b>suspended</b> again.</p>",
                "date_published": "2026-03-03T08:00:00+01:00",
                "authors": [{"name": "Ferjefolk"}],
                "language": "en-GB",
            },
            {"id": "a2", "url": "javascript:alert(1)", "content_text": "Hostile link"},
        ],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    problems: list[PostProblem] = []
    assert import_posts(store, read_posts(path), problems=problems) == 1
    assert [p.origin for p in problems] == ["record 2"]
    assert "not an http(s) address" in problems[0].reason
    with store.session() as session:
        post = session.scalars(sa.select(SocialPost)).one()
    assert post.key == "social.test:a1"  # the network is the host when none is given
    assert (post.text, post.author, post.lang) == (
        "Lindmo ferry suspended again.",
        "Ferjefolk",
        "en",
    )
    assert post.published is not None
    assert post.published.hour == 7  # stored in UTC


def test_posts_join_the_event_they_talk_about(store: Store, settings: Settings) -> None:
    events = build_events(store, settings, HashingEmbedder())
    assert events["h1"] == events["h2"] != events["f1"] == events["f2"]
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    report = match_posts(store, settings, embedder=HashingEmbedder())
    assert (report.done, report.failed) == (10, 0)
    found = placed(store)
    harbour, ferry = events["h1"], events["f1"]
    for key in ("x:101", "x:102", "x:103", "x:105"):
        assert found[key] == harbour, key
    for key in ("x:201", "x:202", "x:203"):
        assert found[key] == ferry, key
    assert found["x:301"] is None  # about a cat, not the news
    with store.session() as session:
        scores = session.scalars(
            sa.select(SocialPost.match_score).where(SocialPost.event_id.is_not(None))
        )
        assert all(score is not None and score > 0 for score in scores)


def test_matching_again_does_nothing(store: Store, settings: Settings) -> None:
    build_events(store, settings, HashingEmbedder())
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    match_posts(store, settings, embedder=HashingEmbedder())
    before = placed(store)
    again = match_posts(store, settings, embedder=HashingEmbedder())
    assert (again.done, again.failed) == (0, 0)
    assert placed(store) == before


def test_a_post_long_before_the_event_is_not_matched(store: Store, settings: Settings) -> None:
    build_events(store, settings, HashingEmbedder())
    old = {
        "id": "9", "network": "x", "lang": "en", "published": "2025-01-10T10:00:00Z",
        "text": "Harbour fee talks between Norland and Vesterby ended without agreement.",
    }  # fmt: skip
    import_posts(store, [old])
    match_posts(store, settings, embedder=HashingEmbedder())
    assert placed(store) == {"x:9": None}


@pytest.mark.parametrize(("published", "matched"), [("2026-03-06", True), ("2026-03-20", False)])
def test_a_post_counts_within_the_social_window_after_the_latest_report(
    store: Store, settings: Settings, published: str, matched: bool
) -> None:
    events = build_events(store, settings, HashingEmbedder())
    late = {
        "id": "9", "network": "x", "lang": "en", "published": f"{published}T10:00:00Z",
        "text": "Harbour fee talks between Norland and Vesterby ended without agreement.",
    }  # fmt: skip
    import_posts(store, [late])
    window = settings.model_copy(update={"social_window_days": 7})
    match_posts(store, window, embedder=HashingEmbedder())
    assert placed(store) == {"x:9": events["h1"] if matched else None}


class BrokenEmbedder(HashingEmbedder):
    """A real hashing embedder that cannot embed one word: stands in for a failing model."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if any("coffee" in t for t in texts):
            raise RuntimeError("model crashed")
        return super().embed(texts)


def test_a_post_that_fails_is_recorded_and_the_rest_go_on(store: Store, settings: Settings) -> None:
    build_events(store, settings, HashingEmbedder())
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    report = match_posts(store, settings, embedder=BrokenEmbedder())
    assert (report.done, report.failed) == (9, 1)
    assert "model crashed" in report.failures[0].reason
    with store.session() as session:
        row = session.scalars(
            sa.select(StageItem).where(StageItem.stage == MATCH_STAGE, StageItem.status == "failed")
        ).one()
    assert row.reason is not None
    assert "model crashed" in row.reason
    assert placed(store)["x:201"] is not None


@pytest.mark.slow
def test_e5_matches_norwegian_posts_across_languages(store: Store, settings: Settings) -> None:
    e5 = make_embedder("e5")
    events = build_events(store, settings.model_copy(update={"embedder": "e5"}), e5)
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    match_posts(store, settings, embedder=e5)
    found = placed(store)
    assert found["mastodon:104"] == events["h1"]
    assert found["mastodon:204"] == events["f1"]
    assert found["x:301"] is None
