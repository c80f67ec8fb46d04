"""Times as sources write them, read into timezone-aware UTC datetimes.

A published time comes clean from a feed or a page's metadata (ISO 8601, RFC 2822), or as a
dateline copied from a page with words around it: "Published : March 4, 2026 A 112 caller
reported smoke at 3 : 33 a. m.", "UPDATED 06 / 11 / 2026 at 11 : 00 AM EDT Originally
published 06 / 11 / 2026 at 10 : 20 AM EDT", "12 : 52 p. m. EDT June 2, 2026". A dateline is
read by finding its full dates (day, month and year, in the languages `evidence` reads),
preferring the one labelled as the publication over an update, and the clock time written
next to it. A bare year ("In 2008, …") or a day without a year is not a published time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from .evidence import date_spans

__all__ = ["parse_time", "utc"]

_NOON = 12  # the hour of a date written without a time
# The words before a date that say which time it is: its publication, or a later update.
_PUBLISHED_LABEL = re.compile(
    r"(?:publi|posted|created|written|erstellt|veröffentlicht|publicado|pubblicato|publisert)"
    r"[\w\s.:]*$",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"(?:updated|modified|edited|aktualisiert|actualizado|aggiornato|oppdatert)[\w\s.:]*$",
    re.IGNORECASE,
)
_LABEL_REACH = 40  # characters before a date searched for its label
_YEAR_FIRST = re.compile(  # 2026.01.08, 2026 - 01 - 08
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s?([./-])\s?(?P<m>\d\d?)\s?\2\s?(?P<d>\d\d?)(?!\d)"
)
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6, "MST": -7, "MDT": -6,
    "MT": -7, "PST": -8, "PDT": -7, "PT": -8, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9,
    "KST": 9, "AEST": 10, "AEDT": 11,
}  # fmt: skip
_CLOCK = (
    r"(?P<hour>[012]?\d)\s?:\s?(?P<minute>[0-5]\d)(?:\s?:\s?[0-5]\d)?"
    r"(?:\s?(?P<half>[ap])(?:\.?\s?m\b\.?|\b))?"
    r"(?:\s?(?:(?-i:(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r"))\b"
    r"|(?P<offset>[+-]\d\d:?\d\d)(?!\d)))?"
)
_DASHES = "\\-\u2013\u2014"
_CLOCK_AFTER = re.compile(
    rf"[\s,|@{_DASHES}]*(?:at\s+|um\s+|à\s+|a las\s+|kl\.?\s*)?" + _CLOCK, re.I
)
_CLOCK_BEFORE = re.compile(_CLOCK + rf"[\s,|{_DASHES}]*$", re.IGNORECASE)


def utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC; a naive time is taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_time(value: object) -> datetime | None:
    """ISO 8601, RFC 2822, or the published time a dateline states among other words
    ("December 15th, 2008, 7 : 35 am"); None for anything that states no full date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return utc(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    try:
        return utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    return _dateline(text)


def _dateline(text: str) -> datetime | None:
    """The published time of a dateline: its publication date if one is labelled, else its
    first date not labelled as an update, else its first date; with the clock time beside it."""
    spans = _full_dates(text)
    if not spans:
        return None
    labelled = [(span, text[max(0, span[0] - _LABEL_REACH) : span[0]]) for span in spans]
    published = [span for span, label in labelled if _PUBLISHED_LABEL.search(label)]
    fresh = [span for span, label in labelled if not _UPDATED_LABEL.search(label)]
    start, end, day = (published or fresh or spans)[0]
    return _at_clock(day, text[end:], text[:start])


def _full_dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of every date in `text` that names its year, in reading order
    (without a published time to resolve against, "July 7" resolves to no date)."""
    found = date_spans(text)
    for match in _YEAR_FIRST.finditer(text):
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        found.append((match.start(), match.end(), day))
    return sorted(found)


def _at_clock(day: date, after: str, before: str) -> datetime:
    """`day` at the clock time written right after it (or right before it), in UTC."""
    clock = _CLOCK_AFTER.match(after) or _CLOCK_BEFORE.search(before)
    moment = datetime(day.year, day.month, day.day, _NOON, tzinfo=UTC)
    if clock is None:
        return moment
    hour, minute = int(clock["hour"]), int(clock["minute"])
    if clock["half"]:
        hour = hour % 12 + (12 if clock["half"].lower() == "p" else 0)
    if hour > 23:
        return moment
    return moment.replace(hour=hour, minute=minute) - _offset(clock["zone"], clock["offset"])


def _offset(zone: str | None, offset: str | None) -> timedelta:
    if zone:
        return timedelta(hours=_ZONES[zone.upper()])
    if offset:
        digits = offset[1:].replace(":", "")
        sign = -1 if offset[0] == "-" else 1
        return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timedelta()
