"""Reading SPARQL answers in the tests, and the facts of the real data the tests expect.

Results are read with independent parsers (``json``, ``xml.etree``, ``csv``, pyoxigraph's result
parser, rdflib's RDF parsers), never by comparing serialised strings, except where a format is
fully specified by the standard (CSV, TSV).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://w3id.org/tradelod/"
TL = Namespace(f"{BASE}id/")
TLO = Namespace(f"{BASE}ontology#")
SRX = "{http://www.w3.org/2005/sparql-results#}"

CHONGQING = TL["place/chongqing"]
TURNOVER = f"{BASE}id/observation/003-kz-cn-turnover-2024"
#: The README's example figure: Kazakhstan–China bilateral turnover in 2024.
TURNOVER_QUERY = f"SELECT ?v WHERE {{ <{TURNOVER}> tlo:value ?v }}"
TURNOVER_VALUE = "43800000000"
ASK_TRUE = f"ASK {{ <{TURNOVER}> tlo:value ?v FILTER(?v = 43800000000) }}"
ASK_FALSE = f"ASK {{ <{TURNOVER}> tlo:value ?v FILTER(?v = 1) }}"
LABELS_CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/tradelod/id/place/chongqing> rdfs:label ?label }"
DESCRIBE_CHONGQING = "DESCRIBE <https://w3id.org/tradelod/id/place/chongqing>"

#: The graph LABELS_CONSTRUCT must return: Chongqing's two labels.
CHONGQING_LABELS = {
    (CHONGQING, RDFS.label, Literal("Chongqing", lang="fr")),
    (CHONGQING, RDFS.label, Literal("Chongqing", lang="en")),
}
CHONGQING_TYPE = (CHONGQING, RDF.type, TLO.City)
DECIMAL = str(XSD.decimal)

#: rdflib parser names by media type (JSON-LD goes through pyoxigraph, see parse_graph).
RDF_PARSERS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt"}


def parse_graph(data: bytes, media_type: str) -> Graph:
    """An RDF answer as an rdflib Graph (JSON-LD read by pyoxigraph: its context is inline)."""
    if media_type == "application/ld+json":
        data = ox.serialize(ox.parse(data, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES)
        media_type = "application/n-triples"
    return Graph().parse(data=data, format=RDF_PARSERS[media_type])


def rows_from(data: bytes, media_type: str) -> list[dict[str, str]]:
    """SELECT results as rows of variable -> lexical value, from any of the four result formats."""
    if media_type == "application/sparql-results+json":
        document = json.loads(data)
        return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(data)
        rows = []
        for result in root.iter(f"{SRX}result"):
            row = {}
            for binding in result.iter(f"{SRX}binding"):
                row[binding.attrib["name"]] = next(iter(binding)).text or ""
            rows.append(row)
        return rows
    if media_type == "text/csv":
        reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
        return [{k: v for k, v in row.items() if v != ""} for row in reader]
    if media_type == "text/tab-separated-values":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
        names = [v.value for v in parsed.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in parsed]
    raise ValueError(media_type)


def boolean_from(data: bytes, media_type: str) -> bool:
    """An ASK answer from any of the four result formats."""
    if media_type == "application/sparql-results+json":
        value: Any = json.loads(data)["boolean"]
        return bool(value)
    if media_type == "application/sparql-results+xml":
        node = ET.fromstring(data).find(f"{SRX}boolean")
        assert node is not None
        return node.text == "true"
    return {"true": True, "false": False}[data.decode("utf-8").strip()]


def graph_iri(relative: str) -> URIRef:
    """The named graph of a source file, e.g. ``data/reference/places``."""
    return URIRef(f"{BASE}graph/{relative}")
