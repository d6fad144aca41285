"""The SPARQL constraints run once over the whole data (``graph/sparql_constraints.py``).

Which constraints qualify, why a query that reads ``$this`` elsewhere stays per node, the constant
BINDs written as VALUES, and findings that stay exactly what the per-node engine writes: literals as
they were written (the store would give ``"07"^^xsd:integer`` back as ``7``) and blank focus nodes.
``tests/graph/test_bulk_validation.py`` runs every broken fixture through the whole pass.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from tradelod.graph.bulk_validation import for_native_engine, validate_with_sources
from tradelod.graph.extra_sources import find_sources, ntriples
from tradelod.graph.sources import parse_file, source_files
from tradelod.graph.sparql_constraints import equivalence_problem, split, violations
from tradelod.graph.sparql_text import hoist_constants, top_level_binds

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
OA = "http://www.w3.org/ns/oa#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"


def _shapes() -> Graph:
    shapes = Graph()
    for source in source_files(ROOT):
        if source.kind == "shapes":
            shapes += parse_file(source.path, BASE)
    return shapes


def test_every_sparql_constraint_of_the_project_runs_in_bulk() -> None:
    native = for_native_engine(_shapes())
    core, bulk = split(native)
    assert len(list(native.subject_objects(SH.sparql))) == 21
    assert len(bulk) == 21
    assert list(core.subject_objects(SH.sparql)) == []
    # Shapes left with nothing to check lose their targets (the engine would compute them for nothing).
    shape = BASE + "shapes#"
    emptied = {str(s) for s in native.subjects(SH.target, None)} - {
        str(s) for s in core.subjects(SH.target, None)
    }
    assert emptied == {shape + "IriSchemeShape", shape + "BlankObjectShape", shape + "PropertyDomainShape"}


def test_bulk_queries_find_the_violating_focus_nodes() -> None:
    _, bulk = split(for_native_engine(_shapes()))
    store = ox.Store()
    focus = f"{BASE}id/quote/000-99#position"
    text = f'<{focus}> {TYPE} <{OA}TextPositionSelector> .\n<{focus}> <{OA}start> "7"^^{INTEGER} .\n'
    store.bulk_load(text + f'<{focus}> <{OA}end> "3"^^{INTEGER} .\n', format=ox.RdfFormat.N_TRIPLES)
    found = violations(store, bulk)
    # Only the selector's own constraint fails: its IRI follows the scheme, a #part needs no label.
    assert {str(k): v for k, v in found.items()} == {
        f"{BASE}shapes#TextPositionSelectorShape": {ox.NamedNode(focus)}
    }


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("SELECT $this WHERE { $this ?p ?o }", None),
        (
            'SELECT $this ?l WHERE { { BIND ("fr" AS ?l) } UNION { BIND ("en" AS ?l) } FILTER NOT EXISTS { $this ?p ?l } }',
            None,
        ),
        ("SELECT $this WHERE { { $this ?p ?o FILTER (?o != $this) } UNION { $this ?q ?o } }", None),
        (
            "SELECT $this WHERE { { ?s ?p ?o FILTER (?o = $this) } }",
            "$this read in a Filter of a group that does not bind it",
        ),
        ("SELECT $this WHERE { ?s ?p ?o MINUS { $this ?p ?o } }", "$this in a MinusGraphPattern"),
        ("SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }", "$this in a SubSelect"),
        ("SELECT $this WHERE { BIND (<http://example.org/x> AS $this) }", "BIND … AS $this"),
        ("SELECT $this WHERE { $this ?p ?o } LIMIT 1", "solution modifiers or dataset clauses: limitoffset"),
        ("SELECT ?o WHERE { $this ?p ?o }", "does not project $this as a plain variable"),
    ],
)
def test_a_query_runs_in_bulk_only_where_the_join_is_the_pre_binding(query: str, problem: str | None) -> None:
    assert equivalence_problem(query) == problem


def test_constant_binds_become_one_values_row() -> None:
    body = (
        ' BIND (STRBEFORE(STR(<http://example.org/shapes#S>), "shapes#") AS ?base)\n'
        ' BIND (IRI(CONCAT(?base, "ontology#p")) AS ?p)\n'
        " $this ?p ?value . BIND (STR(?value) AS ?text)\n"
        ' FILTER (?text != "BIND (no)") { BIND (1 AS ?one) }'
    )
    assert [body[start:end] for start, end in top_level_binds(body)] == [
        'BIND (STRBEFORE(STR(<http://example.org/shapes#S>), "shapes#") AS ?base)',
        'BIND (IRI(CONCAT(?base, "ontology#p")) AS ?p)',
        "BIND (STR(?value) AS ?text)",
    ]
    assert hoist_constants("", body) == (
        'VALUES (?base ?p) { ("http://example.org/" <http://example.org/ontology#p>) }\n'
        " \n \n $this ?p ?value . BIND (STR(?value) AS ?text)\n"
        ' FILTER (?text != "BIND (no)") { BIND (1 AS ?one) }'
    )
    assert hoist_constants("", " BIND (RAND() AS ?r) $this ?p ?r") == " BIND (RAND() AS ?r) $this ?p ?r"


def _validate(tmp_path: Path, ntriples_text: str, parallel: bool = False) -> list[tuple[str, str, str]]:
    path = tmp_path / "added.nt"
    path.write_text(ntriples_text, encoding="utf-8")
    extra = [(source, ntriples(source, BASE)) for source in find_sources([path])]
    report = validate_with_sources(ROOT, BASE, extra, parallel=parallel)
    assert not report.conforms
    return [(f.focus, f.shape.rsplit("#", 1)[-1], f.message) for f in report.findings]


@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "sparql-in-a-process"])
def test_findings_keep_literals_as_written(tmp_path: Path, parallel: bool) -> None:
    focus = f"{BASE}id/quote/000-99#position"
    text = (
        f"<{focus}> {TYPE} <{OA}TextPositionSelector> .\n"
        f'<{focus}> <{OA}start> "07"^^{INTEGER} .\n'
        f'<{focus}> <{OA}end> "003"^^{INTEGER} .\n'
    )
    assert _validate(tmp_path, text, parallel) == [
        (
            focus,
            "TextPositionSelectorShape",
            f"The selector {focus} starts at 07 but ends at 003: oa:start must be less than oa:end.",
        )
    ]


def test_findings_on_blank_focus_nodes(tmp_path: Path) -> None:
    text = (
        f"_:s {TYPE} <{OA}TextPositionSelector> .\n"
        f'_:s <{OA}start> "5"^^{INTEGER} .\n'
        f'_:s <{OA}end> "5"^^{INTEGER} .\n'
    )
    assert _validate(tmp_path, text) == [
        (
            "s",
            "OrphanBlankNodeShape",
            "The data contains a blank node that nothing refers to: the data has no blank nodes, "
            "give it an IRI under id/.",
        ),
        (
            "s",
            "TextPositionSelectorShape",
            "The selector s starts at 5 but ends at 5: oa:start must be less than oa:end.",
        ),
    ]
