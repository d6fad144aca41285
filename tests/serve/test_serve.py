"""`tradelod serve` for real: gunicorn on 127.0.0.1, its workers, and real HTTP against it."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from support.rdfparse import parse_rdf
from support.serving import LiveServer, live_server, stop
from tradelod.serve import gunicorn_options, serve

BASE = "https://w3id.org/tradelod/"
pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(build_dir: Path) -> Iterator[LiveServer]:
    """One gunicorn server with two workers over the session's build."""
    with live_server(build_dir, workers=2) as running:
        yield running


def children(pid: int) -> set[int]:
    """The child processes of a process (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(p) for p in text.split()}
    return found


def gunicorn_workers(pid: int) -> set[int]:
    """The children of the serve process that are gunicorn workers (nginx is another child)."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    return {
        child for child in children(pid) if Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0] == own
    }


def test_gunicorn_runs_the_configured_number_of_workers(server: LiveServer) -> None:
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline:
        workers = gunicorn_workers(server.process.pid)
        if len(workers) == 2:
            break
        try:
            server.process.wait(timeout=0.1)  # returns only if the server died
            pytest.fail("the server exited")
        except subprocess.TimeoutExpired:
            continue
    assert len(workers) == 2


def test_thing_303_then_document_over_http(server: LiveServer) -> None:
    status, headers, body = server.request("GET", "/id/place/chongqing", {"Accept": "text/turtle"})
    assert status == 303
    assert headers["location"] == "/doc/place/chongqing.ttl"
    assert headers["vary"] == "Accept"
    assert body == b""
    status, headers, body = server.request("GET", headers["location"])
    assert status == 200
    assert headers["content-type"] == "text/turtle; charset=utf-8"
    assert headers["server"] in ("nginx", "gunicorn")  # no version in the banner
    graph = parse_rdf(body, "text/turtle")
    chongqing = URIRef(f"{BASE}id/place/chongqing")
    assert set(graph.objects(chongqing, RDFS.label)) == {
        Literal("Chongqing", lang="fr"),
        Literal("Chongqing", lang="en"),
    }


def test_browser_gets_html_and_links_work_on_this_host(server: LiveServer) -> None:
    status, headers, _ = server.request("GET", "/id/place/chongqing", {"Accept": "text/html,*/*;q=0.8"})
    assert (status, headers["location"]) == (303, "/doc/place/chongqing")
    status, headers, body = server.request("GET", "/doc/place/chongqing", {"Accept": "text/html,*/*;q=0.8"})
    assert status == 200
    assert headers["vary"] == "Accept, Accept-Language"
    assert b'href="/id/place/china"' in body
    status, _, _ = server.request("GET", "/id/place/china", {"Accept": "text/html"})
    assert status == 303


def test_head_conditional_and_cors_over_http(server: LiveServer) -> None:
    status, headers, body = server.request("HEAD", "/doc/place/chongqing.jsonld")
    assert status == 200
    assert body == b""
    assert headers["access-control-allow-origin"] == "*"
    status, _, body = server.request("GET", "/doc/place/chongqing.jsonld", {"If-None-Match": headers["etag"]})
    assert status == 304
    assert body == b""
    status, _, _ = server.request(
        "GET", "/doc/place/chongqing.jsonld", {"If-Modified-Since": headers["last-modified"]}
    )
    assert status == 304


def test_gzip_dump_over_http(server: LiveServer, build_dir: Path) -> None:
    table = json.loads((build_dir / "current" / "dumps" / "dumps.json").read_text(encoding="utf-8"))
    row = next(r for r in table if r["name"] == "tradelod-0.1.0.nt.gz")
    status, headers, body = server.request("GET", "/dumps/tradelod-0.1.0.nt.gz", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"] == "application/gzip"  # the file itself, so its checksum holds
    assert "content-encoding" not in headers
    assert int(headers["content-length"]) == row["bytes"]
    assert hashlib.sha256(body).hexdigest() == row["sha256"]
    assert len(parse_rdf(gzip.decompress(body), "application/n-triples")) == row["triples"]


def test_unknown_iri_404_and_406_over_http(server: LiveServer) -> None:
    status, headers, body = server.request("GET", "/id/place/atlantis", {"Accept": "text/turtle"})
    assert status == 404
    assert headers["content-type"] == "text/turtle; charset=utf-8"
    assert (
        body.decode()
        == "# 404 Not Found\n# Nothing is known as https://w3id.org/tradelod/id/place/atlantis.\n"
    )
    status, _, body = server.request("GET", "/doc/place/chongqing", {"Accept": "image/png"})
    assert status == 406
    assert b"text/html, text/turtle, application/ld+json, application/rdf+xml, application/n-triples" in body


def test_sigterm_stops_gunicorn_cleanly(build_dir: Path) -> None:
    with live_server(build_dir, workers=1) as running:
        assert running.request("GET", "/favicon.ico")[0] == 200
        assert stop(running.process) == 0


def test_serve_without_a_build_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(tmp_path, tmp_path / "build", BASE, "127.0.0.1", 1, 1) == 1
    assert (
        capsys.readouterr().err
        == f"no build at {tmp_path / 'build'}: run `tradelod build` first (or `make run`)\n"
    )


def test_gunicorn_options_follow_configuration(tmp_path: Path) -> None:
    options = gunicorn_options("127.0.0.1:8080", 3, {"THREADS": 4, "WORKER_TIMEOUT_SECONDS": 60}, tmp_path)
    assert options["bind"] == "127.0.0.1:8080"
    assert options["workers"] == 3
    assert (options["worker_class"], options["threads"]) == ("gthread", 4)
    assert options["timeout"] == 60
    assert options["limit_request_line"] == 0  # long GET permalinks of /sparql: gunicorn's 1 MB ceiling
    assert options["control_socket"] == str(tmp_path / "gunicorn.ctl")
    assert (
        gunicorn_options("127.0.0.1:1", 1, {"THREADS": 1, "WORKER_TIMEOUT_SECONDS": 5})["worker_class"]
        == "sync"
    )
