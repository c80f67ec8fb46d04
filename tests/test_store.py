from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tidings.db import Store, open_store
from tidings.errors import StoreError
from tidings.models import Base, Source, described_by_models
from tidings.settings import load_settings


def test_open_store_migrates_to_head(store: Store) -> None:
    assert store.revision() == Store.head()
    store.migrate()  # a second upgrade is a no-op
    assert store.revision() == Store.head()


def test_models_match_the_migrations(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": described_by_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_sqlite_store_uses_wal(tmp_path: Path) -> None:
    with (
        open_store(load_settings({"data": tmp_path / "d"}, env={})) as store,
        store.engine.connect() as connection,
    ):
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "d" / "tidings.db").is_file()


def _write_half_then_fail(store: Store) -> None:
    with store.session() as session:
        session.add(Source(name="Half written"))
        session.flush()
        raise RuntimeError("killed midway")


def test_session_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError, match="killed midway"):
        _write_half_then_fail(store)
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Source)) == 0


def test_unusable_data_directory_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create data directory"):
        open_store(load_settings({"data": blocker / "data"}, env={}))


def test_unreachable_database_is_a_store_error() -> None:
    settings = load_settings({"db": "postgresql+psycopg://nobody@127.0.0.1:1/none"}, env={})
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store(settings)
    assert "nobody" in str(info.value)
