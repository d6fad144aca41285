"""Answers remembered per release (sparql/answer_cache.py): a repeated query costs no query.

Through a real gunicorn over two releases of the build (A, then B with one more triple): the second
ask is a hit with the same bytes; another format, another dataset or another release is asked anew;
volatile functions are never remembered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.live_server import LiveServer, live_server
from support.releases import EXTRA_TRIPLE, make_current
from tradelod.sparql.answer_cache import AnswerCache, Key, cacheable
from tradelod.sparql.query_process import Job, Outcome, Settings
from tradelod.sparql.results import Written

JSON = "application/sparql-results+json"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CHONGQING_LABELS = (
    "SELECT ?l WHERE { <https://w3id.org/tradelod/id/place/chongqing> skos:altLabel ?l } ORDER BY ?l"
)


def settings(allowlist: tuple[str, ...] = ()) -> Settings:
    return Settings("/r", "https://w3id.org/tradelod/", (), allowlist, 10, 1024, True)


def ok(body: bytes) -> Outcome:
    return Outcome("ok", written=Written(body, JSON, 1, False))


def test_the_least_recently_used_answers_go_first_within_the_bytes() -> None:
    cache = AnswerCache(8 * 110)  # entries up to 110 bytes (an eighth)
    keys = [Key(settings(), Job(f"ASK {{ <urn:{i}> ?p ?o }}")) for i in range(10)]
    for key in keys[:9]:
        cache.put(key, ok(b"x" * 89))  # 89 + 21 characters of query = 110 bytes
    assert cache.size == 8 * 110
    assert cache.get(keys[0]) is None  # the ninth pushed the first out
    assert cache.get(keys[1]) is not None  # ... and this use makes keys[2] the oldest
    cache.put(keys[9], ok(b"x" * 89))
    assert cache.get(keys[2]) is None and cache.get(keys[1]) is not None
    assert cache.size == 8 * 110


def test_failures_and_large_answers_are_not_remembered() -> None:
    cache = AnswerCache(800)
    key = Key(settings(), Job("ASK {}"))
    cache.put(key, Outcome("syntax", "Syntax error"))
    cache.put(key, Outcome("failed", "The query took longer than 10 s"))
    cache.put(key, ok(b"x" * 95))  # 95 + 6 > 800 / 8
    assert cache.get(key) is None and cache.size == 0
    cache.put(key, ok(b"x" * 94))
    assert cache.get(key) == ok(b"x" * 94) and cache.size == 100


@pytest.mark.parametrize(
    ("query", "allowlist", "expected"),
    [
        (COUNT, (), True),
        ("SELECT (NOW() AS ?t) WHERE {}", (), False),
        ("SELECT ?x WHERE { BIND(rand () AS ?x) }", (), False),
        ("SELECT (STRUUID() AS ?u) (UUID() AS ?v) WHERE {}", (), False),
        ("CONSTRUCT { ?b <urn:p> ?o } WHERE { ?s ?p ?o BIND(BNODE(STR(?s)) AS ?b) }", (), False),
        ("SELECT (\\u004EOW() AS ?t) WHERE {}", (), False),
        (COUNT, ("http://example.org/sparql",), False),
        ("SELECT ?known WHERE { ?s <urn:snow> ?known }", (), True),
    ],
)
def test_only_answers_fixed_by_the_release_are_remembered(
    query: str, allowlist: tuple[str, ...], expected: bool
) -> None:
    assert cacheable(Job(query), settings(allowlist)) is expected


@pytest.fixture(scope="module")
def server(releases: tuple[Path, str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn over a build folder with two releases, A current (the test switches to B and back)."""
    out, first, _ = releases
    make_current(out, first)
    with live_server(out, tmp_path_factory.mktemp("answers"), workers=1) as running:
        yield running


def ask(server: LiveServer, query: str, accept: str = JSON, **params: str) -> tuple[bytes, str]:
    reply = server.request("GET", "/sparql", params={"query": query, **params}, headers={"Accept": accept})
    assert reply.status == 200, reply.text
    return reply.body, reply.headers["X-Tradelod-Answer-Cache"]


def test_a_repeated_query_is_answered_from_memory_with_the_same_bytes(server: LiveServer) -> None:
    first, where = ask(server, COUNT)
    assert where == "miss"
    assert int(json.loads(first)["results"]["bindings"][0]["n"]["value"]) > 10_000
    assert ask(server, COUNT) == (first, "hit")
    csv, where = ask(server, COUNT, accept="text/csv")  # another format: asked anew
    assert (
        where == "miss"
        and csv.decode().splitlines()[1] == json.loads(first)["results"]["bindings"][0]["n"]["value"]
    )
    assert ask(server, COUNT, accept="text/csv") == (csv, "hit")
    graph = "https://w3id.org/tradelod/graph/void"
    one_graph, where = ask(server, COUNT, **{"default-graph-uri": graph})
    assert where == "miss" and one_graph != first
    assert ask(server, "SELECT (NOW() AS ?t) WHERE {}")[1] == "off"


def test_a_new_release_is_asked_anew(server: LiveServer, releases: tuple[Path, str, str]) -> None:
    out, first, second = releases
    before, _ = ask(server, CHONGQING_LABELS)
    assert ask(server, CHONGQING_LABELS) == (before, "hit")
    make_current(out, second)
    try:
        after, where = ask(server, CHONGQING_LABELS)
        assert where == "miss"
        added = EXTRA_TRIPLE.split(" ", 2)[2].split('"')[1]
        labels = [b["l"]["value"] for b in json.loads(after)["results"]["bindings"]]
        assert added in labels and added not in before.decode()
    finally:
        make_current(out, first)
    assert ask(server, CHONGQING_LABELS) == (before, "hit")  # A's answer is still A's
