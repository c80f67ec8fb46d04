"""Reading a response body within the size cap, decompressing as it streams.

The cap applies to the decoded body. Decompression is done here, in bounded steps, rather
than by httpx, so a small compressed body that inflates to gigabytes (a "zip bomb") is
stopped as soon as it passes the cap, without ever holding more than the cap in memory.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Sequence

import httpx

from .errors import FetchError, TooLargeError

__all__ = ["ACCEPT_ENCODING", "Inflater", "inflaters_for", "read_body"]

logger = logging.getLogger(__name__)

ACCEPT_ENCODING = "gzip, deflate"
STEP = 64 * 1024
GZIP_WBITS = 16 + zlib.MAX_WBITS


class Inflater:
    """Incremental gzip or deflate decoder that yields output in pieces of at most STEP."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._wbits = GZIP_WBITS if coding == "gzip" else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(self._wbits)
        self._started = False

    def _decompress(self, data: bytes) -> bytes:
        try:
            out = self._obj.decompress(data, STEP)
        except zlib.error:
            if self.coding != "deflate" or self._started:
                raise
            # Some servers send raw deflate without the zlib header.
            self._wbits = -zlib.MAX_WBITS
            self._obj = zlib.decompressobj(self._wbits)
            out = self._obj.decompress(data, STEP)
        self._started = True
        return out

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of `data`, produced lazily so the caller can stop early."""
        while data:
            piece = self._decompress(data)
            if piece:
                yield piece
            if self._obj.eof:
                # A gzip body may hold several members, one after the other.
                data = self._obj.unused_data
                if data:
                    self._obj = zlib.decompressobj(self._wbits)
                continue
            data = self._obj.unconsumed_tail

    def flush(self) -> bytes:
        return self._obj.flush()


def inflaters_for(content_encoding: str, url: str) -> list[Inflater]:
    """Decoders for a Content-Encoding header, in the order they are applied to the body."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    inflaters = []
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding not in {"gzip", "x-gzip", "deflate"}:
            raise FetchError(f"cannot decode {url}: unsupported Content-Encoding {coding}", url=url)
        inflaters.append(Inflater("deflate" if coding == "deflate" else "gzip"))
    return inflaters


def _run(inflaters: Sequence[Inflater], data: bytes) -> Iterator[bytes]:
    if not inflaters:
        yield data
        return
    for piece in inflaters[0].feed(data):
        yield from _run(inflaters[1:], piece)


def _finish(inflaters: Sequence[Inflater]) -> Iterator[bytes]:
    for index, inflater in enumerate(inflaters):
        yield from _run(inflaters[index + 1 :], inflater.flush())


def _too_large(url: str, limit: int, what: str) -> TooLargeError:
    return TooLargeError(f"{url} is too large: {what} more than the {limit}-byte cap", url=url)


def check_length(response: httpx.Response, *, limit: int, url: str) -> None:
    """Refuse a response whose Content-Length already exceeds the cap."""
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise _too_large(url, limit, f"the server announces {int(declared)} bytes,")


async def read_body(
    response: httpx.Response, *, limit: int, url: str, truncate: bool = False
) -> bytes:
    """The decoded body of a streamed response, at most `limit` bytes.

    A longer body raises TooLargeError, or with `truncate` is cut at `limit`.
    """
    if not truncate:
        check_length(response, limit=limit, url=url)
    inflaters = inflaters_for(response.headers.get("content-encoding", ""), url)
    body = bytearray()
    received = 0
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            for piece in _run(inflaters, chunk):
                body += piece
                if len(body) > limit or received > limit:
                    if truncate:
                        return bytes(body[:limit])
                    raise _too_large(url, limit, "the body runs to")
        for piece in _finish(inflaters):
            body += piece
    except zlib.error as exc:
        raise FetchError(f"cannot decode {url}: corrupt compressed body ({exc})", url=url) from exc
    if len(body) > limit:
        if truncate:
            return bytes(body[:limit])
        raise _too_large(url, limit, "the body runs to")
    return bytes(body)
