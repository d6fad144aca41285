"""Hostile clients for the load and attack tests: slow-header sockets ("slowloris") and slow bodies.

Every attack is bounded (a count of sockets, a duration) and aims only at loopback. The attacker binds
its sockets to another loopback address than the normal client (``127.0.0.2`` by default; all of
``127.0.0.0/8`` is loopback on Linux), so that a per-address connection cap can tell them apart as it
would tell two hosts apart on the Internet.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from time import monotonic

#: The request line and headers the slow clients send, one byte at a time, never finishing.
SLOW_REQUEST = (
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nAccept: text/html\r\nX-Padding: "
    + (b"a" * 4000)
)


@dataclass
class SlowAttack:
    """What a slow-client attack did: sockets opened, refused, and closed by the server meanwhile."""

    wanted: int
    opened: int = 0
    refused: int = 0
    closed_by_server: int = 0
    bytes_sent: int = 0
    sockets: list[socket.socket] = field(default_factory=list)

    @property
    def still_open(self) -> int:
        """Sockets the attacker still holds."""
        return len(self.sockets)


@contextlib.contextmanager
def slow_clients(
    host: str,
    port: int,
    count: int,
    *,
    source: str = "127.0.0.2",
    interval: float = 1.0,
    payload: bytes = SLOW_REQUEST,
    reconnect: bool = True,
) -> Iterator[SlowAttack]:
    """Hold ``count`` connections from ``source``, sending ``payload`` one byte per ``interval`` on each.

    One thread drips the bytes; a socket the server closes is replaced by a new one (``reconnect``),
    so that ``count`` stay open for as long as the block lasts (at most 50 × ``count`` connections).
    """
    attack = SlowAttack(count)
    offsets: dict[socket.socket, int] = {}

    def connect() -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(2.0)
        try:
            sock.bind((source, 0))
            sock.connect((host, port))
        except OSError:
            attack.refused += 1
            sock.close()
            return
        sock.setblocking(False)
        attack.opened += 1
        attack.sockets.append(sock)
        offsets[sock] = 0

    for _ in range(count):
        connect()
    stop = threading.Event()

    def drip() -> None:
        while not stop.is_set():
            for sock in list(attack.sockets):
                offset = offsets[sock]
                try:
                    if _closed(sock):
                        raise ConnectionResetError
                    attack.bytes_sent += sock.send(payload[offset % len(payload) : offset % len(payload) + 1])
                    offsets[sock] = offset + 1
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    attack.closed_by_server += 1
                    attack.sockets.remove(sock)
                    sock.close()
            while (
                reconnect and len(attack.sockets) < count and attack.opened < 50 * count and not stop.is_set()
            ):
                connect()
            stop.wait(interval)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        yield attack
    finally:
        stop.set()
        dripper.join(timeout=10)
        for sock in attack.sockets:
            sock.close()


def _closed(sock: socket.socket) -> bool:
    """Whether the peer closed the connection (a zero-byte read), without blocking."""
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (BlockingIOError, InterruptedError):
        return False


def timed_get(
    host: str,
    port: int,
    path: str,
    timeout: float = 10.0,
    source: str | None = None,
    accept: str = "text/html",
) -> tuple[int, float]:
    """One GET on a fresh connection (from ``source``, default 127.0.0.1): (status or 0, seconds taken)."""
    import http.client

    started = monotonic()
    connection = http.client.HTTPConnection(
        host, port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        response.read()
        return response.status, monotonic() - started
    except OSError:
        return 0, monotonic() - started
    finally:
        connection.close()
