"""Running public SPARQL queries safely: in separate processes, stopped at the wall-clock limit.

A Python thread cannot interrupt Oxigraph once it is inside one expensive operation (a cartesian
product, a property path over everything, a heavy aggregate). So public queries never run in the
server process: each server worker keeps a small pool of query processes (``query_process``), each
holding the current release's store open read-only, and hands one query at a time to an idle one.
If the answer is not back within ``QUERY_TIMEOUT_SECONDS`` the process is killed — whatever it was
doing — and the client gets ``QueryTimeout``; a fresh process is started in its place. The server
worker only ever waits on a pipe with a deadline, so it never hangs, and other requests (served by
other workers or threads) carry on meanwhile.

The pools live for the whole server process, keyed by their settings, because the processes outlive
any one Flask app object (tests build many apps over one build). A new release (``tradelod build``
switches ``current``) gets new processes; the old ones are stopped as they come back idle.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from time import monotonic

from flask import current_app

from tradelod.config import is_remote
from tradelod.graph.namespaces import all_prefixes
from tradelod.http.errors import QueryMemoryLimit, QueryTimeout, ServiceUnavailable
from tradelod.store.current import current_release, get_store
from tradelod.store.engine import EngineSettings
from tradelod.store.remote import RemoteStore

from . import memory
from .query_process import Job, Outcome, Settings


class QueryProcess:
    """One query process and the two pipes to it (jobs and answers; a lifeline that closes with us)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        ours, theirs = socket.socketpair()
        lifeline_ours, lifeline_theirs = socket.socketpair()
        fds = (theirs.fileno(), lifeline_theirs.fileno())
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tradelod.sparql.query_process", *map(str, fds)],
                pass_fds=fds,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONSAFEPATH": "1"},
            )

        finally:
            theirs.close()
            lifeline_theirs.close()
        self.conn = Connection(ours.detach())
        self._lifeline = lifeline_ours
        self.conn.send(settings)
        self.ready = False
        self.sandboxed = False

    def wait_ready(self, seconds: float) -> None:
        """Wait until the process has opened the store (at most ``seconds``)."""
        if self.ready:
            return
        if not self.conn.poll(seconds):
            raise ServiceUnavailable(f"The query engine did not start within {seconds:g} s; try again later.")
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            raise ServiceUnavailable("The query engine could not start; try again later.") from None
        if kind != "ready":
            raise ServiceUnavailable(f"The query engine could not start: {detail}")
        self.ready, self.sandboxed = True, bool(detail)
        if self.settings.nice:
            # Queries run below the server's own threads (pages and dereferencing get the CPU first);
            # the start, which a waiting client pays for, ran at the server's priority.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, self.settings.nice)

    def run(self, job: Job, seconds: float) -> Outcome:
        """Send one job and wait at most ``seconds`` for its outcome."""
        self.conn.send(job)
        if not self.conn.poll(seconds):
            raise QueryTimeout(
                f"The query ran for more than {seconds:g} s, this endpoint's limit, and was stopped. "
                "Make it more selective (fewer unbound patterns, a LIMIT, no cartesian product)."
            )
        try:
            outcome: Outcome = self.conn.recv()
        except (EOFError, OSError):
            # The engine aborts when an allocation fails under the process's memory cap.
            raise QueryMemoryLimit(
                "The query engine stopped while running this query: it needed more memory than this "
                f"endpoint allows one query ({self.settings.memory_mb} MiB). Make it more selective "
                "(a LIMIT, fewer unbound patterns, no ORDER BY or GROUP_CONCAT over a huge result)."
            ) from None
        return outcome

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the process and close the pipes (used on timeout, on failure and for old releases)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.conn.close()
        self._lifeline.close()


