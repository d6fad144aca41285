"""CSV exports of the cube's datasets, with CSV on the Web (CSVW) metadata.

One CSV per ``qb:DataSet`` (levels, growth rates, shares, ranks), one row per observation, and beside
it ``<file>-metadata.json`` (W3C "Metadata Vocabulary for Tabular Data"): every column typed
(``anyURI``, ``decimal``, ``nonNegativeInteger``, ``positiveInteger``) and linked to the dimension,
measure or attribute it holds (``propertyUrl``), the unit and the source quote as IRIs, so that a CSVW
processor reads the table back into the same figures (tests/graph/test_tables.py does, with ``csvw``).
Rows are sorted by observation IRI, so the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from .cube import KINDS, QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, Kind, cube_iri

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"


@dataclass(frozen=True)
class Column:
    """One column: its name, CSVW datatype, the property its cells are values of, and what it holds."""

    name: str
    datatype: str
    property: str
    description: str
    iri: bool = False  # cells are IRIs (valueUrl "{+name}")
    optional: bool = False  # an empty cell means no value
    separator: str | None = None


@dataclass(frozen=True)
class Table:
    """One written table: the CSV file's name and bytes, its metadata's name and bytes, and its row count."""

    csv_name: str
    csv: bytes
    metadata_name: str
    metadata: bytes
    rows: int
    kind: Kind


def columns(kind: Kind, base: str) -> list[Column]:
    """The columns of one dataset's CSV, in order."""
    tlo = f"{base}ontology#"
    cols = [
        Column("observation", "anyURI", "", "The observation's IRI (the row's subject).", iri=True),
        Column(
            "subject", "anyURI", f"{tlo}observationOf", "What the figure is of (tlo:observationOf).", iri=True
        ),
        Column(
            "ref_area",
            "anyURI",
            str(SDMX_DIMENSION.refArea),
            "Reference area, or id/code/not-stated.",
            iri=True,
        ),
        Column(
            "counterpart", "anyURI", f"{tlo}counterpart", "Counterpart area, or id/code/not-stated.", iri=True
        ),
        Column(
            "ref_period",
            "anyURI",
            str(SDMX_DIMENSION.refPeriod),
            "Reference period (a tlo:Period).",
            iri=True,
        ),
        Column(
            "variable",
            "anyURI",
            f"{tlo}variable",
            "What the figure measures (a statistical variable).",
            iri=True,
        ),
        Column(
            "product",
            "anyURI",
            f"{tlo}productDimension",
            "Product category, or id/code/not-stated.",
            iri=True,
        ),
        Column(
            "figure",
            "nonNegativeInteger",
            f"{tlo}figureNumber",
            "Position in a list of figures of one sentence, 0 if none.",
        ),
    ]
    if kind.base_period:
        cols.append(
            Column("base_period", "anyURI", f"{tlo}basePeriod", "Base period of the growth.", iri=True)
        )
    if kind.measure == "rank":
        cols.append(Column("rank", "positiveInteger", f"{tlo}rank", "The position (an ordinal, no unit)."))
    else:
        cols.append(
            Column("value", "decimal", str(SDMX_MEASURE.obsValue), "The figure, normalised to its unit.")
        )
        cols.append(Column("unit", "anyURI", str(SDMX_ATTRIBUTE.unitMeasure), "Unit of measure.", iri=True))
    cols += [
        Column(
            "qualifier",
            "anyURI",
            f"{tlo}valueQualifier",
            "Exact, approximately, more than, nearly.",
            iri=True,
        ),
        Column(
            "precision",
            "decimal",
            f"{tlo}precision",
            "Step the article rounds to, in the unit; empty if none.",
            optional=True,
        ),
        Column(
            "source_quote",
            "anyURI",
            f"{tlo}sourceQuote",
            "The sentence(s) that state the figure.",
            iri=True,
            separator=" ",
        ),
        Column("label", "string", str(RDFS.label), "What the figure is, in English."),
    ]
    return cols


def cube_tables(graph: Graph, base: str, version: str, license_iri: str) -> list[Table]:
    """One CSV + CSVW metadata per dataset of the cube in ``graph`` (data and cube together)."""
    return [_table(graph, kind, base, version, license_iri) for kind in KINDS]


def _table(graph: Graph, kind: Kind, base: str, version: str, license_iri: str) -> Table:
    cols = columns(kind, base)
    name = f"tradelod-{kind.slug}-{version}.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in cols])
    observations = sorted(set(graph.subjects(QB.dataSet, cube_iri(base, kind))), key=str)
    for obs in observations:
        writer.writerow([_cell(graph, obs, c) for c in cols])
    metadata = _metadata(kind, cols, name, base, license_iri)
    return Table(
        name,
        buffer.getvalue().encode("utf-8"),
        f"{name}-metadata.json",
        (json.dumps(metadata, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
        len(observations),
        kind,
    )


def _cell(graph: Graph, obs: Any, col: Column) -> str:
    if col.name == "observation":
        return str(obs)
    prop = URIRef(col.property)
    if col.name == "label":
        english = [o for o in graph.objects(obs, prop) if isinstance(o, Literal) and o.language == "en"]
        return str(english[0]) if english else ""
    values = sorted(str(v) for v in graph.objects(obs, prop))
    if not values:
        assert col.optional, (obs, col.name)
        return ""
    if col.separator is None:
        assert len(values) == 1, (obs, col.name, values)
    if col.datatype == "decimal":
        return str(Decimal(values[0]))
    return (col.separator or "").join(values)


def _metadata(kind: Kind, cols: list[Column], name: str, base: str, license_iri: str) -> dict[str, Any]:
    schema_columns: list[dict[str, Any]] = []
    for col in cols:
        entry: dict[str, Any] = {
            "name": col.name,
            "titles": col.name,
            "datatype": col.datatype,
            "dc:description": col.description,
        }
        if col.name == "observation":
            entry["suppressOutput"] = True
            entry["required"] = True
        else:
            entry["propertyUrl"] = col.property
            entry["required"] = not col.optional
        if col.iri and col.name != "observation":
            entry["valueUrl"] = f"{{+{col.name}}}"
        if col.separator:
            entry["separator"] = col.separator
        if col.name == "label":
            entry["lang"] = "en"
        schema_columns.append(entry)
    schema_columns.append({"virtual": True, "propertyUrl": "rdf:type", "valueUrl": str(QB.Observation)})
    schema_columns.append(
        {"virtual": True, "propertyUrl": str(QB.dataSet), "valueUrl": str(cube_iri(base, kind))}
    )
    return {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": name,
        "dc:title": f"tradelod: {kind.label_en}",
        "dc:description": kind.comment,
        "dc:license": {"@id": license_iri},
        "dc:source": {"@id": str(cube_iri(base, kind))},
        "tableSchema": {"columns": schema_columns, "primaryKey": "observation", "aboutUrl": "{+observation}"},
    }
