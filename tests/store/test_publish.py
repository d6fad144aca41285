"""`tradelod load` into a real Oxigraph server: reports, switches at once, never shows half a release.

Two releases of the same build folder: A (the project as it is) and B (A plus one graph of one
triple, built from a copy of the sources). The engine is started on 127.0.0.1 for this module and
stopped after; every load is the real command in a process of its own, so that it can be killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from time import monotonic

import pyoxigraph as ox
import pytest

from support.engines import Engine, require_engine, start_engine
from support.releases import EXTRA, EXTRA_TRIPLE, make_current
from support.sparql_answers import graph_iri
from tradelod.store.engine import EngineClient
from tradelod.store.remote import CONTROL_GRAPH, RemoteStores, read_record, select_rows

TRADELOD = Path(sys.executable).parent / "tradelod"
STAGING = 'FILTER(STRSTARTS(STR(?g), "urn:tradelod:staging:"))'

pytestmark = pytest.mark.slow


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh Oxigraph server for one test."""
    require_engine("oxigraph")
    with start_engine("oxigraph", tmp_path / "oxigraph") as running:
        yield running


def load(engine: Engine, out: Path, release: str, chunk: int = 50_000) -> subprocess.Popen[str]:
    """Start `tradelod load` of ``release`` (made current in ``out``) into the engine."""
    make_current(out, release)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")}
    env |= engine.environment() | {"TRADELOD_LOAD_CHUNK_TRIPLES": str(chunk)}
    return subprocess.Popen(
        [str(TRADELOD), "load", "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait (bounded) for a load and return its exit code, output and messages."""
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def current_release(engine: Engine, out: Path) -> str:
    """The release a front end over ``out`` serves from the engine (as a fresh front would see it)."""
    stores = RemoteStores(engine.settings(), out)
    try:
        return stores.current().record.release_id
    finally:
        stores.client.close()


def ask(engine: Engine, where: str) -> bool:
    """ASK on the engine's whole dataset (every graph, the staging ones included)."""
    client = EngineClient(engine.settings())
    try:
        rows = select_rows(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", None)
        return int(rows[0]["n"].value) > 0
    finally:
        client.close()


def graphs_in(engine: Engine) -> set[str]:
    """Every named graph the engine holds."""
    client = EngineClient(engine.settings())
    try:
        return {
            row["g"].value
            for row in select_rows(client, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", None)
        }
    finally:
        client.close()


def stored_triples(out: Path, release: str) -> int:
    """The number of triples in the named graphs of a release's embedded store (its default graph is
    their union, which ``tradelod load`` writes as a graph of its own and does not count)."""
    store = ox.Store.read_only(str(out / "releases" / release / "store"))
    return sum(1 for q in store if isinstance(q.graph_name, ox.NamedNode))


def test_load_reports_triples_time_and_progress_and_switches(
    engine: Engine, releases: tuple[Path, str, str]
) -> None:
    out, first, second = releases
    code, printed, messages = finish(load(engine, out, first))
    assert code == 0, messages
    assert re.search(rf"^release\s+{first}$", printed, re.M)
    assert re.search(rf"^triples\s+{stored_triples(out, first)}$", printed, re.M)
    assert re.search(r"^time\s+[0-9.]+ s \([0-9,]+ triples/s\)$", printed, re.M)
    assert re.search(r"/\d+ triples \(100 %\)$", messages, re.M), messages
    assert current_release(engine, out) == first
    assert not ask(engine, f"GRAPH ?g {{ ?s ?p ?o }} {STAGING}")

    code, printed, messages = finish(load(engine, out, second))
    assert code == 0, messages
    assert current_release(engine, out) == second
    assert str(graph_iri(EXTRA.removesuffix(".ttl"))) in graphs_in(engine)
    assert ask(engine, f"GRAPH ?g {{ {EXTRA_TRIPLE} }}")

    # Back to A: the graph only B had is dropped with the switch, nothing staged is left.
    code, _, messages = finish(load(engine, out, first))
    assert code == 0, messages
    assert current_release(engine, out) == first
    assert str(graph_iri(EXTRA.removesuffix(".ttl"))) not in graphs_in(engine)
    assert not ask(engine, f"GRAPH ?g {{ {EXTRA_TRIPLE} }}")
    assert not ask(engine, f"GRAPH ?g {{ ?s ?p ?o }} {STAGING}")


def test_a_killed_load_leaves_the_previous_release_served(
    engine: Engine, releases: tuple[Path, str, str]
) -> None:
    out, first, second = releases
    assert finish(load(engine, out, first))[0] == 0
    before = graphs_in(engine)

    # Small chunks make the load long enough to be caught half-way: kill it once it has staged triples.
    process = load(engine, out, second, chunk=100)
    deadline = monotonic() + 120
    while not ask(engine, f"GRAPH ?g {{ ?s ?p ?o }} {STAGING}"):
        assert process.poll() is None, "the load ended before it could be killed"
        assert monotonic() < deadline, "the load never staged anything"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)  # reaps it and closes its pipes

    assert current_release(engine, out) == first
    assert not ask(
        engine, f'GRAPH ?g {{ {EXTRA_TRIPLE} }} FILTER(!STRSTARTS(STR(?g), "urn:tradelod:staging:"))'
    )
    assert {g for g in graphs_in(engine) if not g.startswith("urn:tradelod:staging:")} == before

    # The next load drops what the killed one left behind, then publishes.
    code, _, messages = finish(load(engine, out, second))
    assert code == 0, messages
    assert "staging graphs left by an earlier load" in messages
    assert current_release(engine, out) == second
    assert not ask(engine, f"GRAPH ?g {{ ?s ?p ?o }} {STAGING}")


def test_a_failed_load_says_so_and_leaves_the_previous_release(
    engine: Engine, releases: tuple[Path, str, str]
) -> None:
    out, first, second = releases
    assert finish(load(engine, out, first))[0] == 0
    make_current(out, second)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADELOD_")} | engine.environment()
    env["TRADELOD_STORE_GSP"] = engine.gsp_url.replace("/store", "/no-such-endpoint")
    result = subprocess.run(
        [str(TRADELOD), "load", "--out", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("load failed, the previous release is still served:")
    )
    assert "Traceback" not in result.stderr
    assert current_release(engine, out) == first
    assert not ask(engine, f"GRAPH ?g {{ ?s ?p ?o }} {STAGING}")
    assert CONTROL_GRAPH in graphs_in(engine)
    client = EngineClient(engine.settings())
    try:
        record = read_record(client)
    finally:
        client.close()
    assert record is not None and record.release_id == first
