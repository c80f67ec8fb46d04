"""`tidings doctor`: each check finds what is wrong and says how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from conftest import LocalServer
from tidings.cli import cli
from tidings.db import open_store
from tidings.doctor import check_chat, check_disk, check_packages, check_store, run_checks
from tidings.settings import Settings


def _by_name(settings: Settings) -> dict[str, bool]:
    return {c.name: c.ok for c in run_checks(settings, load_model=False)}


def test_a_ready_installation_passes_every_check(settings: Settings) -> None:
    open_store(settings).close()
    checks = run_checks(settings, load_model=False)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]
    assert {"python", "packages", "spaCy model", "store", "browser"} <= {c.name for c in checks}


def test_a_missing_store_fails_with_the_fix(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "new"), "doctor", "--no-model"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if " store:" in x)
    assert line.startswith("FAIL")
    assert "tidings init" in result.output


def test_a_store_behind_the_code_fails(settings: Settings) -> None:
    with open_store(settings) as store, store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    check = check_store(settings)
    assert not check.ok
    assert "0001" in check.detail


def test_too_little_disk_space_fails(settings: Settings) -> None:
    assert check_disk(settings, minimum=1).ok
    assert not check_disk(settings, minimum=10**18).ok


def test_packages_are_checked_against_the_requirements() -> None:
    check = check_packages()
    assert check.ok, check.detail
    assert not check_packages("tidings-no-such-distribution").ok


def test_a_configured_chat_server_must_answer(
    settings: Settings, local_server: LocalServer
) -> None:
    assert check_chat(settings).ok  # none configured
    models = {"object": "list", "data": [{"id": "smol-135m", "object": "model"}]}
    local_server.serve("/v1/models", json.dumps(models), content_type="application/json")
    up = settings.model_copy(update={"chat_base_url": local_server.url("/v1")})
    check = check_chat(up)
    assert check.ok, check.detail
    assert "smol-135m" in check.detail
    down = settings.model_copy(update={"chat_base_url": local_server.url("/nothing/v1")})
    assert not check_chat(down).ok


@pytest.mark.slow
def test_the_e5_model_loads(settings: Settings) -> None:
    open_store(settings).close()
    checks = {c.name: c for c in run_checks(settings)}
    assert checks["e5 model"].ok, checks["e5 model"].detail
    assert "384" in checks["e5 model"].detail
