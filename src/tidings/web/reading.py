"""Read-side queries shared by the site's pages, feeds, API and search.

Everything here only reads the store. A story is shown in an edition's language when a
translation of its current version exists for that edition, otherwise in its own language
(`StoryCard.translated` and `StoryCard.shown_lang` say which).

The front page ranks stories by how many outlets reported the event, how recent it is
(halving every `HALF_LIFE`), and how fast it grows (outlets that joined in the last `GROWTH`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session, load_only

from .. import models
from .. import stories as contract
from ..models import utcnow

__all__ = [
    "GROWTH",
    "HALF_LIFE",
    "ImageInfo",
    "PulseInfo",
    "RelatedCard",
    "SourceLink",
    "StoryCard",
    "StoryPage",
    "Theme",
    "VersionInfo",
    "front_page",
    "generation",
    "latest_stories",
    "rank_score",
    "slugify",
    "story_cards",
    "story_image",
    "story_page",
    "story_path",
    "story_topics",
    "storyline_stories",
    "topic_sections",
    "topic_stories",
]

log = logging.getLogger(__name__)

HALF_LIFE = timedelta(hours=18)  # a story's weight on the front page halves in this time
GROWTH = timedelta(hours=6)  # outlets joining within this time count as growth
CANDIDATES = 400  # most recently updated stories considered for a ranked list
TOPICS_PER_STORY = 2


@dataclass(frozen=True)
class ImageInfo:
    """What a page needs to show a story's illustration (not the image bytes)."""

    story_id: int
    version: int
    width: int
    height: int
    caption: str
    alt: str
    made_by: str
    generative: bool

    @property
    def url(self) -> str:
        return f"/image/{self.story_id}.png?v={self.version}"


@dataclass(frozen=True)
class StoryCard:
    """A story as lists show it: headline, standfirst, label facts and thumbnail."""

    id: int
    event_id: int
    storyline_id: int | None
    version: int
    headline: str
    standfirst: str
    lang: str  # the language the story was written in
    shown_lang: str  # the language the headline and standfirst are shown in
    generative: bool
    model: str | None
    outlets: int
    created_at: datetime
    updated_at: datetime
    first_published: datetime | None
    last_published: datetime | None
    image: ImageInfo | None = None
    topics: tuple[str, ...] = ()
    original_headline: str = ""  # as written; the URL's slug comes from it in every edition

    @property
    def translated(self) -> bool:
        return self.shown_lang != self.lang

    @property
    def slug(self) -> str:
        return slugify(self.original_headline or self.headline)

    @property
    def when(self) -> datetime:
        return self.last_published or self.updated_at


@dataclass(frozen=True)
class SourceLink:
    """A cited source article: who published it, its title, link and time."""

    article_id: str
    outlet: str
    title: str
    url: str | None
    published: datetime | None
    lang: str | None


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: datetime
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    label: str
    posts: int


@dataclass(frozen=True)
class PulseInfo:
    """What people say about the story's event."""

    posts: int
    positive: float
    neutral: float
    negative: float
    summary: str
    themes: tuple[Theme, ...]
    made_by: str
    generative: bool
    updated_at: datetime


@dataclass(frozen=True)
class RelatedCard:
    card: StoryCard
    kind: str  # storyline, topic


