"""Public social posts: reading them in, and matching each to the event it talks about.

`read_posts` reads a JSONL file (one post per line) or a JSON file (a list of posts, or a
JSON Feed whose `items` are posts). A post has `id, network, author, text, lang, url,
published`; JSON Feed names are understood too (`content_text`, `content_html`,
`date_published`, `authors`, `language`). `import_posts` stores them as `SocialPost` rows,
keyed by network and id (or URL), so importing the same posts twice stores them once. A bad
record is reported with its reason and the rest go on.

`match_posts` places every post that has no event yet with the live event it is about: the
cosine between the post's vector and the event's centroid (the same embedder made both),
raised by the names and keywords the post shares with the event's articles. Below the
threshold the post stays unplaced; it is tried again when an event changes, as long as it is
not older than every live event.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from dateutil import parser as date_parser
from sqlalchemy.orm import Session, aliased

from .article_features import vector_from_bytes
from .db import Store
from .embedding import Embedder, embed_each
from .errors import InputError
from .evidence import Evidence, gather_evidence
from .language import detect_language, language_code
from .models import ArticleFeatures, Event, EventMember, SocialPost, StageItem
from .progress import NullProgress, Progress
from .pulse import clean_post_text
from .settings import Settings
from .stages import StageReport, describe, record_done, record_failure
from .vector_cache import cache_for

__all__ = [
    "MATCH_STAGE",
    "EventProfile",
    "PostProblem",
    "import_posts",
    "match_posts",
    "match_score",
    "parse_post",
    "read_posts",
]

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]
MATCH_STAGE = "match-posts"
MAX_TEXT = 10_000  # characters of a post kept
MATCH_BATCH = 32  # posts embedded at once

# A post joins the best event whose score reaches the threshold of the embedder that made the
# vectors. e5: posts of the fictional test events score 0.90-1.05 with their own event and at
# most 0.82 with the other; on the crisis-tweet benchmark (benchmarks/pulse.py) a related
# tweet's best event is its own for 92% of tweets, and at 0.86 92% of related tweets are
# placed, while off-topic tweets that share the crisis's keywords mostly pass too (they need
# a far higher threshold, at a large cost in recall). Word hashing (tests, machines without
# the model) was set on the fictional posts of the test suite.
MATCH_THRESHOLDS = {"e5-small": 0.86}
OTHER_MATCH_THRESHOLD = 0.3
ENTITY_BONUS = 0.02  # per name the post shares with the event, up to MAX_SHARED
KEYWORD_BONUS = 0.01  # per keyword shared with the event's articles, up to MAX_SHARED
MAX_SHARED = 3
EVENT_KEYWORDS = 40  # the most frequent keywords of an event's articles
EARLY_SLACK = timedelta(days=1)  # a post may come a little before the first report


# -- reading and storing posts ------------------------------------------------------------------


@dataclass(frozen=True)
class PostProblem:
    """A record that could not be stored, and why."""

    origin: str  # "record 2": the second record given (of a JSONL file: non-blank line)
    reason: str


def read_posts(path: Path) -> list[Any]:
    """The post records of a JSONL or JSON file, in order.

    In a JSONL file each non-blank line is one record; a line that is not JSON stands as a
    `PostProblem`, which `import_posts` reports like any other bad record.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() == ".json":
        return _json_records(path, text)
    records: list[Any] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            records.append(PostProblem(f"record {len(records) + 1}", f"not JSON: {exc.msg}"))
    return records


