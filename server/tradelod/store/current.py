"""The store of the current release, as the running app sees it.

With the embedded store (``STORE=embedded``) the server reads the *current* release of the build
directory (``BUILD_DIR/current``), which ``tradelod build`` switches atomically, so a request never
sees a half-written release. With an external engine (``STORE=<SPARQL endpoint URL>``) the engine's
own record says which release is current (``tradelod load`` switches it in one transaction), and the
release's files are read from ``BUILD_DIR/releases/{id}``.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from tradelod.config import build_dir, is_remote

from .embedded import OxigraphStore
from .engine import EngineSettings
from .protocol import Store
from .remote import RemoteStores


def release_path(config: dict[str, Any]) -> Path:
    """The current release folder for an app configuration (embedded store)."""
    return _current_link(str(config["ROOT"]), str(config["BUILD_DIR"]))


def current_release(config: dict[str, Any]) -> Path:
    """The resolved folder of the current release (embedded store), read again on every call.

    One ``readlink`` per call: the link's target is resolved to a folder only when it changes, where
    ``Path.resolve()`` walked every component of the path on every request.
    """
    link = release_path(config)
    try:
        target = os.readlink(link)
    except OSError:  # not a link (a copied release, or nothing built yet): resolve it the long way
        return link.resolve()
    return _resolved(str(link), target)


@lru_cache(maxsize=64)
def _current_link(root: str, build: str) -> Path:
    return build_dir(Path(root).resolve(), build) / "current"


@lru_cache(maxsize=64)
def _resolved(link: str, target: str) -> Path:
    return (Path(link).parent / target).resolve()


#: One connection pool per engine and build directory for the whole process (apps come and go in
#: tests; connections to the engine should not), created on first use.
_remotes: dict[tuple[EngineSettings, Path], RemoteStores] = {}
_remotes_lock = threading.Lock()


def remote_stores(settings: EngineSettings, build: Path) -> RemoteStores:
    """This process's view of an engine (one connection pool, the current release checked once a second)."""
    with _remotes_lock:
        found = _remotes.get((settings, build))
        if found is None:
            found = _remotes[(settings, build)] = RemoteStores(settings, build)
        return found


def init_app(app: Flask) -> None:
    """Open the store of the current release once per process and keep it on the app."""
    app.extensions["tradelod.store"] = None
    if is_remote(app.config):
        root = Path(app.config["ROOT"]).resolve()
        app.extensions["tradelod.remote"] = (
            EngineSettings.from_config(app.config),
            build_dir(root, app.config["BUILD_DIR"]),
        )


def get_store() -> Store:
    """The store of the current release, opened on first use and reopened when a build switches releases.

    ``current`` is a link that ``tradelod build`` replaces atomically; reading it costs one readlink per
    request, and lets a running server pick up a new release without a restart while requests already
    under way finish on the release they started with. An engine is asked at most once a second.
    """
    remote: tuple[EngineSettings, Path] | None = current_app.extensions.get("tradelod.remote")
    if remote is not None:
        return remote_stores(*remote).current()
    current = current_release(current_app.config)
    store = current_app.extensions.get("tradelod.store")
    if store is None or store.release != current:
        store = OxigraphStore.open(current)
        current_app.extensions["tradelod.store"] = store
    return store
