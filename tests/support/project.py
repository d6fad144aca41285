"""The project under test: its root, the base the tests build it with, and its sources by kind."""

from __future__ import annotations

from pathlib import Path

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