@dataclass(frozen=True)
class StoryPage:
    """Everything the story page shows."""

    card: StoryCard
    story: contract.Story  # in the shown language
    translator: str | None
    sources: dict[str, SourceLink]
    pulse: PulseInfo | None
    related: tuple[RelatedCard, ...]
    versions: tuple[VersionInfo, ...]
    check: contract.CheckReport | None = None  # of the story as written, not translated
    topics: tuple[str, ...] = field(default=())


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, limit: int = 80) -> str:
    """An ASCII slug of a headline for URLs ("story" when nothing is left of it)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "story"


def story_path(edition: str, card: StoryCard) -> str:
    """The canonical path of a story in an edition."""
    return f"/{edition}/story/{card.id}-{card.slug}"


def generation(session: Session) -> tuple[Any, ...]:
    """A cheap value that changes whenever anything the pages show changes."""
    row = session.execute(
        sa.select(
            sa.select(sa.func.max(models.Story.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(models.Story.id)).scalar_subquery(),
            sa.select(sa.func.max(models.StoryImage.created_at)).scalar_subquery(),
            sa.select(sa.func.max(models.StoryTranslation.created_at)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(models.StoryTranslation).scalar_subquery(),
            sa.select(sa.func.max(models.Pulse.updated_at)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(models.RelatedEvent).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def _translations(
    session: Session, stories: Sequence[models.Story], edition: str
) -> dict[int, contract.Story]:
    """Valid translations into `edition` of the current versions of `stories`."""
    wanted = {s.id: s.version for s in stories if s.lang != edition}
    if not wanted:
        return {}
    rows = session.scalars(
        sa.select(models.StoryTranslation).where(
            models.StoryTranslation.story_id.in_(wanted), models.StoryTranslation.lang == edition
        )
    )
    found: dict[int, contract.Story] = {}
    for row in rows:
        if row.version != wanted[row.story_id]:
            continue
        try:
            found[row.story_id] = contract.Story.model_validate(row.body)
        except ValidationError as exc:
            log.warning(
                "translation of story %s into %s is invalid: %s", row.story_id, edition, exc
            )
    return found


def _images(session: Session, story_ids: Iterable[int]) -> dict[int, ImageInfo]:
    columns = (
        models.StoryImage.story_id,
        models.StoryImage.version,
        models.StoryImage.width,
        models.StoryImage.height,
        models.StoryImage.caption,
        models.StoryImage.alt,
        models.StoryImage.made_by,
        models.StoryImage.generative,
    )
    rows = session.execute(
        sa.select(*columns).where(models.StoryImage.story_id.in_(list(story_ids)))
    )
    return {row[0]: ImageInfo(*row) for row in rows}


def _standfirst(story: contract.Story) -> str:
    return " ".join(s.text for s in story.standfirst)


def _cards(
    session: Session, rows: Sequence[models.Story], edition: str, *, topics: bool = False
) -> list[StoryCard]:
    translated = _translations(session, rows, edition)
    images = _images(session, (r.id for r in rows))
    events = {
        e.id: e
        for e in session.scalars(
            sa.select(models.Event).where(models.Event.id.in_([r.event_id for r in rows]))
        )
    }
    story_topics_map = story_topics(session, [r.event_id for r in rows]) if topics else {}
    cards = []
    for row in rows:
        event = events.get(row.event_id)
        shown = translated.get(row.id)
        cards.append(
            StoryCard(
                id=row.id,
                event_id=row.event_id,
                storyline_id=event.storyline_id if event else None,
                version=row.version,
                headline=shown.headline.text if shown else row.headline,
                standfirst=_standfirst(shown) if shown else row.standfirst,
                lang=row.lang,
                shown_lang=edition if shown else row.lang,
                generative=row.generative,
                model=row.model,
                outlets=row.outlets,
                created_at=row.created_at,
                updated_at=row.updated_at,
                first_published=event.first_published if event else None,
                last_published=event.last_published if event else None,
                image=images.get(row.id),
                topics=tuple(story_topics_map.get(row.event_id, ())),
                original_headline=row.headline,
            )
        )
    return cards


_LIST_COLUMNS = load_only(
    models.Story.id,
    models.Story.event_id,
    models.Story.version,
    models.Story.lang,
    models.Story.headline,
    models.Story.standfirst,
    models.Story.generative,
    models.Story.model,
    models.Story.outlets,
    models.Story.created_at,
    models.Story.updated_at,
)


def story_cards(session: Session, story_ids: Sequence[int], edition: str) -> list[StoryCard]:
    """Cards of the given stories, in the given order (unknown ids are left out)."""
    rows = session.scalars(
        sa.select(models.Story).options(_LIST_COLUMNS).where(models.Story.id.in_(story_ids))
    ).all()
    by_id = {c.id: c for c in _cards(session, rows, edition, topics=True)}
    return [by_id[i] for i in story_ids if i in by_id]


def latest_stories(session: Session, edition: str, *, limit: int = 50) -> list[StoryCard]:
    """The most recently updated stories, newest first."""
    rows = session.scalars(
        sa.select(models.Story)
        .options(_LIST_COLUMNS)
        .order_by(models.Story.updated_at.desc(), models.Story.id.desc())
        .limit(limit)
    ).all()
    return _cards(session, rows, edition, topics=True)


def _growth(session: Session, event_ids: Sequence[int], since: datetime) -> dict[int, int]:
    """Outlets per event whose articles joined it since `since`."""
    joined = sa.func.coalesce(models.EventMember.joined_at, models.Article.published)
    rows = session.execute(
        sa.select(models.EventMember.event_id, sa.func.count(sa.distinct(models.Article.outlet)))
        .join(models.Article, models.Article.id == models.EventMember.article_id)
        .where(models.EventMember.event_id.in_(event_ids), joined >= since)
        .group_by(models.EventMember.event_id)
    )
    return {event_id: int(count) for event_id, count in rows}


def rank_score(outlets: int, growth: int, age: timedelta) -> float:
    """Front-page weight: outlets, plus growth counted twice, halving every `HALF_LIFE`."""
    hours = max(age.total_seconds(), 0.0) / 3600
    decay: float = 0.5 ** (hours / (HALF_LIFE.total_seconds() / 3600))
    return (outlets + 2 * growth) * decay


def front_page(
    session: Session, edition: str, *, now: datetime | None = None, limit: int = 60
) -> list[StoryCard]:
    """The stories most important now, most important first."""
    now = now or utcnow()
    cards = latest_stories(session, edition, limit=CANDIDATES)
    growth = _growth(session, [c.event_id for c in cards], now - GROWTH)
    scored = sorted(
        cards,
        key=lambda c: (rank_score(c.outlets, growth.get(c.event_id, 0), now - c.when), c.id),
        reverse=True,
    )
    return scored[:limit]


def story_topics(session: Session, event_ids: Sequence[int]) -> dict[int, list[str]]:
    """Up to two topics per event: its outlets' topics, an outlet's vote split among them.

    Events whose outlets list no topic get none; pages then file them under no section.
    """
    rows = session.execute(
        sa.select(models.EventMember.event_id, models.Source.topics)
        .join(models.Article, models.Article.id == models.EventMember.article_id)
        .join(models.Document, models.Document.id == models.Article.document_id)
        .join(models.Feed, models.Feed.id == models.Document.feed_id)
        .join(models.Source, models.Source.id == models.Feed.source_id)
        .where(models.EventMember.event_id.in_(event_ids))
    )
    votes: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for event_id, topics in rows:
        names = [t.strip().lower() for t in (topics or "").split(",") if t.strip()]
        for name in names:
            votes[event_id][name] += 1 / len(names)
    return {
        event_id: [name for name, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))][
            :TOPICS_PER_STORY
        ]
        for event_id, c in votes.items()
    }


def topic_sections(
    cards: Sequence[StoryCard], *, sections: int = 6, per_section: int = 4
) -> list[tuple[str, list[StoryCard]]]:
    """The ranked cards grouped by their main topic, the topics with most stories first."""
    grouped: dict[str, list[StoryCard]] = defaultdict(list)
    for card in cards:
        if card.topics:
            grouped[card.topics[0]].append(card)
    ordered = sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(topic, items[:per_section]) for topic, items in ordered[:sections]]


def topic_stories(
    session: Session, topic: str, edition: str, *, limit: int = 40
) -> list[StoryCard]:
    """Recent stories filed under `topic`, newest first."""
    wanted = topic.strip().lower()
    cards = latest_stories(session, edition, limit=CANDIDATES)
    return [c for c in cards if wanted in c.topics][:limit]


def storyline_stories(session: Session, storyline_id: int, edition: str) -> list[StoryCard]:
    """The stories of a storyline's events, oldest event first."""
    rows = session.scalars(
        sa.select(models.Story)
        .options(_LIST_COLUMNS)
        .join(models.Event, models.Event.id == models.Story.event_id)
        .where(models.Event.storyline_id == storyline_id)
        .order_by(
            sa.func.coalesce(models.Event.first_published, models.Event.opened_at),
            models.Story.id,
        )
    ).all()
    return _cards(session, rows, edition)


