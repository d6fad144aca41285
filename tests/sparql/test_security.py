"""Safe to leave open to the Internet: read-only, no request forgery, no local file reads.

The network is watched with a plain TCP listener on 127.0.0.1: every query that names it (SERVICE,
LOAD, FROM, FROM NAMED, default-graph-uri, a JSON-LD context, an XML entity) must leave it without a
single connection. The server answers synchronously, so once the answer is in, any connection the
server made is already queued on the listener; ``accept()`` on a non-blocking listener tells.
"""

from __future__ import annotations

import ast
import importlib
import json
import platform
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

import pytest
from rdflib import Literal, URIRef

from support.live_server import LiveServer, live_server
from support.sparql_answers import LABELS_CONSTRUCT, TURNOVER_QUERY, TURNOVER_VALUE, parse_graph, rows_from

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parents[2]
SERVER_PACKAGE = ROOT / "server" / "tradelod"
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) "
    "is refused."
)
SANDBOXED = platform.system() == "Linux" and platform.machine() in ("x86_64", "aarch64")


class Listener:
    """A TCP port on 127.0.0.1 that only records whether anyone connected."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.setblocking(False)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"

    def connections(self) -> int:
        """How many connections are waiting (each is then closed)."""
        count = 0
        while True:
            try:
                connection, _ = self.socket.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1


@pytest.fixture()
def listener() -> Iterator[Listener]:
    """A fresh listener, closed after the test."""
    watched = Listener()
    try:
        yield watched
    finally:
        watched.socket.close()


@pytest.fixture(scope="module")
def server(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with the default settings (empty SERVICE allow-list)."""
    with live_server(build_dir, tmp_path_factory.mktemp("gunicorn")) as running:
        yield running


def count_triples(server: LiveServer) -> int:
    """Quads in the store, read through the endpoint."""
    reply = server.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


# --- read-only -----------------------------------------------------------------------------------


def updates(url: str) -> list[str]:
    """One update of each kind; LOAD names the watched listener."""
    g = "https://w3id.org/tradelod/graph/data/reference/places"
    return [
        "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "DELETE { ?s rdfs:label ?l } INSERT { ?s rdfs:label 'x' } WHERE { ?s rdfs:label ?l }",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
        "CLEAR ALL",
        f"CLEAR GRAPH <{g}>",
        "CREATE GRAPH <http://example.org/g>",
        "DROP ALL",
        f"DROP GRAPH <{g}>",
        f"COPY <{g}> TO <http://example.org/g>",
        f"MOVE <{g}> TO <http://example.org/g>",
        f"ADD <{g}> TO <http://example.org/g>",
    ]


