"""The JSON API under `/api/v1/`: stories, events, storylines, outlets and search.

Every endpoint is declared once in `ENDPOINTS`, with its parameters and the pydantic model of
its response; the routes and the OpenAPI 3.1 description (`/api/v1/openapi.json`, built by
`tidings.web.openapi`) are both made from that table, so they cannot drift apart. Errors (an
unknown story, a bad parameter) are raised as `HTTPException` and turned into JSON once, by
the web app's error handler: `{"error": "...", "status": 404}`.

Lists are paged (`page`, `per_page`) and newest first. Story text comes in the edition's
language where a translation of the current version exists; every sentence lists the ids of
the source articles that support it, and `sources` says what those articles are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .. import models
from .. import stories as contract
from ..settings import Settings
from .feeds import honest_label
from .reading import (
    CANDIDATES,
    StoryCard,
    story_cards,
    story_page,
    story_path,
    storyline_stories,
    topic_stories,
)
from .search import search_stories

__all__ = [
    "API_PREFIX",
    "ENDPOINTS",
    "Endpoint",
    "ErrorOut",
    "Param",
    "api_routes",
]

API_PREFIX = "/api/v1"
MAX_PER_PAGE = 100


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorOut(_Out):
    """What every API error answers."""

    error: str
    status: int


class StoryOut(_Out):
    """A story as lists show it."""

    id: int
    event_id: int
    storyline_id: int | None
    version: int
    headline: str
    standfirst: str
    lang: str  # the language the story was written in
    shown_lang: str  # the language of headline and standfirst here
    label: str  # "Reported by AI" or "Compiled automatically from N sources"
    generative: bool
    model: str | None
    outlets: int
    topics: list[str]
    created_at: datetime
    updated_at: datetime
    first_published: datetime | None
    last_published: datetime | None
    url: str  # the story's page
    image: str | None


class StoryList(_Out):
    items: list[StoryOut]
    page: int
    per_page: int
    total: int


class SentenceOut(_Out):
    text: str
    sources: list[str]  # ids of the source articles that support it


class ParagraphOut(_Out):
    sentences: list[SentenceOut]


class SourceOut(_Out):
    """A source article."""

    article_id: str
    outlet: str
    title: str
    url: str | None
    published: datetime | None
    lang: str | None


class VersionOut(_Out):
    version: int
    created_at: datetime
    changes: list[str]


class RelatedOut(_Out):
    kind: str  # storyline, topic
    story: StoryOut


class StoryDetail(StoryOut):
    """One story with every sentence, its sources, versions and related stories."""

    headline_sources: list[str]
    standfirst_sentences: list[SentenceOut]
    paragraphs: list[ParagraphOut]
    sources: list[SourceOut]
    writer: str
    translator: str | None
    versions: list[VersionOut]
    related: list[RelatedOut]


class EventOut(_Out):
    id: int
    storyline_id: int
    first_published: datetime | None
    last_published: datetime | None
    size: int
    outlets: int
    langs: list[str]
    closed: bool
    story_id: int | None


class EventList(_Out):
    items: list[EventOut]
    page: int
    per_page: int
    total: int


class RelatedEventOut(_Out):
    event_id: int
    kind: str
    score: float


class EventDetail(EventOut):
    articles: list[SourceOut]
    related: list[RelatedEventOut]


class StorylineOut(_Out):
    id: int
    opened_at: datetime
    updated_at: datetime
    size: int
    closed: bool


class StorylineList(_Out):
    items: list[StorylineOut]
    page: int
    per_page: int
    total: int


class StorylineDetail(StorylineOut):
    events: list[EventOut]
    stories: list[StoryOut]


class OutletOut(_Out):
    name: str
    homepage: str | None
    lang: str | None
    country: str | None
    topics: list[str]
    feeds: list[str]


class OutletList(_Out):
    items: list[OutletOut]


class SearchResultOut(_Out):
    score: float
    story: StoryOut


class SearchResults(_Out):
    query: str
    edition: str
    items: list[SearchResultOut]


@dataclass(frozen=True)
class Param:
    """One query or path parameter."""

    name: str
    kind: type  # int or str
    description: str
    where: str = "query"  # or "path"
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Args:
    """The validated parameters of one request."""

    settings: Settings
    edition: str
    values: dict[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class Endpoint:
    path: str  # below API_PREFIX, in OpenAPI form: /stories/{story_id}
    name: str
    summary: str
    response: type[BaseModel]
    params: tuple[Param, ...]
    handler: Callable[[Session, Args], BaseModel]


def _num(value: str, param: Param) -> int:
    try:
        number = int(value)
    except ValueError:
        raise HTTPException(400, f"{param.name} must be a whole number") from None
    if (param.minimum is not None and number < param.minimum) or (
        param.maximum is not None and number > param.maximum
    ):
        raise HTTPException(
            400, f"{param.name} must be between {param.minimum} and {param.maximum}"
        )
    return number


def _args(request: Request, endpoint: Endpoint) -> Args:
    settings: Settings = request.app.state.settings
    values: dict[str, Any] = {}
    for param in endpoint.params:
        source = request.path_params if param.where == "path" else request.query_params
        raw = source.get(param.name)
        if raw is None or raw == "":
            if param.required:
                raise HTTPException(400, f"{param.name} is required")
            continue
        values[param.name] = _num(str(raw), param) if param.kind is int else str(raw)
    edition = values.get("edition") or settings.editions[0]
    if edition not in settings.editions:
        raise HTTPException(400, f"edition must be one of {', '.join(settings.editions)}")
    return Args(settings, edition, values)


def _story_out(card: StoryCard, args: Args) -> StoryOut:
    site = args.settings.site_url.rstrip("/")
    return StoryOut(
        id=card.id,
        event_id=card.event_id,
        storyline_id=card.storyline_id,
        version=card.version,
        headline=card.headline,
        standfirst=card.standfirst,
        lang=card.lang,
        shown_lang=card.shown_lang,
        label=honest_label(card, args.edition),
        generative=card.generative,
        model=card.model,
        outlets=card.outlets,
        topics=list(card.topics),
        created_at=card.created_at,
        updated_at=card.updated_at,
        first_published=card.first_published,
        last_published=card.last_published,
        url=site + story_path(args.edition, card),
        image=site + card.image.url if card.image else None,
    )


def _paging(args: Args) -> tuple[int, int]:
    return int(args.get("page") or 1), int(args.get("per_page") or 20)


def _stories(session: Session, args: Args) -> BaseModel:
    page, per_page = _paging(args)
    topic, storyline = args.get("topic"), args.get("storyline")
    if topic is not None:
        cards = topic_stories(session, topic, args.edition, limit=CANDIDATES)
        cards = [c for c in cards if storyline is None or c.storyline_id == storyline]
    elif storyline is not None:
        cards = storyline_stories(session, storyline, args.edition)
        cards.sort(key=lambda c: (c.updated_at, c.id), reverse=True)
    else:
        total = session.scalar(sa.select(sa.func.count()).select_from(models.Story)) or 0
        ids = session.scalars(
            sa.select(models.Story.id)
            .order_by(models.Story.updated_at.desc(), models.Story.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        items = [_story_out(c, args) for c in story_cards(session, ids, args.edition)]
        return StoryList(items=items, page=page, per_page=per_page, total=total)
    shown = cards[(page - 1) * per_page : page * per_page]
    items = [_story_out(c, args) for c in shown]
    return StoryList(items=items, page=page, per_page=per_page, total=len(cards))


def _sentence(sentence: contract.Sentence) -> SentenceOut:
    return SentenceOut(text=sentence.text, sources=list(sentence.sources))


def _story(session: Session, args: Args) -> BaseModel:
    page = story_page(session, args.get("story_id"), args.edition)
    if page is None:
        raise HTTPException(404, "no such story")
    story = page.story
    return StoryDetail(
        **_story_out(page.card, args).model_dump(),
        headline_sources=list(story.headline.sources),
        standfirst_sentences=[_sentence(s) for s in story.standfirst],
        paragraphs=[
            ParagraphOut(sentences=[_sentence(s) for s in p.sentences]) for p in story.paragraphs
        ],
        sources=[SourceOut(**vars(link)) for link in page.sources.values()],
        writer=story.writer,
        translator=page.translator,
        versions=[
            VersionOut(version=v.version, created_at=v.created_at, changes=list(v.changes))
            for v in page.versions
        ],
        related=[RelatedOut(kind=r.kind, story=_story_out(r.card, args)) for r in page.related],
    )


def _event_rows(
    session: Session, where: Sequence[sa.ColumnElement[bool]]
) -> sa.Select[models.Event, int]:
    return (
        sa.select(models.Event, models.Story.id)
        .outerjoin(models.Story, models.Story.event_id == models.Event.id)
        .where(*where)
        .order_by(
            sa.func.coalesce(models.Event.last_published, models.Event.opened_at).desc(),
            models.Event.id.desc(),
        )
    )


def _event_out(event: models.Event, story_id: int | None) -> EventOut:
    return EventOut(
        id=event.id,
        storyline_id=event.storyline_id,
        first_published=event.first_published,
        last_published=event.last_published,
        size=event.size,
        outlets=event.outlets,
        langs=list(event.langs or []),
        closed=event.closed,
        story_id=story_id,
    )


def _events(session: Session, args: Args) -> BaseModel:
    page, per_page = _paging(args)
    where = []
    if args.get("storyline") is not None:
        where.append(models.Event.storyline_id == args.get("storyline"))
    total = session.scalar(sa.select(sa.func.count()).select_from(models.Event).where(*where))
    rows = session.execute(
        _event_rows(session, where).offset((page - 1) * per_page).limit(per_page)
    )
    items = [_event_out(event, story_id) for event, story_id in rows]
    return EventList(items=items, page=page, per_page=per_page, total=total or 0)


def _event(session: Session, args: Args) -> BaseModel:
    event_id = args.get("event_id")
    row = session.execute(_event_rows(session, [models.Event.id == event_id])).first()
    if row is None:
        raise HTTPException(404, "no such event")
    articles = session.scalars(
        sa.select(models.Article)
        .join(models.EventMember, models.EventMember.article_id == models.Article.id)
        .where(models.EventMember.event_id == event_id)
        .order_by(models.Article.published, models.Article.id)
    )
    related = session.scalars(
        sa.select(models.RelatedEvent)
        .where(models.RelatedEvent.event_id == event_id)
        .order_by(models.RelatedEvent.score.desc())
    )
    return EventDetail(
        **_event_out(row[0], row[1]).model_dump(),
        articles=[
            SourceOut(
                article_id=str(a.id),
                outlet=a.outlet or "",
                title=a.title,
                url=a.url,
                published=a.published,
                lang=a.lang,
            )
            for a in articles
        ],
        related=[
            RelatedEventOut(event_id=r.related_id, kind=r.kind, score=r.score) for r in related
        ],
    )


def _storyline_out(line: models.Storyline) -> StorylineOut:
    return StorylineOut(
        id=line.id,
        opened_at=line.opened_at,
        updated_at=line.updated_at,
        size=line.size,
        closed=line.closed,
    )


def _storylines(session: Session, args: Args) -> BaseModel:
    page, per_page = _paging(args)
    total = session.scalar(sa.select(sa.func.count()).select_from(models.Storyline)) or 0
    lines = session.scalars(
        sa.select(models.Storyline)
        .order_by(models.Storyline.updated_at.desc(), models.Storyline.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [_storyline_out(line) for line in lines]
    return StorylineList(items=items, page=page, per_page=per_page, total=total)


def _storyline(session: Session, args: Args) -> BaseModel:
    storyline_id = args.get("storyline_id")
    line = session.get(models.Storyline, storyline_id)
    if line is None:
        raise HTTPException(404, "no such storyline")
    events = session.execute(_event_rows(session, [models.Event.storyline_id == storyline_id]))
    return StorylineDetail(
        **_storyline_out(line).model_dump(),
        events=[_event_out(event, story_id) for event, story_id in events],
        stories=[_story_out(c, args) for c in storyline_stories(session, line.id, args.edition)],
    )


def _outlets(session: Session, args: Args) -> BaseModel:
    sources = session.scalars(sa.select(models.Source).order_by(models.Source.name))
    return OutletList(
        items=[
            OutletOut(
                name=s.name,
                homepage=s.homepage,
                lang=s.lang,
                country=s.country,
                topics=[t.strip() for t in s.topics.split(",") if t.strip()],
                feeds=[f.url for f in s.feeds],
            )
            for s in sources
        ]
    )


def _search(session: Session, args: Args) -> BaseModel:
    query = str(args.get("q"))
    hits = search_stories(session, query, args.edition, int(args.get("limit") or 20))
    return SearchResults(
        query=query,
        edition=args.edition,
        items=[SearchResultOut(score=h.score, story=_story_out(h.card, args)) for h in hits],
    )


EDITION = Param("edition", str, "Edition (language) to show stories in; the first by default.")
PAGE = Param("page", int, "Page of the list, from 1.", minimum=1, maximum=100_000)
PER_PAGE = Param("per_page", int, "Items per page.", minimum=1, maximum=MAX_PER_PAGE)


def _id(name: str, what: str) -> Param:
    return Param(name, int, f"Id of the {what}.", where="path", required=True, minimum=1)


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "/stories",
        "stories",
        "Stories, most recently updated first",
        StoryList,
        (
            EDITION,
            Param("topic", str, "Only stories filed under this topic."),
            Param("storyline", int, "Only stories of this storyline.", minimum=1),
            PAGE,
            PER_PAGE,
        ),
        _stories,
    ),
    Endpoint(
        "/stories/{story_id}",
        "story",
        "One story: every sentence with its sources, versions and related stories",
        StoryDetail,
        (_id("story_id", "story"), EDITION),
        _story,
    ),
    Endpoint(
        "/events",
        "events",
        "Events, latest report first",
        EventList,
        (Param("storyline", int, "Only events of this storyline.", minimum=1), PAGE, PER_PAGE),
        _events,
    ),
    Endpoint(
        "/events/{event_id}",
        "event",
        "One event with its articles and related events",
        EventDetail,
        (_id("event_id", "event"),),
        _event,
    ),
    Endpoint(
        "/storylines",
        "storylines",
        "Storylines, most recently updated first",
        StorylineList,
        (PAGE, PER_PAGE),
        _storylines,
    ),
    Endpoint(
        "/storylines/{storyline_id}",
        "storyline",
        "One storyline with its events and stories",
        StorylineDetail,
        (_id("storyline_id", "storyline"), EDITION),
        _storyline,
    ),
    Endpoint("/sources", "sources", "The outlets Tidings reads", OutletList, (), _outlets),
    Endpoint(
        "/search",
        "search",
        "Stories that match a query, best first",
        SearchResults,
        (
            Param("q", str, 'Words, "quoted phrases" and -excluded words.', required=True),
            EDITION,
            Param("limit", int, "Most results.", minimum=1, maximum=MAX_PER_PAGE),
        ),
        _search,
    ),
)


def _endpoint(endpoint: Endpoint) -> Callable[[Request], Response]:
    def answer(request: Request) -> Response:
        args = _args(request, endpoint)
        with request.app.state.store.session() as session:
            result = endpoint.handler(session, args)
        return Response(
            result.model_dump_json(),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"},
        )

    return answer


def _route_path(path: str) -> str:
    """The Starlette form of an OpenAPI path: ids are whole numbers."""
    for name in ("story_id", "event_id", "storyline_id"):
        path = path.replace("{" + name + "}", "{" + name + ":int}")
    return API_PREFIX + path


def _openapi(request: Request) -> Response:
    from .openapi import openapi_document

    settings: Settings = request.app.state.settings
    return Response(
        openapi_document(settings),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )


def _not_found(request: Request) -> Response:
    raise HTTPException(404, "no such API endpoint")


def api_routes() -> list[BaseRoute]:
    """The API's routes; they read `app.state.settings` and `app.state.store`."""
    routes: list[BaseRoute] = [
        Route(_route_path(e.path), _endpoint(e), name=f"api_{e.name}") for e in ENDPOINTS
    ]
    routes.append(Route(API_PREFIX + "/openapi.json", _openapi, name="api_openapi"))
    routes.append(Route(API_PREFIX + "/{rest:path}", _not_found, name="api_not_found"))
    return routes
