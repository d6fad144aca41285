"""Parse an RDF response body into an rdflib Graph, whatever its format, without warnings or fetching.

JSON-LD goes through pyoxigraph (rdflib's JSON-LD parser emits a deprecation warning, and pytest
turns warnings into errors); the context our documents use is inline, so nothing is fetched.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

#: rdflib parser names by media type.
PARSERS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt"}


def parse_rdf(data: bytes, media_type: str) -> Graph:
    """The graph in ``data`` (Turtle, JSON-LD, RDF/XML or N-Triples)."""
    if media_type == "application/ld+json":
        triples = ox.parse(data, format=ox.RdfFormat.JSON_LD)
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        media_type = "application/n-triples"
    return Graph().parse(data=data, format=PARSERS[media_type])


def normalised(graph: Graph) -> Graph:
    """The graph with xsd:decimal literals in one lexical form (Turtle writes 43800000000 as 43800000000.0)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out