def _json_records(path: Path, text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not JSON: {exc}") from exc
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        return list(data["items"])  # a JSON Feed
    if isinstance(data, list):
        return data
    raise InputError(f"{path} holds neither a list of posts nor a JSON Feed")


def _text(record: Mapping[str, Any]) -> str:
    text = record.get("text", record.get("content_text"))
    if text is None and isinstance(record.get("content_html"), str):
        import lxml.html

        text = lxml.html.fromstring(record["content_html"]).text_content()
    if not isinstance(text, str) or not text.strip():
        raise InputError("no text")
    return "".join(c for c in text if c.isprintable() or c in "\n\t").strip()[:MAX_TEXT]


def _author(record: Mapping[str, Any]) -> str | None:
    author = record.get("author")
    if author is None and isinstance(record.get("authors"), list) and record["authors"]:
        author = record["authors"][0]
    if isinstance(author, Mapping):
        author = author.get("name")
    return str(author)[:200] if author else None


def _url(record: Mapping[str, Any]) -> str | None:
    url = record.get("url")
    if url is None:
        return None
    if not isinstance(url, str) or urlsplit(url).scheme not in {"http", "https"}:
        raise InputError(f"url {str(url)[:80]!r} is not an http(s) address")
    return url[:2000]


def _published(record: Mapping[str, Any]) -> datetime | None:
    value = record.get("published", record.get("date_published"))
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        when = date_parser.isoparse(str(value))
    except (ValueError, OverflowError, OSError) as exc:
        raise InputError(f"published {str(value)[:40]!r} is not a date") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_post(record: Any) -> SocialPost:
    """The post of one record, not yet stored; `InputError` says what is wrong with it."""
    if not isinstance(record, Mapping):
        raise InputError("not a JSON object")
    text = _text(record)
    url = _url(record)
    network = str(record.get("network") or "").strip().casefold()
    if not network and url:
        network = (urlsplit(url).hostname or "").removeprefix("www.")
    if not network:
        raise InputError("no network and no url")
    ident = record.get("id")
    if ident in (None, "") and not url:
        raise InputError("no id and no url")
    key = f"{network}:{ident}" if ident not in (None, "") else str(url)
    return SocialPost(
        key=key[:500],
        network=network[:40],
        author=_author(record),
        text=text,
        lang=language_code(record.get("lang") or record.get("language"))
        or detect_language(clean_post_text(text)),
        url=url,
        published=_published(record),
    )


def import_posts(
    store: Store, records: Iterable[Any], *, problems: list[PostProblem] | None = None
) -> int:
    """Store the posts of `records` that are new; returns how many were stored.

    Records are numbered from 1 in the order given. A record that is not a usable post (or is
    a `PostProblem` already) is logged and appended to `problems` with its reason; the others
    are stored all the same.
    """
    found = problems if problems is not None else []
    posts: dict[str, SocialPost] = {}
    for number, record in enumerate(records, start=1):
        if isinstance(record, PostProblem):
            found.append(record)
            log.warning("post %s skipped: %s", record.origin, record.reason)
            continue
        try:
            post = parse_post(record)
        except InputError as exc:
            found.append(PostProblem(f"record {number}", str(exc)))
            log.warning("post record %d skipped: %s", number, exc)
            continue
        posts.setdefault(post.key, post)
    stored = 0
    keys = list(posts)
    with store.session() as session:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            known = set(session.scalars(sa.select(SocialPost.key).where(SocialPost.key.in_(chunk))))
            for key in chunk:
                if key not in known:
                    session.add(posts[key])
                    stored += 1
    return stored


# -- matching posts to events -------------------------------------------------------------------


@dataclass(frozen=True)
class EventProfile:
    """What a post is compared with: an event's centroid, names, keywords and time span."""

    id: int
    centroid: Vector
    entities: frozenset[str]
    keywords: frozenset[str]
    first: datetime | None
    last: datetime | None


def _profiles(session: Session, embedder: Embedder) -> list[EventProfile]:
    """The live events whose centroid the embedder's vectors can be compared with."""
    events = session.scalars(
        sa.select(Event).where(Event.closed.is_(False), Event.centroid.is_not(None))
    ).all()
    profiles = []
    for event in events:
        centroid = vector_from_bytes(event.centroid or b"")
        if len(centroid) != embedder.dim:
            log.warning("event %d has a centroid of another model; not matched", event.id)
            continue
        profiles.append(
            EventProfile(
                id=event.id,
                centroid=centroid,
                entities=frozenset(str(name) for name, _n in event.entities),
                keywords=_event_keywords(session, event.id, embedder.name),
                first=event.first_published,
                last=event.last_published,
            )
        )
    return profiles


def _event_keywords(session: Session, event_id: int, model: str) -> frozenset[str]:
    rows = session.scalars(
        sa.select(ArticleFeatures.evidence)
        .join(EventMember, EventMember.article_id == ArticleFeatures.article_id)
        .where(EventMember.event_id == event_id, ArticleFeatures.model == model)
    )
    counts = Counter(word for evidence in rows for word in evidence.get("keywords", ()))
    return frozenset(word for word, _n in counts.most_common(EVENT_KEYWORDS))


def _in_time(when: datetime | None, event: EventProfile, window: timedelta) -> bool:
    """Whether a post of `when` can be about the event: not long before its first report,
    not later than the social window after its last."""
    if when is None:
        return True
    if event.first is not None and when < event.first - EARLY_SLACK:
        return False
    return event.last is None or when <= event.last + window


def match_score(vector: Vector, evidence: Evidence, event: EventProfile) -> float:
    """The cosine of post and event, raised by the names and keywords they share."""
    cosine = float(np.dot(vector, event.centroid))
    names = min(len(evidence.entities & event.entities), MAX_SHARED)
    words = min(len(evidence.keywords & event.keywords), MAX_SHARED)
    return cosine + ENTITY_BONUS * names + KEYWORD_BONUS * words


def _best_event(
    post: SocialPost, vector: Vector, events: Sequence[EventProfile], window: timedelta
) -> tuple[int, float] | None:
    text = clean_post_text(post.text)
    evidence = gather_evidence("", text, lang=post.lang, published=post.published)
    scored = [
        (match_score(vector, evidence, event), event.id)
        for event in events
        if _in_time(post.published or post.created_at, event, window)
    ]
    if not scored:
        return None
    score, event_id = max(scored)
    return event_id, score


def _waiting_posts(
    session: Session, settings: Settings, events: Sequence[EventProfile]
) -> list[int]:
    """Posts without an event that have not been tried since the live events last changed."""
    changed = session.scalar(
        sa.select(sa.func.max(Event.updated_at)).where(Event.closed.is_(False))
    )
    starts = [e.first for e in events if e.first is not None]
    earliest = min(starts) - EARLY_SLACK if starts and len(starts) == len(events) else None
    tried = aliased(StageItem)
    rows = session.execute(
        sa.select(SocialPost.id, SocialPost.published, SocialPost.created_at, tried)
        .outerjoin(tried, sa.and_(tried.stage == MATCH_STAGE, tried.item_id == SocialPost.id))
        .where(SocialPost.event_id.is_(None))
        .order_by(SocialPost.id)
    )
    waiting = []
    for post_id, published, created, row in rows:
        if row is None:
            waiting.append(post_id)
        elif row.status == "failed":
            if row.attempts < settings.max_attempts:
                waiting.append(post_id)
        elif changed is not None and row.updated_at < changed:
            when = published or created
            if earliest is None or when is None or when >= earliest:
                waiting.append(post_id)
    return waiting


def match_posts(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
) -> StageReport:
    """Place each post that waits with the live event it is about; idempotent.

    A placed post keeps its event and score; one below the threshold stays unplaced and is
    recorded as tried. A post whose vector cannot be made is recorded failed with the reason.
    """
    progress = progress or NullProgress()
    report = StageReport(MATCH_STAGE)
    with store.session() as session:
        events = _profiles(session, embedder)
        ids = _waiting_posts(session, settings, events)
    progress.start(MATCH_STAGE, len(ids))
    window = timedelta(days=settings.social_window_days)
    threshold = MATCH_THRESHOLDS.get(embedder.name, OTHER_MATCH_THRESHOLD)
    for start in range(0, len(ids), MATCH_BATCH):
        batch = ids[start : start + MATCH_BATCH]
        with store.session() as session:
            posts = list(session.scalars(sa.select(SocialPost).where(SocialPost.id.in_(batch))))
            vectors = _post_vectors(embedder, posts)
            for post, vector in zip(posts, vectors, strict=True):
                _match_one(session, post, vector, events, window, threshold, report)
        progress.advance(MATCH_STAGE, len(batch))
    return report.finish()


def _post_vectors(embedder: Embedder, posts: Sequence[SocialPost]) -> list[Vector | Exception]:
    """The posts' vectors, kept in the process's cache for the pulse stage that reads them."""
    cache = cache_for(embedder)
    texts = [clean_post_text(p.text) or p.text for p in posts]
    return embed_each(lambda batch: cache.embed(embedder, batch), texts)


def _match_one(
    session: Session,
    post: SocialPost,
    vector: Vector | Exception,
    events: Sequence[EventProfile],
    window: timedelta,
    threshold: float,
    report: StageReport,
) -> None:
    try:
        if isinstance(vector, Exception):
            raise vector
        best = _best_event(post, vector, events, window)
    except Exception as exc:  # one post must not stop the batch
        reason = describe(exc)
        record_failure(session, MATCH_STAGE, post.id, reason)
        report.fail(f"post {post.key}", reason)
        return
    if best is not None and best[1] >= threshold:
        post.event_id, post.match_score = best
    record_done(session, MATCH_STAGE, post.id)
    report.ok()
