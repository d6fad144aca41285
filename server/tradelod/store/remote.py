"""The remote store: a release published into an external SPARQL engine, queried over HTTP.

``tradelod load`` (``store.publish``) writes a release's named graphs into the engine under their
canonical names and records, in a control graph of its own, which release is current and which
graphs it holds. This module reads that record and answers the Store protocol from the engine, so
the web pages, descriptions and the public endpoint run unchanged on either backend:

- ``query()`` takes pyoxigraph's options (``prefixes``, ``base_iri``, ``use_default_graph_as_union``,
  ``default_graph``, ``named_graphs``) and turns them into query text (PREFIX/BASE lines) and an
  explicit protocol dataset over the release's graphs only; the answer is parsed back into
  pyoxigraph's own result types (SPARQL JSON for SELECT/ASK, N-Triples for graphs), so callers
  cannot tell the engines apart.
- The engine's own DESCRIBE is never used for documents (descriptions are CONSTRUCTs computed by
  ``web.describe``); a public DESCRIBE query reaches the engine, set to answer what the embedded store
  does (Virtuoso in its "CBD" mode).
- The release's files (dumps, article texts, the ontology's HTML, the JSON-LD context) are
  immutable and named by the release id: a front end reads them from its copy of
  ``BUILD_DIR/releases/{id}/``, whichever release the engine says is current.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

import pyoxigraph as ox

from tradelod.http.errors import ServiceUnavailable

from .engine import Dataset, EngineClient, EngineRefused, EngineSettings, EngineUnavailable

#: The control graph: which release is current, its graphs, when it was published. Never part of
#: any dataset a query sees.
CONTROL_GRAPH = "urn:tradelod:releases"
#: The union of the release's graphs, loaded as one graph of its own: the default graph of every
#: query. One graph is what every engine's planner handles best, and Virtuoso mis-joins property
#: paths over a default graph made of many FROM graphs.
UNION_GRAPH = "urn:tradelod:union"
#: A graph that never holds anything: stands for "an empty graph" in a protocol dataset.
EMPTY_GRAPH = "urn:tradelod:empty"
CURRENT = "urn:tradelod:current"
RELEASE = "urn:tradelod:release"
HAS_GRAPH = "urn:tradelod:graph"
PUBLISHED = "urn:tradelod:published"
TRIPLES = "urn:tradelod:triples"
RELEASE_PREFIX = "urn:tradelod:release:"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"

SELECT_TYPES = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples"
#: What to ask for when the query form is not known: the engine answers results or a graph.
ANY_TYPES = "application/sparql-results+json, application/n-triples;q=0.9"

#: Seconds a front end trusts its knowledge of the current release before asking the engine again.
REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class ReleaseRecord:
    """What the control graph says about the current release."""

    release_id: str
    graphs: tuple[str, ...]
    published: datetime
    triples: int


def read_record(client: EngineClient) -> ReleaseRecord | None:
    """The current release as the engine's control graph records it, or None if nothing is loaded."""
    rows = select_rows(
        client,
        f"""SELECT ?r ?g ?t ?n WHERE {{ GRAPH <{CONTROL_GRAPH}> {{
          <{CURRENT}> <{RELEASE}> ?r . ?r <{PUBLISHED}> ?t ; <{TRIPLES}> ?n ; <{HAS_GRAPH}> ?g }} }}""",
        Dataset((EMPTY_GRAPH,), (CONTROL_GRAPH,)),
    )
    if not rows:
        return None
    releases = {row["r"].value for row in rows}
    if len(releases) != 1:
        raise EngineUnavailable("The engine's release record is ambiguous (a load is being switched).")
    first = rows[0]
    return ReleaseRecord(
        release_id=first["r"].value[len(RELEASE_PREFIX) :],
        graphs=tuple(sorted({row["g"].value for row in rows})),
        published=datetime.fromisoformat(first["t"].value.replace("Z", "+00:00")).astimezone(UTC),
        triples=int(first["n"].value),
    )


