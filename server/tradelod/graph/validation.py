"""Validate the project's data and ontology against its SHACL shapes, with a readable report.

pySHACL does the work; this module loads the sources, runs it with the ontology mixed into the
data graph (so ``sh:targetClass`` sees subclasses), and turns the report graph into findings that
name the file, focus node, path, message and the named shape that raised them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .prepared_queries import PreparedQueryGraph
from .sources import SourceError, parse_file, source_files


@dataclass(frozen=True)
class Finding:
    """One SHACL result, located in the source file that states its focus node."""

    severity: str
    file: str
    focus: str
    path: str
    message: str
    shape: str  # the named shape that raised it (a blank property shape is reported as its node shape)


@dataclass
class ValidationReport:
    """What a validation run checked and found."""

    conforms: bool
    findings: list[Finding]
    report_graph: Graph
    files: dict[str, int] = field(default_factory=dict)  # relative path -> triples loaded
    node_shapes: int = 0  # named sh:NodeShape resources in the shapes graph
    data_triples: int = 0  # triples of the data graph, before the ontology was mixed in
    remembered: bool = False  # the same content passed before: not validated again (validation_memo)

    def text(self) -> str:
        """A readable report: one block per finding, then a summary line."""
        lines = []
        for f in self.findings:
            lines.append(
                f"{f.severity}: {f.file}\n  focus:   {f.focus}\n  path:    {f.path}\n"
                f"  shape:   {f.shape}\n  message: {f.message}"
            )
        counts = ", ".join(f"{name} ({n})" for name, n in sorted(self.files.items()))
        verdict = "conforms" if self.conforms else f"{len(self.findings)} violation(s)"
        lines.append(f"validated {len(self.files)} files: {counts}\nresult: {verdict}")
        return "\n".join(lines)


def validate_graphs(data: PreparedQueryGraph, shapes: Graph) -> tuple[bool, Graph]:
    """Run pySHACL (SHACL core and SHACL-SPARQL) and return (conforms, report graph).

    ``data`` already holds the ontology (so that ``sh:targetClass`` sees subclasses) and is validated in
    place: pySHACL then queries this very graph, whose prepared queries make the run take seconds.
    """
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    assert isinstance(report, Graph)
    return bool(conforms), report


def validate_project(root: Path, base: str) -> ValidationReport:
    """Validate ontology + data of the project at ``root`` against its shapes."""
    return _validate(root, base, data_files=None)


def validate_files(paths: Sequence[Path], root: Path, base: str) -> ValidationReport:
    """Validate the given Turtle files, in place of data/, against the ontology and shapes of ``root``.

    This is how a test fixture is checked: exactly as ``validate_project`` checks the data.
    """
    if not paths:
        raise ValueError("no data files given")
    return _validate(root, base, data_files=[Path(p) for p in paths])


def _validate(root: Path, base: str, data_files: list[Path] | None) -> ValidationReport:
    data, shapes, ontology = PreparedQueryGraph(), Graph(), Graph()
    owner: dict[URIRef, str] = {}
    files: dict[str, int] = {}
    sources = [s for s in source_files(root) if data_files is None or s.kind != "data"]
    loaded = [(s.path, s.kind, s.relative) for s in sources]
    loaded += [(p, "data", _relative(p, root)) for p in data_files or []]
    for path, kind, relative in loaded:
        graph = parse_file(path, base, relative)
        files[relative] = len(graph)
        target = {"data": data, "shapes": shapes, "ontology": ontology}[kind]
        for triple in graph:
            target.add(triple)
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                owner.setdefault(subject, relative)
    if not files or len(shapes) == 0 or len(data) == 0 or len(ontology) == 0:
        missing = [
            kind for kind, graph in (("ontology", ontology), ("shapes", shapes), ("data", data)) if not graph
        ]
        raise SourceError(str(root), None, f"nothing to validate: no triples in {', '.join(missing)}")
    data_triples = len(data)
    # The ontology is validated too: shapes may target its terms.
    for triple in ontology:
        data.add(triple)
    conforms, report = validate_graphs(data, shapes)
    # One fault can break two components of one shape (say sh:datatype and sh:pattern) and yield
    # two results that read the same: report it once.
    findings = sorted(
        set(_findings(report, shapes, owner)), key=lambda f: (f.file, f.focus, f.path, f.message)
    )
    node_shapes = sum(1 for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    return ValidationReport(conforms, findings, report, files, node_shapes, data_triples)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _findings(report: Graph, shapes: Graph, owner: dict[URIRef, str]) -> list[Finding]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        found.append(
            Finding(
                severity=_local(severity),
                file=owner.get(focus, "?") if isinstance(focus, URIRef) else "?",
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else "",
                message=str(message) if isinstance(message, Literal) else "",
                shape=_named_shape(shape, shapes),
            )
        )
    return found


def _named_shape(shape: object, shapes: Graph) -> str:
    """The IRI of the shape itself, or of the named node shape that holds a blank property shape."""
    seen: set[object] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = shapes.value(predicate=SH.property, object=shape)
        if parent is None:
            break
        shape = parent
    return str(shape) if shape is not None else ""


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text
