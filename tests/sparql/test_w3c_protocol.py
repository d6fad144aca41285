"""The W3C SPARQL 1.1 Protocol test suite's query tests, run from its own manifest against a real gunicorn.

The manifest and its three data files are vendored in ``tests/data/w3c-protocol/`` (see the README
there). Each test is an HTTP request (method, path, headers, body in a stated character encoding) and the
expected answer (status class, and a boolean, tabular or RDF result). The tests' graphs
(``ut:graphData``) are loaded into a small release of their own, under the names the manifest gives
them, so the dataset tests ask real graphs. The update tests are not run: the endpoint is read-only.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from support.live_server import LiveServer, live_server
from support.sparql_answers import boolean_from, parse_graph

pytestmark = pytest.mark.network

SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c-protocol"
MANIFEST_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")  # fmt: skip
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@dataclass(frozen=True)
class ProtocolTest:
    """One request of the suite and what must come back."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]  # "2xx", "3xx", "4xx"
    expected_format: str | None
    expected_boolean: bool | None


def load_manifest() -> tuple[list[ProtocolTest], dict[str, Path]]:
    """The query tests of the manifest, in its order, and the graphs they need (name -> file)."""
    graph = Graph().parse(SUITE / "manifest.ttl", publicID=MANIFEST_IRI)
    manifest = URIRef(MANIFEST_IRI)
    entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    tests, graphs = [], {}
    for entry in entries:
        name = str(entry).rsplit("#", 1)[-1]
        if "update" in name:
            continue  # the update operation: this endpoint refuses it by design (403)
        for data in graph.objects(entry, UT.graphData):
            graphs[str(graph.value(data, RDFS.label))] = SUITE / Path(str(graph.value(data, UT.graph))).name
        action = graph.value(entry, MF.action)
        requests = list(Collection(graph, graph.value(action, HT.requests)))
        assert len(requests) == 1, name
        request = requests[0]
        headers = {}
        listed = graph.value(request, HT.headers)
        for header in Collection(graph, listed) if listed is not None else []:
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        body_node = graph.value(request, HT.body)
        body = None
        if body_node is not None:
            encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(graph.value(body_node, CNT.chars)).encode(encoding)
        response = graph.value(request, HT.resp)
        statuses = tuple(
            sorted(str(s).rsplit("StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus))
        )
        expected_boolean = graph.value(response, MF.expectedBoolean)
        fmt = graph.value(response, MF.expectedFormat)
        tests.append(
            ProtocolTest(
                name,
                str(graph.value(request, HT.methodName)),
                str(graph.value(request, HT.absolutePath)),
                headers,
                body,
                statuses,
                str(fmt) if fmt is not None else None,
                bool(expected_boolean.toPython()) if expected_boolean is not None else None,
            )
        )
    return tests, graphs


TESTS, GRAPHS = load_manifest()


def test_the_suite_was_read() -> None:
    assert len(TESTS) == 20  # the suite's query tests: 13 query_*, 7 bad_*
    assert set(GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}


@pytest.fixture(scope="module")
def w3c_build(tmp_path_factory: pytest.TempPathFactory, build_dir: Path) -> Path:
    """A release holding the suite's graphs (and nothing else), published like a real build."""
    out = tmp_path_factory.mktemp("w3c-build")
    release = out / "releases" / "w3c"
    release.mkdir(parents=True)
    store = ox.Store(str(release / "store"))
    for name, path in GRAPHS.items():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    del store
    shutil.copyfile(build_dir / "current" / "context.jsonld", release / "context.jsonld")
    (release / "manifest.json").write_text(json.dumps({"version": "w3c"}), encoding="utf-8")
    (out / "current").symlink_to(Path("releases") / "w3c")
    return out


@pytest.fixture(scope="module")
def server(w3c_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(w3c_build, tmp_path_factory.mktemp("w3c-gunicorn"), workers=1) as running:
        yield running


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(server: LiveServer, test: ProtocolTest) -> None:
    # The suite's endpoint is /sparql/; ours is /sparql (same query string).
    path = test.path.replace("/sparql/", "/sparql", 1)
    headers = {"Host": "www.example", **test.headers}
    if test.expected_format is not None:
        headers.setdefault("Accept", ", ".join((*RESULT_TYPES, *RDF_TYPES)))
    reply = server.request(test.method, path, headers=headers, body=test.body)
    assert f"{str(reply.status)[0]}xx" in test.statuses, (reply.status, reply.text[:300])
    if test.expected_format == "boolean":
        assert reply.media_type in RESULT_TYPES
        answer = boolean_from(reply.body, reply.media_type)
        if test.expected_boolean is not None:
            assert answer is test.expected_boolean
    elif test.expected_format == "tabular":
        assert reply.media_type in RESULT_TYPES
    elif test.expected_format == "RDF":
        assert reply.media_type in RDF_TYPES
        parse_graph(reply.body, reply.media_type)
