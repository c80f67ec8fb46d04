"""The command line, driven in process with click's runner."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import LocalServer
from newsfixtures import BRIDGE_REPORT, article_html
from tidings.cli import cli
from tidings.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
Invoke = Callable[..., tuple[int, str]]


def _commands(group: click.Group, prefix: str = "tidings") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


@pytest.fixture
def run(settings: Settings) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        base = ["--data", str(settings.data), "--db", settings.db]
        env = {"TIDINGS_ALLOW_HOSTS": "127.0.0.1", "TIDINGS_EMBEDDER": "hashing"}
        result = runner.invoke(cli, [*base, *args], env=env, catch_exceptions=False)
        return result.exit_code, result.output

    return invoke


def test_readme_documents_every_command() -> None:
    documented = re.findall(r"^\| `(tidings [a-z -]+?)(?: [A-Z\[]|`)", README.read_text(), re.M)
    assert sorted(documented) == _commands(cli)


def test_sources_add_list_remove(run: Invoke, tmp_path: Path) -> None:
    code, out = run("init", "--no-defaults")
    assert code == 0
    assert "store ready" in out
    code, _ = run(
        "sources", "add", "https://news.test/rss.xml", "--name", "Test News", "--lang", "nb"
    )
    assert code == 0
    code, out = run("sources", "list", "--json")
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [(r["name"], r["lang"], r["feeds"][0]["url"]) for r in rows] == [
        ("Test News", "nb", "https://news.test/rss.xml")
    ]
    code, out = run("sources", "export-opml")
    opml = tmp_path / "out.opml"
    opml.write_text(out)
    run("sources", "remove", "Test News")
    code, out = run("sources", "list", "--json")
    assert not [line for line in out.splitlines() if line.startswith("{")]
    code, out = run("sources", "import-opml", str(opml))
    assert code == 0
    assert "1 feeds added" in out


def test_init_adds_the_curated_sources(run: Invoke) -> None:
    code, out = run("init")
    assert code == 0
    found = re.search(r"(\d+) feeds added", out)
    assert found is not None
    assert int(found.group(1)) >= 100


def test_extract_prints_one_json_object_per_page(tmp_path: Path) -> None:
    (tmp_path / "bridge.html").write_text(article_html("Velmora opens its bridge", BRIDGE_REPORT))
    (tmp_path / "empty.html").write_text("<html><body></body></html>")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)], catch_exceptions=False)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    good, bad = sorted(records, key=lambda r: "error" in r)
    assert set(good) == {"path", "url", "title", "text", "lang", "published", "authors", "image"}
    assert good["title"] == "Velmora opens its bridge"
    assert good["lang"] == "en"
    assert good["published"].startswith("2026-03-02")
    assert "Mayor Ilse Brandvik" in good["text"]
    assert bad["path"].endswith("empty.html")
    assert bad["error"]


def test_ingest_and_status(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "bridge.html").write_text(article_html("Velmora opens its bridge", BRIDGE_REPORT))
    (tmp_path / "empty.html").write_text("<html><body></body></html>")
    code, out = run("ingest", str(tmp_path))
    assert code == 0
    assert "extract failed" in out
    code, out = run("status")
    assert code == 0
    assert re.search(r"articles\s*│\s*1", out)
    assert re.search(r"events\s*│\s*1 \(1 open\)", out)
    assert re.search(r"storylines\s*│\s*1", out)
    assert "empty.html" in out


def test_library_errors_become_a_message_and_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("max_bytes = -5\n")
    result = subprocess.run(
        [sys.executable, "-m", "tidings", "--config", str(bad), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "max_bytes" in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_add_discovers_a_homepage_feeds(run: Invoke, local_server: LocalServer) -> None:
    home = local_server.serve(
        "/",
        '<html lang="de"><head><title>Hafenblatt</title>'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>',
    )
    code, out = run("sources", "add", home, "--discover", "--country", "de")
    assert code == 0
    assert "1 feeds added" in out
    code, out = run("sources", "list", "--json")
    row = json.loads(out.splitlines()[-1])
    assert (row["name"], row["lang"], row["country"]) == ("Hafenblatt", "de", "DE")
    assert row["feeds"][0]["url"] == local_server.url("/rss.xml")
