"""nginx in front of gunicorn: found, configured for one server instance, started and stopped with it.

``tradelod serve`` puts nginx in front when it finds it (``FRONT=auto``, the default), or insists on it
(``FRONT=nginx``), or serves with gunicorn alone (``FRONT=none``). nginx then listens on the public
address and gunicorn on a Unix socket in the instance's private run folder; nginx's configuration is
the template ``nginx.conf`` beside this module, rendered with the settings.
"""

from __future__ import annotations

import ctypes
import getpass
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from tradelod.http.security import SECURITY_HEADERS

TEMPLATE = Path(__file__).with_name("nginx.conf")

#: Where Debian and most distributions install nginx, besides the PATH (/usr/sbin is not on every PATH).
NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")

_PR_SET_PDEATHSIG = 1


class FrontError(Exception):
    """nginx was asked for but cannot be used (not installed, or its configuration is refused)."""


def find_nginx(configured: str = "") -> str | None:
    """The nginx executable: the configured one (``NGINX``) if it is there, else one on this machine."""
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    return next((place for place in NGINX_PLACES if os.access(place, os.X_OK)), None)


def listen_address(host: str, port: int) -> str:
    """nginx's ``listen`` value for a host and port (IPv6 literals in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def render(settings: dict[str, Any], host: str, port: int, run_dir: Path) -> str:
    """nginx's configuration for one server instance."""
    max_query = int(settings["QUERY_MAX_BYTES"])
    security = "\n".join(
        f'            add_header {name} "{value}" always;' for name, value in SECURITY_HEADERS.items()
    )
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    fields = {
        "USER": user,
        "RUN": str(run_dir),
        "LISTEN": listen_address(host, port),
        "HEADER_TIMEOUT": str(int(settings["CLIENT_HEADER_TIMEOUT_SECONDS"])),
        "BODY_TIMEOUT": str(int(settings["CLIENT_BODY_TIMEOUT_SECONDS"])),
        "SEND_TIMEOUT": str(int(settings["CLIENT_SEND_TIMEOUT_SECONDS"])),
        "PER_ADDRESS": str(int(settings["CONNECTIONS_PER_ADDRESS"])),
        # A form body holds the query URL-encoded (up to three bytes per byte), plus the other fields.
        "MAX_BODY": f"{(3 * max_query + 8192 + 1023) // 1024}k",
        "PROXY_TIMEOUT": str(int(settings["WORKER_TIMEOUT_SECONDS"]) + 10),
        "SECURITY_HEADERS": security,
        # FRONT_CACHE_SECONDS = 0 turns the micro-cache off (every request reaches gunicorn).
        "CACHE_ZONE": "documents" if float(settings["FRONT_CACHE_SECONDS"]) > 0 else "off",
        "CACHE_SECONDS": _seconds(float(settings["FRONT_CACHE_SECONDS"])),
        "CACHE_MB": str(max(1, int(settings["FRONT_CACHE_MB"]))),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace(f"@{name}@", value)
    return text


def _seconds(value: float) -> str:
    """A cache time for nginx, in whole seconds (its cache counts no finer), at least one."""
    return f"{max(1, int(value))}s"


def _die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM when the process that started nginx dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def check(nginx: str, config: Path) -> None:
    """Let nginx test the configuration; raise FrontError with its message if it refuses it."""
    result = subprocess.run(
        [nginx, "-t", "-q", "-c", str(config), "-p", str(config.parent)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0:
        raise FrontError(f"nginx refused its configuration: {result.stderr.strip()}")


def start(nginx: str, config: Path) -> subprocess.Popen[bytes]:
    """Start nginx in the foreground (``daemon off``) with this configuration; its log comes on a pipe."""
    return subprocess.Popen(
        [nginx, "-c", str(config), "-p", str(config.parent)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Started before gunicorn starts any thread, so preexec_fn is safe here.
        preexec_fn=_die_with_parent,
    )


def stop(process: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    """Stop nginx gracefully (SIGQUIT lets it finish the answers in progress), then for good."""
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=seconds)
