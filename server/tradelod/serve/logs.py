"""Where ``tradelod serve`` logs: to stderr (a terminal, a service manager's journal), or to rotating files.

With ``LOG_DIR`` set, gunicorn's error and access logs and nginx's error log are written to
``LOG_DIR/tradelod.log`` and ``LOG_DIR/access.log`` by Python's ``RotatingFileHandler``: a file is
renamed to ``.1`` … ``.N`` once it reaches ``LOG_MAX_BYTES``, and at most ``LOG_BACKUPS`` old files are
kept, so the logs never fill the disk. gunicorn only writes from the master and the workers, each
through the handler (appends of whole lines).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import IO, Any

#: Access log line: the client's address as the app resolved it (X-Forwarded-For from nginx), the
#: request, status, size, time in ms, and the user agent.
ACCESS_FORMAT = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'


def logconfig(settings: dict[str, Any]) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping for gunicorn (and the app's own loggers)."""
    log_dir = str(settings.get("LOG_DIR") or "")
    formatter = {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"}
    if not log_dir:
        handlers: dict[str, Any] = {
            "error": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "bare", "stream": "ext://sys.stderr"},
        }
    else:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        rotation = {
            "class": "logging.handlers.RotatingFileHandler",
            "maxBytes": int(settings["LOG_MAX_BYTES"]),
            "backupCount": int(settings["LOG_BACKUPS"]),
            "encoding": "utf-8",
        }
        handlers = {
            "error": {**rotation, "filename": str(Path(log_dir) / "tradelod.log"), "formatter": "plain"},
            "access": {**rotation, "filename": str(Path(log_dir) / "access.log"), "formatter": "bare"},
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": formatter, "bare": {"format": "%(asctime)s %(message)s"}},
        "handlers": handlers,
        "root": {"level": "INFO", "handlers": ["error"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
            "tradelod.nginx": {"level": "INFO", "handlers": ["error"], "propagate": False},
        },
    }


#: How nginx marks the access-log lines of answers it gave from its cache (``nginx.conf``): gunicorn
#: never saw those requests, so they go to the access log from here.
CACHE_HIT_MARK = "tradelod-cache-hit "


def pump(stream: IO[bytes], logger: logging.Logger) -> threading.Thread:
    """Copy nginx's output, line by line, into ``logger`` (so it rotates with the rest); its lines
    about answers from its cache go to the access log, beside gunicorn's."""
    access = logging.getLogger("gunicorn.access")

    def copy() -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            if line.startswith(CACHE_HIT_MARK):
                access.info("%s", line[len(CACHE_HIT_MARK) :])
            elif line:
                logger.warning("%s", line)
        stream.close()

    thread = threading.Thread(target=copy, name="log-pump", daemon=True)
    thread.start()
    return thread
