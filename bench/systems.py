"""The systems the benchmark measures, each started on 127.0.0.1 over the same data and stopped by PID.

tradelod, over each of its backends (the same gunicorn front, the tests' ``live_server``, 2 workers):

- **tradelod**: over its embedded store (the build's own pyoxigraph store; the default).
- **tradelod-oxigraph**: over a writable Oxigraph server (``oxigraph serve``, as
  ``tests/support/engines.py`` starts it), loaded by the real ``tradelod load --into … --gsp …``.
- **tradelod-virtuoso**: over Virtuoso 7, loaded the same way.

The peers:

- **oxigraph**: Oxigraph server (PyPI ``oxigraph``) ``serve-read-only`` on the very store the build
  wrote, whose default graph is the union of its named graphs: the same bytes on disk, no safety
  layer — the native limit.
- **rdflib-endpoint**: the Python peer (PyPI ``rdflib-endpoint``) over the data as N-Triples.
- **virtuoso**: Virtuoso 7 (Debian), started by ``tests/support/engines.py``. When tradelod-virtuoso
  runs too, both use one Virtuoso process: the peer is then asked over the union graph that
  ``tradelod load`` wrote (``default-graph-uri=urn:tradelod:union``: the release's triples, neither the
  control graph nor the named graphs' second copy); alone, it is loaded over its Graph Store Protocol
  into one graph and asked without a dataset.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the engine starters and live server of the tests

from support.engines import Engine, free_port, start_engine, wait_until_ready  # noqa: E402
from support.live_server import live_server  # noqa: E402
from support.serving import live_server as serve_live  # noqa: E402
from support.serving import stop  # noqa: E402

BIN = Path(sys.executable).parent
TRADELOD = ("tradelod", "tradelod-oxigraph", "tradelod-virtuoso")
PEERS = ("oxigraph", "rdflib-endpoint", "virtuoso")
SYSTEMS = ("tradelod", "tradelod-oxigraph", "tradelod-virtuoso", "oxigraph", "rdflib-endpoint", "virtuoso")
#: tradelod's settings for the run: rows and triples up to the mix's 20k, time as long as the peers'.
TRADELOD_SETTINGS = {"QUERY_ROW_LIMIT": 100_000, "QUERY_TIMEOUT_SECONDS": 60}
#: Seconds an engine may spend on one query (its own limit; tradelod's is QUERY_TIMEOUT_SECONDS).
ENGINE_TIMEOUT_SECONDS = 60
#: The graph ``tradelod load`` writes the release's union into (``store.remote.UNION_GRAPH``).
UNION_GRAPH = "urn:tradelod:union"


def backend(system: str) -> str:
    """The store a tradelod system runs over: embedded, oxigraph or virtuoso."""
    return system.removeprefix("tradelod-") if system != "tradelod" else "embedded"


@dataclass
class Running:
    """A system answering SPARQL at ``query_url``; ``root_pid``: the process tree whose memory is its memory."""

    name: str
    query_url: str
    root_pid: int
    started_seconds: float
    document_url: str | None = None  # tradelod: where documents are served
    notes: list[str] = field(default_factory=list)
    #: Protocol parameters sent with every query (the shared Virtuoso peer's default graph).
    params: list[tuple[str, str]] = field(default_factory=list)
    load_seconds: float | None = None  # tradelod over an engine: the ``tradelod load`` it took


def get(url: str, accept: str, timeout: float = 120.0) -> tuple[int, bytes]:
    """One GET on a fresh connection, body read completely."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        connection.request(
            "GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers={"Accept": accept}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sparql_get(
    endpoint: str,
    query: str,
    accept: str,
    timeout: float = 120.0,
    params: list[tuple[str, str]] | None = None,
) -> tuple[int, bytes]:
    """A SPARQL query sent as GET ``?query=`` (with ``params``, e.g. ``default-graph-uri``)."""
    return get(f"{endpoint}?{urlencode([('query', query), *(params or [])])}", accept, timeout)


def _served(name: str, endpoint: str, process: subprocess.Popen[bytes], folder: Path, log: Path) -> Engine:
    """A peer process seen as an ``Engine``, so that the engines' bounded readiness poll applies."""
    return Engine(name, endpoint, "", "", process, folder, log=log)


@contextlib.contextmanager
def tradelod(build: Path, logs: Path) -> Iterator[Running]:
    """tradelod's gunicorn over ``build`` (2 workers of 4 threads, as ``live_server`` starts it)."""
    started = time.monotonic()
    with live_server(build, logs, TRADELOD_SETTINGS, workers=2, threads=4) as server:
        yield Running("tradelod", server.endpoint, server.process.pid, time.monotonic() - started, server.url)


