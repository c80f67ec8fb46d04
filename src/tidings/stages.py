"""What every stage shares: which items wait for it, and how it records each outcome.

A stage takes the items waiting for it, works on each, and records the outcome of each item
in the same transaction as its result. A run killed at any moment therefore leaves every
item either done (with its result) or still waiting; nothing is lost and nothing is done
twice. Failures are recorded with their reason and tried again in later runs until the
item has had `max_attempts` tries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .errors import TidingsError
from .models import StageItem, utcnow

__all__ = [
    "Failure",
    "StageReport",
    "describe",
    "done_ids",
    "record_done",
    "record_failure",
    "waiting_ids",
]

MAX_REASON = 2000


@dataclass(frozen=True)
class Failure:
    item: str  # what failed: a URL, a file, an article id
    reason: str


@dataclass
class StageReport:
    """What one run of one stage did."""

    stage: str
    done: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def ok(self) -> None:
        self.done += 1

    def fail(self, item: str, reason: str) -> None:
        self.failed += 1
        self.failures.append(Failure(item, reason))

    def finish(self) -> StageReport:
        self.seconds = time.monotonic() - self.started
        return self

    @property
    def rate(self) -> float:
        """Items handled per second."""
        return (self.done + self.failed) / self.seconds if self.seconds > 0 else 0.0


def waiting_ids(
    session: Session,
    stage: str,
    candidates: sa.Select[int],
    *,
    max_attempts: int,
) -> list[int]:
    """Ids among `candidates` (a select of one id column) that still wait for `stage`.

    An item waits while the stage has no row for it, or a failed row with fewer than
    `max_attempts` tries.
    """
    ids = candidates.subquery()
    id_col = next(iter(ids.c))
    tried = sa.select(StageItem.item_id).where(
        StageItem.stage == stage,
        sa.or_(StageItem.status == "done", StageItem.attempts >= max_attempts),
    )
    query = sa.select(id_col).where(id_col.not_in(tried)).order_by(id_col)
    return list(session.scalars(query))


def record_done(session: Session, stage: str, item_id: int) -> None:
    """Mark the item done (in the caller's transaction, beside its result)."""
    _record(session, stage, item_id, "done", None)


def record_failure(session: Session, stage: str, item_id: int, reason: str) -> None:
    """Mark the item failed with a reason, counting the attempt."""
    _record(session, stage, item_id, "failed", reason[:MAX_REASON])


def _record(session: Session, stage: str, item_id: int, status: str, reason: str | None) -> None:
    row = session.get(StageItem, (stage, item_id))
    if row is None:
        session.add(StageItem(stage=stage, item_id=item_id, status=status, reason=reason))
        return
    row.status = status
    row.reason = reason
    row.attempts += 1
    row.updated_at = utcnow()


def describe(exc: Exception) -> str:
    """The failure reason recorded for an item: our own errors say it; others are named."""
    if isinstance(exc, TidingsError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def done_ids(stage: str) -> sa.Select[int]:
    """The ids of the items `stage` has done."""
    return sa.select(StageItem.item_id).where(StageItem.stage == stage, StageItem.status == "done")
