"""nginx in front of gunicorn, as `tradelod serve` runs it: timeouts, the per-address cap, its own
refusals, one control socket per instance, rotating logs. Real nginx, real gunicorn, on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.serving import LiveServer, live_server
from support.timing import nginx_check, require_nginx
from tradelod.config import DEFAULTS
from tradelod.http.security import SECURITY_HEADERS
from tradelod.serve.front import render

pytestmark = pytest.mark.network
GUNICORNC = Path(sys.executable).parent / "gunicornc"


def open_from(source: str, server: LiveServer) -> socket.socket:
    """A TCP connection to the server from another loopback address (another client, to nginx)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(20)
    sock.bind((source, 0))
    sock.connect((server.host, server.port))
    return sock


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closes the connection within ``seconds``, and what it sent before."""
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


def test_rendered_configuration_is_accepted_by_nginx(tmp_path: Path) -> None:
    settings = {**DEFAULTS, "CONNECTIONS_PER_ADDRESS": 7, "CLIENT_HEADER_TIMEOUT_SECONDS": 3}
    text = render(settings, "127.0.0.1", 8000, tmp_path)
    assert "limit_conn per_address 7;" in text
    assert "client_header_timeout 3s;" in text
    assert re.findall(r"@[A-Z_]+@", text) == []  # every field filled
    result = nginx_check(text, tmp_path)
    assert result.returncode == 0, result.stderr


def test_print_nginx_prints_the_production_example(tmp_path: Path) -> None:
    nginx = require_nginx()
    result = subprocess.run(
        [sys.executable, "-m", "tradelod", "serve", "--print-nginx", "--port", "8080"],
        capture_output=True,
        text=True,
        check=True,
        env={"TRADELOD_RUN_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert "listen 127.0.0.1:8080 default_server" in result.stdout
    assert f"server unix:{tmp_path}/gunicorn.sock" in result.stdout
    (tmp_path / "nginx.conf").write_text(result.stdout, encoding="utf-8")
    check = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


@pytest.fixture(scope="module")
def fronted(build_dir: Path) -> object:
    """One server with nginx in front, a small per-address cap and short read timeouts."""
    require_nginx()
    settings = {
        "FRONT": "nginx",
        "CONNECTIONS_PER_ADDRESS": 3,
        "CLIENT_HEADER_TIMEOUT_SECONDS": 2,
        "CLIENT_BODY_TIMEOUT_SECONDS": 2,
    }
    with live_server(build_dir, workers=1, settings=settings) as running:
        yield running


def test_every_answer_carries_the_security_headers_and_no_version(fronted: LiveServer) -> None:
    status, headers, _ = fronted.request("GET", "/", {"Accept": "text/html"})
    assert status == 200
    assert headers["server"] == "nginx"
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower()] == value


def test_slow_headers_are_cut_at_the_header_timeout(fronted: LiveServer) -> None:
    sock = open_from("127.0.0.4", fronted)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed, _ = closed_within(sock, 15)
        assert closed
        assert 1.5 <= time.monotonic() - started < 10
    finally:
        sock.close()


def test_slow_body_is_cut_at_the_body_timeout(fronted: LiveServer) -> None:
    sock = open_from("127.0.0.4", fronted)
    try:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK {"
        )
        closed, received = closed_within(sock, 15)
        assert closed
        assert received == b"" or received.startswith(b"HTTP/1.1 408")
    finally:
        sock.close()


def test_requests_in_progress_are_capped_per_address(fronted: LiveServer) -> None:
    held = []
    try:
        for _ in range(3):  # three uploads in progress from one address: the cap
            sock = open_from("127.0.0.5", fronted)
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK {"
            )
            held.append(sock)
        # nginx counts an upload once its headers are read: ask again until the cap shows (bounded).
        head, deadline = "", time.monotonic() + 10
        while not head.startswith("http/1.1 429") and time.monotonic() < deadline:
            extra = open_from("127.0.0.5", fronted)
            held.append(extra)
            extra.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            _, answer = closed_within(extra, 10)
            head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        assert head.startswith("http/1.1 429")
        assert "retry-after: 5" in head
        assert "content-security-policy:" in head
        # Another address is not affected.
        assert fronted.request("GET", "/favicon.ico")[0] == 200
    finally:
        for sock in held:
            sock.close()


def test_over_long_url_gets_nginx_414_with_the_headers(fronted: LiveServer) -> None:
    status, headers, body = fronted.request("GET", "/sparql?query=" + "a" * 70_000)
    assert status == 414
    assert b"send a long SPARQL query by POST" in body
    assert headers["x-content-type-options"] == "nosniff"


def test_each_instance_has_its_own_control_socket(build_dir: Path, tmp_path: Path) -> None:
    require_nginx()
    home = tmp_path / "home"
    home.mkdir()
    first, second = tmp_path / "run-a", tmp_path / "run-b"
    with (
        live_server(build_dir, workers=1, settings={"RUN_DIR": str(first), "FRONT": "nginx"}),
        live_server(build_dir, workers=2, settings={"RUN_DIR": str(second), "FRONT": "none"}) as alone,
    ):
        counts = []
        for run in (first, second):
            result = subprocess.run(
                [str(GUNICORNC), "-s", str(run / "gunicorn.ctl"), "-c", "show workers", "-j"],
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            )
            counts.append(len(json.loads(result.stdout)["workers"]))
        assert counts == [1, 2]
        status, headers, _ = alone.request("GET", "/favicon.ico")
        assert status == 200
        assert headers["server"] == "gunicorn"  # gunicorn alone: no version either


def test_logs_rotate(build_dir: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    settings = {"LOG_DIR": str(logs), "LOG_MAX_BYTES": 2000, "LOG_BACKUPS": 2, "FRONT": "none"}
    with live_server(build_dir, workers=1, settings=settings) as running:
        for _ in range(80):
            assert running.request("GET", "/favicon.ico")[0] == 200
    names = sorted(p.name for p in logs.iterdir())
    assert {"access.log", "access.log.1", "access.log.2", "tradelod.log"} <= set(names)
    assert "access.log.3" not in names
    assert all((logs / name).stat().st_size <= 2000 for name in names if name.startswith("access"))
    assert "GET /favicon.ico HTTP/1.1" in (logs / "access.log").read_text(encoding="utf-8")


def test_serve_refuses_front_nginx_without_nginx(build_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tradelod", "serve", "--out", str(build_dir), "--front", "nginx"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "TRADELOD_NGINX": str(tmp_path / "no-nginx-here")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "nginx is not installed" in result.stderr
