"""A query process that kept a scan's memory is replaced (QUERY_PROCESS_KEEP_MB), with real processes.

The process reports its resident memory with every outcome (after giving freed heap back); the pool
replaces it by a fresh one when that is over the bound, and keeps it otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.project import BASE
from tradelod.graph.namespaces import all_prefixes
from tradelod.sparql.query_process import Job, Settings, resident_mb
from tradelod.sparql.query_runner import QueryPool

COUNT = Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", accept="application/sparql-results+json")


@pytest.fixture()
def pool(build_dir: Path, request: pytest.FixtureRequest) -> Iterator[QueryPool]:
    settings = Settings(
        release=str((build_dir / "current").resolve()),
        base=BASE,
        prefix_pairs=tuple(all_prefixes(BASE).items()),
        allowlist=(),
        row_limit=10_000,
        memory_mb=2048,
        sandbox=True,
        keep_mb=request.param,
    )
    running = QueryPool(settings, 1)
    running.prestart()
    yield running
    running.close()


def only_process(pool: QueryPool) -> int:
    (process,) = pool._idle
    return process.process.pid


@pytest.mark.parametrize("pool", [1], indirect=True)
def test_a_process_over_the_bound_is_replaced_by_a_fresh_one(pool: QueryPool) -> None:
    first = pool._idle[0]
    outcome = pool.run(COUNT, 30.0, 30.0)
    assert outcome.kind == "ok"
    assert outcome.resident_mb > 1  # Python, pyoxigraph and the open store take tens of MiB
    assert not first.alive()
    assert only_process(pool) != first.process.pid
    assert pool.run(COUNT, 30.0, 30.0).written == outcome.written  # the fresh one answers alike


@pytest.mark.parametrize("pool", [0, 100_000], indirect=True)
def test_a_process_under_the_bound_or_with_no_bound_is_kept(pool: QueryPool) -> None:
    first = only_process(pool)
    for _ in range(3):
        assert pool.run(COUNT, 30.0, 30.0).kind == "ok"
    assert only_process(pool) == first


def test_resident_memory_is_read_from_proc() -> None:
    before = resident_mb()
    block = bytearray(64 * 1024 * 1024)
    block[::4096] = b"x" * (64 * 1024 * 1024 // 4096)  # every page written, so resident
    assert resident_mb() >= before + 60
    del block
