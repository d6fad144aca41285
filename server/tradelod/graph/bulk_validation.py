"""The SHACL gate for additional sources: the same shapes, a native engine, a million triples in a minute or so.

pySHACL validates the project's own data in seconds, but it evaluates every SPARQL constraint per
focus node in Python: a million triples would take hours. Additional sources (``--source``) are
validated together with the project's data and ontology (references between them are checked) by
pyshacl-turbo, a SHACL engine in Rust with pySHACL's interface, whose own parser reads the N-Triples.

Two SHACL-AF features of our shapes are written in the form that engine reads, with the meaning the
specification gives them: ``$PATH`` in a property shape's SPARQL constraint is replaced by the
shape's path in SPARQL syntax (SHACL 5.3.1: it is substituted before the query is parsed), and a
``sh:SPARQLTargetType`` used with parameters becomes the ``sh:SPARQLTarget`` whose query has the
parameters' values in place (SHACL-AF 5.2: they are pre-bound). ``tests/graph/test_bulk_validation.py``
checks that this engine rejects every broken fixture pySHACL rejects, with the same finding.

The SPARQL-based constraints (``sh:sparql``) are not run by that engine per focus node: each runs
once over the whole data in an in-memory Oxigraph store (``sparql_constraints``; at a million
triples, 469 s became 80 s), and the engine writes the findings for just the focus nodes they flag.

The data is handed over to the engine as N-Triples text, never through an Oxigraph store: the store
writes derived integer types such as ``xsd:positiveInteger`` back as ``xsd:integer``, which
``sh:datatype`` would then refuse (the SPARQL pass reads such a store, but only to find which nodes
fail: see ``sparql_constraints``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from . import data_dumps, sparql_constraints
from .extra_sources import ExtraSource
from .sources import SourceError, parse_file, source_files
from .validation import ValidationReport, _findings, validate_project
from .validation_memo import fingerprint, passed_before, remember_pass

#: From this many triples on, the SPARQL constraints run in a process beside the engine's core pass.
PARALLEL_FROM = 200_000

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def validate_with_sources(
    root: Path,
    base: str,
    extra: Sequence[tuple[ExtraSource, bytes]],
    data_files: Sequence[Path] | None = None,
    memo: Path | None = None,
    parallel: bool | None = None,
) -> ValidationReport:
    """Validate the project's data and ontology together with additional sources (N-Triples of each).

    ``data_files`` replace the project's data/ (how a test fixture is checked, as ``validate_files`` does).
    ``memo``: a folder where passes are remembered by content (``validation_memo``); the same content
    that passed before is not validated again (the report says ``remembered``). ``parallel``: run the
    SPARQL constraints in a process of their own (None: from ``PARALLEL_FROM`` triples on).
    """
    import pyshacl_turbo  # imported here: only builds with additional sources need it
    from pyshacl_turbo.rdf import Input

    shapes = Graph()
    project: list[bytes] = []
    owner: dict[URIRef, str] = {}
    files: dict[str, int] = {}
    loaded = [
        (s.path, s.kind, s.relative) for s in source_files(root) if data_files is None or s.kind != "data"
    ]
    loaded += [(Path(p), "data", Path(p).as_posix()) for p in data_files or ()]
    for path, kind, relative in loaded:
        graph = parse_file(path, base)
        if kind == "shapes":
            shapes += graph
            continue
        files[relative] = len(graph)
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                owner.setdefault(subject, relative)
        project.append(data_dumps.statements(graph))
    for added, data in extra:
        files[added.path.as_posix()] = data.count(b"\n")
    text = b"".join([*project, *(data for _, data in extra)]).decode("utf-8")
    node_shapes = sum(1 for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    data_triples = text.count("\n")
    key = fingerprint([path for path, _, _ in loaded], [data for _, data in extra], base)
    if passed_before(memo, key):
        return ValidationReport(True, [], Graph(), files, node_shapes, data_triples, remembered=True)
    # Handed over as the engine's own input record, so that its Rust parser reads the text: given a
    # plain string, pyshacl-turbo parses it natively, then again with rdflib's Python N-Quads parser
    # into a Dataset and back (measured: 6.5 s of 9.7 s at 60k triples, and most of the memory).
    # N-Triples is N-Quads without graph names. The reports are the same graph (isomorphic; checked
    # on valid and broken data, and by test_bulk_validation.py's fixtures).
    native = for_native_engine(shapes)
    core, bulk = sparql_constraints.split(native)
    options: dict[str, Any] = {"inference": "none", "advanced": True, "allow_warnings": True}
    # The SPARQL constraints run once each over the whole data (sparql_constraints). From a size on, in
    # a process of their own beside the engine's pass over the core constraints (in a thread both took
    # longer than one after the other: 100k triples, 11.3-13.1 s against 8.6-10.5 s); below it, the
    # start of a process costs more than it saves.
    if parallel if parallel is not None else data_triples >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            flagged = pool.submit(_sparql_violations, text, bulk)
            conforms, report, _ = pyshacl_turbo.validate(
                Input(text, "nquads", None, {}), shacl_graph=core, **options
            )
            violating = flagged.result()
    else:
        violating = _sparql_violations(text, bulk)
        conforms, report, _ = pyshacl_turbo.validate(
            Input(text, "nquads", None, {}), shacl_graph=core, **options
        )
    assert isinstance(report, Graph)
    if violating:
        # The findings of the SPARQL constraints are written by the engine, per node as before, for just
        # the shapes and focus nodes found (a blank focus node cannot be named: its shape's every node).
        named = {n for nodes in violating.values() for n in nodes if isinstance(n, ox.NamedNode)}
        blank = any(not isinstance(n, ox.NamedNode) for nodes in violating.values() for n in nodes)
        _, again, _ = pyshacl_turbo.validate(
            Input(text, "nquads", None, {}),
            shacl_graph=native,
            use_shapes=sorted(str(shape) for shape in violating),
            focus_nodes=None if blank else sorted(n.value for n in named),
            **options,
        )
        assert isinstance(again, Graph)
        conforms = _merge_sparql_results(report, again) and bool(conforms)
    assert isinstance(report, Graph)
    for focus in report.objects(None, SH.focusNode):
        if isinstance(focus, URIRef) and focus not in owner:
            typed = f"<{focus}> ".encode() + RDF_TYPE
            owner[focus] = next((s.path.as_posix() for s, data in extra if typed in data), "?")
    findings = sorted(
        set(_findings(report, shapes, owner)), key=lambda f: (f.file, f.focus, f.path, f.message)
    )
    if conforms:
        remember_pass(memo, key)
    return ValidationReport(bool(conforms), findings, report, files, node_shapes, data_triples)


def project_pass(root: Path, base: str) -> ValidationReport | tuple[str, int | None, str]:
    """``validate_project`` for a worker process: a SourceError comes back as its parts (it does not pickle)."""
    try:
        return validate_project(root, base)
    except SourceError as error:
        return error.file, error.line, error.reason


def project_report(result: ValidationReport | tuple[str, int | None, str]) -> ValidationReport:
    """The report of ``project_pass``, or its SourceError raised here."""
    if isinstance(result, tuple):
        raise SourceError(*result)
    return result


def _sparql_violations(
    text: str, bulk: Sequence[sparql_constraints.BulkConstraint]
) -> dict[URIRef, set[sparql_constraints.Focus]]:
    """The focus nodes that violate the bulk SPARQL constraints, over an in-memory store of ``text``."""
    store = ox.Store()
    store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES)
    return sparql_constraints.violations(store, bulk)


def _merge_sparql_results(report: Graph, again: Graph) -> bool:
    """Add the SPARQL constraints' results of ``again`` to ``report``; whether none of them is a violation."""
    conforms = True
    for result in set(again.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)):
        if again.value(result, SH.resultSeverity) == SH.Violation:
            conforms = False
        for triple in _closure(again, result):
            report.add(triple)
    return conforms


