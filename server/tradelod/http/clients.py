"""Who the client is: its address, read through the proxies we trust and through nobody else.

``X-Forwarded-For`` is written by whoever sent the request, so it is believed only when the peer that
delivered the request is a configured trusted proxy (``TRUSTED_PROXIES``), or the nginx that
``tradelod serve`` started itself in front of gunicorn's private Unix socket (``BEHIND_FRONT``). The
chain is then walked from the right, skipping trusted hops; the first address that is not one of them
is the client. ``ProxiedClient`` puts that address in ``REMOTE_ADDR`` (and the scheme the trusted proxy
saw in ``wsgi.url_scheme``) before the app sees the request, so logs, limits and budgets all agree.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Trusted proxies as networks (``10.0.0.1`` is ``10.0.0.1/32``); a malformed entry raises ValueError."""
    return tuple(ipaddress.ip_network(str(value).strip(), strict=False) for value in values)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").split("]")[0])
    except ValueError:
        return None


def client_address(
    peer: str, forwarded_for: str | None, trusted: tuple[Network, ...], unix_peer_trusted: bool = False
) -> tuple[str, bool]:
    """The client's address, and whether it came from a trusted proxy's X-Forwarded-For.

    ``peer`` is the address that delivered the request (empty for a Unix socket).
    """

    def is_trusted(text: str) -> bool:
        if text == "":
            return unix_peer_trusted
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    current, forwarded = peer, False
    while is_trusted(current) and hops:
        candidate = hops.pop()
        address = _address(candidate)
        if address is None:
            break  # a trusted proxy wrote something that is not an address: keep the proxy's
        current, forwarded = str(address), True
    return current, forwarded


class ProxiedClient:
    """WSGI middleware: the client's real address in REMOTE_ADDR, behind trusted proxies only."""

    def __init__(self, app: WsgiApp, trusted: tuple[Network, ...], unix_peer_trusted: bool) -> None:
        self.app = app
        self.trusted = trusted
        self.unix_peer_trusted = unix_peer_trusted

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Rewrite REMOTE_ADDR (and the scheme) from a trusted proxy's headers, then call the app."""
        peer = str(environ.get("REMOTE_ADDR") or "")
        address, forwarded = client_address(
            peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted, self.unix_peer_trusted
        )
        environ["REMOTE_ADDR"] = address or "unknown"
        if forwarded:
            scheme = str(environ.get("HTTP_X_FORWARDED_PROTO") or "").strip().lower()
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
        return self.app(environ, start_response)
