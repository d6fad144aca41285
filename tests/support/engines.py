"""Real SPARQL engines for tests and benchmarks, started on 127.0.0.1 and stopped by PID.

Two engines, each in a temporary folder of its own and listening on loopback only:

- **Oxigraph server** (the ``oxigraph`` command of the PyPI package ``oxigraph``): ``/query``,
  ``/update`` and the Graph Store Protocol at ``/store``.
- **Virtuoso 7** (``virtuoso-t`` from Debian's ``virtuoso-opensource-7-bin``), configured here from
  scratch: both its SQL port and its HTTP port bind 127.0.0.1, the public ``/sparql`` endpoint is
  read-only, updates go to ``/sparql-auth`` and the Graph Store Protocol to
  ``/sparql-graph-crud-auth`` (HTTP digest, the ``dba`` account of the fresh database).

``start_engine(name, folder)`` is a context manager yielding an ``Engine`` (its URLs, credentials,
process); the engine is stopped (SIGTERM, then SIGKILL) when the block ends, whatever happened.
``engine_missing(name)`` says why an engine cannot run here (``None`` when it can): tests skip with
that reason outside CI and fail under CI, where ``.ci/run`` installs both engines. ``bench/`` uses
the same starters.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from tradelod.store.engine import EngineSettings

ENGINES = ("oxigraph", "virtuoso")
VIRTUOSO = "/usr/bin/virtuoso-t"
START_SECONDS = 90.0


@dataclass
class Engine:
    """A running engine: where to query it, where to load into it, and its process."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str
    process: subprocess.Popen[bytes]
    folder: Path
    user: str = ""
    password: str = ""
    log: Path = field(default_factory=Path)

    def environment(self) -> dict[str, str]:
        """The TRADELOD_* variables that point tradelod at this engine (credentials included)."""
        env = {
            "TRADELOD_STORE": self.query_url,
            "TRADELOD_STORE_UPDATE": self.update_url,
            "TRADELOD_STORE_GSP": self.gsp_url,
        }
        if self.user:
            env |= {"TRADELOD_STORE_USER": self.user, "TRADELOD_STORE_PASSWORD": self.password}
        return env

    def settings(self) -> EngineSettings:
        """The engine as tradelod's client settings (query, update, Graph Store Protocol, login)."""
        from tradelod.store.engine import EngineSettings

        return EngineSettings(
            self.query_url, self.update_url, self.gsp_url, self.user, self.password, read_seconds=60.0
        )

    def alive(self) -> bool:
        """Whether the engine's process still runs."""
        return self.process.poll() is None


def oxigraph_command() -> str | None:
    """The ``oxigraph`` server command installed beside this Python (PyPI ``oxigraph``), if any."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def engine_missing(name: str) -> str | None:
    """Why ``name`` cannot be started on this machine, or None when it can."""
    if name == "oxigraph":
        return None if oxigraph_command() else "the oxigraph server is not installed (pip install oxigraph)"
    if name == "virtuoso":
        if Path(VIRTUOSO).is_file():
            return None
        return "Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)"
    return f"unknown engine {name!r}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def start_engine(name: str, folder: Path, *, timeout_seconds: int = 10) -> Iterator[Engine]:
    """Start engine ``name`` with its data in ``folder`` (created), yield it once it answers, stop it."""
    missing = engine_missing(name)
    if missing:
        raise RuntimeError(missing)
    folder.mkdir(parents=True, exist_ok=True)
    engine = _oxigraph(folder, timeout_seconds) if name == "oxigraph" else _virtuoso(folder, timeout_seconds)
    try:
        wait_until_ready(engine)
        yield engine
    finally:
        stop_engine(engine)


def restart_engine(engine: Engine, *, timeout_seconds: int = 10) -> Engine:
    """Start a stopped engine again on the same port and data folder (tests of recovery)."""
    fresh = (
        _oxigraph(engine.folder, timeout_seconds, engine.query_url)
        if engine.name == "oxigraph"
        else _virtuoso(engine.folder, timeout_seconds, engine.query_url)
    )
    wait_until_ready(fresh)
    engine.process = fresh.process
    return engine


def stop_engine(engine: Engine) -> None:
    """Stop the engine's process: SIGTERM, then SIGKILL if it has not left within 30 s."""
    process = engine.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_ready(engine: Engine, deadline_seconds: float = START_SECONDS) -> None:
    """Poll the engine with an ASK until it answers (bounded); report its log if it died."""
    deadline = time.monotonic() + deadline_seconds
    probe = f"{engine.query_url}?{urlencode({'query': 'ASK {}'})}"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        try:
            engine.process.wait(timeout=0.2)  # returns only if the engine died
        except subprocess.TimeoutExpired:
            continue
        log = engine.log.read_text(encoding="utf-8", errors="replace") if engine.log.is_file() else ""
        raise RuntimeError(f"{engine.name} exited with {engine.process.returncode}:\n{log[-4000:]}")
    stop_engine(engine)
    raise TimeoutError(f"{engine.name} did not answer on {engine.query_url} within {deadline_seconds} s")


