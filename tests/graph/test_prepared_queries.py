"""Validation parses each SHACL-SPARQL text once, through rdflib's public API, without patching rdflib."""

from __future__ import annotations

import inspect
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.sparql.processor import SPARQLProcessor

from tradelod.graph.prepared_queries import PreparedQueryGraph, prepared
from tradelod.graph.sources import parse_file, source_files
from tradelod.graph.validation import validate_graphs

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
FIXTURE = ROOT / "tests" / "data" / "invalid" / "amount-shape--negative-amount.ttl"


def test_graph_query_keeps_the_signature_we_override() -> None:
    """``PreparedQueryGraph.query`` passes its arguments on positionally: rdflib's order must not move."""
    ours = list(inspect.signature(PreparedQueryGraph.query).parameters)
    theirs = list(inspect.signature(Graph.query).parameters)
    assert (
        ours
        == theirs
        == [
            "self",
            "query_object",
            "processor",
            "result",
            "initNs",
            "initBindings",
            "use_store_provided",
            "kwargs",
        ]
    )


def test_rdflib_itself_is_left_alone() -> None:
    before = (Graph.query, SPARQLProcessor.query)
    data, shapes = _fixture_graphs()
    validate_graphs(data, shapes)
    assert (Graph.query, SPARQLProcessor.query) == before


def test_pyshacl_queries_the_prepared_graph_itself() -> None:
    """If pySHACL copied the graph before querying, no query would reach the cache: validation would
    still be right but take minutes again on the project's data."""
    data, shapes = _fixture_graphs()
    prepared.cache_clear()
    conforms, report = validate_graphs(data, shapes)
    assert not conforms
    # SPARQL targets and constraints, asked once per focus node: 84 queries of 18 distinct texts today
    assert data.prepared_queries > 50
    info = prepared.cache_info()
    assert info.hits + info.misses == data.prepared_queries
    assert info.misses < info.hits  # each distinct text parsed once, then reused
    assert len(report) > 0


def _fixture_graphs() -> tuple[PreparedQueryGraph, Graph]:
    data, shapes = PreparedQueryGraph(), Graph()
    for source in source_files(ROOT):
        if source.kind == "shapes":
            shapes += parse_file(source.path, BASE)
        elif source.kind == "ontology":
            data += parse_file(source.path, BASE)
    data += parse_file(FIXTURE, BASE)
    return data, shapes
