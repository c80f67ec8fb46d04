"""What changed between two versions of a story, in a few short lines a reader can scan.

A story is rewritten when new reports join its event; the page shows, beside the new
version, what changed since the one before: the outlets that joined, the values that
changed ("corrected: $350 billion -> $400 billion") and the facts that are new. Facts are
the numbers, amounts, shares, dates, names and quotes `tidings.facts.facts_of` finds in
the sentences of each version; two facts are the same when their normalised keys are.

A value counts as corrected when the two versions, read as two reports, disagree on it in
the sense of `tidings.checking.find_disagreements`: amounts of one unit, with the same words
near them, that differ.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .checking import find_disagreements
from .facts import Fact, facts_of
from .stories import Coverage, SourceArticle, Story

__all__ = ["MAX_CHANGES", "changes"]

MAX_CHANGES = 5  # lines of "what changed" kept per version
MAX_LISTED = 3  # items named in one line before "and N more"
_PREVIOUS, _CURRENT = "previous", "current"


def _text(story: Story) -> str:
    return "\n".join(s.text for s in (story.headline, *story.sentences()))


def _corrections(previous: Story, current: Story) -> list[tuple[str, str]]:
    """(old, new) values: amounts the two versions, read as two reports, disagree on."""
    versions = tuple(
        SourceArticle(id=key, outlet=key, title="", text=_text(story), lang=story.lang)
        for key, story in ((_PREVIOUS, previous), (_CURRENT, current))
    )
    found = []
    # Two versions of one story that give one quantity in the same words differ on it
    # whatever it counts, so every quantity is compared, not only an event's key ones.
    both = Coverage(event_id=current.event_id, articles=versions)
    for disagreement in find_disagreements(both, key_only=False):
        by_version = {r.article_id: r.value for r in disagreement.reports}
        if _PREVIOUS in by_version and _CURRENT in by_version:
            found.append((by_version[_PREVIOUS], by_version[_CURRENT]))
    return found


def _facts(story: Story) -> list[Fact]:
    """Every fact of the story's headline and sentences, in reading order."""
    return [
        fact
        for sentence in (story.headline, *story.sentences())
        for fact in facts_of(sentence.text, lang=story.lang)
    ]


def _listing(items: Iterable[str]) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:MAX_LISTED])
    rest = len(unique) - MAX_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def _outlet_lines(
    previous_ids: Collection[str], current_ids: Collection[str], outlets_by_id: Mapping[str, str]
) -> list[str]:
    old_outlets = {outlets_by_id.get(i) for i in previous_ids}
    joined = [i for i in current_ids if i not in set(previous_ids)]
    outlets = [o for o in (outlets_by_id.get(i) for i in joined) if o and o not in old_outlets]
    if outlets:
        return [f"new outlets: {_listing(sorted(set(outlets)))}"]
    if joined:
        return [f"{len(joined)} new report{'s' if len(joined) != 1 else ''}"]
    return []


def changes(
    previous: Story | None,
    current: Story,
    previous_ids: Collection[str],
    current_ids: Collection[str],
    outlets_by_id: Mapping[str, str],
) -> list[str]:
    """What changed from `previous` (written from `previous_ids`) to `current`, at most
    `MAX_CHANGES` short lines; `outlets_by_id` names the outlet of every article id."""
    if previous is None:
        return ["first version"]
    found = _outlet_lines(previous_ids, current_ids, outlets_by_id)
    corrected = _corrections(previous, current)
    found += [f"corrected: {old} -> {new}" for old, new in corrected]
    known = {f.key for f in _facts(previous)}
    fresh: dict[str, str] = {}
    for fact in _facts(current):
        if fact.key not in known and not any(fact.text in new for _old, new in corrected):
            fresh.setdefault(fact.key, fact.text)
    if fresh:
        found.append(f"new facts: {_listing(fresh.values())}")
    if not found:
        found.append(f"rewritten from {len(set(current_ids))} reports")
    return found[:MAX_CHANGES]
