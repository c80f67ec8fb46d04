"""What the reports of an event share: each fact weighed by how many reports state it.

A story should state what several reports say before what one alone says. `Corroboration`
reads the original reports of an event once (title and text, in any language; wire copies
are not originals) and answers, for a fact of a sentence, how many of them state it: a name
also in a longer or a variant form, a relative date against each report's own date
(`tidings.facts.SourceFacts.supports`). Two reports of one outlet count as two: an outlet
that repeats a fact in its next report holds it to be part of the news.

A fact that one report alone states is not shared and weighs nothing here (the writer
attributes it to its outlet instead). A shared fact weighs 1 when two reports state it, and
one more for each doubling of them (`log2`): a fact eight reports state weighs three times
one that two state, so the widely reported facts come first without crowding out the rest.

`Stated` keeps what a story has said, and `coverage_order` ranks sentences by greedy weighted
coverage: first the sentence that states the most weight of shared facts, then the one that
adds the most weight not yet stated, and so on while a sentence adds any; ties go to the
sentence read first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .facts import Fact, SourceFacts, source_facts
from .stories import SourceArticle

__all__ = ["Corroboration", "SharedFacts", "Stated", "coverage_order"]

SharedFacts = Mapping[Fact, float]  # the shared facts a sentence states, each with its weight


@dataclass
class Corroboration:
    """An event's original reports, read once and asked about many facts."""

    reports: tuple[SourceFacts, ...]  # what each report states
    _known: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, articles: Sequence[SourceArticle], langs: Mapping[str, str | None]
    ) -> Corroboration:
        """What each of `articles` states; `langs` gives each article's language."""
        return cls(
            tuple(
                source_facts(f"{a.title}\n{a.text}", lang=langs[a.id], published=a.published)
                for a in articles
            )
        )

    def reporting(self, fact: Fact) -> int:
        """How many of the reports state `fact`."""
        known = (fact.kind, fact.key, fact.text.casefold())
        if known not in self._known:
            self._known[known] = sum(facts.supports(fact) for facts in self.reports)
        return self._known[known]

    def weight(self, fact: Fact) -> float:
        """The fact's weight (see the module's docstring): 0 unless two reports state it."""
        reports = self.reporting(fact)
        return math.log2(reports) if reports >= 2 else 0.0

    def shared(self, facts: Iterable[Fact]) -> dict[Fact, float]:
        """The shared facts among `facts`, each with its weight."""
        found: dict[Fact, float] = {}
        for fact in facts:
            weight = self.weight(fact)
            if weight > 0:
                found[fact] = max(weight, found.get(fact, 0.0))
        return found


@dataclass
class Stated:
    """What a story states so far. A fact is stated when a sentence gave its key; a name
    also when a sentence gave a longer name that holds it ("Barack Obama" states "Obama",
    "AK-47 rifles" states "AK-47")."""

    keys: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)  # the keys of the names stated, spaced

    def add(self, facts: Iterable[Fact]) -> None:
        """Count a sentence's facts as stated."""
        for fact in facts:
            self.keys.add(fact.key)
            if fact.kind == "name":
                self.names.append(f" {fact.key} ")

    def has(self, fact: Fact) -> bool:
        """Whether the story states `fact` already."""
        if fact.key in self.keys:
            return True
        needle = f" {fact.key} "
        return fact.kind == "name" and any(needle in name for name in self.names)

    def gain(self, shared: SharedFacts) -> float:
        """The weight of the shared facts a sentence adds to what is stated."""
        return sum(weight for fact, weight in shared.items() if not self.has(fact))


def coverage_order(sentences: Sequence[SharedFacts]) -> list[int]:
    """The indices of the sentences (each given by its shared facts) that add shared facts,
    in greedy coverage order (see the module's docstring); those that add nothing are left
    out."""
    order: list[int] = []
    stated = Stated()
    left = [i for i, shared in enumerate(sentences) if shared]
    while left:
        gains = [stated.gain(sentences[i]) for i in left]
        best = max(range(len(left)), key=lambda n: (gains[n], -n))
        if gains[best] <= 0:
            break
        order.append(left.pop(best))
        stated.add(sentences[order[-1]])
    return order
