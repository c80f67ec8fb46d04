"""The enrich stage: posts matched to events, pulses of events, illustrations of stories."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from test_illustration import make_story
from test_social import FIXTURES, build_events
from tidings.cli import cli
from tidings.db import Store
from tidings.embedding import HashingEmbedder
from tidings.enrich import ILLUSTRATE_STAGE, PULSE_STAGE, enrich_stage
from tidings.models import Pulse, SocialPost, StageItem, Story, StoryImage
from tidings.settings import Settings
from tidings.social import MATCH_STAGE, import_posts, read_posts
from tidings.stages import StageReport


def add_story(store: Store, event_id: int, *, headline: str | None = None) -> int:
    """A story row for an event, as the write stage stores one."""
    story = make_story(event_id=str(event_id))
    if headline:
        story = make_story(headline=headline, event_id=str(event_id))
    with store.session() as session:
        row = Story(
            event_id=event_id,
            lang=story.lang,
            headline=story.headline.text,
            standfirst=" ".join(s.text for s in story.standfirst),
            writer=story.writer,
            outlets=len(story.outlets),
            body=story.model_dump(mode="json"),
        )
        session.add(row)
        session.flush()
        return row.id


def by_stage(reports: list[StageReport]) -> dict[str, tuple[int, int]]:
    return {r.stage: (r.done, r.failed) for r in reports}


def test_enrich_matches_posts_sums_them_up_and_illustrates(
    store: Store, settings: Settings
) -> None:
    events = build_events(store, settings, HashingEmbedder())
    story_id = add_story(store, events["h1"])
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    reports = by_stage(enrich_stage(store, settings, embedder=HashingEmbedder()))
    assert reports == {MATCH_STAGE: (10, 0), PULSE_STAGE: (2, 0), ILLUSTRATE_STAGE: (1, 0)}
    with store.session() as session:
        pulse = session.get_one(Pulse, events["h1"])
        matched = session.scalar(
            sa.select(sa.func.count(SocialPost.id)).where(SocialPost.event_id == events["h1"])
        )
        image = session.get_one(StoryImage, story_id)
    assert pulse.posts == matched
    assert pulse.summary.startswith(f"Limited discussion on X ({matched} posts")
    assert set(pulse.sentiment) == {"negative", "neutral", "positive"}
    assert sum(pulse.sentiment.values()) == 1.0
    assert pulse.generative is False
    assert pulse.made_by == "sentiment lexicon"  # the hashing embedder carries no meaning
    assert (image.version, image.width, image.height, image.generative) == (1, 1200, 675, False)
    assert image.data.startswith(b"\x89PNG")
    assert "Harbour fee talks" in image.alt


def test_enrich_again_does_nothing(store: Store, settings: Settings) -> None:
    events = build_events(store, settings, HashingEmbedder())
    add_story(store, events["h1"])
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    enrich_stage(store, settings, embedder=HashingEmbedder())
    again = by_stage(enrich_stage(store, settings, embedder=HashingEmbedder()))
    assert again == {MATCH_STAGE: (0, 0), PULSE_STAGE: (0, 0), ILLUSTRATE_STAGE: (0, 0)}


def test_new_posts_update_only_their_event(store: Store, settings: Settings) -> None:
    events = build_events(store, settings, HashingEmbedder())
    import_posts(store, read_posts(FIXTURES / "posts.jsonl"))
    enrich_stage(store, settings, embedder=HashingEmbedder())
    with store.session() as session:
        before = session.get_one(Pulse, events["f1"]).posts
    late = {
        "id": "205", "network": "x", "lang": "en", "published": "2026-03-03T09:00:00Z",
        "text": "Fjordline Lindmo says the Lindmo ferry engine fire is under investigation.",
    }  # fmt: skip
    import_posts(store, [late])
    assert by_stage(enrich_stage(store, settings, embedder=HashingEmbedder())) == {
        MATCH_STAGE: (1, 0),
        PULSE_STAGE: (1, 0),
        ILLUSTRATE_STAGE: (0, 0),
    }
    with store.session() as session:
        assert session.get_one(Pulse, events["f1"]).posts == before + 1


def test_a_new_story_version_is_drawn_again(store: Store, settings: Settings) -> None:
    events = build_events(store, settings, HashingEmbedder())
    story_id = add_story(store, events["h1"])
    enrich_stage(store, settings, embedder=HashingEmbedder())
    with store.session() as session:
        first = session.get_one(StoryImage, story_id).data
        row = session.get_one(Story, story_id)
        row.version = 2
        row.body = make_story(headline="Norland and Vesterby agree to cap harbour fees").model_dump(
            mode="json"
        )
    assert by_stage(enrich_stage(store, settings, embedder=HashingEmbedder()))[
        ILLUSTRATE_STAGE
    ] == (1, 0)
    with store.session() as session:
        image = session.get_one(StoryImage, story_id)
    assert image.version == 2
    assert image.data != first
    assert "agree to cap harbour fees" in image.alt


def test_a_story_that_cannot_be_drawn_is_recorded_and_the_rest_go_on(
    store: Store, settings: Settings
) -> None:
    events = build_events(store, settings, HashingEmbedder())
    broken = add_story(store, events["h1"])
    fine = add_story(store, events["f1"], headline="Lindmo ferry fire forces 200 into lifeboats")
    with store.session() as session:
        session.get_one(Story, broken).body = {"headline": "not a story"}
    reports = enrich_stage(store, settings, embedder=HashingEmbedder())
    assert by_stage(reports)[ILLUSTRATE_STAGE] == (1, 1)
    with store.session() as session:
        assert session.get(StoryImage, broken) is None
        assert session.get(StoryImage, fine) is not None
        failure = session.get_one(StageItem, (ILLUSTRATE_STAGE, broken))
    assert failure.status == "failed"
    assert failure.reason is not None
    assert "validation error" in failure.reason


def test_cli_imports_posts_and_reports_bad_records(settings: Settings) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--data",
            str(settings.data),
            "--db",
            settings.db,
            "posts",
            "import",
            str(FIXTURES / "posts.jsonl"),
        ],
        env={"TIDINGS_EMBEDDER": "hashing"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "10 new posts stored" in result.output
    assert "record 11: no text" in result.output
    assert "record 12: not JSON" in result.output
