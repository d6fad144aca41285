"""The store behind the server: a small interface, and the embedded Oxigraph implementation.

The server reads the *current* release of the build directory (``BUILD_DIR/current``), which
``tradelod build`` switches atomically, so a request never sees a half-written release.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from flask import Flask, current_app

from .config import build_dir
from .errors import ServiceUnavailable


class Store(Protocol):
    """What the server needs from a store: SPARQL over the whole dataset, union default graph."""

    release: Path

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query and return pyoxigraph-shaped results."""

    def manifest(self) -> dict[str, Any]:
        """The release's manifest (version, counts)."""


@dataclass
class OxigraphStore:
    """The embedded Oxigraph store of a release, opened read-only."""

    release: Path
    store: ox.Store

    @classmethod
    def open(cls, release: Path) -> OxigraphStore:
        """Open the store of a release folder read-only."""
        path = release / "store"
        if not path.is_dir():
            raise ServiceUnavailable(f"No build found at {release}: run `tradelod build` first.")
        return cls(release.resolve(), ox.Store.read_only(str(path)))

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a trusted query (the server's own) with the union of all graphs as default graph."""
        options.setdefault("use_default_graph_as_union", True)
        return self.store.query(sparql, **options)

    def select(self, sparql: str, **options: Any) -> list[dict[str, Any]]:
        """Run a trusted SELECT and return its rows as dicts of pyoxigraph terms."""
        solutions = self.query(sparql, **options)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names if row[name] is not None} for row in solutions]

    def triples(self, sparql: str, **options: Any) -> Iterable[ox.Triple]:
        """Run a trusted CONSTRUCT and return its triples."""
        return list(self.query(sparql, **options))

    def manifest(self) -> dict[str, Any]:
        """The release's manifest.json."""
        return dict(json.loads((self.release / "manifest.json").read_text(encoding="utf-8")))


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
