"""The engine that validates additional sources rejects what pySHACL rejects, with the same finding.

``tests/graph/test_validation.py`` holds the table of broken fixtures and the one finding pySHACL
gives for each (shape, focus node, words of the message). Here every fixture goes through the bulk
engine (pyshacl-turbo over N-Triples, ``graph/bulk_validation.py``) with the project's ontology and
shapes, exactly as additional sources are validated, and must give that same single finding; the
project's own data must conform. The rewriting of ``$PATH`` and of parameterised target types is
checked on its own too.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

from tradelod.graph.bulk_validation import for_native_engine, sparql_path, validate_with_sources

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
INVALID = ROOT / "tests" / "data" / "invalid"
EX = Namespace("http://example.org/")


def _table() -> ModuleType:
    """pySHACL's test module, for its table of fixtures (loaded from its file: tests are no package)."""
    spec = importlib.util.spec_from_file_location(
        "pyshacl_fixture_table", ROOT / "tests/graph/test_validation.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = _table()
FIXTURES: list[tuple[str, str, str, str]] = TABLE.FIXTURES


def test_the_table_covers_every_fixture() -> None:
    assert sorted(f[0] for f in FIXTURES) == sorted(p.stem for p in INVALID.glob("*.ttl"))
    assert len(FIXTURES) >= 100


def test_project_data_conforms_for_the_bulk_engine() -> None:
    report = validate_with_sources(ROOT, BASE, [])
    assert report.conforms, report.text()
    assert report.findings == []
    assert report.data_triples > 5000  # data and ontology were loaded
    assert report.node_shapes > 40


@pytest.mark.parametrize(("name", "shape", "focus", "words"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_the_bulk_engine_rejects_each_fixture_as_pyshacl_does(
    name: str, shape: str, focus: str, words: str
) -> None:
    report = validate_with_sources(ROOT, BASE, [], data_files=[INVALID / f"{name}.ttl"])
    assert not report.conforms, name
    assert len(report.findings) == 1, report.text()
    finding = report.findings[0]
    if focus == TABLE.BLANK:
        assert not finding.focus.startswith(("http://", "https://")), report.text()
    else:
        assert finding.focus == BASE + focus, report.text()
    assert finding.shape == f"{BASE}shapes#{shape}", report.text()
    assert words in finding.message, report.text()


@pytest.mark.parametrize("name", TABLE.BASE_SENSITIVE)
def test_the_bulk_engine_rejects_them_under_another_base(name: str) -> None:
    other = TABLE.OTHER_BASE
    expected = next(f for f in FIXTURES if f[0] == name)
    report = validate_with_sources(ROOT, other, [], data_files=[INVALID / f"{name}.ttl"])
    assert len(report.findings) == 1, report.text()
    assert report.findings[0].focus == other + expected[2]
    assert report.findings[0].shape == f"{other}shapes#{expected[1]}"


def test_path_is_substituted_in_sparql_syntax() -> None:
    shapes = Graph()
    shape, constraint, path = EX.S, BNode(), BNode()
    shapes.add((shape, SH.path, path))
    shapes.add((path, SH.oneOrMorePath, EX.p))
    shapes.add((shape, SH.sparql, constraint))
    shapes.add((constraint, SH.select, Literal("SELECT $this WHERE { $this $PATH $this . $this $PATHS ?x }")))
    rewritten = for_native_engine(shapes)
    assert str(rewritten.value(constraint, SH.select)) == (
        "SELECT $this WHERE { $this (<http://example.org/p>+) $this . $this $PATHS ?x }"
    )
    inverse = BNode()
    shapes.add((EX.T, SH.path, inverse))
    shapes.add((inverse, SH.inversePath, EX.q))
    assert sparql_path(shapes, inverse) == "(^<http://example.org/q>)"


def test_parameterised_target_types_become_sparql_targets() -> None:
    shapes = Graph()
    kind, parameter, target = EX.Kind, BNode(), BNode()
    shapes.add((kind, RDF.type, SH.SPARQLTargetType))
    shapes.add((kind, SH.parameter, parameter))
    shapes.add((parameter, SH.path, EX.namespace))
    shapes.add(
        (
            kind,
            SH.select,
            Literal("SELECT ?this WHERE { ?this ?p ?o FILTER(STRSTARTS(STR(?this), STR($namespace))) }"),
        )
    )
    shapes.add((EX.Shape, SH.target, target))
    shapes.add((target, RDF.type, kind))
    shapes.add((target, EX.namespace, URIRef("http://example.org/id/")))
    rewritten = for_native_engine(shapes)
    instance = rewritten.value(EX.Shape, SH.target)
    assert rewritten.value(instance, RDF.type) == SH.SPARQLTarget
    assert str(rewritten.value(instance, SH.select)) == (
        "SELECT ?this WHERE { ?this ?p ?o FILTER(STRSTARTS(STR(?this), STR(<http://example.org/id/>))) }"
    )
    assert (EX.Shape, SH.target, target) not in rewritten


def test_the_project_pass_of_a_worker_process_brings_its_source_error_back(tmp_path: Path) -> None:
    import pickle
    import shutil

    from tradelod.graph.bulk_validation import project_pass, project_report
    from tradelod.graph.sources import SourceError

    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    broken = tmp_path / "data" / "000-chongqing-foreign-trade.ttl"
    lines = broken.read_text(encoding="utf-8").count("\n")
    broken.write_text(broken.read_text(encoding="utf-8") + "<broken\n", encoding="utf-8")
    result = pickle.loads(pickle.dumps(project_pass(tmp_path, BASE)))  # as it crosses the process boundary
    assert result == (
        "data/000-chongqing-foreign-trade.ttl",
        lines + 1,
        "Turtle syntax error: unterminated URI reference",
    )
    with pytest.raises(SourceError) as raised:
        project_report(result)
    assert str(raised.value) == (
        f"data/000-chongqing-foreign-trade.ttl:{lines + 1}: Turtle syntax error: unterminated URI reference"
    )
