"""The store of the current release, as the running app sees it.

The server reads the *current* release of the build directory (``BUILD_DIR/current``), which
``tradelod build`` switches atomically, so a request never sees a half-written release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app

from tradelod.config import build_dir

from .embedded import OxigraphStore


def release_path(config: dict[str, Any]) -> Path:
    """The current release folder for an app configuration."""
    root = Path(config["ROOT"]).resolve()
    return build_dir(root, config["BUILD_DIR"]) / "current"


def init_app(app: Flask) -> None:
    """Open the store of the current release once per process and keep it on the app."""
    app.extensions["tradelod.store"] = None


def get_store() -> OxigraphStore:
    """The store of the current release, opened on first use and reopened when a build switches releases.

    ``current`` is a link that ``tradelod build`` replaces atomically; resolving it costs one readlink per
    request, and lets a running server pick up a new release without a restart while requests already
    under way finish on the release they started with.
    """
    current = release_path(current_app.config).resolve()
    store = current_app.extensions.get("tradelod.store")
    if store is None or store.release != current:
        store = OxigraphStore.open(current)
        current_app.extensions["tradelod.store"] = store
    return store
