"""Tidings: a self-hosted newsroom that turns many outlets' reports into one sourced story
per real-world event."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
