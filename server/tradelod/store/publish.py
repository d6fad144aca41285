"""``tradelod load``: publish a validated release into an external SPARQL engine, all or nothing.

Readers must never see half a release, and a load that fails or is killed must leave the previous
release served. So a load never writes into the graphs being read:

1. every named graph of the release is written into a *staging* graph of its own
   (``urn:tradelod:staging:{release}:{graph}``), in chunks, by the Graph Store Protocol (POST) when
   the engine has one, else by ``INSERT DATA``; leftovers of an earlier killed load are dropped first;
2. the staging graphs are counted against the release (a short or failed load stops here, and the
   staging graphs are dropped);
3. one SPARQL Update, which the engine runs as one transaction, moves every staging graph onto its
   canonical name (``MOVE`` replaces the old content), drops the graphs of the previous release
   that the new one no longer has, and rewrites the control graph's record of the current release.

Blank nodes are only meaningful within one request, so the triples sharing blank nodes are always
sent in the same chunk.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .engine import Dataset, EngineClient
from .remote import (
    CONTROL_GRAPH,
    CURRENT,
    EMPTY_GRAPH,
    HAS_GRAPH,
    PUBLISHED,
    RELEASE,
    RELEASE_PREFIX,
    TRIPLES,
    UNION_GRAPH,
    XSD_DATETIME,
    read_record,
    select_rows,
)

STAGING_PREFIX = "urn:tradelod:staging:"
#: Triples per request: large enough to keep the engine busy, small enough to report progress.
CHUNK_TRIPLES = 50_000
#: Seconds one write may take (the switch of a large release copies every triple once).
WRITE_SECONDS = 600.0


class LoadError(Exception):
    """The load could not complete; the previous release is still the one served."""


@dataclass(frozen=True)
class LoadSummary:
    """What a load published."""

    release_id: str
    graphs: int
    triples: int
    seconds: float

    def text(self) -> str:
        """One line per figure, for the command line."""
        return (
            f"release  {self.release_id}\ngraphs   {self.graphs}\ntriples  {self.triples}\n"
            f"time     {self.seconds:.1f} s ({self.triples / max(self.seconds, 1e-3):,.0f} triples/s)"
        )


def staging_name(release_id: str, graph: str) -> str:
    """The staging graph of one graph of a release."""
    return f"{STAGING_PREFIX}{release_id}:{graph}"


def release_quads(release: Path) -> dict[str, list[ox.Quad]]:
    """Every quad of a release's embedded store, by graph name."""
    store = ox.Store.read_only(str(release / "store"))
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad)
    return dict(graphs)


def chunks(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Split triples into chunks of about ``size``, never splitting triples that share a blank node."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def blanks(triple: ox.Triple) -> list[str]:
        return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]

    for triple in triples:
        labels = blanks(triple)
        for other in labels[1:]:
            parent[find(other)] = find(labels[0])
    groups: dict[str, list[ox.Triple]] = defaultdict(list)
    current: list[ox.Triple] = []
    for triple in triples:
        labels = blanks(triple)
        if labels:
            groups[find(labels[0])].append(triple)
            continue
        current.append(triple)
        if len(current) >= size:
            yield current
            current = []
    for group in groups.values():
        current.extend(group)
        if len(current) >= size:
            yield current
            current = []
    if current:
        yield current


