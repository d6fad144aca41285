"""The Store protocol: what the server needs from a store, whichever engine holds the data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox


class Store(Protocol):
    """What the server needs from a store: SPARQL over the whole dataset, union default graph.

    Two implementations: ``embedded.OxigraphStore`` (the release's own Oxigraph database) and
    ``remote.RemoteStore`` (an external SPARQL engine), chosen by the STORE setting. Both take
    pyoxigraph's query options and answer with pyoxigraph's result types.
    """

    release: Path

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query and return pyoxigraph-shaped results."""

    def select(self, sparql: str, **options: Any) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of pyoxigraph terms."""

    def triples(self, sparql: str, **options: Any) -> Iterable[ox.Triple]:
        """Run a CONSTRUCT and return its triples."""

    def graph_names(self) -> list[str]:
        """The release's named graphs (without reading their triples)."""

    def manifest(self) -> dict[str, Any]:
        """The release's manifest (version, counts)."""

    def modified(self) -> datetime:
        """When the release was published (Last-Modified of every document)."""
