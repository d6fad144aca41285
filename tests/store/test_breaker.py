"""The engine's circuit breaker: open after a failure, one probe after the pause, closed on success."""

from __future__ import annotations

import httpx
import pytest

from tradelod.store.breaker import Breaker, BreakerOpen
from tradelod.store.engine import engine_message


def test_a_closed_breaker_lets_everything_through() -> None:
    breaker = Breaker(5.0)
    for _ in range(3):
        breaker.admit()
        breaker.succeeded()


def test_after_a_failure_requests_are_refused_with_the_time_left() -> None:
    breaker = Breaker(5.0)
    breaker.failed()
    with pytest.raises(BreakerOpen) as refused:
        breaker.admit()
    assert refused.value.retry_after == 5


def test_after_the_pause_one_probe_goes_and_the_others_wait_for_it() -> None:
    breaker = Breaker(0.001)
    breaker.failed()
    breaker._until -= 1.0  # the pause is over (moved back rather than waited for)
    breaker.admit()  # the probe
    with pytest.raises(BreakerOpen) as refused:
        breaker.admit()
    assert refused.value.retry_after == 1
    breaker.succeeded()
    breaker.admit()
    breaker.admit()


def test_a_failed_probe_opens_it_again() -> None:
    breaker = Breaker(5.0)
    breaker.failed()
    breaker._until -= 10.0
    breaker.admit()
    breaker.failed()
    with pytest.raises(BreakerOpen):
        breaker.admit()


def test_a_zero_pause_never_opens() -> None:
    breaker = Breaker(0.0)
    breaker.failed()
    breaker.admit()


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        # Virtuoso appends the query as it rewrote it: only its message is kept.
        (
            "Virtuoso 22012 Error SR084: Division by 0.\n\nSPARQL query:\ndefine sql:big-data-const 0\nSELECT (1/0 AS ?x) {}",
            "Virtuoso 22012 Error SR084: Division by 0.",
        ),
        ("Parser error at /usr/lib/x86_64-linux-gnu/virtuoso/hosting.so line 3", "Parser error at … line 3"),
        ("IRI <http://example.org/a/b/c> is not allowed", "IRI <http://example.org/a/b/c> is not allowed"),
        ("x" * 400, "x" * 300 + "…"),
    ],
)
def test_engine_messages_keep_the_reason_and_nothing_of_the_engine(body: str, shown: str) -> None:
    assert engine_message(httpx.Response(400, content=body.encode("utf-8"))) == shown
