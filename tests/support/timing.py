"""The machine-wide lock for timing-sensitive runs, and nginx for the tests that need it (found, and its `-t` check).

Several people measure on one 2-core machine: a test whose figures matter holds
``/tmp/tradelod-timing.lock`` (the lock ``flock`` takes on the command line) while it runs, so that two
measurements never disturb each other.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tradelod.serve.front import find_nginx

LOCK = "/tmp/tradelod-timing.lock"


@contextmanager
def timing_lock() -> Iterator[None]:
    """Hold the shared timing lock for the duration of the block."""
    with open(LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def require_nginx() -> str:
    """nginx's path; skip the test where it is missing (fail under CI, which installs it)."""
    found = find_nginx()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs it (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light): the front tests need it")
    return found


def nginx_check(text: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Write an nginx configuration into ``folder`` and let the nginx found here test it (``nginx -t``)."""
    nginx = require_nginx()
    (folder / "nginx.conf").write_text(text, encoding="utf-8")
    return subprocess.run(
        [nginx, "-t", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
