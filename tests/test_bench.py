"""The benchmark suite runs, at 10k triples, as a smoke test: every system answers and all agree.

``make bench`` measures; here nothing is timed. One round of the whole query mix goes to tradelod,
Oxigraph server, rdflib-endpoint and Virtuoso over HTTP, after a real build of generated data
(``tradelod build --source``); the result counts of every query text must be the same everywhere,
and not empty.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from support.engines import require_engine

ROOT = Path(__file__).resolve().parents[1]


def _bench_run() -> ModuleType:
    """bench/run.py, loaded from its file (bench/ is no package)."""
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_benchmark_runs_at_10k_and_the_systems_agree(tmp_path: Path) -> None:
    require_engine("oxigraph")
    require_engine("virtuoso")
    run = _bench_run()
    status = run.main(
        ["--size", "10k", "--smoke", "--work", str(tmp_path / "work"), "--results", str(tmp_path)]
    )
    (report_file,) = tmp_path.glob("10k-*.json")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["disagreements"] == []
    assert status == 0
    assert report["systems"] == ["tradelod", "oxigraph", "rdflib-endpoint", "virtuoso"]
    assert report["build"]["triples"] > 10_000
    rows = report["queries"]
    assert len(rows) == 10 * 2 * 4  # every query, repeated and new, on every system
    failed = [row for row in rows if "failure" in row or row["runs"] != 1]
    assert failed == []
    counts: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        counts.setdefault((row["query"], row["variant"]), set()).add(row["count"])
    assert all(len(found) == 1 and min(found) > 0 for found in counts.values()), counts
