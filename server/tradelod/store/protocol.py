"""The Store protocol: what the server needs from a store, whichever engine holds the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class Store(Protocol):
    """What the server needs from a store: SPARQL over the whole dataset, union default graph."""

    release: Path

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query and return pyoxigraph-shaped results."""

    def manifest(self) -> dict[str, Any]:
        """The release's manifest (version, counts)."""
