"""The embedded store: a release's Oxigraph database, opened read-only in the server process."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradelod.http.errors import ServiceUnavailable

log = logging.getLogger(__name__)

#: What pyoxigraph raises when a store folder cannot be opened (missing, damaged, unreadable).
OPEN_ERRORS = (OSError, RuntimeError, ValueError)


@dataclass
class OxigraphStore:
    """The embedded Oxigraph store of a release, opened read-only."""

    release: Path
    store: ox.Store
    #: Where every triple of the release is, once: the default graph, into which the build writes the
    #: union of the named graphs (``graph/build._load_store``); ``None`` (any graph, duplicates then
    #: removed here) for a release built before it did.
    union: ox.DefaultGraph | None = None

    @classmethod
    def open(cls, release: Path) -> OxigraphStore:
        """Open the store of a release folder read-only."""
        path = release / "store"
        if not path.is_dir():
            raise ServiceUnavailable("No build is published yet: run `tradelod build` first.")
        try:
            store = ox.Store.read_only(str(path))
        except OPEN_ERRORS as error:
            # The operator needs the engine's words (and the path); the client gets neither.
            log.error("cannot open the store of %s: %s", release, error)
            raise ServiceUnavailable(
                "The data store of the published release cannot be opened (it is damaged or incomplete); "
                "try again later."
            ) from None
        return cls(release.resolve(), store, ox.DefaultGraph() if has_union_graph(store) else None)

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a trusted query (the server's own) with the union of all graphs as default graph."""
        if self.union is None:
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

    def match(self, subject: Any = None, predicate: Any = None, obj: Any = None) -> Iterator[ox.Triple]:
        """The triples matching a pattern (None: any term) in any graph, each once: one index lookup.

        The server's own descriptions are built from such lookups, so that they cost what they return
        rather than what the store holds.
        """
        quads = self.store.quads_for_pattern(subject, predicate, obj, self.union)
        if self.union is not None:
            yield from (quad.triple for quad in quads)
            return
        seen: set[ox.Triple] = set()
        for quad in quads:
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                yield triple

    def graph_names(self) -> list[str]:
        """The store's named graphs, from its graph index."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def match_many(self, subjects: Iterable[Any], predicates: Iterable[Any]) -> set[ox.Triple]:
        """Every triple with one of the subjects and one of the predicates, in any graph: one index
        lookup per pair, collected straight into a set (a description makes hundreds of them)."""
        find = self.store.quads_for_pattern
        pairs = [(s, p) for s in subjects for p in predicates]
        return {quad.triple for s, p in pairs for quad in find(s, p, None, self.union)}

    def manifest(self) -> dict[str, Any]:
        """The release's manifest.json."""
        return dict(json.loads((self.release / "manifest.json").read_text(encoding="utf-8")))

    def modified(self) -> datetime:
        """When the release was published: its manifest's modification time, to the second."""
        stamp = (self.release / "manifest.json").stat().st_mtime
        return datetime.fromtimestamp(int(stamp), tz=UTC)


def has_union_graph(store: ox.Store) -> bool:
    """Whether the store's default graph holds the union of its named graphs (one index seek).

    Releases built before the build wrote it have an empty default graph and the named graphs only:
    they are still read, through Oxigraph's union-default-graph mode.
    """
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
