"""The project under test: its root, the base the tests build it with, and its sources by kind."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from rdflib import Graph

from tradelod.graph.sources import parse_file, source_files

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"


def sources_of(kind: str, root: Path = ROOT, base: str = BASE) -> Graph:
    """The union of the project's source files of one kind (``ontology``, ``shapes`` or ``data``)."""
    graph = Graph()
    files = [s for s in source_files(root) if s.kind == kind]
    assert files, f"no {kind} source file under {root}"
    for source in files:
        graph += parse_file(source.path, base)
    return graph


def bench_module(name: str) -> ModuleType:
    """``bench/{name}.py``, loaded from its file (bench/ is no package; its modules import each other)."""
    folder = ROOT / "bench"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