@pytest.mark.parametrize(
    "way", ["update-field", "sparql-update-body", "query-get", "query-post", "query-direct"]
)
def test_updates_are_refused_in_every_form(server: LiveServer, listener: Listener, way: str) -> None:
    before = count_triples(server)
    for update in updates(listener.url):
        if way == "update-field":
            reply = server.request(
                "POST", "/sparql", body=urlencode({"update": update}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
        elif way == "sparql-update-body":
            reply = server.request(
                "POST", "/sparql", body=update, headers={"Content-Type": "application/sparql-update"}
            )
        elif way == "query-get":
            reply = server.query(update)
        elif way == "query-post":
            reply = server.query(update, method="POST")
        else:
            reply = server.request(
                "POST", "/sparql", body=update, headers={"Content-Type": "application/sparql-query"}
            )
        assert reply.status == 403, (update, reply.text)
        assert READ_ONLY in reply.text
    assert listener.connections() == 0
    assert count_triples(server) == before


def test_update_parameter_on_get_is_refused(server: LiveServer) -> None:
    reply = server.request("GET", "/sparql", params={"update": "DROP ALL"})
    assert reply.status == 403
    assert READ_ONLY in reply.text


# --- SERVICE -------------------------------------------------------------------------------------


def service_queries(url: str) -> list[str]:
    """SERVICE to the watched listener, written in every way the grammar allows."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service<{url}>{{?s ?p ?o}} }}",
        f"PREFIX remote: <{url.removesuffix('sparql')}>\nSELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }} LIMIT 1",
        f"ASK {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment\n SERVICE\n#another\n<{url}> {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.parametrize("index", range(10))
def test_service_is_refused_before_anything_is_sent(
    server: LiveServer, listener: Listener, index: int
) -> None:
    query = service_queries(listener.url)[index]
    reply = server.query(query, method="POST")
    assert reply.status == 403, (query, reply.text)
    assert "is refused: this endpoint only answers from its own dataset." in reply.text
    assert listener.connections() == 0


def test_service_inside_strings_and_comments_is_not_a_service(server: LiveServer, listener: Listener) -> None:
    query = (
        f"SELECT ?v WHERE {{ <https://w3id.org/tradelod/id/observation/003-kz-cn-turnover-2024> tlo:value ?v "
        f'FILTER(?v != "SERVICE <{listener.url}> {{ ?s ?p ?o }}") }} # SERVICE <{listener.url}> {{ }}'
    )
    reply = server.query(query)
    assert reply.status == 200, reply.text
    assert rows_from(reply.body, reply.media_type) == [{"v": TURNOVER_VALUE}]
    assert listener.connections() == 0


@pytest.mark.skipif(
    not SANDBOXED, reason="the socket filter of query processes needs Linux on x86_64 or aarch64"
)
def test_a_service_the_check_cannot_see_still_cannot_connect(server: LiveServer, listener: Listener) -> None:
    """SPARQL 1.2 syntax rdflib cannot parse hides a SERVICE from the check; the sandbox still holds."""
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ <<( ?s ?p ?o )>> ?q ?r }} }}"
    reply = server.query(query)
    assert reply.status == 400, reply.text
    assert "Permission denied" in reply.text
    assert listener.connections() == 0


# --- FROM, FROM NAMED, default-graph-uri, named-graph-uri, DESCRIBE never fetch ----------------


def test_dataset_iris_are_never_fetched(server: LiveServer, listener: Listener) -> None:
    url = listener.url
    replies = [
        server.query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"),
        server.query(f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        server.query("SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": url}),
        server.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": url}),
        server.query(f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}"),
    ]
    for reply in replies:
        assert reply.status == 200, reply.text
        assert rows_from(reply.body, reply.media_type) == []
    describe = server.query(f"DESCRIBE <{url}>", accept="application/n-triples")
    assert describe.status == 200
    assert describe.body == b""
    assert listener.connections() == 0


def test_local_files_are_never_read(server: LiveServer) -> None:
    for iri in ("file:///etc/passwd", "file:///etc/hostname"):
        reply = server.query(f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}", accept="text/csv")
        assert reply.status == 200
        assert rows_from(reply.body, "text/csv") == []
        refused = server.query(f"LOAD <{iri}>")
        assert refused.status == 403


# --- RDF parsing never fetches -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "template"),
    [
        ("application/ld+json", '{{"@context": "{url}", "@id": "http://example.org/x", "p": "v"}}'),
        (
            "application/rdf+xml",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a SYSTEM "{url}"><!ENTITY b SYSTEM "file:///etc/passwd">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="x">'
            "<rdf:value>&a;&b;</rdf:value></rdf:Description></rdf:RDF>",
        ),
        ("text/turtle", "<{url}> <{url}> <{url}> ."),
    ],
)
def test_rdf_bodies_are_not_parsed(
    server: LiveServer, listener: Listener, content_type: str, template: str
) -> None:
    reply = server.request(
        "POST", "/sparql", body=template.format(url=listener.url), headers={"Content-Type": content_type}
    )
    assert reply.status == 415
    assert listener.connections() == 0


def test_hostile_literals_are_written_as_data(server: LiveServer, listener: Listener) -> None:
    """A literal holding a JSON-LD context or an XML entity stays a literal in every output format."""
    hostile = f'{{"@context": "{listener.url}"}} <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e;'
    query = f"CONSTRUCT {{ <http://example.org/s> <http://example.org/p> ?o }} WHERE {{ BIND({json.dumps(hostile)} AS ?o) }}"
    for media_type in ("application/ld+json", "application/rdf+xml", "text/turtle", "application/n-triples"):
        reply = server.query(query, accept=media_type)
        assert reply.status == 200, reply.text
        graph = parse_graph(reply.body, media_type)
        assert set(graph) == {
            (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(hostile))
        }
    assert listener.connections() == 0


#: Formats that never make a parser fetch anything (no remote contexts, no external entities).
SAFE_FORMATS = {"turtle", "nt", "nquads", "ntriples", "n-triples", "N_TRIPLES", "N_QUADS", "TURTLE", "TRIG"}
#: Parse calls whose format is a value of a fixed table, each value of which must itself be safe:
#: (file, the format as the scan shows it) -> the table.
TABLED_FORMATS = {
    ("server/tradelod/graph/extra_sources.py", "format"): "tradelod.graph.extra_sources.FORMATS"
}


def parse_calls() -> list[tuple[str, int, str]]:
    """Every RDF parse call in the server package: (file, line, format)."""
    found = []
    for path in sorted(SERVER_PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "parse":
                continue
            fmt = next((k.value for k in node.keywords if k.arg == "format"), None)
            if isinstance(fmt, ast.Constant):
                shown = str(fmt.value)
            elif isinstance(fmt, ast.Attribute):
                shown = fmt.attr
            else:
                shown = ast.unparse(fmt) if fmt is not None else "(guessed)"
            found.append((path.relative_to(ROOT).as_posix(), node.lineno, shown))
    return found


def test_the_server_only_parses_rdf_in_formats_that_cannot_fetch() -> None:
    calls = parse_calls()
    assert calls, "no parse call found: the scan itself is broken"
    for (path, expression), table in TABLED_FORMATS.items():
        module, name = table.rsplit(".", 1)
        values = getattr(importlib.import_module(module), name).values()
        assert values and all(
            str(v).split(".")[-1].upper().replace("-", "_") in SAFE_FORMATS for v in values
        ), table
        assert (path, expression) in {(c[0], c[2]) for c in calls}, f"{path} no longer parses by {table}"
    unsafe = [
        call for call in calls if call[2] not in SAFE_FORMATS and (call[0], call[2]) not in TABLED_FORMATS
    ]
    assert unsafe == [], f"RDF parsed in a format that may fetch remote documents or files: {unsafe}"


def test_query_processes_cannot_open_internet_sockets(listener: Listener) -> None:
    """The sandbox itself, in a fresh process: Internet sockets fail, Unix sockets work."""
    if not SANDBOXED:
        pytest.skip("the socket filter needs Linux on x86_64 or aarch64")
    program = (
        "import socket, sys\n"
        "from tradelod.sparql.sandbox import deny_network\n"
        "assert deny_network()\n"
        "a, b = socket.socketpair(); a.sendall(b'ok'); assert b.recv(2) == b'ok'\n"
        "for family in (socket.AF_INET, socket.AF_INET6):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "    except PermissionError:\n"
        "        continue\n"
        "    sys.exit('an Internet socket was opened')\n"
        f"socket.create_connection(('127.0.0.1', {listener.port}), timeout=5)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "PermissionError: [Errno 13] Permission denied" in result.stderr
    assert listener.connections() == 0


# --- an allow-listed SERVICE endpoint works ------------------------------------------------------


class _FakeEndpoint(BaseHTTPRequestHandler):
    """A remote SPARQL endpoint that always answers one binding, and remembers it was asked."""

    asked: ClassVar[list[str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).asked.append(self.path + " " + body.decode("utf-8", "replace"))
        document = {
            "head": {"vars": ["s"]},
            "results": {"bindings": [{"s": {"type": "uri", "value": "http://remote.example/thing"}}]},
        }
        data = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def remote() -> Iterator[str]:
    """A fake remote SPARQL endpoint on 127.0.0.1."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEndpoint)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _FakeEndpoint.asked.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


def test_allow_listed_service_is_called(
    build_dir: Path, tmp_path: Path, remote: str, listener: Listener
) -> None:
    with live_server(build_dir, tmp_path, {"SERVICE_ALLOWLIST": [remote]}) as allowing:
        reply = allowing.query(f"SELECT ?s WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}")
        assert reply.status == 200, reply.text
        assert rows_from(reply.body, reply.media_type) == [{"s": "http://remote.example/thing"}]
        assert len(_FakeEndpoint.asked) == 1
        other = allowing.query(f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert other.status == 403
        assert f"(allowed SERVICE endpoints: {remote})" in other.text
        description = allowing.request("GET", "/sparql", headers={"Accept": "text/turtle"}).text
        assert "sd:BasicFederatedQuery" in description
        local = allowing.query(TURNOVER_QUERY)
        assert rows_from(local.body, local.media_type) == [{"v": TURNOVER_VALUE}]
    assert listener.connections() == 0


def test_construct_labels_still_work_after_refusals(server: LiveServer) -> None:
    reply = server.query(LABELS_CONSTRUCT, accept="text/turtle")
    assert reply.status == 200
    assert len(parse_graph(reply.body, "text/turtle")) == 2
