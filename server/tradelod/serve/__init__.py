"""``tradelod serve``: nginx in front (when found) and the app on gunicorn behind it, one instance at a time.

- **nginx** (``FRONT``: ``auto`` finds it, ``nginx`` requires it, ``none`` goes without) reads every
  request whole, with header and body read timeouts, caps the requests in progress per client address,
  and hands finished requests to gunicorn over a Unix socket; see ``nginx.conf``. Without it gunicorn
  listens itself, and a few dozen slow clients can hold all of its threads (the README says so).
- **gunicorn** (gthread workers, each building its own app) serves the app; each instance has its own
  run folder (``RUN_DIR``, else a fresh private one under the system's temporary folder) holding its
  Unix socket, its control socket (``gunicornc -s RUN/gunicorn.ctl``), nginx's configuration and
  temporary files, and the query admission state shared by its workers. The folder is removed at exit.
- **logs** go to stderr, or to rotating files under ``LOG_DIR`` (``logs.py``).

It sits on top, beside the command line: it may import ``app`` (in the workers), ``http`` (the security
headers nginx writes into its own error pages) and ``config``; nothing imports it but ``cli``.
"""

from __future__ import annotations

import logging
import logging.config
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask

from tradelod.config import DEFAULTS, env_overrides, is_remote
from tradelod.store.engine import shown

from . import front
from .gunicorn_app import TradelodServer, gunicorn_options
from .logs import ACCESS_FORMAT, logconfig, pump

__all__ = ["gunicorn_options", "serve"]


def serve(
    root: Path,
    out: Path,
    base: str,
    host: str,
    port: int,
    workers: int,
    store: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> int:
    """Serve the current release under ``out`` until stopped; returns the exit status."""
    settings = {**DEFAULTS, **env_overrides(), **(store or {}), **(overrides or {})}
    remote = is_remote(settings)
    # No build at all: say so. A build whose store is damaged or missing is served all the same: every
    # request that needs the store gets 503 with Retry-After at once, until a good build replaces it.
    if not remote and not (out / "current").is_symlink() and not (out / "current").is_dir():
        print(f"no build at {out}: run `tradelod build` first (or `make run`)", file=sys.stderr)
        return 1
    if remote and not (out / "releases").is_dir():
        print(f"no releases under {out}: the front end reads the release's files there", file=sys.stderr)
        return 1
    mode = str(settings["FRONT"]).lower()
    nginx = front.find_nginx(str(settings["NGINX"])) if mode in ("auto", "nginx") else None
    if mode == "nginx" and nginx is None:
        print("FRONT=nginx but nginx is not installed (apt-get install nginx-light)", file=sys.stderr)
        return 1
    run_dir = _run_dir(settings)
    config: dict[str, Any] = {
        "ROOT": str(root),
        "BUILD_DIR": str(out),
        "BASE_IRI": base,
        "RUN_DIR": str(run_dir),
        # The query-time budget is per client across all workers: one counter file for the instance.
        "ADMISSION_STATE": str(run_dir / "admission.sqlite"),
        # The memory caps of the query processes are shared out over this many workers.
        "WORKERS": max(1, workers),
    }
    if store:
        config |= {key: value for key, value in store.items() if value}
    if nginx:
        # The only peer of gunicorn's Unix socket is nginx, which sets X-Forwarded-For itself.
        config["BEHIND_FRONT"] = True

    def factory() -> Flask:
        from tradelod.app import create_app

        return create_app(config)

    logging.config.dictConfig(logconfig(settings))
    options = gunicorn_options(
        f"unix:{run_dir / 'gunicorn.sock'}" if nginx else f"{host}:{port}", workers, settings, run_dir
    )
    options["logconfig_dict"] = logconfig(settings)
    options["access_log_format"] = ACCESS_FORMAT
    options["accesslog"] = "-"
    nginx_process = None
    master = os.getpid()
    try:
        if nginx:
            conf = run_dir / "nginx.conf"
            conf.write_text(front.render(settings, host, port, run_dir), encoding="utf-8")
            front.check(nginx, conf)
            nginx_process = front.start(nginx, conf)
            assert nginx_process.stderr is not None
            pump(nginx_process.stderr, logging.getLogger("tradelod.nginx"))
        else:
            print(
                "tradelod: serving without nginx in front: slow or greedy clients can hold every gunicorn "
                "thread (install nginx, e.g. apt-get install nginx-light, for the hardened set-up)",
                file=sys.stderr,
            )
        source = f"the engine at {shown(str(settings['STORE']))}" if remote else str(out / "current")
        print(
            f"tradelod: serving {source} as {base} on http://{front.listen_address(host, port)}/ "
            f"({workers} workers, {'nginx in front' if nginx else 'gunicorn alone'}, run folder {run_dir})",
            file=sys.stderr,
            flush=True,
        )
        TradelodServer(factory, options).run()
    except front.FrontError as error:
        print(f"tradelod: {error}", file=sys.stderr)
        return 1
    except SystemExit as stop:  # gunicorn's arbiter leaves through sys.exit()
        return int(stop.code or 0) if not isinstance(stop.code, str) else 1
    finally:
        # gunicorn's workers are forked inside run() and leave through here too: only the master
        # stops nginx and removes the run folder.
        if os.getpid() == master:
            if nginx_process is not None:
                front.stop(nginx_process)
            if not settings.get("RUN_DIR"):
                shutil.rmtree(run_dir, ignore_errors=True)
    return 0


def _run_dir(settings: dict[str, Any]) -> Path:
    """The instance's run folder: ``RUN_DIR`` as configured, else a fresh private temporary folder."""
    if settings.get("RUN_DIR"):
        path = Path(settings["RUN_DIR"]).resolve()
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
        return path
    return Path(tempfile.mkdtemp(prefix="tradelod-serve-"))
