"""`make run` rebuilds only when the sources changed: checked with `make -n` (prints, runs nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def planned(root: Path) -> str:
    """What `make run` would do in ``root`` (dry run)."""
    make = shutil.which("make")
    assert make, "make is needed"
    done = subprocess.run(
        [make, "-n", "run"], cwd=root, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the project's Makefile and sources, with an installed-looking venv."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for folder in ("ontology", "shapes", "data", "server"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".venv").mkdir()
    installed = root / ".venv" / ".installed"
    installed.touch()
    past = time.time() - 3600  # installed (after pyproject.toml) before the sources and catalogs were written
    os.utime(root / "pyproject.toml", (past - 60, past - 60))
    os.utime(installed, (past, past))
    return root


def test_make_run_builds_only_when_sources_changed(project: Path) -> None:
    assert "tradelod build" in planned(project)  # never built
    for catalog in (project / "server").rglob(
        "messages.po"
    ):  # compiled catalogs, as make install leaves them
        catalog.with_suffix(".mo").touch()
    (project / "build").mkdir()
    stamp = project / "build" / ".built"
    stamp.touch()
    later = time.time() + 5
    os.utime(stamp, (later, later))
    plan = planned(project)
    assert "tradelod build" not in plan, plan
    assert "tradelod serve" in plan
    source = project / "data" / "003-kazakhstan-china-trade.ttl"
    os.utime(source, (later + 5, later + 5))
    assert "tradelod build" in planned(project)
