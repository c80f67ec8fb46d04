"""Offline inputs: files, directories, WARC archives and JSONL dumps read into raw pages.

`iter_pages` is lenient in the way a batch has to be: what cannot be read comes back as an
`InputProblem` naming the file (and line or record) with a reason, and reading goes on.

    .html .htm (.gz)     one HTML page per file
    .txt (.gz)           one plain-text page per file (first line the title)
    .warc (.gz)          one HTML page per HTTP response record with an HTML content type
    .jsonl (.gz)         one article object per non-empty line

Every page carries an `origin` that names it stably, so reading the same input twice gives
the same origins: the resolved file path, `PATH#L<n>` for line n of a JSONL file and
`PATH#R<n>` for record n (counting from 1) of a WARC file.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import StatusAndHeadersParserException

from .documents import PageKind, RawPage
from .moments import parse_time

__all__ = ["MAX_PAGE_BYTES", "InputProblem", "iter_pages"]

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 50_000_000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TRUNCATED = "truncated: the archive ends inside this record"

# What reading a damaged file raises: OSError covers gzip.BadGzipFile.
_READ_ERRORS = (OSError, EOFError, zlib.error)
# warcio meets damaged archives with its own errors and with assorted lookup and type errors
# from header fields that are missing or cut short.
_WARC_ERRORS = (
    *_READ_ERRORS,
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    AttributeError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)


@dataclass(frozen=True)
class InputProblem:
    """Something in an input that could not be read."""

    origin: str  # the file, and the line or record in it
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def iter_pages(
    paths: Iterable[Path], *, max_bytes: int = MAX_PAGE_BYTES
) -> Iterator[RawPage | InputProblem]:
    """Read files and directories (recursively, in sorted order, hidden names skipped).

    A file named explicitly with an unknown extension is a problem; in a directory it is
    skipped. No single page larger than `max_bytes` is read.
    """
    for path in paths:
        if path.is_dir():
            for found in _walk(path):
                if isinstance(found, InputProblem):
                    yield found
                elif _format(found) is None:
                    log.debug("skipping %s: not an input format", found)
                else:
                    yield from _read(found, max_bytes)
        elif not path.exists():
            yield InputProblem(str(path.resolve()), "no such file or directory")
        elif _format(path) is None:
            yield InputProblem(str(path.resolve()), "unknown input type (by its extension)")
        else:
            yield from _read(path, max_bytes)


def _walk(directory: Path) -> Iterator[Path | InputProblem]:
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        yield InputProblem(str(directory.resolve()), f"cannot list directory: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def _format(path: Path) -> str | None:
    """The input format by extension: "html", "text", "warc", "jsonl", or None."""
    name = path.name.lower().removesuffix(".gz")
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    formats = {"html": "html", "htm": "html", "txt": "text", "warc": "warc", "jsonl": "jsonl"}
    return formats.get(suffix)


def _read(path: Path, max_bytes: int) -> Iterator[RawPage | InputProblem]:
    kind = _format(path)
    origin = str(path.resolve())
    if kind == "warc":
        yield from _read_warc(path, origin, max_bytes)
    elif kind == "jsonl":
        yield from _read_jsonl(path, origin, max_bytes)
    else:
        yield _read_page(
            path, origin, max_bytes, PageKind.HTML if kind == "html" else PageKind.TEXT
        )


def _open(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _too_large(max_bytes: int) -> str:
    return f"larger than the {max_bytes:,} byte limit for one page"


def _read_page(path: Path, origin: str, max_bytes: int, kind: PageKind) -> RawPage | InputProblem:
    try:
        with _open(path) as handle:
            body = handle.read(max_bytes + 1)
    except _READ_ERRORS as exc:
        return InputProblem(origin, _reason(exc))
    if len(body) > max_bytes:
        return InputProblem(origin, _too_large(max_bytes))
    return RawPage(kind=kind, body=body, origin=origin)


def _reason(exc: BaseException) -> str:
    """A short human reason for a read error."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"corrupt gzip data: {exc}"
    if isinstance(exc, EOFError):
        return "truncated: the file ends in the middle of compressed data"
    return f"cannot read: {exc or type(exc).__name__}"


