"""The site's interface languages: gettext catalogs, the reader's edition, dates and names.

Catalogs live in `locales/<lang>/LC_MESSAGES/messages.po`. They are compiled in memory with
Babel when first used (a compiled `messages.mo` beside a `.po` is used instead when it is at
least as new), so a fresh install needs no build step. `use(lang)` selects the language for
the code that runs inside it; `gettext` and `ngettext` translate into that language.
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.dates import format_time as babel_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "LOCALES",
    "N_",
    "best_edition",
    "catalog",
    "format_time",
    "gettext",
    "language_name",
    "ngettext",
    "use",
]

log = logging.getLogger(__name__)

LOCALES = Path(__file__).with_name("locales")
DOMAIN = "messages"
_ALIASES = {"no": "nb", "nn": "nb"}  # readers of Nynorsk and "Norwegian" get Bokmål

_current: ContextVar[str] = ContextVar("tidings_web_language", default="en")


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated when shown."""
    return message


@lru_cache(maxsize=32)
def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (untranslated messages when there is none)."""
    folder = LOCALES / lang / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if not po_path.is_file():
        log.debug("no catalog for %s; showing messages untranslated", lang)
        return _gettext.NullTranslations()
    with po_path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@contextmanager
def use(lang: str) -> Iterator[None]:
    """Translate into `lang` inside the block."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return catalog(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(_current.get()).ngettext(singular, plural, n)


@lru_cache(maxsize=256)
def language_name(code: str, in_lang: str) -> str:
    """The name of language `code` written in `in_lang` ("engelsk" for en in nb)."""
    try:
        name = Locale.parse(in_lang).languages.get(code.split("-")[0])
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


@lru_cache(maxsize=32)
def native_name(code: str) -> str:
    """A language's name in itself, capitalised, for the language switcher."""
    name = language_name(code, code)
    return name[:1].upper() + name[1:]


def format_time(when: datetime | None, lang: str, *, with_time: bool = True) -> str:
    """A date (and time, in UTC) as readers of `lang` write it."""
    if when is None:
        return ""
    when = when.astimezone(UTC)
    try:
        day = format_date(when, "medium", locale=lang)
        if not with_time:
            return day
        return f"{day} {babel_time(when, 'short', tzinfo=UTC, locale=lang)} UTC"
    except (UnknownLocaleError, ValueError):
        return when.strftime("%Y-%m-%d %H:%M UTC" if with_time else "%Y-%m-%d")


def _accept_language(header: str) -> list[str]:
    """The languages of an Accept-Language header, the most wanted first."""
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*":
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def best_edition(header: str | None, editions: Sequence[str]) -> str:
    """The edition that best fits an Accept-Language header (the first edition when none)."""
    for tag in _accept_language(header or ""):
        primary = tag.split("-")[0]
        for candidate in (tag, primary, _ALIASES.get(primary, "")):
            if candidate in editions:
                return candidate
    return editions[0]
