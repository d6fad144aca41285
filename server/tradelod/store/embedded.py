"""The embedded store: a release's Oxigraph database, opened read-only in the server process."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradelod.http.errors import ServiceUnavailable


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

    def modified(self) -> datetime:
        """When the release was published: its manifest's modification time, to the second."""
        stamp = (self.release / "manifest.json").stat().st_mtime
        return datetime.fromtimestamp(int(stamp), tz=UTC)
