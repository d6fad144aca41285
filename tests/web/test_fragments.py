"""Triple Pattern Fragments: the interface, Comunica answering the competency questions through it,
and fragments that keep answering while /sparql is saturated (bounded load)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from support.live_server import LiveServer, live_server
from tradelod.sparql.example_queries import load_examples

ROOT = Path(__file__).resolve().parents[2]
COMUNICA = ROOT / "node_modules" / ".bin" / "comunica-sparql"
B = "https://w3id.org/tradelod/"
TURNOVER = f"{B}id/observation/003-kz-cn-turnover-2024"
VALUE = "http://www.w3.org/ns/hydra/core#"


def fragment(
    client: FlaskClient, accept: str = "application/trig", **params: str
) -> tuple[object, ox.Dataset]:
    reply = client.get("/fragments", query_string=params, headers={"Accept": accept})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    fmt = {"application/trig": ox.RdfFormat.TRIG, "text/turtle": ox.RdfFormat.TURTLE}[accept]
    return reply, ox.Dataset(ox.parse(reply.data, format=fmt))


def default_graph(dataset: ox.Dataset) -> set[ox.Triple]:
    return {q.triple for q in dataset if q.graph_name == ox.DefaultGraph()}


def value_of(dataset: ox.Dataset, predicate: str) -> str:
    """The value of a control (TriG: in the metadata graph, never a matching triple of the data)."""
    named = any(q.graph_name != ox.DefaultGraph() for q in dataset)
    found = [
        q.object.value
        for q in dataset
        if q.predicate.value == predicate and (not named or q.graph_name != ox.DefaultGraph())
    ]
    assert len(found) == 1, found
    return found[0]


def test_a_fragment_holds_the_matching_triples_and_an_exact_count(client: FlaskClient) -> None:
    reply, data = fragment(client, subject=TURNOVER, predicate=f"{B}ontology#value")
    assert default_graph(data) == {
        ox.Triple(
            ox.NamedNode(TURNOVER),
            ox.NamedNode(f"{B}ontology#value"),
            ox.Literal("43800000000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        )
    }
    assert value_of(data, "http://rdfs.org/ns/void#triples") == "1"
    assert value_of(data, f"{VALUE}template") == "http://localhost/fragments{?subject,predicate,object}"
    assert reply.headers["Cache-Control"].startswith("public, max-age=")
    assert reply.headers["ETag"]


def test_literal_objects_and_paging(client: FlaskClient) -> None:
    _, data = fragment(client, object='"Chongqing"@fr')
    matches = default_graph(data)
    # the place, and the dataset description that names it (a keyword, a spatial coverage label)
    assert f"{B}id/place/chongqing" in {t.subject.value for t in matches}
    assert {t.subject.value for t in matches} <= {
        f"{B}id/place/chongqing",
        f"{B}dataset",
        f"{B}dataset#spatial-chongqing",
        f"{B}dataset/articles",
        f"{B}sparql",
    }
    assert {(t.object.value, t.object.language) for t in matches} == {("Chongqing", "fr")}
    _, first = fragment(client, predicate="http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    total = int(value_of(first, "http://rdfs.org/ns/void#triples"))
    assert total > 100 and len(default_graph(first)) == 100
    assert value_of(first, f"{VALUE}next").endswith("page=2")
    pages, seen, page = -(-total // 100), set(default_graph(first)), 2
    while page <= pages:
        _, more = fragment(
            client, predicate="http://www.w3.org/1999/02/22-rdf-syntax-ns#type", page=str(page)
        )
        seen |= default_graph(more)
        page += 1
    assert len(seen) == total


def test_large_fragments_are_estimated_and_still_paged_to_the_end(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, build_dir: Path
) -> None:
    """Over COUNT_EXACT matches no request counts them all: the unrestricted pattern says the
    published triples, another pattern a lower bound; the next links still reach the last page."""
    from tradelod.web import fragments

    monkeypatch.setattr(fragments, "COUNT_EXACT", 150)
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    manifest = json.loads((build_dir / "current" / "manifest.json").read_text(encoding="utf-8"))
    _, everything = fragment(client)
    assert int(value_of(everything, "http://rdfs.org/ns/void#triples")) == manifest["triples"]
    _, first = fragment(client, predicate=rdf_type)
    assert int(value_of(first, "http://rdfs.org/ns/void#triples")) == 151  # at least this many
    _, third = fragment(client, predicate=rdf_type, page="3")
    assert int(value_of(third, "http://rdfs.org/ns/void#triples")) == 301  # grows with the pages read
    seen, page, data = set(), 1, first
    while True:
        seen |= default_graph(data)
        nexts = [q.object.value for q in data if q.predicate.value == f"{VALUE}next"]
        if not nexts:
            break
        page += 1
        assert nexts == [
            f"http://localhost/fragments?predicate={rdf_type.replace(':', '%3A').replace('/', '%2F').replace('#', '%23')}&page={page}"
        ]
        _, data = fragment(client, predicate=rdf_type, page=str(page))
    monkeypatch.setattr(fragments, "COUNT_EXACT", 10_000)
    _, exact = fragment(client, predicate=rdf_type)
    assert len(seen) == int(value_of(exact, "http://rdfs.org/ns/void#triples")) > 300


def test_bad_terms_are_400(client: FlaskClient) -> None:
    assert client.get("/fragments", query_string={"subject": '"a literal"'}).status_code == 400
    assert client.get("/fragments", query_string={"object": '"unterminated'}).status_code == 400
    assert client.get("/fragments", query_string={"page": "x"}).status_code == 400


@pytest.fixture(scope="module")
def server(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = {"QUERY_TIMEOUT_SECONDS": 3, "QUERY_PROCESSES": 1}
    with live_server(
        build_dir, tmp_path_factory.mktemp("fragments"), settings=settings, workers=1, threads=8
    ) as running:
        yield running


def comunica(source: str, query: str) -> list[dict[str, object]]:
    if not COMUNICA.exists() or shutil.which("node") is None:
        reason = "Comunica is not installed (needs node and `npm ci`, which `make install` runs)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; in CI it must run")
        pytest.skip(reason)
    result = subprocess.run(
        [str(COMUNICA), source, "-q", query, "-t", "application/sparql-results+json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return list(json.loads(result.stdout)["results"]["bindings"])


def canonical(rows: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


CQS = [e for e in load_examples() if e.name.startswith("cq")]


@pytest.mark.slow
@pytest.mark.parametrize("example", CQS, ids=[e.name for e in CQS])
def test_comunica_answers_the_competency_questions_through_fragments(
    server: LiveServer, example: object
) -> None:
    query = example.query  # type: ignore[attr-defined]
    through_fragments = comunica(f"{server.url}/fragments", query)
    reply = server.query(query, accept="application/sparql-results+json")
    assert reply.status == 200
    through_sparql = reply.json()["results"]["bindings"]
    assert through_sparql, "a competency question with no answer proves nothing"
    assert canonical(through_fragments) == canonical(through_sparql)


#: A query that keeps a query process busy until the time limit (a cartesian product).
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.slow
def test_fragments_keep_answering_while_sparql_is_saturated(server: LiveServer) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def heavy() -> None:
        reply = server.query(HEAVY, accept="application/sparql-results+json", method="POST")
        with lock:
            statuses.append(reply.status)

    workers = [threading.Thread(target=heavy) for _ in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)  # not synchronisation: only lets the heavy queries take the one query process first
    fragments = []
    deadline = time.monotonic() + 60
    while len(fragments) < 20 and time.monotonic() < deadline:
        fragments.append(
            server.request(
                "GET", "/fragments", params={"subject": TURNOVER}, headers={"Accept": "application/trig"}
            )
        )
    for worker in workers:
        worker.join(timeout=60)
    assert [r.status for r in fragments] == [200] * 20
    assert 503 in statuses  # /sparql was saturated: queries timed out or found no free process
    assert max(r.ended - r.started for r in fragments) < 3.0  # fragments never waited for a query process
