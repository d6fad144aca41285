"""The benchmark suite runs, at 10k triples, as a smoke test: every system answers and all agree.

``make bench`` measures; here nothing is timed. One round of the whole query mix goes over HTTP to
tradelod over each of its backends (embedded store, Oxigraph server and Virtuoso loaded by the real
``tradelod load``) and to the peers Oxigraph server, rdflib-endpoint and Virtuoso (one Virtuoso
process, shared with tradelod-virtuoso), after a real build of generated data (``tradelod build
--source``); the result counts of every query text must be the same on all six, and not empty. A
second run with ``--reuse-build`` keeps that build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.engines import require_engine
from support.project import bench_module

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_benchmark_runs_at_10k_and_the_systems_agree(tmp_path: Path) -> None:
    require_engine("oxigraph")
    require_engine("virtuoso")
    run = bench_module("run")
    status = run.main(
        ["--size", "10k", "--smoke", "--work", str(tmp_path / "work"), "--results", str(tmp_path)]
    )
    (report_file,) = tmp_path.glob("10k-*.json")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["disagreements"] == []
    assert status == 0
    assert report["systems"] == [
        "tradelod",
        "tradelod-oxigraph",
        "tradelod-virtuoso",
        "oxigraph",
        "rdflib-endpoint",
        "virtuoso",
    ]
    assert report["build"]["triples"] > 10_000
    assert "reused_from" not in report["build"]
    # tradelod load published the whole release into both engines (its log names the triples).
    assert set(report["load_seconds"]) == {"tradelod-oxigraph", "tradelod-virtuoso"}
    # Every system sees the same triples; the shared Virtuoso peer sees neither the control graph that
    # tradelod load writes nor the release's second copy in its named graphs.
    distinct = report["triples_seen"]["distinct"]
    assert len(set(distinct.values())) == 1 and min(distinct.values()) > 10_000, distinct
    # ... and each triple once: a triple stated in two source files is one solution of ?s ?p ?o everywhere
    assert report["triples_seen"]["solutions"] == distinct
    rows = report["queries"]
    assert len(rows) == 10 * 2 * 6  # every query, repeated and new, on every system
    failed = [row for row in rows if "failure" in row or row["runs"] != 1]
    assert failed == []
    counts: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        counts.setdefault((row["query"], row["variant"]), set()).add(row["count"])
    assert all(len(found) == 1 and min(found) > 0 for found in counts.values()), counts
    # Every query and variant names the tradelod backend to pick and compares it with the best peer.
    picks = {(pick["query"], pick["variant"]): pick for pick in report["picks"]}
    assert set(picks) == set(counts)
    assert all(pick["pick"] in {"embedded", "oxigraph", "virtuoso"} for pick in picks.values())
    assert all(pick["best_peer"] in {"oxigraph", "rdflib-endpoint", "virtuoso"} for pick in picks.values())

    # --reuse-build: same size and seed, the build is kept (not rebuilt) and the report says so.
    built = tmp_path / "work" / "10k" / "build" / "current"
    release = built.resolve()
    status = run.main(["--size", "10k", "--reuse-build", "--build-only", "--work", str(tmp_path / "work")])
    assert status == 0
    assert built.resolve() == release and release.is_dir()
    assert run.reusable(10_000, 1, tmp_path / "work" / "10k")["reused_from"]
    assert run.reusable(10_000, 2, tmp_path / "work" / "10k") is None  # another seed: build anew
    assert run.reusable(100_000, 1, tmp_path / "work" / "10k") is None
