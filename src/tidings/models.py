"""The tables of the store, as SQLAlchemy 2 declarative models.

The schema itself is created and changed only by the migrations in `migrations/versions`;
these models describe it to the code, and a test checks that the two agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Article",
    "ArticleFeatures",
    "Base",
    "Document",
    "Event",
    "EventMember",
    "Feed",
    "InaccuracyReport",
    "PageView",
    "Pulse",
    "RelatedEvent",
    "SocialPost",
    "Source",
    "StageItem",
    "Story",
    "StoryImage",
    "StoryTranslation",
    "StoryVersion",
    "Storyline",
    "described_by_models",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


# The full-text search index (migration 0004) lives outside the models: an FTS5 table and its
# shadow tables on SQLite, an expression index on PostgreSQL.
SEARCH_INDEX_NAMES = ("stories_search", "ix_stories_search")


def described_by_models(name: str | None, type_: str, parent_names: Any) -> bool:
    """Whether a schema object is one the models describe (alembic's `include_name` hook):
    everything but the search index, which only the migrations manage."""
    if name is None:
        return True
    return not any(name == n or name.startswith(n + "_") for n in SEARCH_INDEX_NAMES)


class Source(Base):
    """An outlet: a name, a homepage and its feeds."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    homepage: Mapped[str | None] = mapped_column(sa.String(2000))
    lang: Mapped[str | None] = mapped_column(sa.String(16))
    country: Mapped[str | None] = mapped_column(sa.String(8))
    topics: Mapped[str] = mapped_column(sa.String(400), default="")  # comma-separated
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    feeds: Mapped[list[Feed]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="Feed.id"
    )


class Feed(Base):
    """One feed of a source, with what the last poll learned about it."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(sa.String(500))
    etag: Mapped[str | None] = mapped_column(sa.String(500))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    polled_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(sa.String(40))  # ok, not-modified, failed
    error: Mapped[str | None] = mapped_column(sa.Text)
    failures: Mapped[int] = mapped_column(default=0)  # consecutive failed polls
    entries_seen: Mapped[int] = mapped_column(default=0)

    source: Mapped[Source] = relationship(back_populates="feeds")


class Document(Base):
    """A page to fetch, or a page as fetched or read: the raw input of extraction.

    `key` is what makes a page unique: its normalised URL for the web, its origin
    (file path, line or record) for offline inputs. The raw bytes are kept gzip-compressed
    so that extraction can be re-run offline.
    """

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(2000), unique=True)
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    final_url: Mapped[str | None] = mapped_column(sa.String(2000))
    kind: Mapped[str] = mapped_column(sa.String(20))  # a PageKind value
    origin: Mapped[str] = mapped_column(sa.String(2000), default="")
    feed_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feeds.id", ondelete="SET NULL"))
    hint_title: Mapped[str | None] = mapped_column(sa.Text)
    hint_published: Mapped[datetime | None]
    hint_outlet: Mapped[str | None] = mapped_column(sa.String(200))
    hint_lang: Mapped[str | None] = mapped_column(sa.String(16))
    discovered_at: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime | None]
    encoding: Mapped[str | None] = mapped_column(sa.String(40))
    raw: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # gzip of the body


class Article(Base):
    """A clean article extracted from one document."""

    __tablename__ = "articles"
    __table_args__ = (
        sa.Index("ix_articles_normalized_url", "normalized_url"),
        sa.Index("ix_articles_canonical_url", "canonical_url"),
        sa.Index("ix_articles_content_hash", "content_hash"),
        sa.Index("ix_articles_published", "published"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    external_id: Mapped[str | None] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    normalized_url: Mapped[str | None] = mapped_column(sa.String(2000))
    canonical_url: Mapped[str | None] = mapped_column(sa.String(2000))
    outlet: Mapped[str | None] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    lang: Mapped[str | None] = mapped_column(sa.String(16))
    published: Mapped[datetime | None]
    authors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    image: Mapped[str | None] = mapped_column(sa.String(2000))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    minhash: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    duplicate_of: Mapped[int | None] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="SET NULL")
    )
    duplicate_reason: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StageItem(Base):
    """What one stage did with one item: done, or failed with the reason.

    An item waits for a stage while it has no row here for that stage. A failed item is
    tried again in later runs until `attempts` reaches the configured maximum.
    """

    __tablename__ = "stage_items"
    __table_args__ = (sa.Index("ix_stage_items_status", "stage", "status"),)

    stage: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20))  # done, failed
    reason: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ArticleFeatures(Base):
    """What clustering needs of one article: its vector and the evidence of its text.

    `vector` is the float32 bytes of an L2-normalised row made by the embedder `model`;
    `evidence` holds the names, numbers, dates (ISO) and keywords the article mentions.
    """

    __tablename__ = "article_features"

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(sa.String(100))
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    evidence: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Storyline(Base):
    """A chain of events about the same actors over weeks."""

    __tablename__ = "storylines"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    size: Mapped[int] = mapped_column(default=0)  # events
    closed: Mapped[bool] = mapped_column(default=False)
    centroid: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


class Event(Base):
    """One real-world event: the articles of every outlet that reported it.

    `centroid` is the normalised float32 mean of its members' vectors; `entities` the most
    named people, organisations and places as [name, count] pairs, the most frequent first.
    `updated_at` moves whenever a member joins.
    """

    __tablename__ = "events"
    __table_args__ = (
        sa.Index("ix_events_storyline_id", "storyline_id"),
        sa.Index("ix_events_last_published", "last_published"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    storyline_id: Mapped[int] = mapped_column(sa.ForeignKey("storylines.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_published: Mapped[datetime | None]
    last_published: Mapped[datetime | None]
    size: Mapped[int] = mapped_column(default=0)  # member articles, copies included
    outlets: Mapped[int] = mapped_column(default=0)
    langs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    closed: Mapped[bool] = mapped_column(default=False)
    centroid: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    entities: Mapped[list[tuple[str, int]]] = mapped_column(sa.JSON, default=list)  # JSON arrays
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventMember(Base):
    """The event an article belongs to, with the probability it was placed with."""

    __tablename__ = "event_members"
    __table_args__ = (sa.Index("ix_event_members_event_id", "event_id"),)

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime | None]  # stream time when it joined
    probability: Mapped[float] = mapped_column(sa.Float)
    opened: Mapped[bool] = mapped_column(default=False)  # the article opened the event


class RelatedEvent(Base):
    """An event worth reading beside another: of its storyline, or of the same topic."""

    __tablename__ = "related_events"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(sa.Float)
    kind: Mapped[str] = mapped_column(sa.String(20))  # storyline, topic


class Story(Base):
    """The current version of the story written about one event.

    `body` is the whole `stories.Story` as JSON (headline, standfirst, paragraphs with the
    citations of every sentence, the check report); the columns beside it are what pages and
    feeds list and sort by. Every version, this one included, is kept in `story_versions`.
    """

    __tablename__ = "stories"
    __table_args__ = (sa.Index("ix_stories_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    version: Mapped[int] = mapped_column(default=1)
    lang: Mapped[str] = mapped_column(sa.String(16))
    headline: Mapped[str] = mapped_column(sa.Text)
    standfirst: Mapped[str] = mapped_column(sa.Text)  # plain text, for lists and feeds
    writer: Mapped[str] = mapped_column(sa.String(40))
    model: Mapped[str | None] = mapped_column(sa.String(200))
    generative: Mapped[bool] = mapped_column(default=False)
    outlets: Mapped[int] = mapped_column(default=0)
    body: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryVersion(Base):
    """One version of a story, with what changed from the version before."""

    __tablename__ = "story_versions"

    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    changes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # "new outlet: X", ...
    article_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # written from these
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryTranslation(Base):
    """A story translated into an edition's language, from a given version."""

    __tablename__ = "story_translations"

    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    version: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    translator: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryImage(Base):
    """The illustration of a story: the image, its caption, alt text and what made it."""

    __tablename__ = "story_images"

    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int]  # the story version it was made for
    media_type: Mapped[str] = mapped_column(sa.String(40))  # image/png, image/webp
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    caption: Mapped[str] = mapped_column(sa.Text)
    alt: Mapped[str] = mapped_column(sa.Text)
    made_by: Mapped[str] = mapped_column(sa.String(200))  # "drawn by Tidings", a model's name
    generative: Mapped[bool] = mapped_column(default=False)  # "Image generated by AI" only then
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SocialPost(Base):
    """A public post from a social network, matched to the event it talks about."""

    __tablename__ = "social_posts"
    __table_args__ = (sa.Index("ix_social_posts_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(500), unique=True)  # network:id or URL
    network: Mapped[str] = mapped_column(sa.String(40))
    author: Mapped[str | None] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    lang: Mapped[str | None] = mapped_column(sa.String(16))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    published: Mapped[datetime | None]
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    match_score: Mapped[float | None] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Pulse(Base):
    """What people say about an event: volume, sentiment and themes of its matched posts."""

    __tablename__ = "pulses"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    posts: Mapped[int] = mapped_column(default=0)
    sentiment: Mapped[dict[str, float]] = mapped_column(sa.JSON)  # positive, neutral, negative
    themes: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    summary: Mapped[str] = mapped_column(sa.Text)
    made_by: Mapped[str] = mapped_column(sa.String(200))
    generative: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class InaccuracyReport(Base):
    """A reader's report that a story got something wrong, kept for review."""

    __tablename__ = "inaccuracy_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stories.id", ondelete="SET NULL"))
    story_version: Mapped[int | None]
    page: Mapped[str] = mapped_column(sa.String(2000))
    message: Mapped[str] = mapped_column(sa.Text)
    contact: Mapped[str | None] = mapped_column(sa.String(320))
    status: Mapped[str] = mapped_column(sa.String(20), default="new")  # new, reviewed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PageView(Base):
    """First-party page views per path and day, counted only after a reader accepts."""

    __tablename__ = "page_views"

    path: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
