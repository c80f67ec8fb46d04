"""The published site: pages, feeds, API and static export over the store.

The app itself is built by `tidings.web.app.create_app`; this package imports nothing at
load time so that its modules can use each other freely.
"""

from __future__ import annotations

__all__: list[str] = []
