"""Who the client is: X-Forwarded-For believed from trusted proxies only, walked from the right."""

from __future__ import annotations

import pytest
from flask import Flask

from tradelod.http.clients import client_address, parse_networks

TRUSTED = parse_networks(["10.0.0.0/8", "192.0.2.7"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "unix", "expected"),
    [
        ("203.0.113.5", None, False, ("203.0.113.5", False)),
        ("203.0.113.5", "198.51.100.1", False, ("203.0.113.5", False)),  # an untrusted peer's claim
        ("10.1.2.3", "198.51.100.1", False, ("198.51.100.1", True)),
        ("10.1.2.3", "1.1.1.1, 198.51.100.1", False, ("198.51.100.1", True)),  # rightmost untrusted
        ("10.1.2.3", "198.51.100.1, 192.0.2.7", False, ("198.51.100.1", True)),  # two trusted hops
        ("10.1.2.3", "10.9.9.9, 10.8.8.8", False, ("10.9.9.9", True)),  # all trusted: the farthest
        ("10.1.2.3", "not-an-address", False, ("10.1.2.3", False)),
        ("10.1.2.3", "", False, ("10.1.2.3", False)),
        ("", "198.51.100.1", True, ("198.51.100.1", True)),  # our own nginx on the Unix socket
        ("", "198.51.100.1", False, ("", False)),
        ("10.1.2.3", "[2001:db8::1]", False, ("2001:db8::1", True)),
    ],
)
def test_client_address(peer: str, forwarded: str | None, unix: bool, expected: tuple[str, bool]) -> None:
    assert client_address(peer, forwarded, TRUSTED, unix) == expected


def test_app_sees_the_client_behind_a_trusted_proxy_only() -> None:
    from tradelod.app import create_app

    app: Flask = create_app({"TESTING": True, "TRUSTED_PROXIES": ["127.0.0.1"]})

    @app.route("/whoami")
    def whoami() -> str:
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    client = app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    assert client.get("/whoami", headers=headers).text == "198.51.100.1 https"
    other = client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.text == "203.0.113.9 http"


def test_malformed_trusted_proxy_is_refused_at_start() -> None:
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.0/33"])
