"""Times as sources write them, read into timezone-aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import dateutil.parser

__all__ = ["parse_time", "utc"]

_NOON = datetime(2000, 1, 1, 12, 0)  # fills what a partial date leaves out
# Loose parsing only where the text plainly holds a date: a year, or a d/m/y-style date.
_LOOKS_DATED = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2,4}\b")


def utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC; a naive time is taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_time(value: object) -> datetime | None:
    """ISO 8601, or a date as news pages write it ("December 15th, 2008, 7 : 35 am");
    None for anything that is not plainly a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return utc(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    if not _LOOKS_DATED.search(text):
        return None
    try:
        parsed = dateutil.parser.parse(
            text.replace(" : ", ":"), fuzzy=True, default=_NOON, ignoretz=True
        )
    except (ValueError, OverflowError):
        return None
    return utc(parsed)