def publish(
    release: Path, client: EngineClient, say: Callable[[str], None], chunk: int = CHUNK_TRIPLES
) -> LoadSummary:
    """Load ``release`` into the engine behind ``client`` and make it the current release."""
    started = time.monotonic()
    if not (release / "store").is_dir() or not (release / "manifest.json").is_file():
        raise LoadError(f"no release at {release}: run `tradelod build` first")
    release_id = release.resolve().name
    graphs = release_quads(release)
    total = sum(len(q) for q in graphs.values())
    union = sorted({quad.triple for quads in graphs.values() for quad in quads}, key=str)
    previous = read_record(client)
    say(f"loading release {release_id}: {total} triples in {len(graphs)} graphs")
    _drop_staging(client, say)
    try:
        loaded = 0
        last = time.monotonic()
        everything = total + len(union)
        parts = [(name, [quad.triple for quad in graphs[name]]) for name in sorted(graphs)]
        for name, triples in [*parts, (UNION_GRAPH, union)]:
            target = staging_name(release_id, name)
            for part in chunks(triples, chunk):
                _write(client, target, part)
                loaded += len(part)
                if time.monotonic() - last >= 2.0 or loaded == everything:
                    say(f"  {loaded}/{everything} triples ({100 * loaded / max(everything, 1):.0f} %)")
                    last = time.monotonic()
        expected = {name: len(q) for name, q in graphs.items()} | {UNION_GRAPH: len(union)}
        _verify(client, release_id, expected)
        say("switching the engine to the new release …")
        client.update(_switch(release_id, graphs, total, previous.graphs if previous else ()), WRITE_SECONDS)
    except BaseException:
        # Killed or failed before the switch: the previous release was never touched. Clean up what
        # we can; what a kill leaves behind, the next load drops.
        _drop_staging(client, lambda _: None, quiet=True)
        raise
    seconds = time.monotonic() - started
    return LoadSummary(release_id, len(graphs), total, seconds)


def _write(client: EngineClient, graph: str, triples: list[ox.Triple]) -> None:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    if client.settings.gsp_url:
        client.post_graph(graph, data, WRITE_SECONDS)
    else:
        client.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{data.decode('utf-8')}}} }}", WRITE_SECONDS)


def _verify(client: EngineClient, release_id: str, expected: dict[str, int]) -> None:
    staged = {staging_name(release_id, name): name for name in expected}
    rows = select_rows(
        client,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        Dataset((EMPTY_GRAPH,), tuple(sorted(staged))),
    )
    counts = {staged[row["g"].value]: int(row["n"].value) for row in rows if row["g"].value in staged}
    short = {name: (counts.get(name, 0), n) for name, n in expected.items() if counts.get(name, 0) != n}
    if short:
        listed = ", ".join(f"{name} ({got} of {want})" for name, (got, want) in sorted(short.items()))
        raise LoadError(f"the engine holds a different number of triples than the release: {listed}")


def _switch(release_id: str, graphs: dict[str, list[ox.Quad]], total: int, old: tuple[str, ...]) -> str:
    """One update: move the staging graphs into place, drop the old ones, rewrite the record."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    record = f"<{RELEASE_PREFIX}{release_id}>"
    operations = [f"DROP SILENT GRAPH <{name}>" for name in old if name not in graphs]
    operations += [
        f"MOVE SILENT GRAPH <{staging_name(release_id, name)}> TO GRAPH <{name}>"
        for name in [*sorted(graphs), UNION_GRAPH]
    ]
    operations.append(f"DROP SILENT GRAPH <{CONTROL_GRAPH}>")
    facts = [
        f"<{CURRENT}> <{RELEASE}> {record} .",
        f'{record} <{PUBLISHED}> "{now}"^^<{XSD_DATETIME}> .',
        f"{record} <{TRIPLES}> {total} .",
        *(f"{record} <{HAS_GRAPH}> <{name}> ." for name in sorted(graphs)),
    ]
    operations.append(f"INSERT DATA {{ GRAPH <{CONTROL_GRAPH}> {{\n" + "\n".join(facts) + "\n} }")
    return " ;\n".join(operations)


def _drop_staging(client: EngineClient, say: Callable[[str], None], quiet: bool = False) -> None:
    """Drop every staging graph (what an earlier failed or killed load left behind)."""
    try:
        rows = select_rows(
            client,
            f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}',
            None,
        )
        names = sorted(row["g"].value for row in rows)
        if names:
            say(f"dropping {len(names)} staging graphs left by an earlier load")
            client.update(" ;\n".join(f"DROP SILENT GRAPH <{n}>" for n in names), WRITE_SECONDS)
    except Exception:
        if not quiet:
            raise
