"""The inside of a query process: open the store once, then run public queries one at a time.

This module runs as its own program (``python -m tradelod.sparql.query_process FD LIFELINE_FD``), started
by ``query_runner`` with two socket file descriptors and nothing else of the server: no memory,
threads or sockets are inherited, and no ``__main__`` module of the server is re-imported (as
``multiprocessing``'s 'spawn' would do). The server can kill the process
at any moment — that is how the wall-clock limit holds even while Oxigraph is busy inside a single
cartesian product — so nothing here needs to be interruptible. Before anything else the process
confines itself (``sandbox``): no Internet sockets unless SERVICE endpoints are allow-listed, and
a memory cap.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import sys
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradelod.http.errors import ServiceUnavailable
from tradelod.store.embedded import has_union_graph

from .query_check import QUICK, Checked, Refused, TooDeep, Unparsed, check_query, load_parser, quick_check
from .results import Written, choose_format, formats_for, write_boolean, write_graph, write_solutions
from .sandbox import deny_network, limit_memory

#: Stack and recursion depth for the query thread: rdflib's parser recurses once per triple
#: pattern, so a long (but legitimate) query needs far more than Python's defaults.
_STACK_BYTES = 64 * 1024 * 1024
_RECURSION_LIMIT = 100_000

#: What Oxigraph raises when a well-formed query cannot be evaluated (I/O, a refused socket …).
_EVALUATION_ERRORS = (OSError, ValueError, TypeError, RuntimeError)


@dataclass(frozen=True)
class Settings:
    """Everything a query process needs, fixed for its lifetime (a process serves one release)."""

    release: str
    base: str
    prefix_pairs: tuple[tuple[str, str], ...]
    allowlist: tuple[str, ...]
    row_limit: int
    memory_mb: int
    sandbox: bool
    #: An external engine (``store.engine.EngineSettings``) and the release's graphs on it; None for
    #: the embedded store. Credentials travel through the pipe, never through argv or the log.
    engine: Any = None
    graphs: tuple[str, ...] = ()
    nice: int = 0  # scheduling niceness above the server's (0: the same)
    keep_mb: int = 0  # replace the process when it holds more than this after a job (0: never)

    @property
    def prefixes(self) -> dict[str, str]:
        """The predeclared prefixes as a mapping."""
        return dict(self.prefix_pairs)


@dataclass(frozen=True)
class Job:
    """One public query and how the client wants its answer."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri (None: not given)
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri (None: not given)


@dataclass(frozen=True)
class Outcome:
    """What a query process answers: ``kind`` is ok, refused, syntax, not-acceptable or failed."""

    kind: str
    message: str = ""
    written: Written | None = None
    form: str = ""
    offered: tuple[str, ...] = ()
    #: The process's resident memory after the job (MiB), for the pool to replace a process that
    #: kept too much (``Settings.keep_mb``).
    resident_mb: int = 0


def main(argv: list[str]) -> int:
    """Entry point of a query process: read settings, confine, open the store, answer jobs."""
    conn, lifeline = Connection(int(argv[0])), Connection(int(argv[1]))
    settings: Settings = conn.recv()
    # A query process for an external engine must reach it over the network: no socket filter there
    # (the SERVICE check still runs before any query leaves, and the engine has its own limits).
    sandboxed = settings.sandbox and not settings.allowlist and settings.engine is None and deny_network()
    limit_memory(settings.memory_mb)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True).start()
    sys.setrecursionlimit(_RECURSION_LIMIT)
    threading.stack_size(_STACK_BYTES)
    worker = threading.Thread(target=_serve, args=(conn, settings, sandboxed))
    worker.start()
    worker.join()
    return 0