def story_image(session: Session, story_id: int) -> tuple[bytes, str, int] | None:
    """The illustration's bytes, media type and version."""
    row = session.execute(
        sa.select(
            models.StoryImage.data, models.StoryImage.media_type, models.StoryImage.version
        ).where(models.StoryImage.story_id == story_id)
    ).first()
    return (row[0], row[1], row[2]) if row else None


def _sources(session: Session, story: contract.Story) -> dict[str, SourceLink]:
    ids = [int(i) for i in story.sources if i.isdigit()]
    rows = session.scalars(
        sa.select(models.Article)
        .options(
            load_only(
                models.Article.id,
                models.Article.outlet,
                models.Article.title,
                models.Article.url,
                models.Article.published,
                models.Article.lang,
            )
        )
        .where(models.Article.id.in_(ids))
    )
    found = {
        str(a.id): SourceLink(str(a.id), a.outlet or "", a.title, a.url, a.published, a.lang)
        for a in rows
    }
    return {i: found[i] for i in story.sources if i in found}


def _pulse(session: Session, event_id: int) -> PulseInfo | None:
    row = session.get(models.Pulse, event_id)
    if row is None or row.posts <= 0 or not row.summary.strip():
        return None
    sentiment = {k: float(v) for k, v in (row.sentiment or {}).items()}
    total = sum(sentiment.values())
    if total > 1.01:  # counts rather than shares
        sentiment = {k: v / total for k, v in sentiment.items()}
    themes = []
    for theme in row.themes or []:
        label = str(theme.get("label") or theme.get("name") or theme.get("theme") or "").strip()
        posts = theme.get("posts", theme.get("count", theme.get("size", 0)))
        if label:
            themes.append(Theme(label, int(posts) if isinstance(posts, int | float) else 0))
    return PulseInfo(
        posts=row.posts,
        positive=float(sentiment.get("positive", 0.0)),
        neutral=float(sentiment.get("neutral", 0.0)),
        negative=float(sentiment.get("negative", 0.0)),
        summary=row.summary,
        themes=tuple(themes),
        made_by=row.made_by,
        generative=row.generative,
        updated_at=row.updated_at,
    )


