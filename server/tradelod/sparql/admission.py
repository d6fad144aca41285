"""Who may run a query now: a query-time budget per client, a bounded queue, a lane kept for light clients.

The endpoint's query processes are few and a heavy query holds one for up to the time limit, so without
rules two greedy clients take them all. The rules, in the spirit of the Wikidata Query Service's:

- **Budget.** Each client (its address, ``http.clients``; IPv6 by /64 network) may use
  ``QUERY_BUDGET_SECONDS`` of query time per minute. A client over it gets 429 with ``Retry-After`` saying
  when enough of its past minute has passed. The time is counted in one SQLite file shared by all the
  server's workers (``ADMISSION_STATE``, in the instance's run folder), so the budget is per client, not
  per worker.
- **Bounded queue.** Each worker runs at most ``QUERY_PROCESSES`` queries at once and lets at most
  ``QUERY_QUEUE`` more wait, each at most ``QUERY_QUEUE_SECONDS``; beyond that: 503 with Retry-After. A
  query holds a server thread while it runs or waits, so the queue is also cut to leave two of the
  worker's ``THREADS`` to pages and dereferencing. A client has at most ``QUERY_CLIENT_CONCURRENCY``
  queries running or waiting per worker (more: 429).
- **A lane for light clients.** A client none of whose queries in the last minute ran
  ``QUERY_LIGHT_SECONDS`` or longer is light, however many it sent: it may take any free query process.
  Heavy clients share all but one of them. A light client's query runs under that short limit; if it
  needs more, it is stopped and queued again as a heavy one (and its client is heavy for a minute) — so
  the kept process is never held long, and cheap queries (an ASK, an example query) do not wait behind
  heavy ones.

The threads that serve pages never pass through here: only query runs do.
"""

from __future__ import annotations

import atexit
import ipaddress
import math
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import monotonic, time
from typing import Any

from tradelod.http.errors import ServiceUnavailable, TooManyRequests

#: The budget's window: query time is counted over the last minute.
WINDOW_SECONDS = 60.0


def client_key(address: str) -> str:
    """The budget key of a client address: the address itself, or its /64 network for IPv6."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class Usage:
    """Query time used per client over the last minute, in a SQLite file all workers share.

    Time is summed per client and per second (with the longest single query of that second), so a
    check reads at most 60 rows however many queries the client sent: a flood of cheap queries cannot
    make the check itself slow. Each thread keeps its connection open (sqlite3 connections belong to
    the thread that made them); opening one per call cost more than the lookups it guarded.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._swept = 0.0
        db = self._db()
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS spent (client TEXT NOT NULL, second INTEGER NOT NULL, "
            "seconds REAL NOT NULL, longest REAL NOT NULL, PRIMARY KEY (client, second)) WITHOUT ROWID"
        )

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA synchronous=OFF")  # counters for one server run: no need to survive a crash
            self._local.db = db
        return db

    def recent(self, client: str, now: float) -> list[tuple[float, float, float]]:
        """(second, seconds used, longest query) of the client's seconds in the window, oldest first.

        A query counts in the second it ended in, from that second's start: the budget forgets a query
        at most a second early (in the client's favour), and Retry-After never exceeds the window.
        """
        rows = (
            self._db()
            .execute(
                "SELECT second, seconds, longest FROM spent WHERE client = ? AND second > ? ORDER BY second",
                (client, now - WINDOW_SECONDS),
            )
            .fetchall()
        )
        return [(float(second), float(seconds), float(longest)) for second, seconds, longest in rows]

    def charge(self, client: str, seconds: float, now: float) -> None:
        """Count ``seconds`` of query time for the client (and, once a second, forget what left the window)."""
        db = self._db()
        db.execute(
            "INSERT INTO spent (client, second, seconds, longest) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (client, second) DO UPDATE SET seconds = seconds + excluded.seconds, "
            "longest = max(longest, excluded.longest)",
            (client, math.floor(now), seconds, seconds),
        )
        if now - self._swept >= 1.0:
            self._swept = now
            db.execute("DELETE FROM spent WHERE second <= ?", (now - WINDOW_SECONDS,))


def used(recent: Sequence[Sequence[float]]) -> float:
    """Seconds of query time in the window (``recent``: (when, seconds, …) oldest first)."""
    return sum(entry[1] for entry in recent)


def retry_after(recent: Sequence[Sequence[float]], budget: float, now: float) -> int:
    """Whole seconds until enough of the window has passed for the client to be under budget again."""
    excess = used(recent) - budget
    for at, seconds, *_ in recent:
        excess -= seconds
        if excess < 0:
            return max(1, math.ceil(at + WINDOW_SECONDS - now))
    return 1