def _closure(graph: Graph, node: object) -> list[tuple[Any, Any, Any]]:
    """The triples of ``node`` and of the blank nodes it leads to (a result with its path, say)."""
    found, todo, seen = [], [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in graph.triples((subject, None, None)):  # type: ignore[arg-type]
            found.append(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return found


def for_native_engine(shapes: Graph) -> Graph:
    """The shapes with ``$PATH`` substituted and parameterised SPARQL target types instantiated."""
    out = Graph()
    for triple in shapes:
        out.add(triple)
    for namespace in shapes.namespaces():
        out.bind(*namespace)
    for property_shape, constraint in list(out.subject_objects(SH.sparql)):
        path = out.value(property_shape, SH.path)
        if path is None:
            continue
        rendered = sparql_path(out, path)
        for key in (SH.select, SH.ask):
            text = out.value(constraint, key)
            if text is not None and "$PATH" in str(text):
                out.set(
                    (constraint, key, Literal(re.sub(r"\$PATH\b", rendered.replace("\\", "\\\\"), str(text))))
                )
    for shape, target in list(out.subject_objects(SH.target)):
        kind = out.value(target, RDF.type)
        if kind is None or (kind, RDF.type, SH.SPARQLTargetType) not in out:
            continue
        query: str = str(out.value(kind, SH.select))
        for parameter in out.objects(kind, SH.parameter):
            name = out.value(parameter, SH.path)
            value = out.value(target, name)
            if not isinstance(name, URIRef) or not isinstance(value, URIRef):
                raise ValueError(f"target {target} gives no IRI for parameter {name}")
            local = re.split(r"[#/]", str(name))[-1]
            query = re.sub(rf"\${re.escape(local)}\b", f"<{value}>".replace("\\", "\\\\"), query)
        instance = BNode()
        out.remove((shape, SH.target, target))
        out.add((shape, SH.target, instance))
        out.add((instance, RDF.type, SH.SPARQLTarget))
        out.add((instance, SH.select, Literal(query)))
        for prefixes in out.objects(kind, SH.prefixes):
            out.add((instance, SH.prefixes, prefixes))
    return out


def sparql_path(shapes: Graph, path: object) -> str:
    """A SHACL property path in SPARQL syntax (SHACL 2.3.1)."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise ValueError(f"not a SHACL path: {path!r}")
    if shapes.value(path, RDF.first) is not None:
        return "(" + "/".join(sparql_path(shapes, step) for step in Collection(shapes, path)) + ")"
    for key, written in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = shapes.value(path, key)
        if inner is not None:
            return "(" + written.format(sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, step) for step in Collection(shapes, alternatives)) + ")"
    raise ValueError(f"not a SHACL path: {path!r}")
