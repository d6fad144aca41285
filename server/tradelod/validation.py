"""Validate the project's data and ontology against its SHACL shapes, with a readable report.

pySHACL does the work; this module loads the sources, runs it with the ontology mixed into the
data graph (so ``sh:targetClass`` sees subclasses), and turns the report graph into findings that
name the file, focus node, path and message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .sources import parse_file, source_files


@dataclass(frozen=True)
class Finding:
    """One SHACL result, located in the source file that states its focus node."""

    severity: str
    file: str
    focus: str
    path: str
    message: str
    shape: str


@dataclass
class ValidationReport:
    """What a validation run checked and found."""

    conforms: bool
    findings: list[Finding]
    report_graph: Graph
    files: dict[str, int] = field(default_factory=dict)  # relative path -> triples loaded

    def text(self) -> str:
        """A readable report: one block per finding, then a summary line."""
        lines = []
        for f in self.findings:
            lines.append(
                f"{f.severity}: {f.file}\n  focus:   {f.focus}\n  path:    {f.path}\n  message: {f.message}"
            )
        counts = ", ".join(f"{name} ({n})" for name, n in sorted(self.files.items()))
        verdict = "conforms" if self.conforms else f"{len(self.findings)} violation(s)"
        lines.append(f"validated {len(self.files)} files: {counts}\nresult: {verdict}")
        return "\n".join(lines)


def validate_graphs(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """Run pySHACL (SHACL core and SHACL-SPARQL) and return (conforms, report graph)."""
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    return bool(conforms), report


def validate_project(root: Path, base: str) -> ValidationReport:
    """Validate ontology + data of the project at ``root`` against its shapes."""
    data, shapes, ontology = Graph(), Graph(), Graph()
    owner: dict[URIRef, str] = {}
    files: dict[str, int] = {}
    for source in source_files(root):
        graph = parse_file(source.path, base)
        files[source.relative] = len(graph)
        target = {"data": data, "shapes": shapes, "ontology": ontology}[source.kind]
        for triple in graph:
            target.add(triple)
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                owner.setdefault(subject, source.relative)
    if not files or len(shapes) == 0 or len(data) == 0:
        raise ValueError(f"nothing to validate under {root}: files={sorted(files)}")
    # The ontology is validated too: shapes may target its terms.
    for triple in ontology:
        data.add(triple)
    conforms, report = validate_graphs(data, shapes, ontology)
    findings = sorted(_findings(report, owner), key=lambda f: (f.file, f.focus, f.path, f.message))
    return ValidationReport(conforms, findings, report, files)


def _findings(report: Graph, owner: dict[URIRef, str]) -> list[Finding]:
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
                path=str(path) if path is not None else "",
                message=str(message) if isinstance(message, Literal) else "",
                shape=str(shape) if shape is not None else "",
            )
        )
    return found


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text