@dataclass
class Ticket:
    """One admitted query: its client, whether it runs in the light lane, and its time limit."""

    client: str
    light: bool
    timeout: float


class Gate:
    """The query processes of one worker: at most ``processes`` running, ``queue`` waiting, one kept light."""

    def __init__(self, processes: int, queue: int, per_client: int, lanes: bool = True) -> None:
        self.processes = max(1, processes)
        # All but one for heavy clients when there are two or more (all of them without lanes).
        self.heavy_lanes = max(1, self.processes - 1) if lanes else self.processes
        self.queue = max(0, queue)
        self.per_client = max(1, per_client)
        self.running = 0
        self.running_heavy = 0
        self.waiting = 0
        self.clients: dict[str, int] = {}
        self._lock = threading.Condition()

    def _fits(self, light: bool) -> bool:
        if self.running >= self.processes:
            return False
        return light or self.running_heavy < self.heavy_lanes

    @contextmanager
    def slot(self, client: str, light: bool, wait_seconds: float) -> Iterator[None]:
        """Hold a query process slot for the block; wait in the bounded queue if none is free."""
        with self._lock:
            if self.clients.get(client, 0) >= self.per_client:
                raise TooManyRequests(
                    f"This client already has {self.per_client} queries running or waiting here; "
                    "wait for an answer before sending more.",
                    headers={"Retry-After": "2"},
                )
            if not self._fits(light):
                if self.waiting >= self.queue:
                    raise ServiceUnavailable(
                        "Every query process is busy and the queue is full; try again in a moment.",
                        headers={"Retry-After": "5"},
                    )
                self.waiting += 1
                self.clients[client] = self.clients.get(client, 0) + 1
                try:
                    deadline = monotonic() + wait_seconds
                    while not self._fits(light):
                        remaining = deadline - monotonic()
                        if remaining <= 0:
                            raise ServiceUnavailable(
                                f"Every query process stayed busy for {wait_seconds:g} s; try again in a moment.",
                                headers={"Retry-After": "5"},
                            )
                        self._lock.wait(remaining)
                finally:
                    self.waiting -= 1
                    self.clients[client] -= 1
            self.running += 1
            self.running_heavy += 0 if light else 1
            self.clients[client] = self.clients.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
                self.running_heavy -= 0 if light else 1
                self.clients[client] -= 1
                if not self.clients[client]:
                    del self.clients[client]
                self._lock.notify_all()


class Admission:
    """The budget (shared by the workers) and this worker's gate, for one app."""

    def __init__(self, config: Mapping[str, Any], processes: int) -> None:
        self.budget = float(config["QUERY_BUDGET_SECONDS"])
        self.light_seconds = float(config["QUERY_LIGHT_SECONDS"])
        self.queue_seconds = float(config["QUERY_QUEUE_SECONDS"])
        # A query holds one of the worker's threads while it runs or waits: two threads stay for pages.
        threads = int(config.get("THREADS", 8))
        queue = max(0, min(int(config["QUERY_QUEUE"]), threads - processes - 2))
        self.gate = Gate(
            processes,
            queue,
            int(config["QUERY_CLIENT_CONCURRENCY"]),
            lanes=self.light_seconds > 0,
        )
        self.usage = Usage(str(config.get("ADMISSION_STATE") or _private_state()))

    def check(self, client: str) -> bool:
        """Refuse a client over its budget (429 + Retry-After); otherwise say whether it is light."""
        now = time()
        recent = self.usage.recent(client, now)
        spent = used(recent)
        if self.budget > 0 and spent >= self.budget:
            raise TooManyRequests(
                f"This client used {spent:.0f} s of query time in the last minute; the budget is "
                f"{self.budget:g} s per minute. Try again later.",
                headers={"Retry-After": str(retry_after(recent, self.budget, now))},
            )
        return self.light_seconds > 0 and all(longest < self.light_seconds for _, _, longest in recent)

    def charge(self, client: str, seconds: float) -> None:
        """Count a finished (or stopped) query's time against its client's budget."""
        self.usage.charge(client, seconds, time())


_PRIVATE: dict[int, str] = {}


def _private_state() -> str:
    """A state file of this process alone (an app served without ``tradelod serve``, or a test)."""
    pid = os.getpid()
    if pid not in _PRIVATE:
        handle, path = tempfile.mkstemp(prefix="tradelod-admission-", suffix=".sqlite")
        os.close(handle)
        _PRIVATE[pid] = path
        atexit.register(_remove_state, path)
    return _PRIVATE[pid]


def _remove_state(path: str) -> None:
    for end in ("", "-wal", "-shm"):
        Path(path + end).unlink(missing_ok=True)
