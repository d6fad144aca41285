"""A real gunicorn process serving the app on 127.0.0.1, for tests that need real HTTP.

The listening socket is bound here (port 0: the kernel picks a free port) and handed to gunicorn as
``--bind fd://N``, so there is no window in which another process could take the port. Readiness is
an HTTP request that succeeds, polled with a bounded deadline; the server is always stopped (and its
query processes with it) when the context manager exits.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic
from typing import Any
from urllib.parse import urlencode

from .serving import stop

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_SECONDS = 60.0


@dataclass
class Reply:
    """An HTTP response, read completely."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes
    started: float = 0.0
    ended: float = 0.0

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8")

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class LiveServer:
    """A running gunicorn with the tradelod app; ``url`` is ``http://127.0.0.1:PORT``."""

    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The SPARQL endpoint's URL."""
        return f"{self.url}/sparql"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
        timeout: float = 60.0,
        source: str | None = None,
    ) -> Reply:
        """Send one request on a fresh connection and read the whole answer (4xx/5xx included).

        ``source`` is another loopback address to send from (``127.0.0.3``: another client).
        """
        if params:
            path = f"{path}?{urlencode(params, doseq=True)}"
        data = body.encode("utf-8") if isinstance(body, str) else body
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=timeout, source_address=(source, 0) if source else None
        )
        started = monotonic()
        try:
            connection.request(method, path, body=data, headers=dict(headers or {}))
            response = connection.getresponse()
            payload = response.read()
            return Reply(response.status, response.headers, payload, started, monotonic())
        finally:
            connection.close()

    def query(
        self,
        query: str,
        *,
        accept: str | None = None,
        method: str = "GET",
        source: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Reply:
        """Send a SPARQL query (GET with query=, or POST as a form), with an optional Accept header."""
        sent = dict(headers or {})
        if accept:
            sent["Accept"] = accept
        params = {"query": query, **extra}
        if method == "GET":
            return self.request("GET", "/sparql", params=params, headers=sent, source=source)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(
            "POST", "/sparql", body=urlencode(params, doseq=True), headers=sent, source=source
        )

    def log_text(self) -> str:
        """What gunicorn and the app wrote so far (for failure messages)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def live_server(
    build_dir: Path,
    log_dir: Path,
    settings: Mapping[str, Any] | None = None,
    workers: int = 2,
    threads: int = 4,
) -> Iterator[LiveServer]:
    """Start gunicorn with ``tradelod.app:create_app()`` over ``build_dir``; stop it on exit."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")}
    env.update({"TRADELOD_ROOT": str(ROOT), "TRADELOD_BUILD_DIR": str(build_dir), "TRADELOD_BASE_IRI": BASE})
    # One query-time budget for all workers, as `tradelod serve` sets it up.
    env["TRADELOD_ADMISSION_STATE"] = str(log_dir / f"admission-{os.getpid()}-{id(listener)}.sqlite")
    env["TRADELOD_WORKERS"] = str(workers)
    # Every test talks from 127.0.0.1: no per-client budget or concurrency cap unless a test sets one
    # (the fairness tests do).
    env["TRADELOD_QUERY_BUDGET_SECONDS"] = "0"
    env["TRADELOD_QUERY_CLIENT_CONCURRENCY"] = "1000"
    env["TRADELOD_QUERY_LIGHT_SECONDS"] = "0"
    # Query processes at the server's priority: on a shared development machine other people's
    # processes would otherwise starve them, and the time-limit tests would measure that.
    env["TRADELOD_QUERY_NICE"] = "0"
    for key, value in (settings or {}).items():
        env[f"TRADELOD_{key}"] = value if isinstance(value, str) else json.dumps(value)
    log = log_dir / f"gunicorn-{port}.log"
    command = [
        str(GUNICORN),
        "--bind", f"fd://{listener.fileno()}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--timeout", "120",
        "--graceful-timeout", "10",
        "--error-logfile", "-",
        "--no-control-socket",
        "--limit-request-line", "0",
        "tradelod.app:create_app()",
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),)
        )
    listener.close()
    server = LiveServer("127.0.0.1", port, process, log, dict(settings or {}))
    try:
        _wait_until_ready(server)
        yield server
    finally:
        stop(process)  # graceful first: workers close their query processes' lifelines


def _wait_until_ready(server: LiveServer) -> None:
    """Poll the service description until it answers 200, within a bounded deadline."""
    deadline = monotonic() + START_SECONDS
    last = "no answer"
    while monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            reply = server.request("GET", "/sparql", headers={"Accept": "text/turtle"}, timeout=2.0)
        except OSError as error:
            last = repr(error)
            continue
        if reply.status == 200:
            return
        last = f"HTTP {reply.status}"
    raise RuntimeError(f"gunicorn not ready after {START_SECONDS:g} s ({last}):\n{server.log_text()}")
