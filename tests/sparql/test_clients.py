"""Real SPARQL clients that no one here wrote query the endpoint and get the expected answers:
SPARQLWrapper, rdflib's SPARQLStore, and Comunica (``@comunica/query-sparql`` from npm, run with node).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from support.live_server import LiveServer, live_server
from support.sparql_answers import (
    ASK_FALSE,
    ASK_TRUE,
    CHONGQING,
    CHONGQING_LABELS,
    DECIMAL,
    LABELS_CONSTRUCT,
    TURNOVER,
    TURNOVER_VALUE,
)

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parents[2]
COMUNICA = ROOT / "node_modules" / ".bin" / "comunica-sparql"
#: Queries for clients that know nothing of our predeclared prefixes.
PREFIXES = (
    "PREFIX tlo: <https://w3id.org/tradelod/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
SELECT = PREFIXES + f"SELECT ?v WHERE {{ <{TURNOVER}> tlo:value ?v }}"
ASK_YES = PREFIXES + ASK_TRUE
ASK_NO = PREFIXES + ASK_FALSE
CONSTRUCT = PREFIXES + LABELS_CONSTRUCT


@pytest.fixture(scope="module")
def server(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with the default settings."""
    with live_server(build_dir, tmp_path_factory.mktemp("gunicorn")) as running:
        yield running


# --- SPARQLWrapper -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select(server: LiveServer, method: str) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setMethod(method)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert result["results"]["bindings"] == [
        {"v": {"type": "literal", "value": TURNOVER_VALUE, "datatype": DECIMAL}}
    ]


def test_sparqlwrapper_select_xml(server: LiveServer) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(SELECT)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == [TURNOVER_VALUE]


def test_sparqlwrapper_ask(server: LiveServer) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(ASK_YES)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(ASK_NO)
    assert client.queryAndConvert()["boolean"] is False


# SPARQLWrapper 2.0.0 reads RDF/XML into an rdflib ConjunctiveGraph, which rdflib 7 deprecates: the
# warning is the client's, not the endpoint's.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", [RDFXML, TURTLE, N3])
def test_sparqlwrapper_construct(server: LiveServer, fmt: str) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    result = client.queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert set(graph) == CHONGQING_LABELS


# --- rdflib's SPARQLStore ------------------------------------------------------------------------


@pytest.fixture()
def remote_graph(server: LiveServer) -> Iterator[Graph]:
    """An rdflib Graph backed by the endpoint (read-only, over HTTP)."""
    store = SPARQLStore(server.endpoint)
    graph = Graph(store=store)
    try:
        yield graph
    finally:
        graph.close()


def test_sparqlstore_select(remote_graph: Graph) -> None:
    rows = list(remote_graph.query(SELECT))
    assert [(row.v,) for row in rows] == [(Literal(TURNOVER_VALUE, datatype=URIRef(DECIMAL)),)]


def test_sparqlstore_ask(remote_graph: Graph) -> None:
    assert remote_graph.query(ASK_YES).askAnswer is True
    assert remote_graph.query(ASK_NO).askAnswer is False


def test_sparqlstore_construct(remote_graph: Graph) -> None:
    assert set(remote_graph.query(CONSTRUCT).graph) == CHONGQING_LABELS


def test_sparqlstore_triples(remote_graph: Graph) -> None:
    assert set(remote_graph.triples((CHONGQING, RDFS.label, None))) == CHONGQING_LABELS


def test_sparqlstore_is_read_only(remote_graph: Graph) -> None:
    with pytest.raises(TypeError):
        remote_graph.add((CHONGQING, RDFS.label, Literal("x")))


# --- Comunica (node) -----------------------------------------------------------------------------


def comunica(server: LiveServer, query: str, media_type: str) -> str:
    """Run ``comunica-sparql`` against the endpoint and return what it prints."""
    if not COMUNICA.exists() or shutil.which("node") is None:
        reason = "Comunica is not installed (needs node and `npm ci`, which `make install` runs)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; in CI it must run")
        pytest.skip(reason)
    result = subprocess.run(
        [str(COMUNICA), f"sparql@{server.endpoint}", "-q", query, "-t", media_type],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_comunica_select(server: LiveServer) -> None:
    document = json.loads(comunica(server, SELECT, "application/sparql-results+json"))
    assert document["results"]["bindings"] == [
        {"v": {"value": TURNOVER_VALUE, "type": "literal", "datatype": DECIMAL}}
    ]


def test_comunica_ask(server: LiveServer) -> None:
    assert json.loads(comunica(server, ASK_YES, "application/sparql-results+json"))["boolean"] is True
    assert json.loads(comunica(server, ASK_NO, "application/sparql-results+json"))["boolean"] is False


def test_comunica_construct(server: LiveServer) -> None:
    graph = Graph().parse(data=comunica(server, CONSTRUCT, "application/n-triples"), format="nt")
    assert set(graph) == CHONGQING_LABELS
