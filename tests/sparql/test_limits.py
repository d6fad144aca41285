"""The endpoint's limits against a real gunicorn: wall-clock time, rows, query size.

The server runs with small limits (2 s, 5 rows, 2000 bytes) so that the tests are quick, and with
the defaults for the default row limit. Durations are measured with timestamps around real
requests; nothing waits with sleep().
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from time import monotonic

import pytest

from support.live_server import LiveServer, Reply, live_server
from support.sparql_answers import TURNOVER_QUERY, TURNOVER_VALUE, parse_graph, rows_from

pytestmark = pytest.mark.network

TIMEOUT = 2.0
ROWS = 5
MAX_BYTES = 2000
#: How much later than the limit a cut query may answer (killing and reporting take milliseconds,
#: a loaded CI machine may add a little).
SLACK = 3.0

#: Queries built to run for minutes (or years) on the real data, one per kind of expensive step.
RUNAWAY = {
    "cartesian-product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "property-path": "SELECT (COUNT(*) AS ?n) WHERE { ?x (!<urn:x:none>)+/(!<urn:x:none>)+ ?y }",
    "aggregate": (
        "SELECT ?a (COUNT(DISTINCT ?x) AS ?n) (GROUP_CONCAT(STR(?x)) AS ?all) "
        "WHERE { ?a ?b ?c . ?x ?y ?z . ?q ?r ?a } GROUP BY ?a"
    ),
}
MANY_ROWS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
MANY_TRIPLES = "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label }"


@pytest.fixture(scope="module")
def small(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with a 2 s time limit, a 5-row limit and a 2000-byte query limit."""
    settings = {"QUERY_TIMEOUT_SECONDS": TIMEOUT, "QUERY_ROW_LIMIT": ROWS, "QUERY_MAX_BYTES": MAX_BYTES}
    with live_server(build_dir, tmp_path_factory.mktemp("gunicorn"), settings) as running:
        yield running


