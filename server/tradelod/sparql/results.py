"""Writing query results: SELECT/ASK as SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as RDF.

Results are cut at the row limit *while* they are read, so a query that matches millions of rows
never materialises them. A cut result set is written as SPARQL JSON (plain ``json``), then turned
into XML, CSV or TSV by Oxigraph's own writers, so those formats follow the W3C specifications
exactly. Graphs are written by Oxigraph (Turtle, N-Triples, RDF/XML), except JSON-LD, which rdflib
compacts with the dataset's published ``@context`` (given as a mapping, so nothing is fetched).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from tradelod.http.negotiation import ALIASES, RDF_FORMATS, RESULT_FORMATS, Format, by_extension, negotiate

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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

_OX_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
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


def choose_format(form: str, accept: str | None, override: str | None) -> Format | None:
    """The format for a query form: the ``format`` parameter if given, else the Accept header."""
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


def write_solutions(solutions: ox.QuerySolutions, fmt: Format, limit: int) -> Written:
    """Write SELECT solutions, at most ``limit`` rows, in a SPARQL results format."""
    names = [variable.value for variable in solutions.variables]
    rows = _rows(solutions, names)
    bindings = list(islice(rows, limit))
    truncated = next(rows, None) is not None
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt.media_type != "application/sparql-results+json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = _bytes(parsed.serialize(format=_OX_RESULTS[fmt.media_type]))
    return Written(data, content_type(fmt), len(bindings), truncated)


def write_boolean(answer: ox.QueryBoolean, fmt: Format) -> Written:
    """Write an ASK answer in a SPARQL results format."""
    return Written(_bytes(answer.serialize(format=_OX_RESULTS[fmt.media_type])), content_type(fmt), 1, False)


def write_graph(
    triples: Iterable[ox.Triple], fmt: Format, limit: int, prefixes: dict[str, str], context: dict[str, Any]
) -> Written:
    """Write CONSTRUCT/DESCRIBE triples, at most ``limit`` of them, in an RDF format."""
    iterator = iter(triples)
    kept = list(islice(iterator, limit))
    truncated = next(iterator, None) is not None
    if fmt.media_type == "application/ld+json":
        body = _jsonld(kept, context)
    else:
        used = _used_prefixes(kept, prefixes) if fmt.media_type != "application/n-triples" else {}
        body = _bytes(ox.serialize(kept, format=_OX_GRAPHS[fmt.media_type], prefixes=used))
    return Written(body, content_type(fmt), len(kept), truncated)


def _bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serialisers return bytes when given no output file (never None here)."""
    if data is None:
        raise ValueError("the serialiser wrote nothing")
    return data


def _rows(solutions: ox.QuerySolutions, names: list[str]) -> Iterator[dict[str, Any]]:
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term_json(term)
        yield row


def term_json(term: Any) -> dict[str, Any]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format (with RDF 1.2 triple terms)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction:
                out["its:dir"] = str(term.direction)  # "ltr" or "rtl"
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of the triples starts with (``tl:`` is left out:
    its local names hold slashes, which Turtle would have to escape)."""
    iris = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    return {
        prefix: namespace
        for prefix, namespace in prefixes.items()
        if prefix != "tl" and any(iri.startswith(namespace) for iri in iris)
    }


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
