"""gunicorn driven through its Python API, so its settings come from tradelod's one configuration table.

Each worker builds its own app with ``create_app()`` (``preload_app`` is off: no app, and so no open
store, exists in the master).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


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


def gunicorn_options(
    bind: str, workers: int, settings: dict[str, Any], run_dir: Path | None = None
) -> dict[str, Any]:
    """gunicorn settings for ``tradelod serve``: bind, workers, threads, timeouts, control socket."""
    threads = max(1, int(settings["THREADS"]))
    options: dict[str, Any] = {
        "bind": bind,
        "workers": max(1, workers),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": int(settings["WORKER_TIMEOUT_SECONDS"]),
        "graceful_timeout": 10,
        "keepalive": 15,
        "preload_app": False,
        "proc_name": "tradelod",
        # A GET /sparql?query=… permalink can be long: a 2,000-deep nested query is 12 KB once
        # URL-encoded, over gunicorn's 8190-byte maximum, and must get the endpoint's own answer, not a
        # 414 from here. 0 means gunicorn's own ceiling of 1 MB; nginx in front caps the line at 64 KB.
        "limit_request_line": 0,
    }
    if run_dir is None:
        options["control_socket_disable"] = True
    else:
        # One control socket per server instance (gunicorn's default, ~/.gunicorn/gunicorn.ctl, is
        # shared by every gunicorn of the user: a second server would take the first one's over).
        options["control_socket"] = str(run_dir / "gunicorn.ctl")
    return options
