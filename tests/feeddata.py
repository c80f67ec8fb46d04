"""A small fictional newsroom for the feed, API, search and export tests.

Three outlets (one with a business topic) report four events in two storylines; every event
has a story whose body is a real `stories.Story`, every sentence cited. One headline is
hostile on purpose: markup, entities, a CDATA terminator and a control character, to prove
that every output escapes it. All names, places and numbers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tidings import models
from tidings.db import Store
from tidings.stories import Citation, Paragraph, Sentence, Story

HOSTILE = 'Ferry <script>alert("x")</script> & co ]]> fares <b>rise</b>\x01 by 4%'
BASE_TIME = datetime(2031, 3, 2, 8, 0, tzinfo=UTC)

OUTLETS = (
    ("Harbour Gazette", "en", "world"),
    ("Fjordposten", "nb", "world,business"),
    ("Valley Courier", "en", "business"),
)

# event id -> storyline id, headline, standfirst, body sentences
EVENTS: dict[int, tuple[int, str, str, tuple[str, ...]]] = {
    11: (
        1,
        "Riverside bridge in Lowmere reopens after eight months of repairs",
        "The Lowmere city council reopened the Riverside bridge on Monday.",
        (
            "Engineers replaced 140 steel cables during the repairs.",
            "Traffic across the river is expected to return to normal within a week.",
        ),
    ),
    12: (
        1,
        "Lowmere council approves a second bridge over the Tarn river",
        "Councillors voted 31 to 9 for a second crossing north of the harbour.",
        ("Construction of the new crossing is planned to start in the spring of 2032.",),
    ),
    13: (
        2,
        "Copperfield mining cooperative reports record quarterly output",
        "The Copperfield cooperative mined more copper than in any quarter before.",
        ("Its chair, Ines Marlow, credited a new ventilation system in the deep shafts.",),
    ),
    14: (
        2,
        HOSTILE,
        "Ticket prices on the Copperfield ferry line rise in April.",
        ("Fares rise.",),
    ),
}


@dataclass
class Newsroom:
    """Ids of what `fill` wrote."""

    story_ids: dict[int, int] = field(default_factory=dict)  # event id -> story id
    article_ids: dict[int, list[int]] = field(default_factory=dict)  # event id -> articles


def _sentence(text: str, article_ids: list[int]) -> Sentence:
    return Sentence(text=text, citations=tuple(Citation(article_id=str(a)) for a in article_ids))


def story_body(event_id: int, article_ids: list[int], *, generative: bool = False) -> Story:
    """The stories.Story of one fixture event, cited to its articles."""
    _line, headline, standfirst, body = EVENTS[event_id]
    return Story(
        event_id=str(event_id),
        lang="en",
        headline=_sentence(headline, article_ids[:1]),
        standfirst=(_sentence(standfirst, article_ids),),
        paragraphs=(Paragraph(sentences=tuple(_sentence(s, article_ids[-1:]) for s in body)),),
        outlets=tuple(OUTLETS[i % len(OUTLETS)][0] for i in range(len(article_ids))),
        langs=("en",),
        first_published=BASE_TIME,
        last_published=BASE_TIME + timedelta(hours=event_id),
        writer="chat" if generative else "extractive",
        model="a-fictional-model" if generative else None,
        generative=generative,
    )


def _sources(session: Session) -> list[models.Source]:
    sources = []
    for name, lang, topics in OUTLETS:
        source = models.Source(
            name=name, homepage=f"https://{name.split()[0].lower()}.test/", lang=lang, topics=topics
        )
        source.feeds.append(models.Feed(url=f"https://{name.split()[0].lower()}.test/rss"))
        session.add(source)
        sources.append(source)
    session.flush()
    return sources


def _articles(session: Session, sources: list[models.Source], event_id: int) -> list[int]:
    ids = []
    count = 3 if event_id == 11 else 2
    for i in range(count):
        source = sources[(event_id + i) % len(sources)]
        url = f"{source.homepage}news/{event_id}-{i}"
        document = models.Document(
            key=url, url=url, kind="article", feed_id=source.feeds[0].id, fetched_at=BASE_TIME
        )
        session.add(document)
        session.flush()
        article = models.Article(
            document_id=document.id,
            url=url,
            outlet=source.name,
            title=f"Report {i} on event {event_id}",
            text=" ".join(EVENTS[event_id][3]),
            lang=source.lang,
            published=BASE_TIME + timedelta(hours=event_id, minutes=i),
            content_hash=f"{event_id:04d}{i:060d}",
        )
        session.add(article)
        session.flush()
        session.add(models.EventMember(article_id=article.id, event_id=event_id, probability=0.9))
        ids.append(article.id)
    return ids


def fill(store: Store) -> Newsroom:
    """Write the fictional newsroom into `store`."""
    room = Newsroom()
    with store.session() as session:
        sources = _sources(session)
        for line in (1, 2):
            session.add(models.Storyline(id=line, opened_at=BASE_TIME, updated_at=BASE_TIME))
        session.flush()
        for event_id, (line, _h, _s, _b) in EVENTS.items():
            published = BASE_TIME + timedelta(hours=event_id)
            session.add(
                models.Event(
                    id=event_id,
                    storyline_id=line,
                    first_published=BASE_TIME,
                    last_published=published,
                    size=3,
                    outlets=2,
                    langs=["en"],
                    updated_at=published,
                )
            )
        session.flush()
        for event_id in EVENTS:
            room.article_ids[event_id] = _articles(session, sources, event_id)
            body = story_body(event_id, room.article_ids[event_id], generative=event_id == 13)
            row = models.Story(
                event_id=event_id,
                lang="en",
                headline=body.headline.text,
                standfirst=" ".join(s.text for s in body.standfirst),
                writer=body.writer,
                model=body.model,
                generative=body.generative,
                outlets=len(body.outlets),
                body=body.model_dump(mode="json"),
                created_at=BASE_TIME,
                updated_at=BASE_TIME + timedelta(hours=event_id),
            )
            session.add(row)
            session.flush()
            room.story_ids[event_id] = row.id
        session.add(models.RelatedEvent(event_id=11, related_id=12, score=0.8, kind="storyline"))
    return room