def _exit_with_parent(lifeline: Connection) -> None:
    """Block on the lifeline: when the server process dies, its end closes and this one exits."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(0)


def _serve(conn: Connection, settings: Settings, sandboxed: bool) -> None:
    try:
        store: Any = (
            ox.Store.read_only(str(Path(settings.release) / "store")) if settings.engine is None else None
        )
        if settings.engine is not None:
            # Imported only here: a query process of the embedded store stays as small as it was
            # (its address space is capped by QUERY_MEMORY_MB).
            from tradelod.store.engine import EngineClient
            from tradelod.store.remote import EngineQueries

            store = EngineQueries(EngineClient(settings.engine), settings.graphs)
        document = json.loads((Path(settings.release) / "context.jsonld").read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError) as error:
        print(f"query process: cannot open the release at {settings.release}: {error}", file=sys.stderr)
        conn.send(("failed", "the data store of the published release cannot be opened"))
        return
    context = document.get("@context", {})
    gc.freeze()  # what is loaded now lives as long as the process: keep it out of every collection
    heap = Heap()
    conn.send(("ready", sandboxed))
    # rdflib's parser is only needed by queries that might call SERVICE or name a dataset: import it
    # while the first queries are already being answered (a query that needs it waits for the import).
    threading.Thread(target=_preload, daemon=True).start()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = run(job, store, settings, context, sandboxed)
        except MemoryError:
            outcome = Outcome("failed", "The query needs more memory than this endpoint allows.")
        # pyparsing's exceptions leave reference cycles through the frames of this job; collect them
        # here, on the thread that made them: pyoxigraph's result iterators must be freed where
        # they were created (freed on another thread, they abort with "unsendable" errors).
        gc.collect()
        conn.send(replace(outcome, resident_mb=heap.after_job()))


class Heap:
    """Gives the heap back to the system after a job that grew it (glibc keeps freed memory).

    A scan of the whole store (``SELECT DISTINCT ?s ?p ?o`` at a million triples) takes a query
    process from about 110 to 280 MiB in many small allocations, which glibc keeps once freed;
    ``malloc_trim`` returns what is free (measured: 280 → 151 MiB). It costs about 20 ms on such a
    heap, so it runs only when the process grew by ``TRIM_GROWTH_MB`` since the last time.
    """

    TRIM_GROWTH_MB = 32

    def __init__(self) -> None:
        self._trim = _malloc_trim()
        self.reference = resident_mb()

    def after_job(self) -> int:
        """Trim if the process grew enough since the last trim; its resident MiB now."""
        now = resident_mb()
        if self._trim is not None and now - self.reference > self.TRIM_GROWTH_MB:
            self._trim(0)
            now = resident_mb()
            self.reference = now
        return now


def resident_mb() -> int:
    """This process's resident memory in MiB (0 where /proc is not there)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None (another C library)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def _preload() -> None:
    load_parser()
    gc.freeze()


def run(job: Job, store: ox.Store, settings: Settings, context: dict[str, Any], sandboxed: bool) -> Outcome:
    """Check, run and write one public query."""
    # The embedded store tells the form by its answer. An external engine is asked for results or a
    # graph by the form: a text that needs no full check is first read by Oxigraph's parser, on an
    # empty store of its own (its answer there says the form; an update or a syntax error is left
    # to the full check, which refuses or reports it as before). rdflib's parse of a new text took
    # 10–40 ms of every query on an engine.
    quick = quick_check(job.query)
    if quick is not None and settings.engine is not None:
        form = _form_by_oxigraph(job.query, settings)
        quick = Checked(form=form, has_dataset=False, services=()) if form else None
    if quick is not None:
        outcome = _run_checked(job, store, settings, context, quick)
        if outcome.kind != "syntax":
            return outcome
        # The engine could not read it: the full check says whether it is an update (403), a query
        # nested too deeply, or which syntax error to report, exactly as if it had run first.
    return _run_checked(job, store, settings, context, _full_check(job, settings, sandboxed))


def _full_check(job: Job, settings: Settings, sandboxed: bool) -> Checked | Outcome:
    """rdflib's parse of the query: what it asks for, or the refusal to send back."""
    try:
        return check_query(job.query, settings.prefixes, settings.allowlist)
    except Refused as refusal:
        return Outcome("refused", str(refusal))
    except TooDeep as too_deep:
        return Outcome("syntax", too_deep.message)
    except Unparsed as unparsed:
        if not sandboxed:
            # Without the socket filter, a query rdflib cannot read is a query whose SERVICE calls
            # nobody has seen: it does not reach the engine. Oxigraph's own parser, confined,
            # gives the message the embedded store would (same text on every backend).
            message = oxigraph_syntax_error(job.query, settings) if settings.engine is not None else None
            return Outcome("syntax", f"Syntax error: {message or unparsed.message}")
        return QUICK  # Oxigraph decides below; it cannot reach the network


def _run_checked(
    job: Job, store: ox.Store, settings: Settings, context: dict[str, Any], checked: Checked | Outcome
) -> Outcome:
    """Run a query the check let through (or send back the check's refusal)."""
    if isinstance(checked, Outcome):
        return checked
    form, has_dataset, dataset = checked.form, checked.has_dataset, checked.dataset
    options: dict[str, Any] = {"prefixes": settings.prefixes, "base_iri": settings.base}
    if job.default_graphs is not None or job.named_graphs is not None:
        try:
            options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs or ()]
        except ValueError as error:
            return Outcome("syntax", f"Invalid graph IRI in default-graph-uri or named-graph-uri: {error}")
    elif not has_dataset and (settings.engine is not None or not has_union_graph(store)):
        # An engine maps this to the union graph `tradelod load` wrote. The embedded store's default
        # graph is that union (each triple once), except in a release built before the build wrote it.
        options["use_default_graph_as_union"] = True
    elif settings.engine is not None:
        # The engine must not read the query's FROM itself (it could name graphs that are not the
        # release's): the same graphs go as the protocol's dataset, mapped to the release's.
        options["default_graph"] = [ox.NamedNode(iri) for kind, iri in dataset if kind == "default"]
        options["named_graphs"] = [ox.NamedNode(iri) for kind, iri in dataset if kind == "named"]
    return _evaluate(job, store, options, form, settings, context)


