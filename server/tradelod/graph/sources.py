"""Find and parse the project's source files (ontology, shapes, data) into one dataset.

Source files use IRIs relative to the dataset base and carry no ``@base``: parsing them with
``publicID=base`` is what makes the base configurable in one place. Each file becomes one named
graph whose name is derived from its path, so provenance at file level survives into N-Quads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

#: The folders that hold sources, in load order, and the kind of graph each one yields.
SOURCE_DIRS: tuple[tuple[str, str], ...] = (
    ("ontology", "ontology"),
    ("shapes", "shapes"),
    ("data", "data"),
)


@dataclass(frozen=True)
class SourceFile:
    """One Turtle source file of the project and the named graph it becomes."""

    path: Path
    kind: str  # "ontology", "shapes" or "data"
    relative: str  # path relative to the project root, with forward slashes

    def graph_iri(self, base: str) -> URIRef:
        """The named graph for this file: ``{base}graph/<path without .ttl>``."""
        return URIRef(f"{base}graph/{self.relative.removesuffix('.ttl')}")


def source_files(root: Path) -> list[SourceFile]:
    """List every ``*.ttl`` source under ontology/, shapes/ and data/, in a stable order."""
    found: list[SourceFile] = []
    for folder, kind in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.ttl")):
            found.append(SourceFile(path, kind, path.relative_to(root).as_posix()))
    return found


def parse_file(path: Path, base: str) -> Graph:
    """Parse one Turtle file, resolving its relative IRIs against ``base``."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=base)
    return graph


def load_dataset(root: Path, base: str) -> Dataset:
    """Parse every source file into a Dataset, one named graph per file."""
    dataset = Dataset()
    for source in source_files(root):
        named = dataset.graph(source.graph_iri(base))
        for triple in parse_file(source.path, base):
            named.add(triple)
    return dataset


def union_of(dataset: Dataset, kinds: tuple[str, ...], root: Path, base: str) -> Graph:
    """Union of the named graphs of the given kinds (e.g. ``("data",)``) as a plain Graph."""
    wanted = {s.graph_iri(base) for s in source_files(root) if s.kind in kinds}
    graph = Graph()
    for named in _named_graphs(dataset):
        if named.identifier in wanted:
            for triple in named:
                graph.add(triple)
    return graph


def _named_graphs(dataset: Dataset) -> Iterator[Graph]:
    for graph in dataset.graphs():
        if graph.identifier != dataset.default_graph.identifier:
            yield graph
