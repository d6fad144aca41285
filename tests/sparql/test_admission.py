"""Fairness between clients: the query-time budget (shared by the workers, 429 + Retry-After), the bounded
queue (503 + Retry-After), the lane kept for light clients, X-Forwarded-For from trusted proxies only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.engines import LoadedEngines
from support.live_server import LiveServer, live_server
from support.sparql_answers import TURNOVER_QUERY
from tradelod.http.errors import ServiceUnavailable, TooManyRequests
from tradelod.sparql.admission import Gate, Usage, client_key, retry_after, used
from tradelod.sparql.memory import plan

#: A cartesian product that runs until the time limit stops it.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?s ?p ?o }"
JSON = "application/sparql-results+json"


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # same /64: one client
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("", "unknown"),
    ],
)
def test_client_key(address: str, key: str) -> None:
    assert client_key(address) == key


def test_usage_is_shared_through_the_file(tmp_path: Path) -> None:
    first, second = Usage(str(tmp_path / "state.sqlite")), Usage(str(tmp_path / "state.sqlite"))
    first.charge("a", 2.5, now=1000.0)
    second.charge("a", 1.0, now=1010.0)
    second.charge("b", 9.0, now=1010.0)
    assert used(first.recent("a", now=1020.0)) == 3.5
    assert used(first.recent("a", now=1065.0)) == 1.0  # the first left the minute
    assert used(second.recent("b", now=1020.0)) == 9.0


def test_a_flood_of_cheap_queries_keeps_the_check_small(tmp_path: Path) -> None:
    """Time is summed per second: a client that sent 6,000 queries in a minute costs a check of 60
    rows, not 6,000 (the check runs before every query), and nothing is lost from the sums."""
    usage = Usage(str(tmp_path / "state.sqlite"))
    for i in range(6_000):
        usage.charge("flood", 0.001, now=2000.0 + i / 100)  # 100 queries a second for a minute
    usage.charge("flood", 0.75, now=2059.5)  # one slower query among them
    recent = usage.recent("flood", now=2060.0)
    assert len(recent) == 59  # the seconds 2001..2059 (2000 left the window)
    assert round(used(recent), 6) == round(5_900 * 0.001 + 0.75, 6)
    assert max(longest for _, _, longest in recent) == 0.75
    assert recent[-1][0] == 2059.0


def test_retry_after_is_when_enough_of_the_minute_has_passed() -> None:
    recent = [(1000.0, 4.0), (1010.0, 4.0), (1020.0, 4.0)]  # 12 s used, budget 5
    assert retry_after(recent, budget=5.0, now=1030.0) == 40  # after the second leaves: 4 s < 5
    assert retry_after(recent, budget=11.0, now=1030.0) == 30
    assert retry_after([], budget=5.0, now=0.0) == 1


def test_gate_keeps_one_process_for_light_clients_and_bounds_its_queue() -> None:
    gate = Gate(processes=2, queue=0, per_client=2)
    with gate.slot("heavy-1", light=False, wait_seconds=1):
        # the heavy lane is full, and there is no queue
        with pytest.raises(ServiceUnavailable) as busy, gate.slot("heavy-2", light=False, wait_seconds=1):
            pass
        assert busy.value.headers["Retry-After"] == "5"
        with gate.slot("light", light=True, wait_seconds=1):  # the kept process
            assert (gate.running, gate.running_heavy) == (2, 1)
    assert (gate.running, gate.running_heavy, gate.clients) == (0, 0, {})


def test_gate_queue_waits_then_runs() -> None:
    gate = Gate(processes=1, queue=1, per_client=5)
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gate.slot("a", light=False, wait_seconds=5):
            entered.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(10)
    threading.Timer(0.2, release.set).start()  # frees the process while the next one waits
    with gate.slot("b", light=False, wait_seconds=10):
        assert gate.running == 1
    holder.join()


def test_gate_caps_queries_per_client() -> None:
    gate = Gate(processes=4, queue=4, per_client=1)
    with gate.slot("a", light=False, wait_seconds=1):
        with pytest.raises(TooManyRequests) as refused, gate.slot("a", light=True, wait_seconds=1):
            pass
        assert refused.value.headers["Retry-After"] == "2"


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def budgeted(
    request: pytest.FixtureRequest,
    build_dir: Path,
    engines: LoadedEngines,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """Two workers sharing a 2-second budget per client, queries stopped at 2.5 s, on the embedded
    store and on an external engine (the budget is tradelod's, whichever store answers)."""
    settings: dict[str, object] = {
        "QUERY_BUDGET_SECONDS": 2,
        "QUERY_TIMEOUT_SECONDS": 2.5,
        "QUERY_CLIENT_CONCURRENCY": 4,
        "TRUSTED_PROXIES": ["127.0.0.9"],
        **engines.settings(request.param),
    }
    with live_server(build_dir, tmp_path_factory.mktemp("budget"), settings, workers=2) as running:
        yield running


@pytest.mark.network
def test_client_over_its_budget_gets_429_with_retry_after_others_do_not(budgeted: LiveServer) -> None:
    greedy, other = "127.0.0.21", "127.0.0.22"
    first = budgeted.query(ENDLESS, accept=JSON, source=greedy)
    assert first.status == 503 and first.headers["Retry-After"]  # stopped at the limit, 2.5 s charged
    # Whichever worker answers next, it knows: the budget is shared through the instance's state file.
    for _ in range(4):
        refused = budgeted.query(ASK, accept=JSON, source=greedy)
        assert refused.status == 429, refused.text
        assert 50 <= int(refused.headers["Retry-After"]) <= 60
        assert "budget is 2 s per minute" in refused.text
    assert budgeted.query(ASK, accept=JSON, source=other).status == 200
    assert budgeted.request("GET", "/doc/place/chongqing", source=greedy).status == 200  # pages: no budget


@pytest.mark.network
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(budgeted: LiveServer) -> None:
    proxy, stranger = "127.0.0.9", "127.0.0.23"
    behind = {"X-Forwarded-For": "198.51.100.7"}
    assert budgeted.query(ENDLESS, accept=JSON, source=proxy, headers=behind).status == 503
    # The proxy's client is over budget, the proxy's other clients are not.
    assert budgeted.query(ASK, accept=JSON, source=proxy, headers=behind).status == 429
    other = {"X-Forwarded-For": "198.51.100.8"}
    assert budgeted.query(ASK, accept=JSON, source=proxy, headers=other).status == 200
    # From an untrusted peer the header is ignored: claiming to be someone else changes nothing.
    assert budgeted.query(ENDLESS, accept=JSON, source=stranger, headers=other).status == 503
    assert (
        budgeted.query(ASK, accept=JSON, source=stranger, headers={"X-Forwarded-For": "198.51.100.99"}).status
        == 429
    )
    assert budgeted.query(ASK, accept=JSON, source=proxy, headers=other).status == 200


def test_memory_caps_never_add_up_past_the_total() -> None:
    config = {"WORKERS": 2, "QUERY_PROCESSES": 2, "QUERY_MEMORY_MB": 0, "QUERY_MEMORY_TOTAL_MB": 0}
    machine = plan(config, machine_mb=24 * 1024)
    assert (machine.total_mb, machine.processes, machine.cap_mb) == (6144, 2, 1536)
    assert machine.sum_of_caps_mb <= machine.total_mb
    explicit = plan({**config, "QUERY_MEMORY_MB": 4096, "QUERY_MEMORY_TOTAL_MB": 5000}, machine_mb=1)
    assert (explicit.processes, explicit.cap_mb) == (2, 1250)  # lowered to fit
    small = plan({**config, "QUERY_MEMORY_TOTAL_MB": 3000}, machine_mb=1)
    assert (small.processes, small.cap_mb) == (1, 1500)  # fewer processes rather than useless caps
    for workers in range(1, 9):
        for processes in range(1, 9):
            for total in (1024, 3000, 6144, 65536):
                for cap in (0, 512, 2048, 8192):
                    each = plan(
                        {
                            "WORKERS": workers,
                            "QUERY_PROCESSES": processes,
                            "QUERY_MEMORY_MB": cap,
                            "QUERY_MEMORY_TOTAL_MB": total,
                        }
                    )
                    assert each.sum_of_caps_mb <= total
                    assert each.processes >= 1 and each.cap_mb >= 1


@pytest.mark.network
def test_memory_bomb_stops_only_its_own_query(build_dir: Path, tmp_path: Path) -> None:
    """One client's query over its memory cap gets a clear 503; another client's queries meanwhile succeed."""
    bomb = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
    settings = {"QUERY_MEMORY_MB": 1024, "QUERY_MEMORY_TOTAL_MB": 4096, "QUERY_TIMEOUT_SECONDS": 60}
    with live_server(build_dir, tmp_path, settings, workers=1) as server:
        answers: list[int] = []
        done = threading.Event()

        def others() -> None:
            while not done.is_set():
                answers.append(server.query(TURNOVER_QUERY, accept=JSON, source="127.0.0.31").status)

        neighbour = threading.Thread(target=others)
        neighbour.start()
        try:
            reply = server.query(bomb, accept=JSON, source="127.0.0.30")
        finally:
            done.set()
            neighbour.join()
        assert reply.status == 503, reply.text
        assert reply.headers["Retry-After"]
        assert "needed more memory than this endpoint allows one query (1024 MiB)" in reply.text
        assert answers and set(answers) == {200}
        assert server.query(TURNOVER_QUERY, accept=JSON, source="127.0.0.30").status == 200
