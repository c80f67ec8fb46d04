"""What readers give the site: inaccuracy reports, and page views when they consent.

These are the only writes the web app makes. Page views are counted per path and day, with
nothing about the reader, and only for readers who accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import models
from ..models import utcnow

__all__ = [
    "MAX_CONTACT",
    "MAX_MESSAGE",
    "ReportProblem",
    "ReportRow",
    "add_report",
    "count_view",
    "list_reports",
    "page_views",
]

log = logging.getLogger(__name__)

MAX_MESSAGE = 5000
MAX_CONTACT = 320
MAX_PATH = 500


class ReportProblem(ValueError):
    """A report that cannot be kept as sent; the message says what to change."""


def count_view(session: Session, path: str, *, day: date | None = None) -> None:
    """Add one view of `path` on `day` (today, UTC, by default)."""
    day = day or utcnow().date()
    path = path[:MAX_PATH]
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = insert(models.PageView).values(path=path, day=day, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=["path", "day"],
            set_={"count": models.PageView.count + 1},
        )
        session.execute(statement)
        return
    row = session.get(models.PageView, (path, day))
    if row is None:
        session.add(models.PageView(path=path, day=day, count=1))
    else:
        row.count += 1


def page_views(session: Session, *, path: str | None = None) -> int:
    """Views counted in all, or of one path."""
    query = sa.select(sa.func.coalesce(sa.func.sum(models.PageView.count), 0))
    if path is not None:
        query = query.where(models.PageView.path == path)
    return int(session.execute(query).scalar_one())


@dataclass(frozen=True)
class ReportRow:
    id: int
    created_at: datetime
    story_id: int | None
    story_version: int | None
    page: str
    message: str
    contact: str | None
    status: str


def add_report(
    session: Session,
    *,
    page: str,
    message: str,
    contact: str | None = None,
    story_id: int | None = None,
) -> int:
    """Keep a reader's inaccuracy report; returns its id.

    The story's current version is recorded with it, so a reviewer sees what the reader saw.
    """
    message = message.strip()
    contact = (contact or "").strip() or None
    if not message:
        raise ReportProblem("empty")
    if len(message) > MAX_MESSAGE:
        raise ReportProblem("too-long")
    if contact is not None and len(contact) > MAX_CONTACT:
        raise ReportProblem("contact-too-long")
    version = None
    if story_id is not None:
        story = session.get(models.Story, story_id)
        if story is None:
            story_id = None
        else:
            version = story.version
    report = models.InaccuracyReport(
        story_id=story_id,
        story_version=version,
        page=page[:2000],
        message=message,
        contact=contact,
    )
    session.add(report)
    session.flush()
    log.info("inaccuracy report %s kept for story %s", report.id, story_id)
    return report.id


def list_reports(session: Session, *, status: str | None = None) -> Sequence[ReportRow]:
    """The reports readers sent, newest first."""
    query = sa.select(models.InaccuracyReport).order_by(
        models.InaccuracyReport.created_at.desc(), models.InaccuracyReport.id.desc()
    )
    if status is not None:
        query = query.where(models.InaccuracyReport.status == status)
    return [
        ReportRow(
            r.id, r.created_at, r.story_id, r.story_version, r.page, r.message, r.contact, r.status
        )
        for r in session.scalars(query)
    ]
