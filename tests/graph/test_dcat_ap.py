"""The dataset description conforms to DCAT-AP 3.0, as SEMIC's official SHACL shapes check it.

The shapes are vendored in tests/data/dcat-ap/ (DCAT-AP 3.0.1, source in tests/data/README.md): the
mandatory shapes and the range shapes must report nothing; the recommended ones may only miss what
tradelod does not know (a bounding box or centroid of the places, the planned availability of the
files, the publisher's type) or leaves out on purpose (a licence for the article texts, which are not
ours to license: they carry a rights statement instead).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH

from tradelod.graph.build import BuildSummary

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SHAPES = Path(__file__).resolve().parents[1] / "data" / "dcat-ap"
BASE = "https://w3id.org/tradelod/"
#: What the recommended shapes may still miss, and why (see the module docstring).
UNKNOWN = {
    URIRef("http://www.w3.org/ns/dcat#bbox"),
    URIRef("http://www.w3.org/ns/dcat#centroid"),
    URIRef("http://data.europa.eu/r5r/availability"),
    DCTERMS.type,
    DCTERMS.license,
}


@pytest.fixture(scope="module")
def description(built: BuildSummary) -> Graph:
    graph = Graph().parse(built.release / "void.ttl", format="turtle")
    assert (URIRef(f"{BASE}dataset"), RDF.type, DCAT.Dataset) in graph
    return graph


def results(data: Graph, shapes: str) -> list[tuple[str, str, str]]:
    graph = Graph().parse(SHAPES / f"{shapes}.ttl", format="turtle")
    assert len(graph) > 100, shapes  # the shapes were loaded
    _, report, _ = validate(data, shacl_graph=graph, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    return sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


@pytest.mark.parametrize("shapes", ["shapes", "range"])
def test_mandatory_and_range_shapes_report_nothing(description: Graph, shapes: str) -> None:
    assert results(description, shapes) == []


def test_recommended_shapes_miss_only_what_is_not_known(description: Graph) -> None:
    missing = results(description, "shapes_recommended")
    assert {URIRef(path) for _, path, _ in missing} <= UNKNOWN
    licence_free = {focus for focus, path, _ in missing if path == str(DCTERMS.license)}
    assert licence_free == {
        f"{BASE}articles/{p.name}"
        for p in (Path(__file__).resolve().parents[2] / "data" / "articles").glob("*.txt")
    }


def test_publisher_creator_contact_and_two_rights(description: Graph) -> None:
    ds = URIRef(f"{BASE}dataset")
    publisher = description.value(ds, DCTERMS.publisher)
    assert description.value(ds, DCTERMS.creator) == publisher
    assert Literal("The tradelod team", lang="en") in set(description.objects(publisher, FOAF.name))
    contact = description.value(ds, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in description
    assert description.value(ds, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    articles = URIRef(f"{BASE}dataset/articles")
    assert description.value(ds, DCTERMS.source) == articles
    assert description.value(articles, DCTERMS.license) is None
    rights = str(
        description.value(
            description.value(articles, DCTERMS.rights), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        )
    )
    assert "not licensed" in rights and "right of quotation" in rights


def test_coverage_is_read_from_the_figures(description: Graph) -> None:
    ds = URIRef(f"{BASE}dataset")
    temporal = description.value(ds, DCTERMS.temporal)
    assert str(description.value(temporal, DCAT.startDate)) == "1967-01-01"  # ASEAN's five founders, 1967
    assert str(description.value(temporal, DCAT.endDate)) == "2025-12-31"
    spatial = {
        str(description.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))).removeprefix(
            f"{BASE}id/"
        )
        for s in description.objects(ds, DCTERMS.spatial)
    }
    assert {"place/china", "place/kazakhstan", "place/chongqing", "place/singapore", "org/asean"} <= spatial
