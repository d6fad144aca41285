"""Start `tradelod serve` (real gunicorn) on 127.0.0.1 for a test, wait until it answers, always stop it.

Readiness is polled with a bounded deadline; between two attempts the test waits on the server
process itself (``Popen.wait`` with a short timeout), so a server that dies is reported at once.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LiveServer:
    """A running server: its process, host and port."""

    process: subprocess.Popen[bytes]
    host: str
    port: int

    @property
    def url(self) -> str:
        """The server's base URL, e.g. http://127.0.0.1:34567."""
        return f"http://{self.host}:{self.port}"

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request without following redirects: (status, headers lower-cased, body)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(
    build_dir: Path,
    workers: int = 2,
    deadline_seconds: float = 60.0,
    settings: Mapping[str, Any] | None = None,
    log: IO[bytes] | None = None,
) -> Iterator[LiveServer]:
    """Run ``tradelod serve`` on a free port over ``build_dir`` until the block ends.

    ``settings`` become ``TRADELOD_*`` variables (``{"FRONT": "none"}``); ``log`` receives its stderr.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tradelod",
        "serve",
        "--root",
        str(ROOT),
        "--out",
        str(build_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")}
    for key, value in (settings or {}).items():
        env[f"TRADELOD_{key}"] = value if isinstance(value, str) else json.dumps(value)
    # The log goes to a file, not a pipe: a pipe nobody reads would block gunicorn once full.
    with tempfile.TemporaryFile() as own_log:
        sink = log if log is not None else own_log
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sink)
        server = LiveServer(process, "127.0.0.1", port)
        try:
            _wait_until_ready(server, deadline_seconds, sink)
            yield server
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> int:
    """Stop gunicorn gracefully (SIGTERM), then for good if it does not leave in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return int(process.returncode)


def _wait_until_ready(server: LiveServer, deadline_seconds: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = server.request("GET", "/favicon.ico")
            if status == 200:
                return
        except OSError:
            pass
        try:
            server.process.wait(timeout=0.1)  # returns only if the server died
        except subprocess.TimeoutExpired:
            continue
        log.seek(0)
        errors = log.read().decode("utf-8", "replace")
        raise RuntimeError(f"tradelod serve exited with {server.process.returncode}:\n{errors}")
    raise TimeoutError(f"tradelod serve did not answer on {server.url} within {deadline_seconds} s")
