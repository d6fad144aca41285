"""The systems the benchmark measures, each started on 127.0.0.1 over the same data and stopped by PID.

- **tradelod**: gunicorn with the app over the build (the tests' ``live_server``), 2 workers.
- **oxigraph**: Oxigraph server (PyPI ``oxigraph``) ``serve-read-only`` on the very store the build
  wrote, union default graph: the same bytes on disk, no safety layer — the native limit.
- **rdflib-endpoint**: the Python peer (PyPI ``rdflib-endpoint``) over the data as N-Triples.
- **virtuoso**: Virtuoso 7 (Debian), started by ``tests/support/engines.py``, loaded over its Graph
  Store Protocol into one graph (queries without FROM read every graph).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the engine starters and live server of the tests

from support.engines import free_port, start_engine  # noqa: E402
from support.live_server import live_server  # noqa: E402

BIN = Path(sys.executable).parent
SYSTEMS = ("tradelod", "oxigraph", "rdflib-endpoint", "virtuoso")
#: tradelod's settings for the run: rows and triples up to the mix's 20k, time as long as the peers'.
TRADELOD_SETTINGS = {"QUERY_ROW_LIMIT": 100_000, "QUERY_TIMEOUT_SECONDS": 60}


@dataclass
class Running:
    """A system answering SPARQL at ``query_url``; ``pids``: the processes whose memory is its memory."""

    name: str
    query_url: str
    root_pid: int
    started_seconds: float
    document_url: str | None = None  # tradelod: where documents are served
    notes: list[str] = field(default_factory=list)


def get(url: str, accept: str, timeout: float = 120.0) -> tuple[int, bytes]:
    """One GET on a fresh connection, body read completely."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(
            "GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers={"Accept": accept}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sparql_get(endpoint: str, query: str, accept: str, timeout: float = 120.0) -> tuple[int, bytes]:
    """A SPARQL query sent as GET ``?query=``."""
    return get(f"{endpoint}?{urlencode({'query': query})}", accept, timeout)


def wait_answering(endpoint: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    """Poll with ASK until the endpoint answers 200 (bounded); fail if the process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{endpoint}: the process exited with {process.returncode}")
        with contextlib.suppress(OSError):
            if sparql_get(endpoint, "ASK {}", "application/sparql-results+json", 5.0)[0] == 200:
                return
        time.sleep(0.2)  # polling interval of a bounded wait, not synchronisation
    raise TimeoutError(f"{endpoint} did not answer within {seconds:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def tradelod(build: Path, logs: Path) -> Iterator[Running]:
    """tradelod's gunicorn over ``build`` (2 workers of 4 threads, as ``live_server`` starts it)."""
    started = time.monotonic()
    with live_server(build, logs, TRADELOD_SETTINGS, workers=2, threads=4) as server:
        yield Running("tradelod", server.endpoint, server.process.pid, time.monotonic() - started, server.url)


@contextlib.contextmanager
def oxigraph(build: Path, logs: Path) -> Iterator[Running]:
    """Oxigraph server, read-only, on the build's own store."""
    port = free_port()
    store = (build / "current" / "store").resolve()
    command = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    # No --timeout-s: it starts a thread per query, which fails under wrk's rate (EAGAIN, HTTP 500).
    command += ["--union-default-graph"]
    started = time.monotonic()
    with (logs / "oxigraph.log").open("wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        wait_answering(endpoint, process, 60)
        yield Running("oxigraph", endpoint, process.pid, time.monotonic() - started)
    finally:
        stop(process)


@contextlib.contextmanager
def rdflib_endpoint(ntriples: Path, logs: Path) -> Iterator[Running]:
    """rdflib-endpoint over the data (rdflib's in-memory store)."""
    port = free_port()
    command = [
        str(BIN / "rdflib-endpoint"),
        "serve",
        str(ntriples),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    started = time.monotonic()
    with (logs / "rdflib-endpoint.log").open("wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        endpoint = f"http://127.0.0.1:{port}/"
        wait_answering(endpoint, process, 1200)
        yield Running("rdflib-endpoint", endpoint, process.pid, time.monotonic() - started)
    finally:
        stop(process)


@contextlib.contextmanager
def virtuoso(ntriples: Path, folder: Path) -> Iterator[Running]:
    """Virtuoso 7 loaded with the data over its Graph Store Protocol (50k triples a request)."""
    from tradelod.store.engine import EngineClient

    started = time.monotonic()
    with start_engine("virtuoso", folder, timeout_seconds=60) as engine:
        client = EngineClient(engine.settings())
        try:
            chunk: list[bytes] = []
            with ntriples.open("rb") as lines:
                for line in lines:
                    chunk.append(line)
                    if len(chunk) >= 50_000:
                        client.post_graph("urn:tradelod:bench", b"".join(chunk), read_seconds=600)
                        chunk.clear()
            if chunk:
                client.post_graph("urn:tradelod:bench", b"".join(chunk), read_seconds=600)
        finally:
            client.close()
        running = Running("virtuoso", engine.query_url, engine.process.pid, time.monotonic() - started)
        running.notes.append("start time includes loading over HTTP")
        yield running


def memory_mb(root_pid: int) -> float:
    """Proportional set size (PSS, shared pages split) of a process and all its descendants, in MB."""
    total_kb = 0
    for pid in _tree(root_pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
    return round(total_kb / 1024, 1)


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child_list in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in child_list.read_text().split():
                found += _tree(int(child))
    return found


def environment() -> dict[str, str]:
    """Versions of what runs (for RESULTS.md)."""
    from importlib.metadata import version

    versions = {
        name: version(name)
        for name in ("pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "pyshacl-turbo")
    }
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(
            ["/usr/bin/virtuoso-t", "-?"], capture_output=True, text=True, timeout=10, check=False
        )
        line = next((x for x in (out.stdout + out.stderr).splitlines() if "Version" in x), "")
        versions["virtuoso"] = line.strip()
    with contextlib.suppress(OSError):
        out2 = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False)
        versions["wrk"] = (out2.stdout + out2.stderr).splitlines()[0].strip()
    versions["python"] = sys.version.split()[0]
    versions["cpus"] = str(os.cpu_count())
    return versions