def _related(session: Session, event_id: int, edition: str) -> tuple[RelatedCard, ...]:
    rows = session.execute(
        sa.select(models.RelatedEvent.related_id, models.RelatedEvent.kind)
        .where(models.RelatedEvent.event_id == event_id)
        .order_by(
            sa.case((models.RelatedEvent.kind == "storyline", 0), else_=1),
            models.RelatedEvent.score.desc(),
        )
    ).all()
    kinds = {related_id: str(kind) for related_id, kind in rows}
    stories = session.scalars(
        sa.select(models.Story).options(_LIST_COLUMNS).where(models.Story.event_id.in_(kinds))
    ).all()
    by_event = {c.event_id: c for c in _cards(session, stories, edition)}
    return tuple(
        RelatedCard(by_event[event], kinds[event]) for event, _ in rows if event in by_event
    )


def _versions(session: Session, story_id: int) -> tuple[VersionInfo, ...]:
    rows = session.execute(
        sa.select(
            models.StoryVersion.version,
            models.StoryVersion.created_at,
            models.StoryVersion.changes,
        )
        .where(models.StoryVersion.story_id == story_id)
        .order_by(models.StoryVersion.version.desc())
    )
    return tuple(
        VersionInfo(v, at, tuple(str(c) for c in changes or ())) for v, at, changes in rows
    )


def story_page(session: Session, story_id: int, edition: str) -> StoryPage | None:
    """The story with everything its page shows, or None when there is no such story."""
    row = session.get(models.Story, story_id)
    if row is None:
        return None
    try:
        original = contract.Story.model_validate(row.body)
    except ValidationError as exc:
        log.error("story %s has an invalid body: %s", story_id, exc)
        return None
    card = _cards(session, [row], edition, topics=True)[0]
    shown = original
    translator = None
    if card.translated:
        shown = _translations(session, [row], edition)[row.id]
        translator = session.execute(
            sa.select(models.StoryTranslation.translator).where(
                models.StoryTranslation.story_id == row.id,
                models.StoryTranslation.lang == edition,
            )
        ).scalar()
    return StoryPage(
        card=card,
        story=shown,
        translator=translator,
        sources=_sources(session, original),
        pulse=_pulse(session, row.event_id),
        related=_related(session, row.event_id, edition),
        versions=_versions(session, row.id),
        check=original.check,
        topics=card.topics,
    )
