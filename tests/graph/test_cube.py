"""The statistical cube: datasets and structures a qb/SDMX client can read, and the W3C integrity constraints.

IC-1 to IC-21 run on the cube the build writes (data, ontology and cube together) and must all pass;
each has a broken fixture in tests/data/invalid/cube/ that violates it and no other, and the valid
cube those fixtures start from (tests/data/cube/valid.ttl) passes them all, so no constraint is dead.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from support.project import BASE, ROOT, sources_of
from tradelod.graph.build import BuildError, BuildSummary, build
from tradelod.graph.cube import KINDS, QB, SDMX_DIMENSION, SDMX_MEASURE, cube_graph
from tradelod.graph.integrity import constraints, violations

TLO = f"{BASE}ontology#"
CUBE_FIXTURES = ROOT / "tests" / "data" / "invalid" / "cube"
NOT_STATED = URIRef(f"{BASE}id/code/not-stated")


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph, Graph]:
    data, ontology = sources_of("data"), sources_of("ontology")
    return data, ontology, cube_graph(data, ontology, BASE)


@pytest.fixture(scope="module")
def store(built: BuildSummary) -> ox.Store:
    return ox.Store.read_only(str(built.release / "store"))


def test_the_21_constraints_of_the_recommendation_are_loaded() -> None:
    numbers = [c.number for c in constraints()]
    assert numbers == list(range(1, 22))
    assert all(c.asks and c.text.endswith(".") for c in constraints())
    assert [c.name for c in constraints()][11] == "IC-12. No duplicate observations"


def test_the_published_cube_passes_every_integrity_constraint(graphs: tuple[Graph, Graph, Graph]) -> None:
    data, ontology, cube = graphs
    assert len(cube) > 500
    assert [c.name for c in violations(data + ontology + cube)] == []


def test_the_valid_fixture_passes_every_constraint() -> None:
    assert violations(Graph().parse(ROOT / "tests" / "data" / "cube" / "valid.ttl")) == []


@pytest.mark.parametrize("number", range(1, 22))
def test_each_constraint_fails_on_its_broken_fixture(number: int) -> None:
    (path,) = CUBE_FIXTURES.glob(f"ic-{number:02d}-*.ttl")
    assert path.read_text(encoding="utf-8").startswith(f"# Breaks IC-{number}: ")
    assert [c.number for c in violations(Graph().parse(path))] == [number]


def test_every_observation_is_in_exactly_one_dataset_of_its_kind(graphs: tuple[Graph, Graph, Graph]) -> None:
    data, _, cube = graphs
    observations = {s for k in KINDS for s in data.subjects(RDF.type, URIRef(TLO + k.cls))}
    assert len(observations) == 43
    for obs in observations:
        assert len(list(cube.objects(obs, QB.dataSet))) == 1, obs
    sizes = {k.slug: len(list(cube.subjects(QB.dataSet, URIRef(f"{BASE}id/cube/{k.slug}")))) for k in KINDS}
    assert sizes == {"levels": 32, "growth-rates": 6, "shares": 1, "ranks": 4}


def test_every_dataset_and_structure_is_labelled_in_french_and_english(
    graphs: tuple[Graph, Graph, Graph],
) -> None:
    _, _, cube = graphs
    for kind in KINDS:
        dataset = URIRef(f"{BASE}id/cube/{kind.slug}")
        structure = cube.value(dataset, QB.structure)
        for node, prop in ((dataset, RDFS.label), (dataset, RDFS.comment), (structure, RDFS.label)):
            assert {o.language for o in cube.objects(node, prop) if isinstance(o, Literal)} == {"en", "fr"}, (
                node,
                prop,
            )


def test_two_readings_of_one_sentence_differ_by_the_figure_number(graphs: tuple[Graph, Graph, Graph]) -> None:
    _, _, cube = graphs
    first, second = (URIRef(f"{BASE}id/observation/000-cq-vehicle-exports-growth-2024-{n}") for n in (1, 2))
    figure = URIRef(TLO + "figureNumber")
    assert cube.value(first, figure) == Literal(1, datatype=XSD.nonNegativeInteger)
    assert cube.value(second, figure) == Literal(2, datatype=XSD.nonNegativeInteger)


def test_a_dimension_the_article_leaves_out_is_not_stated(graphs: tuple[Graph, Graph, Graph]) -> None:
    _, _, cube = graphs
    order = URIRef(f"{BASE}id/observation/002-eugene-uk-trial-order-value")
    assert cube.value(order, SDMX_DIMENSION.refArea) == NOT_STATED  # the company is not an area
    assert cube.value(order, URIRef(TLO + "counterpart")) == URIRef(f"{BASE}id/place/united-kingdom")


QB_ONLY = """
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?obs ?value WHERE {
  ?obs a qb:Observation ; qb:dataSet/qb:structure/qb:component/qb:measure ?measure ; ?measure ?value .
}"""
TLO_VALUES = f"""
SELECT ?obs ?value WHERE {{ ?obs <{TLO}value>|<{TLO}rank> ?value . ?obs a/<http://www.w3.org/2000/01/rdf-schema#subClassOf> <{TLO}Observation> }}"""


def test_a_client_that_knows_only_qb_reads_every_figure(store: ox.Store) -> None:
    """From the DSD's measure alone, a qb client finds the same 43 figures as the tlo: properties give."""

    def pairs(query: str) -> set[tuple[str, str]]:
        return {(r["obs"].value, r["value"].value) for r in store.query(query)}

    qb_pairs = pairs(QB_ONLY)
    assert len(qb_pairs) == 43
    assert qb_pairs == pairs(TLO_VALUES)


def test_levels_carry_obs_value_and_unit_ranks_carry_no_unit(store: ox.Store) -> None:
    query = f"""
    SELECT ?ds (COUNT(?obs) AS ?n) (COUNT(?unit) AS ?units) (COUNT(?v) AS ?values) WHERE {{
      ?obs <{QB}dataSet> ?ds .
      OPTIONAL {{ ?obs <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?unit }}
      OPTIONAL {{ ?obs <{SDMX_MEASURE.obsValue}> ?v }}
    }} GROUP BY ?ds ORDER BY ?ds"""
    rows = {
        r["ds"].value.removeprefix(f"{BASE}id/cube/"): (
            int(r["n"].value),
            int(r["units"].value),
            int(r["values"].value),
        )
        for r in store.query(query)
    }
    assert rows == {
        "growth-rates": (6, 6, 6),
        "levels": (32, 32, 32),
        "ranks": (4, 0, 0),
        "shares": (1, 1, 1),
    }


@pytest.mark.slow
def test_the_build_refuses_a_cube_that_breaks_a_constraint(project_copy: Path, tmp_path: Path) -> None:
    """Two figures with every dimension equal (IC-12) pass SHACL but stop the build: nothing is published."""
    source = project_copy / "data" / "003-kazakhstan-china-trade.ttl"
    text = source.read_text(encoding="utf-8")
    start = text.index("<id/observation/003-kz-cn-border-length> a")
    block = text[start : text.index(" .\n", start) + 3]
    twin = block.replace("003-kz-cn-border-length>", "003-kz-cn-border-length-again>").replace(
        '"1700"^^xsd:decimal', '"1701"^^xsd:decimal'
    )
    source.write_text(text + "\n" + twin, encoding="utf-8")
    with pytest.raises(BuildError, match=r"IC-12\. No duplicate observations"):
        build(project_copy, tmp_path / "build", BASE, progress=lambda _: None)
    assert not (tmp_path / "build" / "current").exists()