def _lines(handle: io.BufferedIOBase, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines, with None for a line longer than `max_bytes` (which is skipped)."""
    number = 0
    while line := handle.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(max_bytes)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _read_jsonl(path: Path, origin: str, max_bytes: int) -> Iterator[RawPage | InputProblem]:
    last = 0
    try:
        with _open(path) as handle:
            for last, line in _lines(handle, max_bytes):
                where = f"{origin}#L{last}"
                if line is None:
                    yield InputProblem(where, _too_large(max_bytes))
                elif line.strip():
                    yield _json_page(line.strip(), where)
    except _READ_ERRORS as exc:
        yield InputProblem(f"{origin}#L{last + 1}" if last else origin, _reason(exc))


def _json_page(line: bytes, origin: str) -> RawPage | InputProblem:
    try:
        data = json.loads(line)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return InputProblem(origin, f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return InputProblem(origin, f"not a JSON object but a {type(data).__name__}")
    return RawPage(
        kind=PageKind.ARTICLE_JSON,
        body=line,
        url=_text_field(data, "url"),
        origin=origin,
        hint_title=_text_field(data, "title"),
        hint_published=parse_time(_text_field(data, "published")),
        hint_outlet=_text_field(data, "outlet"),
        hint_lang=_text_field(data, "lang"),
    )


def _text_field(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value.strip() or None if isinstance(value, str) else None


class _WarcRecords(ArchiveIterator):  # type: ignore[misc]  # warcio is untyped
    """warcio's record iterator, noting whether the archive ends inside a record.

    warcio stops quietly at a truncated gzip member or record; what it leaves behind when it
    closes (an unfinished decompressor, a record still owed bytes, a header line read after
    the last whole record) tells that from a clean end.
    """

    truncated = False

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        unfinished = not getattr(decompressor, "eof", True)
        if unfinished or _owed(self.record) or getattr(self, "next_line", None):
            self.truncated = True
        super().close()


def _owed(record: Any) -> bool:
    """Whether a record's block was cut short: its declared length is not all there."""
    return bool(getattr(getattr(record, "raw_stream", None), "limit", 0))


def _read_warc(path: Path, origin: str, max_bytes: int) -> Iterator[RawPage | InputProblem]:
    number = 0
    item: RawPage | InputProblem | None = None
    try:
        with path.open("rb") as handle:
            records = _WarcRecords(handle)
            for number, record in enumerate(records, start=1):
                item = _warc_page(record, f"{origin}#R{number}", max_bytes)
                if item is not None:
                    yield item
    except _WARC_ERRORS as exc:
        yield InputProblem(f"{origin}#R{number + 1}", f"corrupt WARC: {_reason(exc)}")
        return
    reported = isinstance(item, InputProblem) and item.origin == f"{origin}#R{number}"
    if number == 0:
        yield InputProblem(origin, "not a WARC file, or no whole record in it")
    elif records.truncated and not reported:
        yield InputProblem(f"{origin}#R{number + 1}", _TRUNCATED)


def _warc_page(record: Any, origin: str, max_bytes: int) -> RawPage | InputProblem | None:
    """The HTML page of a successful HTTP response record; None for any other record."""
    if not (record.rec_headers.get_header("Content-Length") or "").isdigit():
        return InputProblem(origin, "truncated or corrupt: the record has no valid length")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = _content_type(record.http_headers.get_header("Content-Type"))
    if not status.startswith("2") or content_type[0] not in HTML_TYPES:
        log.debug("skipping %s: status %s, type %s", origin, status, content_type[0])
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return InputProblem(origin, _too_large(max_bytes))
    if _owed(record):
        return InputProblem(origin, _TRUNCATED)
    return RawPage(
        kind=PageKind.HTML,
        body=body,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        origin=origin,
        encoding=content_type[1],
        fetched_at=parse_time(record.rec_headers.get_header("WARC-Date")),
    )


def _content_type(header: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and charset of a Content-Type header."""
    if not header:
        return "", None
    message = Message()
    message["Content-Type"] = header
    return message.get_content_type(), message.get_content_charset()
