"""``tradelod serve``: the app on gunicorn, a production WSGI server (Flask's own is for development).

gunicorn is driven through its Python API (``BaseApplication``), so the settings come from our one
configuration table rather than from gunicorn's command line, and each worker builds its own app
with ``create_app()`` (no app is created in the master: each worker opens the store itself).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .config import DEFAULTS, env_overrides, is_remote
from .store.engine import shown


class TradelodServer(BaseApplication):  # type: ignore[misc]
    """A gunicorn application whose workers each call ``factory()`` to get the WSGI app."""

    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn's configuration (unknown names are a programming error)."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Build the app (called in each worker, since preload_app is off)."""
        return self.factory()


def gunicorn_options(host: str, port: int, workers: int, settings: dict[str, Any]) -> dict[str, Any]:
    """gunicorn settings for ``tradelod serve``: bind, workers, threads, timeouts, logs to stderr."""
    threads = max(1, int(settings["THREADS"]))
    return {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": int(settings["WORKER_TIMEOUT_SECONDS"]),
        "graceful_timeout": 10,
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "tradelod",
        # A GET /sparql?query=… permalink can be long; gunicorn's default (4094 bytes) would refuse it
        # with its own 400 before the app sees it. 8190 is gunicorn's maximum; longer queries use POST.
        "limit_request_line": 8190,
    }


def serve(
    root: Path, out: Path, base: str, host: str, port: int, workers: int, store: dict[str, str] | None = None
) -> int:
    """Serve the current release under ``out`` with gunicorn until stopped; returns the exit status."""
    settings = {**DEFAULTS, **env_overrides(), **(store or {})}
    remote = is_remote(settings)
    if not remote and not (out / "current" / "store").is_dir():
        print(f"no build at {out}: run `tradelod build` first (or `make run`)", file=sys.stderr)
        return 1
    if remote and not (out / "releases").is_dir():
        print(f"no releases under {out}: the front end reads the release's files there", file=sys.stderr)
        return 1
    config: dict[str, Any] = {"ROOT": str(root), "BUILD_DIR": str(out), "BASE_IRI": base}
    if store:
        config |= {key: value for key, value in store.items() if value}

    def factory() -> Flask:
        from .app import create_app

        return create_app(config)

    source = f"the engine at {shown(str(settings['STORE']))}" if remote else str(out / "current")
    print(
        f"tradelod: serving {source} as {base} on http://{host}:{port}/ ({workers} workers)",
        file=sys.stderr,
        flush=True,
    )
    try:
        TradelodServer(factory, gunicorn_options(host, port, workers, settings)).run()
    except SystemExit as stop:  # gunicorn's arbiter leaves through sys.exit()
        return int(stop.code or 0) if not isinstance(stop.code, str) else 1
    return 0
