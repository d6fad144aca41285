"""The benchmark's query mix: what users of a trade dataset ask, over the generated data.

Each query is a template; its parameters (two economies that trade often, a bloc, a word of a
label) are read from the built store once, so the same mix runs at every size. Every query is sent
twice per round: as the same text every time ("repeated") and with a constant that changes every
round ("new": a ``BIND`` of an unused variable), so the cost of reading a text for the first time
shows. Every text declares its prefixes: the peers know none.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tradelod.store.embedded import has_union_graph

BASE = "https://w3id.org/tradelod/"
PREFIXES = f"""PREFIX tlo: <{BASE}ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <https://schema.org/>
"""


@dataclass(frozen=True)
class Query:
    """One query of the mix: a name, its form and its text with a ``{nonce}`` slot."""

    name: str
    form: str  # "select" or "construct"
    template: str

    def text(self, nonce: int | None) -> str:
        """The query's text; ``nonce`` None: the repeated text, else a text never sent before."""
        bind = f"BIND({nonce} AS ?bench_nonce)" if nonce is not None else ""
        return PREFIXES + self.template.replace("{nonce}", bind)


@dataclass(frozen=True)
class Parameters:
    """The generated resources the mix asks about."""

    economy: str
    partner: str
    bloc: str
    word: str
    thing: str


def _select(store: ox.Store, text: str) -> list[ox.QuerySolution]:
    """The rows of a SELECT over the union of the store's graphs: its default graph, which the build
    writes as that union (Oxigraph's union mode for a store built before it did)."""
    solutions = store.query(text, use_default_graph_as_union=not has_union_graph(store))
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def parameters(store: ox.Store) -> Parameters:
    """The busiest pair of economies of the generated data, a bloc and a word of a label."""
    rows = _select(
        store,
        PREFIXES
        + """SELECT ?a ?b (COUNT(*) AS ?n) WHERE {
                 ?o a tlo:LevelObservation ; tlo:observedArea ?a ; tlo:counterpartArea ?b .
                 FILTER(CONTAINS(STR(?a), "/gen-"))
               } GROUP BY ?a ?b ORDER BY DESC(?n) STR(?a) STR(?b) LIMIT 1""",
    )
    economy, partner = rows[0]["a"].value, rows[0]["b"].value
    bloc = _select(store, f"SELECT ?bloc WHERE {{ <{economy}> <{BASE}ontology#memberOf> ?bloc }} LIMIT 1")[0][
        "bloc"
    ].value
    label = _select(
        store,
        f'SELECT ?l WHERE {{ <{economy}> <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "en") }}',
    )[0]["l"].value
    word = label.split()[-1].lower()[:4]
    return Parameters(economy, partner, bloc, word, economy)


def mix(p: Parameters) -> list[Query]:
    """The queries of the benchmark, in the order they are reported."""
    return [
        Query(
            "description",
            "construct",
            f"CONSTRUCT {{ <{p.thing}> ?p ?o }} WHERE {{ <{p.thing}> ?p ?o {{nonce}} }}",
        ),
        Query(
            "observations-between",
            "select",
            f"""SELECT ?obs ?start ?value WHERE {{
  ?obs a tlo:LevelObservation ; tlo:observedArea <{p.economy}> ; tlo:counterpartArea <{p.partner}> ;
       tlo:refPeriod ?period ; tlo:value ?value .
  ?period tlo:startDate ?start .
  FILTER(?start >= "2000-01-01"^^xsd:date && ?start < "2025-01-01"^^xsd:date && ?value > 0)
  {{nonce}}
}} ORDER BY ?start DESC(?value) ?obs""",
        ),
        Query(
            "totals-per-partner",
            "select",
            f"""SELECT ?partner (SUM(?value) AS ?total) (COUNT(?obs) AS ?n) WHERE {{
  ?obs a tlo:LevelObservation ; tlo:observedArea <{p.economy}> ; tlo:counterpartArea ?partner ; tlo:value ?value .
  {{nonce}}
}} GROUP BY ?partner ORDER BY DESC(?total) ?partner""",
        ),
        *(
            Query(
                f"label-search-{lang}",
                "select",
                f"""SELECT ?s ?label WHERE {{
  ?s rdfs:label ?label . FILTER(LANG(?label) = "{lang}" && CONTAINS(LCASE(STR(?label)), "{p.word}")) {{nonce}}
}} ORDER BY ?label ?s LIMIT 100""",
            )
            for lang in ("fr", "en")
        ),
        Query(
            "two-hop",
            "select",
            f"""SELECT ?company ?country WHERE {{
  ?flow tlo:exporter ?company ; tlo:importer ?country . ?country tlo:memberOf <{p.bloc}> . {{nonce}}
}} ORDER BY ?company ?country LIMIT 1000""",
        ),
        Query(
            "optional-labels",
            "select",
            """SELECT ?country ?fr ?en WHERE {
  ?country a tlo:Country .
  OPTIONAL { ?country rdfs:label ?fr FILTER(LANG(?fr) = "fr") }
  OPTIONAL { ?country rdfs:label ?en FILTER(LANG(?en) = "en") }
  {nonce}
} ORDER BY ?country""",
        ),
        Query("count", "select", "SELECT (COUNT(?o) AS ?n) WHERE { ?o a tlo:LevelObservation {nonce} }"),
        Query("select-20k", "select", "SELECT ?s ?label WHERE { ?s rdfs:label ?label {nonce} } LIMIT 20000"),
        Query(
            "construct-20k",
            "construct",
            "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label {nonce} } LIMIT 20000",
        ),
    ]