def _spawn(command: list[str], folder: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")},
        )


def _port_of(url: str | None) -> int:
    return int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]) if url else free_port()


def _oxigraph(folder: Path, timeout_seconds: int, url: str | None = None) -> Engine:
    command = oxigraph_command()
    assert command is not None
    port = _port_of(url)
    base = f"http://127.0.0.1:{port}"
    log = folder / "oxigraph.log"
    process = _spawn(
        [
            command,
            "serve",
            "--location",
            str(folder / "data"),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            str(timeout_seconds),
        ],
        folder,
        log,
    )
    return Engine("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process, folder, log=log)


#: virtuoso.ini for a test engine: loopback only, small buffers (2 cores, shared machine), the
#: SPARQL limits tradelod relies on, and no HTTP server features beyond /sparql. The transaction log
#: limit is raised as the README says a publisher must: ``tradelod load`` switches releases in one
#: transaction, and at 1M triples the default (50 MB of log after-image) aborts it ("SR325").
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
TransactionAfterImageLimit = 2000000000
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {folder}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 256
MaxMemPoolSize = 200000000
PrefixResultNames = 0
MacSpotlight = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
VectorSize = 1000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
DefaultMailServer = localhost:25
MaxKeepAlives = 10
KeepAliveTimeout = 10
MaxCachedProxyConnections = 0
ProxyConnectionCacheTimeout = 0
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
MaintenancePage = atomic.html
EnabledGzipContent = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {timeout}
DefaultQuery = ASK {{}}
DeferInferenceRulesInit = 0
MaxSortedTopRows = 10000
ShortenLongURIs = 0
"""


def _virtuoso(folder: Path, timeout_seconds: int, url: str | None = None, *, buffers: int = 20000) -> Engine:
    http_port = _port_of(url)
    ini = folder / "virtuoso.ini"
    sql_port_file = folder / "sql-port"
    if sql_port_file.is_file():
        sql_port = int(sql_port_file.read_text())
    else:
        sql_port = free_port()
        sql_port_file.write_text(str(sql_port))
    ini.write_text(
        VIRTUOSO_INI.format(
            folder=folder,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            timeout=timeout_seconds,
        ),
        encoding="utf-8",
    )
    log = folder / "virtuoso.log"
    process = _spawn([VIRTUOSO, "+foreground", "+configfile", str(ini)], folder, log)
    base = f"http://127.0.0.1:{http_port}"
    return Engine(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql-auth",
        f"{base}/sparql-graph-crud-auth",
        process,
        folder,
        user="dba",
        password="dba",  # the fresh database's administrator; the engine only listens on loopback
        log=log,
    )


def require_engine(name: str) -> None:
    """Skip the calling test when ``name`` cannot run here, except under CI, where that is a failure."""
    import pytest

    missing = engine_missing(name)
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing}; .ci/run installs it", pytrace=False)
    pytest.skip(missing)


#: Every backend the parametrised tests run tradelod over: its own store and the two engines.
BACKENDS = ("embedded", *ENGINES)


class LoadedEngines:
    """Engines started on demand for a test session, each loaded once with a build's current release."""

    def __init__(self, build_dir: Path, folder: Path) -> None:
        self.build_dir = build_dir
        self.folder = folder
        self._running: dict[str, tuple[Engine, Any]] = {}

    def get(self, name: str) -> Engine:
        """Engine ``name``, running and holding the current release (started and loaded on first use)."""
        if name not in self._running:
            from tradelod.store.engine import EngineClient
            from tradelod.store.publish import publish

            context = start_engine(name, self.folder / name)
            engine = context.__enter__()
            try:
                client = EngineClient(engine.settings())
                publish((self.build_dir / "current").resolve(), client, lambda _: None)
                client.close()
            except BaseException:
                context.__exit__(None, None, None)
                raise
            self._running[name] = (engine, context)
        return self._running[name][0]

    def settings(self, backend: str) -> dict[str, str]:
        """App settings (without the TRADELOD_ prefix) that serve ``backend``."""
        if backend == "embedded":
            return {}
        require_engine(backend)
        env = self.get(backend).environment()
        return {key.removeprefix("TRADELOD_"): value for key, value in env.items()}

    def close(self) -> None:
        """Stop every engine started."""
        for _, context in self._running.values():
            context.__exit__(None, None, None)
        self._running.clear()
