"""The all-data dumps (Turtle, JSON-LD, N-Triples, N-Quads) written from sorted N-Triples statements.

The project's data comes as rdflib graphs and additional sources as N-Triples; both meet here as
pyoxigraph's N-Triples statements (one escaping, so a triple stated in both is written once),
sorted, which gives every dump its stable order. Turtle is written by pyoxigraph as it parses the
sorted statements, JSON-LD by ``writers`` (rdflib's compaction rules) from the same stream: neither
builds an rdflib graph, so a million triples are written in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from . import writers
from .dumps import stable_jsonld


def statements(graph: Graph) -> bytes:
    """An rdflib graph as pyoxigraph's N-Triples (the escaping additional sources are read with)."""
    written = ox.serialize(
        ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.N_TRIPLES,
    )
    assert written is not None  # no output file given: pyoxigraph returns the bytes
    return written


def sorted_lines(chunks: Iterable[bytes]) -> list[bytes]:
    """The distinct statements of some N-Triples or N-Quads, sorted (byte order is code point order)."""
    found: set[bytes] = set()
    for chunk in chunks:
        found.update(line for line in chunk.split(b"\n") if line.strip())
    return sorted(found)


def joined(lines: list[bytes]) -> bytes:
    """Statements as one document, one per line."""
    return b"\n".join(lines) + b"\n" if lines else b""


def turtle(lines: list[bytes], prefixes: dict[str, str]) -> bytes:
    """Turtle of sorted N-Triples statements, written by pyoxigraph in their order."""
    triples = (quad.triple for quad in ox.parse(joined(lines), format=ox.RdfFormat.N_TRIPLES))
    written = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert written is not None
    return written


def jsonld(lines: list[bytes], context: dict[str, Any]) -> bytes:
    """Compact JSON-LD (the published context, nodes sorted) of sorted N-Triples statements.

    Blank nodes (there are none in valid data) go through rdflib, which writes their lists.
    """
    triples = [quad.triple for quad in ox.parse(joined(lines), format=ox.RdfFormat.N_TRIPLES)]
    if writers.has_blank_nodes(triples):
        from .dumps import jsonld_bytes

        graph = Graph()
        graph.parse(data=joined(lines).decode("utf-8"), format="nt")
        return jsonld_bytes(graph, context)
    return stable_jsonld(writers.jsonld_document(triples, context, presorted=True), context)


def in_graph(ntriples: bytes, graph_iri: str) -> bytes:
    """N-Triples turned into N-Quads of one named graph."""
    suffix = f" <{graph_iri}> .".encode()
    return b"\n".join(line[:-2] + suffix for line in ntriples.split(b"\n") if line.endswith(b" ."))
