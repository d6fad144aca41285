"""The cube's CSV exports read back, through the PyPI ``csvw`` library and their CSVW metadata, to the same figures.

Each dataset of the cube has a CSV and a ``-metadata.json`` in the release's dumps; ``csvw`` types every
cell from the metadata, and each typed row must equal what the store says of that observation.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from csvw import Table

from tradelod import __version__
from tradelod.graph.build import BuildSummary
from tradelod.graph.cube import KINDS

BASE = "https://w3id.org/tradelod/"
ROWS = {"levels": 32, "growth-rates": 6, "shares": 1, "ranks": 4}


@pytest.fixture(scope="module")
def store(built: BuildSummary) -> ox.Store:
    return ox.Store.read_only(str(built.release / "store"))


def iri(value: object) -> str:
    """An anyURI cell as csvw types it (an rfc3986 URIReference), as a string."""
    unsplit = getattr(value, "unsplit", None)
    return str(unsplit()) if unsplit is not None else str(value)


def figures(store: ox.Store, dataset: str) -> dict[str, dict[str, object]]:
    """What the store says of each observation of a dataset, column by column."""
    query = f"""
    PREFIX tlo: <{BASE}ontology#>
    PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
    SELECT ?obs ?subject ?area ?counterpart ?period ?variable ?product ?figure ?value ?unit ?qualifier ?precision
           (GROUP_CONCAT(STR(?quote); separator=" ") AS ?quotes) ?base WHERE {{
      ?obs <http://purl.org/linked-data/cube#dataSet> <{BASE}id/cube/{dataset}> ;
           tlo:observationOf ?subject ; sdmx-dimension:refArea ?area ; tlo:counterpart ?counterpart ;
           sdmx-dimension:refPeriod ?period ; tlo:variable ?variable ; tlo:productDimension ?product ;
           tlo:figureNumber ?figure ; tlo:valueQualifier ?qualifier ; tlo:sourceQuote ?quote .
      OPTIONAL {{ ?obs tlo:value ?value }} OPTIONAL {{ ?obs tlo:rank ?value }}
      OPTIONAL {{ ?obs tlo:unit ?unit }} OPTIONAL {{ ?obs tlo:precision ?precision }}
      OPTIONAL {{ ?obs tlo:basePeriod ?base }}
    }} GROUP BY ?obs ?subject ?area ?counterpart ?period ?variable ?product ?figure ?value ?unit ?qualifier ?precision ?base"""
    found = {}
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    for row in solutions:
        term = {name: (row[name].value if row[name] is not None else None) for name in names}
        found[str(term["obs"])] = term
    return found


@pytest.mark.parametrize("kind", KINDS, ids=[k.slug for k in KINDS])
def test_csv_and_csvw_metadata_read_back_to_the_same_figures(
    built: BuildSummary, store: ox.Store, kind
) -> None:
    folder = built.release / "dumps"
    metadata = folder / f"tradelod-{kind.slug}-{__version__}.csv-metadata.json"
    table = Table.from_file(metadata)
    rows = list(table.iterdicts())
    expected = figures(store, kind.slug)
    assert len(rows) == len(expected) == ROWS[kind.slug]
    for row in rows:
        want = expected[iri(row["observation"])]
        assert iri(row["subject"]) == want["subject"]
        assert iri(row["ref_area"]) == want["area"]
        assert iri(row["counterpart"]) == want["counterpart"]
        assert iri(row["ref_period"]) == want["period"]
        assert iri(row["variable"]) == want["variable"]
        assert iri(row["product"]) == want["product"]
        assert row["figure"] == int(str(want["figure"]))
        assert iri(row["qualifier"]) == want["qualifier"]
        assert sorted(iri(q) for q in row["source_quote"]) == sorted(str(want["quotes"]).split())
        if kind.measure == "rank":
            assert row["rank"] == int(str(want["value"])) and "unit" not in row
        else:
            assert row["value"] == Decimal(str(want["value"]))
            assert iri(row["unit"]) == want["unit"]
        assert row["precision"] == (Decimal(str(want["precision"])) if want["precision"] else None)
        if kind.base_period:
            assert iri(row["base_period"]) == want["base"]


def test_every_column_is_typed_and_linked_to_a_component(built: BuildSummary) -> None:
    for kind in KINDS:
        path = built.release / "dumps" / f"tradelod-{kind.slug}-{__version__}.csv-metadata.json"
        schema = json.loads(path.read_text(encoding="utf-8"))["tableSchema"]
        real = [c for c in schema["columns"] if not c.get("virtual")]
        assert all(c["datatype"] for c in real)
        assert all(c.get("propertyUrl") for c in real if c["name"] != "observation")
        names = {c["name"] for c in real}
        assert {"ref_area", "counterpart", "ref_period", "variable", "product", "source_quote"} <= names
        assert ("unit" in names) == (kind.measure != "rank")


def test_the_csv_has_one_header_line_and_one_line_per_figure(built: BuildSummary) -> None:
    path: Path = built.release / "dumps" / f"tradelod-levels-{__version__}.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0].startswith(
        "observation,subject,ref_area,counterpart,ref_period,variable,product,figure,value"
    )
    assert len([line for line in lines if line]) == 1 + ROWS["levels"]