@pytest.fixture(scope="module")
def default(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with the default limits (10 s, 10,000 rows, 100,000 bytes)."""
    with live_server(build_dir, tmp_path_factory.mktemp("gunicorn")) as running:
        yield running


# --- time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RUNAWAY)
def test_runaway_query_is_stopped_at_the_time_limit(small: LiveServer, name: str) -> None:
    reply = small.query(RUNAWAY[name])
    elapsed = reply.ended - reply.started
    assert reply.status == 503, reply.text
    assert reply.text.startswith("503 Query Timeout\nThe query ran for more than 2 s, this endpoint's limit")
    assert TIMEOUT <= elapsed < TIMEOUT + SLACK, elapsed
    # The killed process was replaced: the next query is answered.
    after = small.query(TURNOVER_QUERY)
    assert after.status == 200
    assert rows_from(after.body, after.media_type) == [{"v": TURNOVER_VALUE}]


def test_other_clients_are_answered_while_a_runaway_query_runs(small: LiveServer) -> None:
    """A query built to run for years is cut at 2 s; meanwhile a second client gets its answers."""
    long_reply: list[Reply] = []
    sent = threading.Event()

    def long_client() -> None:
        sent.set()
        long_reply.append(small.query(RUNAWAY["cartesian-product"]))

    thread = threading.Thread(target=long_client)
    started = monotonic()
    thread.start()
    sent.wait(10)
    answers: list[Reply] = []
    while thread.is_alive() and monotonic() - started < 30:
        answers.append(small.query(TURNOVER_QUERY))
    thread.join(30)
    assert long_reply, "the long query never answered"
    cut = long_reply[0]
    assert cut.status == 503, cut.text
    assert TIMEOUT <= cut.ended - started < TIMEOUT + SLACK
    assert answers, "no second-client request was made"
    for reply in answers:
        assert reply.status == 200, reply.text
        assert rows_from(reply.body, reply.media_type) == [{"v": TURNOVER_VALUE}]
    # Answers came back while the long query was still running (at least a second into it).
    during = [r for r in answers if started + 1.0 <= r.ended < cut.ended]
    assert during, [(r.started - started, r.ended - started) for r in answers]


# --- rows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_is_cut_at_the_row_limit_and_says_so(small: LiveServer, media_type: str) -> None:
    reply = small.query(MANY_ROWS, accept=media_type)
    assert reply.status == 200, reply.text
    assert len(rows_from(reply.body, media_type)) == ROWS
    assert reply.headers["X-Tradelod-Truncated"] == "true"
    assert reply.headers["X-Tradelod-Rows"] == str(ROWS)
    assert reply.headers["X-Tradelod-Row-Limit"] == str(ROWS)


def test_cut_rows_are_the_first_rows(small: LiveServer, default: LiveServer) -> None:
    cut = rows_from(small.query(MANY_ROWS).body, "application/sparql-results+json")
    full = rows_from(default.query(MANY_ROWS + " LIMIT 5").body, "application/sparql-results+json")
    assert cut == full


def test_exactly_the_limit_is_not_cut(small: LiveServer) -> None:
    reply = small.query(f"{MANY_ROWS} LIMIT {ROWS}")
    assert len(rows_from(reply.body, reply.media_type)) == ROWS
    assert reply.headers["X-Tradelod-Truncated"] == "false"


@pytest.mark.parametrize("media_type", ["text/turtle", "application/ld+json", "application/n-triples"])
def test_construct_is_cut_at_the_row_limit(small: LiveServer, media_type: str) -> None:
    reply = small.query(MANY_TRIPLES, accept=media_type)
    assert reply.status == 200, reply.text
    assert len(parse_graph(reply.body, media_type)) == ROWS
    assert reply.headers["X-Tradelod-Truncated"] == "true"


def test_default_row_limit_is_10000(default: LiveServer) -> None:
    query = "SELECT ?a ?b WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y } LIMIT 10001"
    reply = default.query(query, accept="text/csv")
    assert reply.status == 200, reply.text
    assert len(rows_from(reply.body, "text/csv")) == 10_000
    assert reply.headers["X-Tradelod-Truncated"] == "true"
    assert reply.headers["X-Tradelod-Row-Limit"] == "10000"


# --- size ----------------------------------------------------------------------------------------


def padded(size: int) -> str:
    """A valid query of exactly ``size`` bytes (a comment fills it up)."""
    query = TURNOVER_QUERY + "\n#"
    return query + "x" * (size - len(query.encode("utf-8")))


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_query_over_the_size_limit_is_413(small: LiveServer, method: str) -> None:
    text = padded(MAX_BYTES + 1)
    if method == "GET":
        reply = small.query(text)
    elif method == "POST-form":
        reply = small.query(text, method="POST")
    else:
        reply = small.request(
            "POST", "/sparql", body=text, headers={"Content-Type": "application/sparql-query"}
        )
    assert reply.status == 413, reply.text
    assert f"this endpoint takes at most {MAX_BYTES} bytes" in reply.text


def test_query_at_the_size_limit_is_answered(small: LiveServer) -> None:
    text = padded(MAX_BYTES)
    assert len(text.encode("utf-8")) == MAX_BYTES
    reply = small.query(text, method="POST")
    assert reply.status == 200, reply.text


def test_huge_body_is_refused_before_it_is_read(small: LiveServer) -> None:
    body = b"query=" + b"x" * (10 * MAX_BYTES)
    reply = small.request(
        "POST", "/sparql", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert reply.status == 413


# --- memory --------------------------------------------------------------------------------------


def test_memory_hungry_query_is_stopped_and_the_server_carries_on(build_dir: Path, tmp_path: Path) -> None:
    """A query that would take gigabytes hits the query process's memory cap, not the machine's."""
    # Sorting a cartesian product: the engine must hold it all, so the cap is reached within seconds
    # even on a busy machine (a GROUP_CONCAT grows too slowly there to reach it within the time limit).
    bomb = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
    settings = {"QUERY_MEMORY_MB": 1280, "QUERY_TIMEOUT_SECONDS": 60}
    with live_server(build_dir, tmp_path, settings) as capped:
        reply = capped.query(bomb)
        assert reply.status == 503, reply.text
        assert "needed more memory than this endpoint allows" in reply.text
        assert reply.ended - reply.started < 60
        after = capped.query(TURNOVER_QUERY)
        assert after.status == 200
        assert rows_from(after.body, after.media_type) == [{"v": TURNOVER_VALUE}]


# --- long and deep queries -------------------------------------------------------------------


def test_a_long_legitimate_query_is_answered(default: LiveServer) -> None:
    """Close to the 100,000-byte limit: a VALUES block of 1,800 IRIs (rdflib's parser needs a deep stack)."""
    iris = [f"<https://w3id.org/tradelod/id/place/nowhere-{i}>" for i in range(1800)]
    iris[900] = "<https://w3id.org/tradelod/id/place/chongqing>"
    query = f"SELECT ?label WHERE {{ VALUES ?s {{ {' '.join(iris)} }} ?s rdfs:label ?label }} ORDER BY ?label"
    assert 80_000 < len(query) < 100_000
    reply = default.query(query, method="POST", accept="text/csv")
    assert reply.status == 200, reply.text
    assert reply.body == b"label\r\nChongqing\r\nChongqing\r\n"


def test_a_query_nested_too_deeply_is_400(default: LiveServer) -> None:
    depth = 30_000
    reply = default.query("SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }", method="POST")
    assert reply.status == 400, reply.text
    assert "nests too deeply" in reply.text
    after = default.query(TURNOVER_QUERY)
    assert rows_from(after.body, after.media_type) == [{"v": TURNOVER_VALUE}]
