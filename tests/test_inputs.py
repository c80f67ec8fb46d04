"""Reading offline inputs: formats, origins, hints and lenient problems."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tidings.documents import PageKind, RawPage
from tidings.inputs import InputProblem, iter_pages

PAGE = b"<html><head><title>Harbour bridge reopens</title></head><body><p>Body.</p></body></html>"
TEXT = "Harbour bridge reopens\n\nThe bridge in Lowmoor reopened on Monday.\n"


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str, date: str) -> None:
    headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),  # a known length keeps the writer from spooling to a temp file
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def _gzip_response(writer: WARCWriter, url: str, body: bytes) -> None:
    packed = gzip.compress(body)
    headers = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(packed))),
        ],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(packed), length=len(packed), http_headers=headers
    )
    writer.write_record(record)


def _write_warc(path: Path) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        _response(
            writer,
            "https://news.example/a",
            "<html><body><p>Første side</p></body></html>".encode("iso-8859-1"),
            "text/html; charset=ISO-8859-1",
            "2025-03-01T08:00:00Z",
        )
        _response(
            writer,
            "https://news.example/logo.png",
            b"\x89PNG\r\n",
            "image/png",
            "2025-03-01T08:00:01Z",
        )
        _gzip_response(writer, "https://news.example/b", PAGE)


def _jsonl_lines() -> list[str]:
    good = [
        {
            "id": f"x{n}",
            "url": f"https://wire.example/{n}",
            "title": f"Story {n}",
            "published": "2025-03-01T10:00:00+00:00",
            "outlet": "Wire",
            "lang": "en",
            "text": "Some words.",
        }
        for n in (1, 2)
    ]
    return [
        json.dumps(good[0]),
        "",
        json.dumps(good[1]),
        '{"title": "broken", ',
        "[1, 2, 3]",
        json.dumps({"text": "Only text, no hints.", "published": "yesterday"}),
    ]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_bytes(PAGE)
    (root / "b.htm.gz").write_bytes(gzip.compress(PAGE))
    (root / "sub" / "c.txt").write_text(TEXT, encoding="utf-8")
    _write_warc(root / "sub" / "d.warc.gz")
    (root / "e.jsonl").write_text("\n".join(_jsonl_lines()) + "\n", encoding="utf-8")
    (root / "f.html.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    (root / "notes.md").write_text("not an input", encoding="utf-8")
    (root / ".hidden.html").write_bytes(PAGE)
    return root


def _split(items: list[RawPage | InputProblem]) -> tuple[list[RawPage], list[InputProblem]]:
    pages = [i for i in items if isinstance(i, RawPage)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    return pages, problems


def test_directory_gives_every_page_in_stable_order(inputs: Path) -> None:
    pages, problems = _split(list(iter_pages([inputs])))
    root = str(inputs.resolve())
    assert [p.origin.removeprefix(root) for p in pages] == [
        "/a.html",
        "/b.htm.gz",
        "/e.jsonl#L1",
        "/e.jsonl#L3",
        "/e.jsonl#L6",
        "/sub/c.txt",
        "/sub/d.warc.gz#R2",
        "/sub/d.warc.gz#R4",
    ]
    assert [p.kind for p in pages] == [PageKind.HTML] * 2 + [PageKind.ARTICLE_JSON] * 3 + [
        PageKind.TEXT
    ] + [PageKind.HTML] * 2
    assert pages[0].body == PAGE
    assert pages[1].body == PAGE
    assert pages[5].body == TEXT.encode()
    assert [p.origin.removeprefix(root) for p in problems] == [
        "/e.jsonl#L4",
        "/e.jsonl#L5",
        "/f.html.gz",
    ]
    assert "JSON" in problems[0].reason
    assert "not a JSON object" in problems[1].reason
    assert "gzip" in problems[2].reason


def test_second_read_gives_identical_origins(inputs: Path) -> None:
    first = [i.origin for i in iter_pages([inputs])]
    second = [i.origin for i in iter_pages([inputs])]
    assert first == second
    assert len(set(first)) == len(first)


def test_jsonl_hints(inputs: Path) -> None:
    pages = [p for p in iter_pages([inputs / "e.jsonl"]) if isinstance(p, RawPage)]
    first, _, bare = pages
    assert first.url == "https://wire.example/1"
    assert first.hint_title == "Story 1"
    assert first.hint_outlet == "Wire"
    assert first.hint_lang == "en"
    assert first.hint_published == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert json.loads(first.body)["id"] == "x1"
    assert bare.url is None
    assert bare.hint_title is None
    assert bare.hint_published is None  # "yesterday" is not a date


def test_warc_responses(inputs: Path) -> None:
    items = list(iter_pages([inputs / "sub" / "d.warc.gz"]))
    pages, problems = _split(items)
    assert problems == []
    assert [p.url for p in pages] == ["https://news.example/a", "https://news.example/b"]
    assert pages[0].encoding == "iso-8859-1"
    assert pages[0].body.decode("iso-8859-1") == "<html><body><p>Første side</p></body></html>"
    assert pages[0].fetched_at == datetime(2025, 3, 1, 8, tzinfo=UTC)
    assert pages[1].body == PAGE  # content encoding removed
    assert pages[1].encoding is None


def _record_spans(path: Path) -> list[tuple[int, int]]:
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        return [(records.get_record_offset(), records.get_record_length()) for _ in records]


@pytest.mark.parametrize("packed", [False, True])
def test_archive_cut_anywhere_inside_a_record_is_a_problem(tmp_path: Path, packed: bool) -> None:
    whole = tmp_path / ("whole.warc.gz" if packed else "whole.warc")
    with whole.open("wb") as handle:
        writer = WARCWriter(handle, gzip=packed)
        for n in range(3):
            _response(
                writer, f"https://news.example/{n}", PAGE, "text/html", "2025-03-01T08:00:00Z"
            )
    data = whole.read_bytes()
    cut = tmp_path / whole.name.replace("whole", "cut")
    for index, (start, length) in enumerate(_record_spans(whole)):
        for end in range(start + 1, start + length, 5):
            cut.write_bytes(data[:end])
            pages, problems = _split(list(iter_pages([cut])))
            urls = [p.url for p in pages]
            # The records before the cut come out; the cut one only if its bytes are all there
            # (a gzip member cut in its trailer).
            assert urls[:index] == [f"https://news.example/{n}" for n in range(index)]
            assert len(urls) <= index + 1
            assert len(problems) == 1, end
            assert problems[0].origin.startswith(str(cut.resolve()))


def test_corrupt_gzip_warc_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 40)
    pages, problems = _split(list(iter_pages([bad])))
    assert pages == []
    assert len(problems) == 1
    assert problems[0].origin.startswith(str(bad.resolve()))


def test_explicit_files_unknown_and_missing(inputs: Path) -> None:
    items = list(iter_pages([inputs / "notes.md", inputs / "missing.html", inputs / "a.html"]))
    assert isinstance(items[0], InputProblem)
    assert "unknown input type" in items[0].reason
    assert isinstance(items[1], InputProblem)
    assert "no such file" in items[1].reason
    assert isinstance(items[2], RawPage)


def test_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 2000)
    lines = tmp_path / "big.jsonl"
    lines.write_bytes(b'{"a": "' + b"y" * 2000 + b'"}\n{"url": "https://ok.example/"}\n')
    items = list(iter_pages([big, lines], max_bytes=1000))
    assert [type(i) for i in items] == [InputProblem, InputProblem, RawPage]
    assert "limit" in items[0].reason
    assert items[1].origin.endswith("big.jsonl#L1")
    assert items[2].origin.endswith("big.jsonl#L2")


def test_truncated_gzip_jsonl_keeps_earlier_lines(tmp_path: Path) -> None:
    text = "".join(json.dumps({"url": f"https://x.example/{n}"}) + "\n" for n in range(500))
    packed = gzip.compress(text.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    pages, problems = _split(list(iter_pages([path])))
    assert 0 < len(pages) < 500
    assert len(problems) == 1
    assert "truncated" in problems[0].reason


def test_seeds_are_text_pages(shared: Path) -> None:
    pages, problems = _split(list(iter_pages([shared / "seeds"])))
    assert problems == []
    assert len(pages) == 5
    assert {p.kind for p in pages} == {PageKind.TEXT}
    assert all(p.body.strip() for p in pages)
