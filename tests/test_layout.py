"""The package's rooms and the one-way flow of imports between them (pyproject's import contract)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "server" / "tradelod"
ROOMS = ("graph", "http", "ingest", "serve", "sparql", "store", "web")


def lint_imports(python_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contract, on the installed package or on a copy."""
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = str(python_path)
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_shows_its_rooms() -> None:
    listing = sorted(p.name for p in PACKAGE.iterdir() if not p.name.startswith(("_", ".")))
    assert [name for name in listing if (PACKAGE / name).is_dir()] == list(ROOMS)
    for room in ROOMS:
        doc = (PACKAGE / room / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and "import" in doc, f"{room}/__init__.py must say what it may import"


def test_imports_flow_one_way() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_import_back_up_breaks_the_contract(tmp_path: Path) -> None:
    """The contract can fail: the graph importing the web layer is reported as broken."""
    copy = tmp_path / "tradelod"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    sources = copy / "graph" / "sources.py"
    sources.write_text(
        sources.read_text(encoding="utf-8") + "\nfrom tradelod.web import pages  # noqa: E402,F401\n",
        encoding="utf-8",
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tradelod.graph.sources -> tradelod.web.pages" in result.stdout
    assert "0 broken" not in result.stdout


def test_ingest_importing_the_store_breaks_its_contract(tmp_path: Path) -> None:
    """The ingest room may read the graph's sources, never the store above them."""
    copy = tmp_path / "tradelod"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "ingest" / "quote.py"
    module.write_text(
        module.read_text(encoding="utf-8") + "\nfrom tradelod.store import current  # noqa: E402,F401\n",
        encoding="utf-8",
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tradelod.ingest.quote -> tradelod.store.current" in result.stdout


def test_building_loads_no_web_or_sparql_module() -> None:
    """`tradelod build` needs the graph only: importing it must not pull in Flask views or the endpoint."""
    probe = (
        "import sys, tradelod.graph.build, tradelod.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tradelod.web', 'tradelod.sparql', 'tradelod.app'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
