"""The machine-wide lock for timing-sensitive runs, and a check that nginx is there when a test needs it.

Several people measure on one 2-core machine: a test whose figures matter holds
``/tmp/tradelod-timing.lock`` (the lock ``flock`` takes on the command line) while it runs, so that two
measurements never disturb each other.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

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
