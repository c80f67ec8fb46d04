"""How stages tell a front end about their progress, without knowing which front end."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None:
        """A stage begins, with `total` items to handle."""

    def advance(self, stage: str, count: int = 1) -> None:
        """`count` more items of the stage are handled."""


class NullProgress:
    """Progress that goes nowhere: the default for library callers."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, count: int = 1) -> None:
        pass
