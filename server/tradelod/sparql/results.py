"""Writing query results: SELECT/ASK as SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as RDF.

Every format is written by Oxigraph's own serialisers and cut at the row limit on their output
(``native_writers``), so a query that matches millions of rows never materialises them, and the
formats follow the W3C specifications exactly. Graphs go through N-Triples (cut as they stream), then
Turtle and RDF/XML by Oxigraph, and JSON-LD compacted with the dataset's published ``@context`` by
``graph.writers`` (rdflib's rules; rdflib itself for graphs with blank nodes; nothing is fetched).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from tradelod.graph import writers
from tradelod.http.negotiation import ALIASES, RDF_FORMATS, RESULT_FORMATS, Format, by_extension, negotiate

from . import native_writers

#: Formats of CONSTRUCT and DESCRIBE results (the RDF formats but HTML).
GRAPH_FORMATS: tuple[Format, ...] = tuple(f for f in RDF_FORMATS if f.media_type != "text/html")

#: Media types some clients send for SPARQL results, and what they get.
RESULT_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}

#: Names the ``format`` parameter takes for graphs besides each format's extension, name and media
#: type: the generic names clients such as SPARQLWrapper send (``format=n3`` asks for Turtle, which
#: is valid N3; ``json`` and ``xml`` ask for the JSON and XML form of RDF).
FORMAT_ALIASES: dict[str, str] = {
    "json": "jsonld",
    "xml": "rdf",
    "rdf+xml": "rdf",
    "rdfxml": "rdf",
    "n3": "ttl",
    "text/n3": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "turtle": "ttl",
}

_OX_RESULTS = native_writers.RESULT_FORMATS
_OX_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Written:
    """A serialised result: the bytes, their media type, how many rows and whether it was cut."""

    body: bytes
    media_type: str
    rows: int
    truncated: bool


def formats_for(form: str) -> tuple[Format, ...]:
    """The formats a query form can be written in."""
    return RESULT_FORMATS if form in ("select", "ask") else GRAPH_FORMATS


@lru_cache(maxsize=256)
def choose_format(form: str, accept: str | None, override: str | None) -> Format | None:
    """The format for a query form: the ``format`` parameter if given, else the Accept header.

    Remembered per (form, Accept, format): clients send the same few headers again and again, and
    reading one costs more than a small query.
    """
    formats = formats_for(form)
    if override:
        wanted = override.strip().lower()
        if formats is GRAPH_FORMATS:
            wanted = FORMAT_ALIASES.get(wanted, wanted)
        return by_extension(formats, wanted)
    aliases = RESULT_ALIASES if formats is RESULT_FORMATS else ALIASES
    canonical = tuple(f.media_type for f in formats)
    offered = canonical + tuple(
        a for a, target in aliases.items() if target in canonical and a not in canonical
    )
    chosen = negotiate(accept, offered, default=canonical[0])
    if chosen is None:
        return None
    target = aliases.get(chosen, chosen)
    return next(f for f in formats if f.media_type == target)


def content_type(fmt: Format) -> str:
    """The Content-Type header for a format (text types say they are UTF-8)."""
    return f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type


def write_solutions(solutions: ox.QuerySolutions, fmt: Format, limit: int, bounded: bool) -> Written:
    """Write SELECT solutions, at most ``limit`` rows, in a SPARQL results format.

    ``bounded``: the query was run with ``LIMIT limit + 1`` added, so the engine writes it whole.
    """
    write = native_writers.solutions_bounded if bounded else native_writers.solutions_streamed
    body, rows, truncated = write(solutions, fmt.media_type, limit)
    return Written(body, content_type(fmt), rows, truncated)


def write_boolean(answer: ox.QueryBoolean, fmt: Format) -> Written:
    """Write an ASK answer in a SPARQL results format."""
    return Written(_bytes(answer.serialize(format=_OX_RESULTS[fmt.media_type])), content_type(fmt), 1, False)


def write_graph(
    triples: ox.QueryTriples | Iterable[ox.Triple],
    fmt: Format,
    limit: int,
    prefixes: dict[str, str],
    context: dict[str, Any],
) -> Written:
    """Write CONSTRUCT/DESCRIBE triples, at most ``limit`` of them, in an RDF format."""
    ntriples, count, truncated = native_writers.triples_streamed(triples, limit)
    if fmt.media_type == "application/n-triples":
        return Written(ntriples, content_type(fmt), count, truncated)
    kept = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    if fmt.media_type == "application/ld+json":
        if writers.has_blank_nodes(kept):
            body = _jsonld(kept, context)
        else:
            body = writers.jsonld_text(writers.jsonld_document(kept, context)).encode("utf-8")
    else:
        # Only the prefixes the answer uses (``tl:`` is left out: its local names hold slashes,
        # which Turtle would have to escape).
        used = native_writers.iris_used(ntriples, {p: ns for p, ns in prefixes.items() if p != "tl"})
        body = _bytes(ox.serialize(kept, format=_OX_GRAPHS[fmt.media_type], prefixes=used))
    return Written(body, content_type(fmt), count, truncated)


def _bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serialisers return bytes when given no output file (never None here)."""
    if data is None:
        raise ValueError("the serialiser wrote nothing")
    return data


def _jsonld(triples: list[ox.Triple], context: dict[str, Any]) -> bytes:
    """Compact JSON-LD with the published context, via rdflib (its parser only reads N-Triples here)."""
    from rdflib import Graph

    graph = Graph()
    if triples:
        graph.parse(
            data=_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).decode("utf-8"), format="nt"
        )
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return text.encode("utf-8")
