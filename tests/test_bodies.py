"""Bounded, streaming decompression of response bodies."""

from __future__ import annotations

import gzip
import zlib

import pytest

from tidings.bodies import Inflater, inflaters_for
from tidings.errors import FetchError

TEXT = b"<p>Harbour master's report: calm seas.</p>" * 50


def inflate(coding: str, data: bytes, step: int = 7) -> bytes:
    inflater = Inflater(coding)
    out = b"".join(p for i in range(0, len(data), step) for p in inflater.feed(data[i : i + step]))
    return out + inflater.flush()


def test_gzip_in_small_pieces() -> None:
    assert inflate("gzip", gzip.compress(TEXT)) == TEXT


def test_gzip_with_several_members() -> None:
    assert inflate("gzip", gzip.compress(TEXT) + gzip.compress(b"tail")) == TEXT + b"tail"


def test_zlib_and_raw_deflate() -> None:
    assert inflate("deflate", zlib.compress(TEXT)) == TEXT
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert inflate("deflate", raw.compress(TEXT) + raw.flush()) == TEXT


def test_output_comes_in_bounded_pieces() -> None:
    pieces = Inflater("gzip").feed(gzip.compress(b"\0" * 10_000_000))
    first = next(pieces)
    assert 0 < len(first) <= 64 * 1024


def test_content_encoding_header() -> None:
    assert [i.coding for i in inflaters_for("gzip, deflate", "u")] == ["deflate", "gzip"]
    assert inflaters_for("identity", "u") == []
    with pytest.raises(FetchError, match="unsupported Content-Encoding br"):
        inflaters_for("br", "https://example.org/")