def load(build: Path, engine: Engine, logs: Path) -> float:
    """``tradelod load`` (the real command) of the build's current release into ``engine``: seconds."""
    command = [str(BIN / "tradelod"), "load", "--out", str(build), "--into", engine.query_url]
    command += ["--update", engine.update_url, "--gsp", engine.gsp_url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")}
    if engine.user:  # credentials from the environment only, as the README says
        env |= {"TRADELOD_STORE_USER": engine.user, "TRADELOD_STORE_PASSWORD": engine.password}
    started = time.monotonic()
    log = logs / f"load-{engine.name}.log"
    with log.open("wb") as sink:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=3600,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"tradelod load into {engine.name} failed:\n{log.read_text()[-3000:]}")
    return time.monotonic() - started


@contextlib.contextmanager
def tradelod_over(engine: Engine, build: Path, logs: Path, load_seconds: float) -> Iterator[Running]:
    """tradelod's gunicorn (as ``tradelod``) answering from ``engine``, into which the build was loaded."""
    settings = {key.removeprefix("TRADELOD_"): value for key, value in engine.environment().items()}
    started = time.monotonic()
    with live_server(build, logs, {**TRADELOD_SETTINGS, **settings}, workers=2, threads=4) as server:
        name = f"tradelod-{engine.name}"
        running = Running(name, server.endpoint, server.process.pid, time.monotonic() - started, server.url)
        running.load_seconds = round(load_seconds, 1)
        running.notes.append(f"start time excludes the {load_seconds:.1f} s of tradelod load")
        yield running


@contextlib.contextmanager
def engine(name: str, folder: Path) -> Iterator[Engine]:
    """Engine ``name`` (oxigraph: writable ``oxigraph serve``; virtuoso) on 127.0.0.1, stopped after.

    Virtuoso runs the tests' configuration, whose transaction log limit is large enough for
    ``tradelod load`` to switch a release of a million triples in one transaction.
    """
    with start_engine(name, folder, timeout_seconds=ENGINE_TIMEOUT_SECONDS) as running:
        yield running


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
    # No --union-default-graph: the build wrote the union (each triple once) as the default graph.
    with _peer("oxigraph", command, f"http://127.0.0.1:{port}/query", logs, 60) as running:
        yield running


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
    with _peer("rdflib-endpoint", command, f"http://127.0.0.1:{port}/", logs, 1200) as running:
        yield running


@contextlib.contextmanager
def _peer(name: str, command: list[str], endpoint: str, logs: Path, seconds: float) -> Iterator[Running]:
    """Start a peer's server (its output in ``logs/{name}.log``), wait until it answers, stop it after."""
    started = time.monotonic()
    log = logs / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(_served(name, endpoint, process, logs, log), seconds)
        yield Running(name, endpoint, process.pid, time.monotonic() - started)
    finally:
        stop(process)


def nginx_missing() -> str | None:
    """Why ``tradelod serve`` cannot put nginx in front here, or None when it can."""
    from tradelod.serve.front import find_nginx

    return None if find_nginx() else "nginx is not installed (apt-get install nginx-light): no front line"


@contextlib.contextmanager
def front(build: Path, logs: Path) -> Iterator[str]:
    """``tradelod serve`` as deployed (nginx in front of gunicorn, 2 workers) over the embedded store: its URL."""
    run_dir = logs / "front-run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    with (
        (logs / "front.log").open("wb") as log,
        serve_live(build, workers=2, settings={"FRONT": "nginx", "RUN_DIR": str(run_dir)}, log=log) as server,
    ):
        yield server.url


def virtuoso_alone(engine: Engine, ntriples: Path, started: float) -> Running:
    """The Virtuoso peer on its own: the data loaded over the Graph Store Protocol (50k triples a request)."""
    from tradelod.store.engine import EngineClient

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
    return running


def virtuoso_shared(engine: Engine, started: float) -> Running:
    """The Virtuoso peer in the process tradelod-virtuoso uses: asked over the union graph loaded there."""
    running = Running("virtuoso", engine.query_url, engine.process.pid, time.monotonic() - started)
    running.params = [("default-graph-uri", UNION_GRAPH)]
    running.notes.append("start time includes tradelod load; one process shared with tradelod-virtuoso")
    return running


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
