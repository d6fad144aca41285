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
    # Store implementation: "oxigraph" (embedded, read-only) or "sparql" (a remote endpoint).
    "STORE": "oxigraph",
    # URL of the remote SPARQL endpoint when STORE == "sparql".
    "SPARQL_REMOTE_URL": "",
    # SPARQL endpoint limits.
    "QUERY_TIMEOUT_SECONDS": 10.0,
    "QUERY_ROW_LIMIT": 10_000,
    "QUERY_MAX_BYTES": 100_000,
    # SERVICE endpoints the public endpoint may call (empty: SERVICE is refused).
    "SERVICE_ALLOWLIST": [],
    # gunicorn workers for `tradelod serve`.
    "WORKERS": 2,
}

#: Settings whose environment values are not JSON but plain strings.
_STRING_SETTINGS = {"BASE_IRI", "ROOT", "BUILD_DIR", "STORE", "SPARQL_REMOTE_URL"}


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


def build_dir(root: Path, build: str | Path) -> Path:
    """Resolve the build directory: absolute as given, else under the project root."""
    path = Path(build)
    return path if path.is_absolute() else root / path
