"""A store filled with fictional stories for the site's tests, written directly as rows.

Every outlet, place, person and event here is invented. `fill_store` adds outlets with
topics, articles, events in two storylines, a story per event (with versions, an
illustration, a pulse and related events), one translation, and a story whose headline and
source title are hostile markup.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tidings import models
from tidings import stories as contract
from tidings.db import Store

__all__ = ["HOSTILE", "WebData", "fill_store", "png"]

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"

OUTLETS = [
    # name, lang, topics
    ("Northwind Gazette", "en", "world,business"),
    ("Harbour Ledger", "en", "business"),
    ("Fjordposten", "nb", "world,norway"),
    ("Tagesblick", "de", "world"),
    ("Kestrel Tech", "en", "tech"),
    ("Pitchside Daily", "en", "sport"),
]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small PNG of horizontal bands, made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        shade = 1.0 - 0.35 * (y / max(height - 1, 1))
        pixel = bytes(int(c * shade) for c in rgb)
        rows += b"\x00" + pixel * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class EventSpec:
    key: str
    storyline: int
    hours_ago: float
    outlets: tuple[str, ...]
    headline: str
    sentences: tuple[str, ...]
    generative: bool = False
    image_generative: bool = False
    color: tuple[int, int, int] = (40, 90, 140)


EVENTS = [
    EventSpec(
        "talks-day-2",
        1,
        2,
        ("Northwind Gazette", "Harbour Ledger", "Fjordposten", "Tagesblick"),
        "Valdoria and Ostmark end second day of ferry talks without a deal",
        (
            "Trade ministers of Valdoria and Ostmark ended a second day of talks on the "
            "Skerry ferry route on Friday without reaching an agreement.",
            "Minister Anja Reltberg said the two sides now understood each other better.",
            "The talks followed a threat to raise harbour fees from 12% to 20%.",
            "Ostmark had pledged 400 million crowns for new ferry terminals under last "
            "year's accord.",
            "Reltberg said the talks would continue by video link next week.",
            "Harbour workers in Lunde said they hoped for a decision before the summer season.",
        ),
        generative=True,
        image_generative=True,
        color=(30, 80, 130),
    ),
    EventSpec(
        "talks-day-1",
        1,
        30,
        ("Northwind Gazette", "Fjordposten", "Harbour Ledger"),
        "First day of Valdoria-Ostmark ferry talks ends without agreement",
        (
            "The first day of talks between Valdoria and Ostmark on the Skerry ferry route "
            "ended without agreement on Thursday.",
            "The ministers agreed to meet again the next day.",
            "Both delegations described the meeting as frank.",
        ),
        generative=True,
        image_generative=True,
        color=(60, 100, 90),
    ),
    EventSpec(
        "accord",
        1,
        24 * 40,
        ("Northwind Gazette", "Tagesblick"),
        "Valdoria and Ostmark sign a ferry accord",
        (
            "Valdoria and Ostmark signed an accord on the Skerry ferry route on Tuesday.",
            "The accord lowers harbour fees for passenger ferries.",
            "Ostmark pledged new ferry terminals in return.",
        ),
        color=(110, 70, 40),
    ),
    EventSpec(
        "bridge",
        2,
        5,
        ("Harbour Ledger", "Northwind Gazette", "Fjordposten"),
        "Port Alder reopens its harbour bridge after repairs",
        (
            "The harbour bridge of Port Alder reopened on Friday after eight months of repairs.",
            "The repairs cost 58 million crowns, the city said.",
            "Traders on the north quay said deliveries would be faster again.",
        ),
        color=(90, 60, 120),
    ),
    EventSpec(
        "weather-model",
        3,
        8,
        ("Kestrel Tech", "Northwind Gazette"),
        "Kestrel Labs releases an open weather model for small islands",
        (
            "Kestrel Labs released an open weather model for small islands on Thursday.",
            "The model runs on a single laptop, the company said.",
            "Island councils in the Skerry archipelago plan to test it this winter.",
        ),
        color=(20, 110, 110),
    ),
    EventSpec(
        "cup-final",
        4,
        12,
        ("Pitchside Daily", "Fjordposten"),
        "Lakeside FC win the Northern Cup on penalties",
        (
            "Lakeside FC won the Northern Cup on Sunday after a penalty shoot-out.",
            "Goalkeeper Mira Ostvik saved two penalties.",
            "About 9,000 fans watched the final in Lunde.",
        ),
        color=(30, 120, 60),
    ),
    EventSpec(
        "hostile",
        5,
        20,
        ("Harbour Ledger", "Kestrel Tech"),
        HOSTILE + " Harbour pilots strike",
        (
            "Harbour pilots in Lunde went on strike on Monday " + HOSTILE,
            "The strike halted three ferries.",
        ),
        color=(120, 40, 40),
    ),
]


@dataclass
class WebData:
    """Ids of what `fill_store` made, by event key."""

    now: datetime
    story_ids: dict[str, int] = field(default_factory=dict)
    event_ids: dict[str, int] = field(default_factory=dict)
    article_ids: dict[str, list[int]] = field(default_factory=dict)
    storyline_ids: dict[str, int] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)

    @property
    def main(self) -> int:
        return self.story_ids["talks-day-2"]


def _sources(session: Session) -> dict[str, models.Feed]:
    feeds = {}
    for name, lang, topics in OUTLETS:
        slug = name.lower().replace(" ", "-")
        source = models.Source(
            name=name, homepage=f"https://{slug}.example/", lang=lang, topics=topics
        )
        feed = models.Feed(url=f"https://{slug}.example/rss.xml", title=name)
        source.feeds.append(feed)
        session.add(source)
        feeds[name] = feed
    session.flush()
    return feeds


def _articles(
    session: Session, feeds: dict[str, models.Feed], spec: EventSpec, published: datetime
) -> list[models.Article]:
    rows = []
    for index, outlet in enumerate(spec.outlets):
        slug = outlet.lower().replace(" ", "-")
        url = f"https://{slug}.example/news/{spec.key}"
        doc = models.Document(
            key=url, url=url, kind="text", feed_id=feeds[outlet].id, fetched_at=published
        )
        session.add(doc)
        session.flush()
        title = spec.headline if index else f"{outlet}: {spec.headline}"
        if spec.key == "hostile":
            title = HOSTILE
        article = models.Article(
            document_id=doc.id,
            url=url,
            outlet=outlet,
            title=title,
            text=" ".join(spec.sentences),
            lang="nb" if outlet == "Fjordposten" else "de" if outlet == "Tagesblick" else "en",
            published=published + timedelta(minutes=20 * index),
            content_hash=f"{spec.key}-{index}",
        )
        session.add(article)
        rows.append(article)
    session.flush()
    return rows


def _story(spec: EventSpec, event_id: int, articles: list[models.Article]) -> contract.Story:
    ids = [str(a.id) for a in articles]

    def sentence(text: str, index: int) -> contract.Sentence:
        cited = [ids[index % len(ids)]]
        if index % 2 == 0 and len(ids) > 1:
            cited.append(ids[(index + 1) % len(ids)])
        return contract.Sentence(
            text=text, citations=tuple(contract.Citation(article_id=a) for a in cited)
        )

    sentences = [sentence(text, i) for i, text in enumerate(spec.sentences)]
    paragraphs = [
        contract.Paragraph(sentences=tuple(sentences[i : i + 2]))
        for i in range(1, len(sentences), 2)
    ]
    disagreements: tuple[contract.Disagreement, ...] = ()
    if spec.key == "talks-day-2":
        disagreements = (
            contract.Disagreement(
                subject="terminal pledge",
                reports=(
                    contract.Report(
                        outlet=articles[0].outlet or "",
                        article_id=ids[0],
                        value="400 million crowns",
                    ),
                    contract.Report(
                        outlet=articles[1].outlet or "",
                        article_id=ids[1],
                        value="about 450 million crowns",
                    ),
                ),
            ),
        )
    check = contract.CheckReport(
        writer="chat" if spec.generative else "extractive",
        model="tiny-news-model" if spec.generative else None,
        facts_checked=7,
        failures=(
            contract.FactFailure(
                sentence="The talks drew 3,000 protesters.",
                fact="3,000",
                kind="number",
                action="dropped",
            ),
        )
        if spec.generative
        else (),
        disagreements=disagreements,
    )
    return contract.Story(
        event_id=str(event_id),
        lang="en",
        headline=contract.Sentence(
            text=spec.headline, citations=(contract.Citation(article_id=ids[0]),)
        ),
        standfirst=(sentences[0],),
        paragraphs=tuple(paragraphs) or (contract.Paragraph(sentences=(sentences[0],)),),
        outlets=tuple(spec.outlets),
        langs=tuple(sorted({a.lang or "en" for a in articles})),
        writer="chat" if spec.generative else "extractive",
        model="tiny-news-model" if spec.generative else None,
        generative=spec.generative,
        check=check,
    )


def _event(
    session: Session, data: WebData, spec: EventSpec, feeds: dict[str, models.Feed], event_id: int
) -> None:
    published = data.now - timedelta(hours=spec.hours_ago)
    if spec.storyline not in set(data.storyline_ids.values()):
        session.merge(models.Storyline(id=spec.storyline, opened_at=published, size=1))
    data.storyline_ids[spec.key] = spec.storyline
    articles = _articles(session, feeds, spec, published)
    session.add(
        models.Event(
            id=event_id,
            storyline_id=spec.storyline,
            opened_at=published,
            first_published=published,
            last_published=published + timedelta(minutes=20 * (len(articles) - 1)),
            size=len(articles),
            outlets=len(spec.outlets),
            langs=sorted({a.lang or "en" for a in articles}),
            entities=[["Valdoria", 3], ["Ostmark", 2]] if spec.storyline == 1 else [],
            updated_at=published,
        )
    )
    session.flush()
    for index, article in enumerate(articles):
        session.add(
            models.EventMember(
                article_id=article.id,
                event_id=event_id,
                joined_at=article.published,
                probability=0.9,
                opened=index == 0,
            )
        )
    story = _story(spec, event_id, articles)
    row = models.Story(
        event_id=event_id,
        version=2 if spec.key == "talks-day-2" else 1,
        lang="en",
        headline=spec.headline,
        standfirst=" ".join(s.text for s in story.standfirst),
        writer=story.writer,
        model=story.model,
        generative=story.generative,
        outlets=len(spec.outlets),
        body=story.model_dump(mode="json"),
        created_at=published,
        updated_at=published + timedelta(minutes=30),
    )
    session.add(row)
    session.flush()
    data.story_ids[spec.key] = row.id
    data.event_ids[spec.key] = event_id
    data.article_ids[spec.key] = [a.id for a in articles]
    data.headlines[spec.key] = spec.headline
    _versions(session, row, story, articles)
    session.add(
        models.StoryImage(
            story_id=row.id,
            version=row.version,
            media_type="image/png",
            data=png(64, 36, spec.color),
            width=1200,
            height=675,
            caption=f"Illustration: {spec.headline}" if spec.key != "hostile" else HOSTILE,
            alt=f"Drawing for the story: {spec.headline}",
            made_by="picture-model-x" if spec.image_generative else "drawn by Tidings",
            generative=spec.image_generative,
        )
    )


def _versions(
    session: Session, row: models.Story, story: contract.Story, articles: list[models.Article]
) -> None:
    body = story.model_dump(mode="json")
    if row.version == 2:
        session.add(
            models.StoryVersion(
                story_id=row.id,
                version=1,
                body=body,
                changes=[],
                article_ids=[a.id for a in articles[:2]],
                created_at=row.created_at,
            )
        )
    session.add(
        models.StoryVersion(
            story_id=row.id,
            version=row.version,
            body=body,
            changes=["new outlet: Tagesblick", "new outlet: Fjordposten"]
            if row.version == 2
            else [],
            article_ids=[a.id for a in articles],
            created_at=row.updated_at,
        )
    )


def _extras(session: Session, data: WebData) -> None:
    main_event = data.event_ids["talks-day-2"]
    session.add(
        models.Pulse(
            event_id=main_event,
            posts=48,
            sentiment={"positive": 0.2, "neutral": 0.5, "negative": 0.3},
            themes=[
                {"label": "harbour fees", "keywords": ["fees"], "posts": 21},
                {"label": "ferry jobs", "keywords": ["jobs"], "posts": 9},
            ],
            summary="Limited discussion highlights the ferry talks, with neutral reporting "
            "and worries over harbour fees.",
            made_by="sentiment lexicon",
            generative=False,
        )
    )
    related = [
        ("talks-day-1", "storyline", 0.9),
        ("accord", "storyline", 0.7),
        ("bridge", "topic", 0.6),
    ]
    for key, kind, score in related:
        session.add(
            models.RelatedEvent(
                event_id=main_event, related_id=data.event_ids[key], score=score, kind=kind
            )
        )
    bridge = data.story_ids["bridge"]
    original = session.get(models.Story, bridge)
    assert original is not None
    translated = contract.Story.model_validate(original.body)
    german = translated.model_copy(
        update={
            "lang": "de",
            "headline": contract.Sentence(
                text="Port Alder öffnet seine Hafenbrücke nach Reparaturen wieder",
                citations=translated.headline.citations,
            ),
        }
    )
    session.add(
        models.StoryTranslation(
            story_id=bridge,
            lang="de",
            version=1,
            body=german.model_dump(mode="json"),
            translator="chat:tiny-translator",
        )
    )


def fill_store(store: Store, *, now: datetime | None = None) -> WebData:
    """Fill `store` with the fictional stories; returns their ids."""
    data = WebData(now=now or datetime.now(UTC))
    with store.session() as session:
        feeds = _sources(session)
        for number, spec in enumerate(EVENTS, start=1):
            _event(session, data, spec, feeds, 100 + number)
        session.flush()
        _extras(session, data)
    return data
