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
    # SPARQL endpoint limits.
    "QUERY_TIMEOUT_SECONDS": 10.0,
    "QUERY_ROW_LIMIT": 10_000,
    "QUERY_MAX_BYTES": 100_000,
    # SERVICE endpoints the public endpoint may call (empty: SERVICE is refused).
    "SERVICE_ALLOWLIST": [],
    # gunicorn workers for `tradelod serve`.
    "WORKERS": 2,
    # SPARQL endpoint: query processes per server worker (each holds the store open read-only and
    # runs one public query at a time, so that a runaway query can be killed at the time limit).
    "QUERY_PROCESSES": 2,
    # SPARQL endpoint: seconds a query process may take to start and open the store.
    "QUERY_START_SECONDS": 30.0,
    # SPARQL endpoint: address-space limit of a query process in MiB (0: no limit), so that one
    # query cannot take the machine's memory; a query over it ends with a 503. An idle query process
    # already reserves about 0.9 GiB of address space (store, thread stacks), so keep it >= 1280.
    "QUERY_MEMORY_MB": 4096,
    # SPARQL endpoint: forbid Internet sockets inside query processes (Linux seccomp) whenever
    # SERVICE_ALLOWLIST is empty, as a second line behind the SERVICE check.
    "QUERY_SANDBOX": True,
    # `tradelod serve`: threads per gunicorn worker (gthread worker class when above 1), so that a
    # slow request (a SPARQL query up to its time limit) does not hold up the pages behind it.
    "THREADS": 4,
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
    # Cache-Control max-age (seconds) by kind of resource, for HTTP caches in front of the front ends:
    # a new release is seen through a cache at most this long after `tradelod load` or `build`.
    "CACHE_SECONDS": {"data": 60, "page": 60, "sparql": 60, "fragment": 60, "dump": 300, "static": 3600},
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
