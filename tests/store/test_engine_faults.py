"""A front end over an engine that goes down or gets stuck: 503 with Retry-After, then back by itself.

A real Oxigraph server, loaded with the session's build, behind a real gunicorn front end (one
worker, so that every request meets the same circuit breaker). The engine is stopped and started
again (down), or frozen with SIGSTOP and thawed with SIGCONT (stuck: it accepts connections and
never answers). The front end is never restarted.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Event
from time import monotonic

import pytest

from support.engines import Engine, require_engine, restart_engine, start_engine, stop_engine
from support.live_server import LiveServer, Reply, live_server
from tradelod.store.engine import EngineClient
from tradelod.store.publish import publish

pytestmark = pytest.mark.slow

DOCUMENT = "/doc/place/chongqing"
TURTLE = {"Accept": "text/turtle"}
ASK = "ASK { ?s ?p ?o }"
RECOVERY_SECONDS = 90.0


@pytest.fixture(scope="module")
def engine(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An Oxigraph server holding the session's build (its own, for this module: it is stopped here)."""
    require_engine("oxigraph")
    with start_engine("oxigraph", tmp_path_factory.mktemp("faults") / "oxigraph") as running:
        client = EngineClient(running.settings())
        try:
            publish((build_dir / "current").resolve(), client, lambda _: None)
        finally:
            client.close()
        yield running


@pytest.fixture(scope="module")
def front(engine: Engine, build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One gunicorn worker over the engine; short engine timeouts so that the test stays short."""
    settings = {key.removeprefix("TRADELOD_"): value for key, value in engine.environment().items()}
    # QUERY_CACHE_MB 0: every query here must reach the engine (a remembered answer would not).
    settings |= {"QUERY_TIMEOUT_SECONDS": 2, "STORE_PAUSE_SECONDS": 3, "QUERY_CACHE_MB": 0}
    with live_server(build_dir, tmp_path_factory.mktemp("front"), settings=settings, workers=1) as server:
        yield server


def assert_unavailable(reply: Reply) -> None:
    """A 503 that says when to come back, with no trace of the machinery behind it."""
    assert reply.status == 503, reply.text[:500]
    assert int(reply.headers["Retry-After"]) >= 1
    for leak in ("Traceback", 'File "', "/tmp/", "127.0.0.1:"):
        assert leak not in reply.text


def wait_for_recovery(front: LiveServer, expected: bytes) -> None:
    """Poll the document (at most every 0.2 s, bounded) until the front answers it as before."""
    deadline = monotonic() + RECOVERY_SECONDS
    pause = Event()
    while True:
        reply = front.request("GET", DOCUMENT, headers=TURTLE, timeout=30)
        if reply.status == 200:
            assert reply.body == expected
            return
        assert_unavailable(reply)
        assert monotonic() < deadline, "the front end did not recover"
        pause.wait(0.2)


def test_engine_down_gives_503_and_the_front_recovers_when_it_is_back(
    front: LiveServer, engine: Engine
) -> None:
    before = front.request("GET", DOCUMENT, headers=TURTLE)
    assert before.status == 200
    assert front.query(ASK).status == 200

    stop_engine(engine)
    assert_unavailable(front.request("GET", DOCUMENT, headers=TURTLE))
    assert_unavailable(front.request("GET", DOCUMENT, headers={"Accept": "text/html"}))
    assert_unavailable(front.query(ASK))

    restart_engine(engine)
    wait_for_recovery(front, before.body)
    deadline = monotonic() + RECOVERY_SECONDS
    while (answer := front.query(ASK)).status != 200:
        assert_unavailable(answer)
        assert monotonic() < deadline, "the endpoint did not recover"
        Event().wait(0.2)
    assert answer.json() == {"head": {}, "boolean": True}


def test_a_stuck_engine_is_not_waited_for_twice(front: LiveServer, engine: Engine) -> None:
    before = front.request("GET", DOCUMENT, headers=TURTLE)
    assert before.status == 200
    engine.process.send_signal(signal.SIGSTOP)
    try:
        first = front.request("GET", DOCUMENT, headers=TURTLE, timeout=60)
        assert_unavailable(first)
        # The breaker is open: the next requests, even several at once, are refused without waiting
        # for the engine's read timeout again.
        with ThreadPoolExecutor(4) as pool:
            others = list(pool.map(lambda _: front.request("GET", DOCUMENT, headers=TURTLE), range(4)))
        for reply in others:
            assert_unavailable(reply)
            assert reply.ended - reply.started < (first.ended - first.started) / 2
    finally:
        engine.process.send_signal(signal.SIGCONT)
    wait_for_recovery(front, before.body)