def select_rows(client: EngineClient, text: str, dataset: Dataset | None) -> list[dict[str, Any]]:
    """Run a SELECT on the engine and return its rows as dicts of pyoxigraph terms."""
    solutions = _solutions(client, text, dataset)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in solutions]


def _solutions(
    client: EngineClient, text: str, dataset: Dataset | None
) -> ox.QuerySolutions | ox.QueryBoolean:
    with client.query(text, SELECT_TYPES, dataset) as response:
        data = response.read()
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


@dataclass
class RemoteStore:
    """The current release in an external SPARQL engine (the Store protocol over HTTP)."""

    release: Path
    client: EngineClient
    record: ReleaseRecord
    checked: float = 0.0

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a trusted query (the server's own) with pyoxigraph's options; pyoxigraph-shaped results."""
        text, dataset = translate(sparql, self.record.graphs, options)
        form = query_form(text)
        try:
            if form == "graph":
                with self.client.query(text, GRAPH_TYPES, dataset) as response:
                    data = response.read()
                return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            return _solutions(self.client, text, dataset)
        except EngineRefused as refused:
            # The server's own queries are tested on every engine: a refusal is a fault of ours or
            # an engine that is not SPARQL 1.1; either way the client can only wait.
            raise EngineUnavailable(
                f"The SPARQL engine refused one of tradelod's queries ({refused.status})."
            ) from None

    def select(self, sparql: str, **options: Any) -> list[dict[str, Any]]:
        """Run a trusted SELECT and return its rows as dicts of pyoxigraph terms."""
        solutions = self.query(sparql, **options)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names if row[name] is not None} for row in solutions]

    def triples(self, sparql: str, **options: Any) -> Iterable[ox.Triple]:
        """Run a trusted CONSTRUCT and return its triples."""
        return list(self.query(sparql, **options))

    def graph_names(self) -> list[str]:
        """The release's named graphs, as its record in the engine lists them."""
        return sorted(self.record.graphs)

    def manifest(self) -> dict[str, Any]:
        """The release's manifest.json (from the front end's copy of the release's files)."""
        return dict(json.loads((self.release / "manifest.json").read_text(encoding="utf-8")))

    def modified(self) -> datetime:
        """When the release was published into the engine (the same on every front end)."""
        return self.record.published


class EngineQueries:
    """Public queries on the engine, for a query process: answers streamed, one open at a time.

    A SELECT may match millions of rows; its answer is parsed while it arrives, so the row limit cuts
    it without holding it whole. The response stays open until the next query (or ``close``).
    """

    def __init__(self, client: EngineClient, graphs: tuple[str, ...]) -> None:
        self.client = client
        self.graphs = graphs
        self._open: ExitStack | None = None

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a public query; pyoxigraph results (QuerySolutions, QueryBoolean or a triple iterator)."""
        self.close()
        form = options.pop("form", "")
        text, dataset = translate(sparql, self.graphs, options)
        if (form or query_keyword(sparql).lower()) == "describe" and self.client.is_virtuoso():
            # Virtuoso's default DESCRIBE also returns the triples pointing at the resource; its
            # "CBD" mode answers what the embedded store does (the resource's own triples and,
            # recursively, those of its blank nodes).
            text = f'define sql:describe-mode "CBD"\n{text}'
        accept = GRAPH_TYPES if form in ("construct", "describe") else SELECT_TYPES if form else ANY_TYPES
        stack = ExitStack()
        try:
            response = stack.enter_context(self.client.query(text, accept, dataset))
        except EngineRefused as refused:
            stack.close()
            raise SyntaxError(f"the engine refused the query: {refused.message[:500]}") from None
        self._open = stack
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        reader = io.BufferedReader(_Chunks(response.iter_bytes()), buffer_size=1 << 16)
        if media_type in ("application/n-triples", "text/plain"):
            return (quad.triple for quad in ox.parse(reader, format=ox.RdfFormat.N_TRIPLES))
        if media_type != SELECT_TYPES:
            raise EngineUnavailable(f"The SPARQL engine answered in an unexpected format ({media_type}).")
        return ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON)

    def close(self) -> None:
        """Close the answer of the previous query (and give its connection back to the pool)."""
        if self._open is not None:
            self._open.close()
            self._open = None


class _Chunks(io.RawIOBase):
    """A file-like reader over an iterator of byte chunks (an HTTP body as it arrives)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` with the next bytes of the body (0 at its end)."""
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._left = chunk
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def translate(sparql: str, graphs: tuple[str, ...], options: dict[str, Any]) -> tuple[str, Dataset]:
    """pyoxigraph query options as query text and a protocol dataset over the release's graphs."""
    lines = []
    base = options.get("base_iri")
    if base:
        lines.append(f"BASE <{base}>")
    for prefix, namespace in (options.get("prefixes") or {}).items():
        lines.append(f"PREFIX {prefix}: <{namespace}>")
    text = "\n".join([*lines, sparql]) if lines else sparql
    return text, dataset_for(graphs, options)


def dataset_for(graphs: tuple[str, ...], options: dict[str, Any]) -> Dataset:
    """The protocol dataset equal to what pyoxigraph's options select in the embedded store.

    The embedded store keeps every triple in a named graph, so its real default graph is empty; any
    graph that is not one of the release's is empty too (an unknown name, or one of the engine's).
    """
    known = set(graphs)

    def mapped(names: Iterable[Any]) -> tuple[str, ...]:
        values = [name.value if isinstance(name, ox.NamedNode) else str(name) for name in names]
        kept = tuple(dict.fromkeys(v if v in known else EMPTY_GRAPH for v in values))
        return kept or (EMPTY_GRAPH,)

    if "default_graph" in options or "named_graphs" in options:
        default = options.get("default_graph")
        if default is None:
            default = []
        elif not isinstance(default, list | tuple):
            default = [default]
        return Dataset(mapped(default), mapped(options.get("named_graphs") or []))
    if options.get("use_default_graph_as_union", True):
        return Dataset((UNION_GRAPH,) if graphs else (EMPTY_GRAPH,), graphs or (EMPTY_GRAPH,))
    return Dataset((EMPTY_GRAPH,), graphs or (EMPTY_GRAPH,))


def query_keyword(text: str) -> str:
    """The query form's keyword (SELECT, ASK, CONSTRUCT, DESCRIBE; "" if none), read past the prologue.

    A text reading of the form, for the server's own queries and for choosing how to ask the engine;
    the query check has already parsed every public query.
    """
    body = re.sub(r"(?im)^\s*(BASE|PREFIX)\s+[^\n]*$", "", text)
    body = re.sub(r"(?m)#[^\n]*$", "", body)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else ""


def query_form(text: str) -> str:
    """'graph' for CONSTRUCT/DESCRIBE, else 'solutions' (the server's own queries only)."""
    return "graph" if query_keyword(text) in ("CONSTRUCT", "DESCRIBE") else "solutions"


class RemoteStores:
    """Per-process knowledge of the engine: one client, and the current release checked once a second."""

    def __init__(self, settings: EngineSettings, build: Path) -> None:
        self.settings = settings
        self.build = build
        self.client = EngineClient(settings)
        self._store: RemoteStore | None = None
        self._lock = threading.Lock()

    def current(self) -> RemoteStore:
        """The store of the release the engine says is current (asked again after REFRESH_SECONDS)."""
        with self._lock:
            store = self._store
            if store is not None and monotonic() - store.checked < REFRESH_SECONDS:
                return store
        record = read_record(self.client)
        if record is None:
            raise ServiceUnavailable(
                "The SPARQL engine holds no tradelod release yet: run `tradelod load --into …` first.",
                headers={"Retry-After": "30"},
            )
        release = self.build / "releases" / record.release_id
        if not (release / "manifest.json").is_file():
            raise ServiceUnavailable(
                f"This front end has no copy of release {record.release_id}, which the engine serves: "
                "copy that build's releases/ folder here.",
                headers={"Retry-After": "30"},
            )
        with self._lock:
            if self._store is not None and self._store.record == record:
                self._store.checked = monotonic()
            else:
                self._store = RemoteStore(release.resolve(), self.client, record, monotonic())
            return self._store