class QueryPool:
    """At most ``size`` query processes for one set of settings; callers wait for an idle one."""

    def __init__(self, settings: Settings, size: int) -> None:
        self.settings = settings
        self.size = max(1, size)
        self._idle: list[QueryProcess] = []
        self._count = 0
        self._closed = False
        self._lock = threading.Condition()

    def run(
        self, job: Job, timeout: float, start_timeout: float, on_running: Callable[[], None] | None = None
    ) -> Outcome:
        """Run a job on an idle process: wait for one at most ``timeout``, run it at most ``timeout``.

        ``on_running`` is called when the process is ready and the job is sent (the query's own time
        starts there, not while a process starts).
        """
        process = self._acquire(monotonic() + timeout)
        try:
            process.wait_ready(start_timeout)
            if on_running is not None:
                on_running()
            outcome = process.run(job, timeout)
        except BaseException as error:
            self._discard(process, replace=isinstance(error, QueryTimeout))
            raise
        if 0 < self.settings.keep_mb < outcome.resident_mb:
            self._discard(process, replace=True)  # it kept a scan's memory: a fresh one takes its place
        else:
            self._release(process)
        return outcome

    def prestart(self) -> None:
        """Start every process of the pool now (they open the store in the background), so that no
        client of this worker waits for a process to start while another one runs a long query."""
        with self._lock:
            while self._count < self.size and not self._closed:
                self._idle.append(QueryProcess(self.settings))
                self._count += 1

    def close(self) -> None:
        """Stop the idle processes; busy ones are stopped when they come back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._lock.notify_all()
        for process in idle:
            process.stop()

    def _acquire(self, deadline: float) -> QueryProcess:
        with self._lock:
            while True:
                # A ready process first: a spare that is still opening the store would make the
                # client wait for its start while another one could answer at once.
                self._idle.sort(key=lambda p: p.ready)
                while self._idle:
                    process = self._idle.pop()
                    if process.alive():
                        return process
                    self._count -= 1
                    process.stop()
                if self._count < self.size:
                    self._count += 1
                    break
                remaining = deadline - monotonic()
                if remaining <= 0:
                    raise ServiceUnavailable(
                        "Every query process is busy; try again in a moment.", headers={"Retry-After": "2"}
                    )
                self._lock.wait(remaining)
        try:
            return QueryProcess(self.settings)
        except BaseException:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise

    def _release(self, process: QueryProcess) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(process)
                self._lock.notify()
                return
            self._count -= 1
        process.stop()

    def _discard(self, process: QueryProcess, replace: bool) -> None:
        process.stop()
        spare = None
        with self._lock:
            if replace and not self._closed:
                spare = QueryProcess(self.settings)  # starts opening the store while nobody waits
                self._idle.append(spare)
            else:
                self._count -= 1
            self._lock.notify()


_pools: dict[Settings, QueryPool] = {}
_pools_lock = threading.Lock()
_pools_pid = os.getpid()


def pool_for(settings: Settings, size: int) -> QueryPool:
    """The pool of this server process for these settings; pools of an older release are closed."""
    global _pools_pid
    with _pools_lock:
        if _pools_pid != os.getpid():  # forked: the parent's processes are not ours to use
            _pools.clear()
            _pools_pid = os.getpid()
        pool = _pools.get(settings)
        if pool is None:
            for other in [
                s for s in _pools if s.release != settings.release and _same_but_release(s, settings)
            ]:
                _pools.pop(other).close()
            pool = _pools[settings] = QueryPool(settings, size)
            pool.prestart()
        return pool


def close_pools() -> None:
    """Stop every idle query process of this server process (tests and benchmarks call it)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def _same_but_release(a: Settings, b: Settings) -> bool:
    return replace(a, release="", graphs=()) == replace(b, release="", graphs=())


def current_settings() -> Settings:
    """The query-process settings for the current app and the release that is current right now."""
    config = current_app.config
    engine: EngineSettings | None = None
    graphs: tuple[str, ...] = ()
    if is_remote(config):
        store = get_store()  # the release the engine says is current (503 while the engine is down)
        assert isinstance(store, RemoteStore)
        release: Path = store.release.resolve()
        engine, graphs = EngineSettings.from_config(config), store.record.graphs
    else:
        release = current_release(config)
    return _settings(
        release,
        str(config["BASE_IRI"]),
        tuple(str(iri) for iri in config["SERVICE_ALLOWLIST"]),
        int(config["QUERY_ROW_LIMIT"]),
        memory.plan(config).cap_mb,
        bool(config["QUERY_SANDBOX"]),
        engine,
        graphs,
        int(config["QUERY_NICE"]),
        int(config["QUERY_PROCESS_KEEP_MB"]),
    )


@lru_cache(maxsize=32)
def _settings(
    release: Path,
    base: str,
    allowlist: tuple[str, ...],
    row_limit: int,
    memory_mb: int,
    sandbox: bool,
    engine: EngineSettings | None,
    graphs: tuple[str, ...],
    nice: int,
    keep_mb: int,
) -> Settings:
    """Settings made once per release and configuration (checked when first seen), not per request."""
    if engine is None and not (release / "store").is_dir():  # raised, so not remembered
        raise ServiceUnavailable("No build is published yet: run `tradelod build` first.")
    return Settings(
        release=str(release),
        base=base,
        prefix_pairs=tuple(all_prefixes(base).items()),
        allowlist=allowlist,
        row_limit=row_limit,
        memory_mb=memory_mb,
        sandbox=sandbox,
        engine=engine,
        graphs=graphs,
        nice=nice,
        keep_mb=keep_mb,
    )


def run_query(
    job: Job,
    timeout: float | None = None,
    on_running: Callable[[], None] | None = None,
    settings: Settings | None = None,
) -> Outcome:
    """Run a public query for the current app under its limits (``timeout``: a shorter time limit;
    ``on_running``: called when the query starts running; ``settings``: ``current_settings()`` if
    the caller has them already)."""
    config = current_app.config
    pool = pool_for(settings or current_settings(), memory.plan(config).processes)
    limit = float(config["QUERY_TIMEOUT_SECONDS"]) if timeout is None else timeout
    return pool.run(job, limit, float(config["QUERY_START_SECONDS"]), on_running)
