"""A circuit breaker for one engine: while it is down or stuck, answer 503 at once instead of waiting.

An engine that stops answering (a stuck process, a full disk, a network partition) would otherwise
hold every request of the front end for the whole read timeout, and the threads of a front end are
few: pages and dereferencing would queue behind the dead engine. After a timeout or a broken
connection the breaker opens for ``pause`` seconds, during which every request fails at once with
503 and the time left as Retry-After; then exactly one request (the probe) goes to the engine while
the others still fail fast. A probe that succeeds closes the breaker: the front recovers by itself,
with no restart. Engine errors about the query itself (4xx) do not open it.
"""

from __future__ import annotations

import math
import threading
from time import monotonic


class BreakerOpen(Exception):
    """The engine failed recently; ``retry_after`` is how many seconds until it is tried again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class Breaker:
    """Open after a failure for ``pause`` seconds, then half-open (one probe), closed on success."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._until = 0.0
        self._probing = False
        self._lock = threading.Lock()

    def admit(self) -> None:
        """Let a request through, or raise BreakerOpen when the engine is paused or being probed."""
        if self.pause <= 0:
            return
        with self._lock:
            if self._until == 0.0:
                return
            left = self._until - monotonic()
            if left > 0 or self._probing:
                raise BreakerOpen(max(1, math.ceil(left)))
            self._probing = True

    def succeeded(self) -> None:
        """The engine answered: close."""
        with self._lock:
            self._until = 0.0
            self._probing = False

    def failed(self) -> None:
        """The engine timed out or could not be reached: open for ``pause`` seconds."""
        with self._lock:
            self._until = monotonic() + self.pause
            self._probing = False
