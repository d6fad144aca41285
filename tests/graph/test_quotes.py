"""Every quoted sentence occurs in its article at its offsets, and every fact points at one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from tradelod.graph.sources import parse_file, source_files

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
Q = f"""
PREFIX tlo: <{BASE}ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for source in source_files(ROOT):
        if source.kind == "data":
            graph += parse_file(source.path, BASE)
    return graph


def quotes(data: Graph) -> list[tuple[str, str, str, int, int]]:
    rows = data.query(
        Q
        + """
        SELECT ?quote ?copy ?exact ?start ?end WHERE {
          ?quote a tlo:SourceQuote ; oa:hasSource ?article ; oa:hasSelector ?q , ?p .
          ?article tlo:textCopy ?copy .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
        } ORDER BY ?quote"""
    )
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4])) for r in rows]


def test_the_articles_are_exact_copies_of_the_shared_originals() -> None:
    shared = ROOT.parent / "shared" / "articles"
    if not shared.is_dir():
        pytest.skip(reason=f"{shared} is not beside the project on this machine")
    ours = sorted(p.name for p in (ROOT / "data" / "articles").glob("*.txt"))
    assert ours == sorted(p.name for p in shared.glob("*.txt"))
    for name in ours:
        assert (ROOT / "data" / "articles" / name).read_bytes() == (shared / name).read_bytes(), name


def test_every_quote_occurs_in_its_article_at_its_offsets(data: Graph) -> None:
    found = quotes(data)
    total = sum(1 for _ in data.subjects(None, URIRef(f"{BASE}ontology#SourceQuote")))
    assert len(found) == total and total >= 100, (len(found), total)
    wrong = []
    for quote, copy, exact, start, end in found:
        assert copy.startswith(f"{BASE}articles/"), copy
        text = (ROOT / "data" / "articles" / copy.rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        if text[start:end] != exact or not exact.strip():
            wrong.append(f"{quote}: [{start}:{end}] is {text[start:end]!r}, quote is {exact!r}")
    assert wrong == []


def test_every_fact_has_a_quote_from_its_own_article(data: Graph) -> None:
    rows = data.query(
        Q
        + """
        SELECT ?fact ?why WHERE {
          ?fact a ?class .
          VALUES ?class { tlo:LevelObservation tlo:GrowthObservation tlo:Target tlo:Expectation tlo:Claim
                          tlo:BilateralTradeRelation tlo:TradeFlow tlo:OverseasFactory tlo:Certification }
          { FILTER NOT EXISTS { ?fact tlo:sourceQuote ?q } BIND("no quote" AS ?why) }
          UNION { FILTER NOT EXISTS { ?fact tlo:sourceArticle ?a } BIND("no article" AS ?why) }
          UNION { ?fact tlo:sourceQuote/oa:hasSource ?a1 .
                  FILTER NOT EXISTS { ?fact tlo:sourceArticle ?a1 } BIND("quote from another article" AS ?why) }
        }"""
    )
    assert sorted(f"{r[0]} {r[1]}" for r in rows) == []


def test_every_article_is_dated_only_where_it_prints_a_date(data: Graph) -> None:
    rows = data.query(
        Q + "SELECT ?a ?d WHERE { ?a a schema:NewsArticle OPTIONAL { ?a schema:datePublished ?d } }"
    )
    dates = {
        str(r[0]).rsplit("/", 1)[-1]: (r[1].toPython() if isinstance(r[1], Literal) else None) for r in rows
    }
    assert set(dates) == {"000", "001", "002", "003", "004"}
    assert dates["000"] is None and dates["001"] is None and dates["004"] is None
    assert str(dates["002"]) == "2025-07-01 15:39:00"
    assert dates["003"].isoformat() == "2025-08-23T08:40:00+01:00"
