"""Encoding detection: declarations, lies, byte-order marks and guesses."""

from __future__ import annotations

import codecs

import pytest

from tidings.charsets import decode, detect_encoding, normalize_encoding

FRENCH = "<p>Le caf\u00e9 \u201cna\u00efve\u201d co\u00fbte 5\u20ac \u2014 d\u00e9j\u00e0 vu.</p>"
RUSSIAN = (
    "<p>\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! "
    "\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f.</p>"
)


def test_utf8_with_matching_header() -> None:
    body = FRENCH.encode()
    assert detect_encoding(body, declared="UTF-8", media_type="text/html") == "utf-8"
    assert decode(body, declared="utf-8", media_type="text/html") == FRENCH


def test_header_claiming_utf8_on_cp1252_bytes() -> None:
    body = FRENCH.encode("cp1252")
    assert detect_encoding(body, declared="utf-8", media_type="text/html") == "cp1252"
    assert decode(body, declared="utf-8", media_type="text/html") == FRENCH


def test_header_claiming_latin1_on_utf8_bytes() -> None:
    body = FRENCH.encode()
    assert decode(body, declared="iso-8859-1", media_type="text/html") == FRENCH


def test_latin1_label_reads_as_windows_1252() -> None:
    body = FRENCH.encode("cp1252")
    assert detect_encoding(body, declared="ISO-8859-1", media_type="text/html") == "cp1252"


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        "<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=windows-1251'>",
    ],
)
def test_meta_declaration(meta: str) -> None:
    body = f"<html><head>{meta}</head><body>{RUSSIAN}</body></html>".encode("cp1251")
    assert detect_encoding(body, declared=None, media_type="text/html") == "cp1251"
    assert RUSSIAN in decode(body, declared="utf-8", media_type="text/html")


def test_xml_declaration() -> None:
    body = f'<?xml version="1.0" encoding="windows-1251"?><rss>{RUSSIAN}</rss>'.encode("cp1251")
    assert detect_encoding(body, declared=None, media_type="application/rss+xml") == "cp1251"


def test_meta_is_not_read_in_xml() -> None:
    body = f'<rss><![CDATA[<meta charset="koi8-r">]]>{FRENCH}</rss>'.encode("cp1252")
    assert detect_encoding(body, declared=None, media_type="text/xml") == "cp1252"


def test_utf16_meta_means_utf8() -> None:
    body = f'<meta charset="utf-16"><p>{FRENCH}</p>'.encode()
    assert detect_encoding(body, declared=None, media_type="text/html") == "utf-8"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_byte_order_mark_wins(encoding: str) -> None:
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE}.get(
        encoding, codecs.BOM_UTF16_BE
    )
    body = bom + FRENCH.encode(encoding)
    assert decode(body, declared="iso-8859-1", media_type="text/html") == FRENCH


def test_guess_without_any_declaration() -> None:
    body = (RUSSIAN * 3).encode("cp1251")
    assert decode(body, declared=None, media_type="text/html") == RUSSIAN * 3


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    body = (FRENCH * 5).encode() + b"\xff" + FRENCH.encode()
    assert detect_encoding(body, declared="utf-8", media_type="text/html") == "utf-8"


def test_seven_bit_encoding_is_kept_when_declared() -> None:
    body = "\u65e5\u672c\u8a9e\u306e\u30cb\u30e5\u30fc\u30b9".encode("iso2022_jp")
    assert body.isascii()
    assert detect_encoding(body, declared="ISO-2022-JP", media_type="text/html") == "iso2022_jp"


def test_plain_ascii_is_utf8() -> None:
    assert detect_encoding(b"<p>hello</p>", declared=None, media_type="") == "utf-8"


def test_unknown_labels_are_ignored() -> None:
    assert normalize_encoding("x-no-such-charset") is None
    assert normalize_encoding("rot13") is None
    assert normalize_encoding("Windows-1251") == "cp1251"
    body = FRENCH.encode()
    assert detect_encoding(body, declared="rot13", media_type="text/html") == "utf-8"
    assert detect_encoding(b"plain", declared="base64", media_type="text/plain") == "utf-8"


def test_undecodable_bytes_never_raise() -> None:
    body = bytes(range(256)) * 4
    encoding = detect_encoding(body, declared="utf-8", media_type="text/html")
    assert isinstance(decode(body, declared="utf-8", media_type="text/html"), str)
    assert codecs.lookup(encoding)
