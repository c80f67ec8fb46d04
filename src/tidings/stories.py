"""What the write stage reads and makes: an event's coverage in, a `Story` out.

A writer turns `Coverage` (the articles of one event, from every outlet and language) into a
`Story`: a headline, a standfirst of two or three sentences and a body of paragraphs, where
every sentence carries the citations of the source articles, and the spans in them, that
support it. `Writer` is the one contract every backend fulfils; backends register under a
name in `WRITERS` and the `writer` setting picks one.

Stories are pydantic models so that they are validated when a backend builds them and stored
as JSON (`Story.model_dump(mode="json")`, `Story.model_validate`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from .errors import ConfigError

if TYPE_CHECKING:
    from .embedding import Embedder
    from .settings import Settings

__all__ = [
    "BUILT_IN_WRITERS",
    "WRITERS",
    "CheckReport",
    "Citation",
    "Coverage",
    "Disagreement",
    "FactFailure",
    "Paragraph",
    "Report",
    "Sentence",
    "SourceArticle",
    "Story",
    "Writer",
    "WriterFactory",
    "make_writer",
    "register_writer",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceArticle(_Frozen):
    """One report a writer may cite: an article of the event, as extracted."""

    id: str  # the article's id in the store, or the `id` field of a JSONL record
    outlet: str
    title: str
    text: str
    url: str | None = None
    lang: str | None = None
    published: datetime | None = None
    duplicate_of: str | None = None  # the first copy, when this is a wire copy
    # The article's vector as the embed stage stored it (title and lead), when the coverage
    # was read with the model of the writer's embedder; not part of a stored story.
    vector: tuple[float, ...] | None = Field(default=None, exclude=True, repr=False)


class Coverage(_Frozen):
    """Everything the sources say about one event: what a writer writes from."""

    event_id: str
    articles: tuple[SourceArticle, ...]
    storyline_id: str | None = None

    def article(self, article_id: str) -> SourceArticle:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    @property
    def originals(self) -> tuple[SourceArticle, ...]:
        """The articles that are not copies of another one of the event."""
        return tuple(a for a in self.articles if a.duplicate_of is None)


class Citation(_Frozen):
    """A source article that supports a sentence, and where in its text (when known)."""

    article_id: str
    start: int | None = None  # character offsets in the article's text
    end: int | None = None


class Sentence(_Frozen):
    """One sentence of a story with the sources that support it."""

    text: str
    citations: tuple[Citation, ...] = Field(min_length=1)

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the cited articles, each once, in citation order."""
        return tuple(dict.fromkeys(c.article_id for c in self.citations))


class Paragraph(_Frozen):
    sentences: tuple[Sentence, ...] = Field(min_length=1)


class FactFailure(_Frozen):
    """A fact of a sentence that none of the sentence's cited sources contains."""

    sentence: str
    fact: str
    kind: Literal["number", "money", "percent", "date", "name", "quote"]
    action: Literal["dropped", "rewritten"]


class Report(_Frozen):
    """One outlet's value in a disagreement."""

    outlet: str
    article_id: str
    value: str  # as the outlet wrote it: "roughly $400 billion"


class Disagreement(_Frozen):
    """Outlets that report different values for one fact."""

    subject: str  # what the value is of: "investment pledge"
    reports: tuple[Report, ...] = Field(min_length=2)


class CheckReport(_Frozen):
    """What the faithfulness check found in a story, stored and shown with it."""

    writer: str
    model: str | None = None
    facts_checked: int = 0
    failures: tuple[FactFailure, ...] = ()
    fell_back: bool = False  # too little survived; the extractive writer wrote the story
    fallback_reason: str | None = None
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


class Story(_Frozen):
    """One article about one event, every sentence with its sources."""

    event_id: str
    lang: str  # the language the story is written in
    headline: Sentence
    standfirst: tuple[Sentence, ...] = Field(min_length=1)
    paragraphs: tuple[Paragraph, ...] = Field(min_length=1)
    outlets: tuple[str, ...]
    langs: tuple[str, ...]  # languages of the sources
    first_published: datetime | None = None
    last_published: datetime | None = None
    writer: str  # the backend's registered name
    model: str | None = None  # the generative model, when one wrote the text
    generative: bool = False
    check: CheckReport | None = None

    def sentences(self) -> Iterator[Sentence]:
        """The standfirst's sentences, then the body's, in reading order (not the headline)."""
        yield from self.standfirst
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    @property
    def sources(self) -> tuple[str, ...]:
        """Every cited article id, each once, in order of first citation."""
        cited = [self.headline.sources, *(s.sources for s in self.sentences())]
        return tuple(dict.fromkeys(a for ids in cited for a in ids))

    @property
    def label(self) -> str:
        """The honest label: "Reported by AI" only when a generative model wrote it."""
        if self.generative:
            return "Reported by AI"
        count = len(self.outlets)
        return f"Compiled automatically from {count} source{'s' if count != 1 else ''}"


class Writer(Protocol):
    """The write stage's contract: one event's coverage in, one story out.

    `name` is the registered name; `generative` says whether a generative model writes the
    text (the page's label depends on it); `model` names that model.
    """

    name: str
    generative: bool
    model: str | None

    def write(self, coverage: Coverage) -> Story: ...


WriterFactory = Callable[["Settings", "Embedder"], Writer]
WRITERS: dict[str, WriterFactory] = {}


def register_writer(name: str) -> Callable[[WriterFactory], WriterFactory]:
    """Register a writer factory under `name`, the value of the `writer` setting."""

    def decorate(factory: WriterFactory) -> WriterFactory:
        WRITERS[name] = factory
        return factory

    return decorate


BUILT_IN_WRITERS = ("tidings.extractive", "tidings.chat_writer")  # modules that register


def make_writer(settings: Settings, embedder: Embedder) -> Writer:
    """The writer the settings name, built with its options."""
    for module in BUILT_IN_WRITERS:
        importlib.import_module(module)
    try:
        factory = WRITERS[settings.writer]
    except KeyError:
        known = ", ".join(sorted(WRITERS)) or "none"
        raise ConfigError(f"unknown writer {settings.writer!r} (known: {known})") from None
    return factory(settings, embedder)
