"""The one place where tradelod's settings are defined, documented and typed.

Every setting has a default here; the Flask app overrides them from ``TRADELOD_*`` environment
variables (``app.config.from_prefixed_env("TRADELOD")``) and then from the test mapping, and the
CLI reads the same defaults. Nothing else reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: The canonical base of every IRI the dataset mints. Source files use IRIs relative to it.
CANONICAL_BASE = "https://w3id.org/tradelod/"

DEFAULTS: dict[str, Any] = {
    # Canonical base IRI of the dataset (source files are resolved against it at build time).
    "BASE_IRI": CANONICAL_BASE,
    # Project directory holding ontology/, data/, shapes/.
    "ROOT": ".",
    # Build directory (store, dumps, docs); relative paths are taken under ROOT.
    "BUILD_DIR": "build",
    # Additional sources `tradelod build` publishes beside data/ (JSON list of files or folders of
    # .ttl/.nt/.nq/.trig; relative paths are taken under ROOT), each file in a named graph of its own,
    # validated with the project's shapes; `--source PATH` on the command line adds to them.
    "SOURCES": [],
    # SPARQL endpoint limits.
    "QUERY_TIMEOUT_SECONDS": 10.0,
    "QUERY_ROW_LIMIT": 10_000,
    "QUERY_MAX_BYTES": 100_000,
    # Deepest nesting of groups and brackets a query may have (deeper: 400 at once, before any parsing;
    # the parser's time grows with the depth).
    "QUERY_MAX_NESTING": 100,
    # SERVICE endpoints the public endpoint may call (empty: SERVICE is refused).
    "SERVICE_ALLOWLIST": [],
    # gunicorn workers for `tradelod serve`.
    "WORKERS": 2,
    # SPARQL endpoint: query processes per server worker (each holds the store open read-only and
    # runs one public query at a time, so that a runaway query can be killed at the time limit).
    "QUERY_PROCESSES": 2,
    # SPARQL endpoint: seconds a query process may take to start and open the store.
    "QUERY_START_SECONDS": 30.0,
    # SPARQL endpoint: address-space cap of one query process in MiB, so that one query cannot take
    # the machine's memory (a query over it ends with 503 "Query Memory Limit", for its client only).
    # 0: the total below shared out over WORKERS x QUERY_PROCESSES, at most 4096. An idle query process
    # already maps about 0.6-0.9 GiB, so a cap under 1024 leaves queries little room (sparql/memory.py).
    "QUERY_MEMORY_MB": 0,
    # SPARQL endpoint: what the caps of all query processes may add up to, in MiB; explicit caps are
    # lowered (and processes per worker reduced) to fit. 0: a quarter of the machine's memory.
    "QUERY_MEMORY_TOTAL_MB": 0,
    # SPARQL endpoint: niceness of query processes (0-19): the higher, the more the server's own threads
    # (pages, dereferencing) come first on a busy CPU.
    "QUERY_NICE": 10,
    # SPARQL endpoint: MiB of answers each server worker remembers for the current release, so that a
    # repeated query costs no query (sparql/answer_cache.py; 0: off). An answer over an eighth of it
    # is not remembered.
    "QUERY_CACHE_MB": 16,
    # SPARQL endpoint: a query process whose resident memory is over this many MiB after a job (once
    # its freed heap has been given back) is replaced by a fresh one (about 45 MiB), so that one scan
    # of the whole store does not keep its memory for the life of the server (0: never replaced).
    "QUERY_PROCESS_KEEP_MB": 128,
    # SPARQL endpoint, fairness (sparql/admission.py): seconds of query time each client may use per
    # minute (0: no budget); over it, 429 with Retry-After.
    "QUERY_BUDGET_SECONDS": 30.0,
    # Queries allowed to wait for a query process per worker, and how long each may wait (then 503);
    # lowered so that running + waiting queries leave two of the worker's THREADS to pages.
    "QUERY_QUEUE": 4,
    "QUERY_QUEUE_SECONDS": 10.0,
    # Queries one client may have running or waiting at once per worker (more: 429).
    "QUERY_CLIENT_CONCURRENCY": 2,
    # A client none of whose queries ran this long in the last minute is "light": it may use the query
    # process kept out of heavy clients' reach, under this time limit (a query that needs longer is
    # stopped there and queued again with the heavy ones; its client is then heavy for a minute).
    # 0: no lanes (every client may use every query process).
    "QUERY_LIGHT_SECONDS": 2.0,
    # The query-time counters shared by the workers (a SQLite file; `tradelod serve` puts it in its run
    # folder). Empty: a private file per process.
    "ADMISSION_STATE": "",
    # SPARQL endpoint: forbid Internet sockets inside query processes (Linux seccomp) whenever
    # SERVICE_ALLOWLIST is empty, as a second line behind the SERVICE check.
    "QUERY_SANDBOX": True,
    # `tradelod serve`: threads per gunicorn worker (gthread worker class when above 1), so that a
    # slow request (a SPARQL query up to its time limit) does not hold up the pages behind it.
    # SPARQL requests (running or queued) never hold more than THREADS - 2 of them (sparql/admission.py),
    # so pages and dereferencing always find a thread.
    "THREADS": 8,
    # `tradelod serve`: seconds gunicorn lets a worker stay silent before it restarts it; above the
    # SPARQL time limit, so that only a truly stuck worker is replaced.
    "WORKER_TIMEOUT_SECONDS": 60,
    # Where the data is queried: "embedded" (the release's own Oxigraph store) or the URL of any SPARQL
    # 1.1 query endpoint into which `tradelod load` published the release (Oxigraph server, Virtuoso,
    # Fuseki, GraphDB, QLever …). The release's files (dumps, article texts) are still read from
    # BUILD_DIR/releases/{id} for the release the engine says is current.
    "STORE": "embedded",
    # The engine's SPARQL Update endpoint, for `tradelod load` (empty: the STORE URL itself).
    "STORE_UPDATE": "",
    # The engine's Graph Store Protocol endpoint, for `tradelod load` (empty: load with INSERT DATA).
    "STORE_GSP": "",
    # Credentials for the engine (set them in the environment: TRADELOD_STORE_USER and
    # TRADELOD_STORE_PASSWORD; they are never logged), and how they are sent: "digest" or "basic".
    "STORE_USER": "",
    "STORE_PASSWORD": "",
    "STORE_AUTH": "digest",
    # Seconds to wait for a connection to the engine before answering 503 (Retry-After).
    "STORE_CONNECT_SECONDS": 3.0,
    # Seconds a front end stops asking an engine that timed out or could not be reached, answering 503
    # (Retry-After) at once meanwhile; then one request tries again while the others still get 503.
    "STORE_PAUSE_SECONDS": 5.0,
    # `tradelod load`: triples per Graph Store Protocol request (or INSERT DATA); progress is printed
    # between requests.
    "LOAD_CHUNK_TRIPLES": 50_000,
    # Cache-Control max-age (seconds) by kind of resource, for HTTP caches in front of the front ends:
    # a new release is seen through a cache at most this long after `tradelod load` or `build`.
    "CACHE_SECONDS": {"data": 60, "page": 60, "sparql": 60, "fragment": 60, "dump": 300, "static": 3600},
    # `tradelod serve`: what stands in front of gunicorn. "auto": nginx when it is installed, else
    # gunicorn alone; "nginx": nginx or refuse to start; "none": gunicorn alone (not hardened against
    # slow clients).
    "FRONT": "auto",
    # The nginx executable (empty: the one on PATH, or in /usr/sbin).
    "NGINX": "",
    # nginx in front: seconds a client may take to send its request headers, and between two reads of
    # its body; seconds between two writes of an answer to a client that reads slowly.
    "CLIENT_HEADER_TIMEOUT_SECONDS": 10,
    "CLIENT_BODY_TIMEOUT_SECONDS": 10,
    "CLIENT_SEND_TIMEOUT_SECONDS": 30,
    # nginx in front: whole seconds it keeps a successful GET of a document, page or fragment (the same
    # request within that time is answered from its cache, without reaching gunicorn; 0: no cache),
    # and the cache's size on disk in MB. A new release is seen at most that long after it is published.
    # SPARQL answers and dumps are never kept.
    "FRONT_CACHE_SECONDS": 1,
    "FRONT_CACHE_MB": 256,
    # nginx in front: requests in progress at once per client address (more get 429 + Retry-After).
    "CONNECTIONS_PER_ADDRESS": 32,
    # Proxies whose X-Forwarded-For is believed (JSON list of addresses or networks, e.g.
    # ["10.0.0.0/8"]); the client is the nearest address in the chain that is not one of them. Nobody
    # else's X-Forwarded-For is ever read. (nginx started by `tradelod serve` is trusted by itself.)
    "TRUSTED_PROXIES": [],
    # Set by `tradelod serve` when its own nginx is the only peer of gunicorn's Unix socket.
    "BEHIND_FRONT": False,
    # `tradelod serve`: the instance's run folder (sockets, nginx configuration, admission state);
    # empty: a fresh private folder under the system's temporary folder, removed at exit.
    "RUN_DIR": "",
    # `tradelod serve`: folder of rotating log files (empty: log to stderr), their size and how many
    # old files are kept.
    "LOG_DIR": "",
    "LOG_MAX_BYTES": 10_000_000,
    "LOG_BACKUPS": 5,
}

#: Settings whose environment values are not JSON but plain strings.
_STRING_SETTINGS = {
    "BASE_IRI",
    "ROOT",
    "BUILD_DIR",
    "STORE",
    "STORE_UPDATE",
    "STORE_GSP",
    "STORE_USER",
    "STORE_PASSWORD",
    "STORE_AUTH",
    "FRONT",
    "NGINX",
    "RUN_DIR",
    "LOG_DIR",
    "ADMISSION_STATE",
}


def env_overrides(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Read ``TRADELOD_*`` variables into settings, for code paths that run outside Flask (the CLI)."""
    import json

    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for key in DEFAULTS:
        raw = environ.get(f"TRADELOD_{key}")
        if raw is None:
            continue
        found[key] = raw if key in _STRING_SETTINGS else json.loads(raw)
    return found


def is_remote(config: Any) -> bool:
    """Whether the configured store is an external SPARQL engine rather than the embedded one."""
    return str(config.get("STORE") or "embedded") != "embedded"


def build_dir(root: Path, build: str | Path) -> Path:
    """Resolve the build directory: absolute as given, else under the project root."""
    path = Path(build)
    return path if path.is_absolute() else root / path