def _evaluate(
    job: Job, store: ox.Store, options: dict[str, Any], form: str, settings: Settings, context: dict[str, Any]
) -> Outcome:
    """Run the query on the store and write its results (a frame of its own: see ``_serve``)."""
    limit = settings.row_limit
    try:
        if settings.engine is not None:
            options["form"] = form  # the engine is asked for results or a graph accordingly
            results, bounded = store.query(job.query, **options), False
        else:
            results, bounded = _query(store, job.query, options, limit)
    except SyntaxError as error:
        return Outcome("syntax", f"Syntax error: {error}")
    except ServiceUnavailable as error:  # the engine is down or too slow (store.engine.EngineUnavailable)
        return Outcome("unavailable", error.detail, form=form)
    except _EVALUATION_ERRORS as error:  # ASK is evaluated inside query()
        return Outcome("failed", f"The query could not be evaluated: {error}", form=form)
    form = form or _form_of(results)
    fmt = choose_format(form, job.accept, job.format)
    if fmt is None:
        return Outcome("not-acceptable", form=form, offered=tuple(f.media_type for f in formats_for(form)))
    try:
        if isinstance(results, ox.QuerySolutions):
            written = write_solutions(results, fmt, limit, bounded)
        elif isinstance(results, ox.QueryBoolean):
            written = write_boolean(results, fmt)
        else:
            written = write_graph(results, fmt, limit, settings.prefixes, context)
    except _EVALUATION_ERRORS as error:
        return Outcome("failed", f"The query could not be evaluated: {error}", form=form)
    finally:
        del results
    return Outcome("ok", written=written, form=form)


def _query(store: ox.Store, text: str, options: dict[str, Any], limit: int) -> tuple[Any, bool]:
    """Run a query, with ``LIMIT limit + 1`` added when its text takes one: (results, bounded).

    A SELECT bounded that way is written by the engine in one go (``native_writers``); the added
    LIMIT cannot change its first rows. A text that refuses it (a LIMIT or VALUES of its own at the
    end, or a syntax error) runs as written. CONSTRUCT and DESCRIBE run as written too: their LIMIT
    counts solutions, not triples.
    """
    try:
        results = store.query(f"{text}\nLIMIT {limit + 1}", **options)
    except SyntaxError:
        return store.query(text, **options), False
    if isinstance(results, ox.QueryTriples):
        del results
        return store.query(text, **options), False
    return results, True


def oxigraph_syntax_error(query: str, settings: Settings) -> str | None:
    """Oxigraph's syntax error for a query, read in a thread that cannot open Internet sockets.

    The query is given to an empty in-memory store, so nothing is read; the thread drops network
    access first (a seccomp filter is per thread), so a SERVICE it might evaluate goes nowhere.
    """
    found: list[str] = []

    def parse() -> None:
        if not deny_network():
            return  # no filter on this system: do not let Oxigraph near the query
        try:
            results = ox.Store().query(query, prefixes=settings.prefixes, base_iri=settings.base)
            del results
        except SyntaxError as error:
            found.append(str(error))
        except _EVALUATION_ERRORS:
            pass

    thread = threading.Thread(target=parse, daemon=True)
    thread.start()
    thread.join(5.0)
    return found[0] if found else None


@lru_cache(maxsize=1)
def _empty_store() -> ox.Store:
    """An empty in-memory store: Oxigraph's parser and the form of a query's answer, without data."""
    return ox.Store()


def _form_by_oxigraph(text: str, settings: Settings) -> str | None:
    """The form of a query that Oxigraph reads (``describe`` told from ``construct`` by its keyword);
    None when Oxigraph cannot read it as a query."""
    from tradelod.store.remote import query_keyword  # only query processes of an engine need it

    try:
        results = _empty_store().query(text, prefixes=settings.prefixes, base_iri=settings.base)
    except (SyntaxError, *_EVALUATION_ERRORS):
        return None
    form = _form_of(results)
    del results
    if form == "construct" and query_keyword(text) == "DESCRIBE":
        return "describe"
    return form


def _form_of(results: object) -> str:
    if isinstance(results, ox.QuerySolutions):
        return "select"
    if isinstance(results, ox.QueryBoolean):
        return "ask"
    return "construct"


if __name__ == "__main__":
    # Run the copy of this module imported under its own name, so that what is pickled back to the
    # server is ``tradelod.sparql.query_process.Outcome``, not ``__main__.Outcome``.
    from tradelod.sparql import query_process

    sys.exit(query_process.main(sys.argv[1:]))
