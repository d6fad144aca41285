"""The SPARQL 1.1 Service Description of /sparql: what the endpoint speaks, over which graphs.

Returned for ``GET /sparql`` without a query (W3C SPARQL 1.1 Service Description, section 2). The
service is named by its canonical IRI ``{base}sparql``, as in the VoID/DCAT description, whatever
host serves it. Every node has an IRI (``{base}sparql#…``), no blank nodes. The predeclared prefixes
are listed with SHACL's ``sh:declare`` / ``sh:prefix`` / ``sh:namespace`` pattern, the one standard
vocabulary for "this prefix stands for this namespace".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from tradelod.graph.namespaces import all_prefixes
from tradelod.store.protocol import Store

from .results import GRAPH_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

#: W3C format IRIs (http://www.w3.org/ns/formats/) of every result format the endpoint writes.
RESULT_FORMAT_IRIS: tuple[URIRef, ...] = (
    FORMATS.SPARQL_Results_JSON,
    FORMATS.SPARQL_Results_XML,
    FORMATS.SPARQL_Results_CSV,
    FORMATS.SPARQL_Results_TSV,
    FORMATS.Turtle,
    FORMATS["JSON-LD"],
    FORMATS["N-Triples"],
    FORMATS.RDF_XML,
)


def describe_service(store: Store, config: dict[str, Any], fetched_at: str | None = None) -> Graph:
    """The service description graph for the endpoint over the store's current release.

    ``fetched_at`` is the URL the description was asked at: a mirror or a local deployment states its
    own endpoint (``sd:endpoint``) beside the canonical one, so that a client can check what it talks to.
    """
    base = str(config["BASE_IRI"])
    service = URIRef(f"{base}sparql")
    g = Graph()
    if fetched_at and fetched_at != str(service) and _is_http_iri(fetched_at):
        g.add((service, SD.endpoint, URIRef(fetched_at)))
    for prefix, namespace in all_prefixes(base).items():
        g.bind(prefix, namespace)
    g.bind("formats", FORMATS)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, RDFS.label, Literal("tradelod SPARQL endpoint", lang="en")))
    g.add((service, RDFS.label, Literal("point d'accès SPARQL de tradelod", lang="fr")))
    g.add((service, RDFS.comment, Literal(_limits_text(config), lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    for iri in RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, iri))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if config["SERVICE_ALLOWLIST"]:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for prefix, namespace in all_prefixes(base).items():
        declaration = URIRef(f"{service}#prefix-{prefix}")
        g.add((service, SH.declare, declaration))
        g.add((declaration, SH.prefix, Literal(prefix)))
        g.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))

    dataset = URIRef(f"{service}#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDFS.seeAlso, URIRef(f"{base}dataset")))
    default = URIRef(f"{service}#default-graph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, RDFS.comment, Literal("The union of all the named graphs.", lang="en")))
    for name, triples in graph_sizes(store):
        named = URIRef(f"{service}#graph-{name[len(base) :].replace('/', '-')}")
        described = URIRef(f"{named}-graph")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, described))
        g.add((described, RDF.type, SD.Graph))
        g.add((described, VOID.triples, Literal(triples)))
    g.add((default, VOID.triples, Literal(union_size(store))))
    g.add(
        (dataset, DCTERMS.title, Literal("tradelod: data, ontology, shapes, dataset description", lang="en"))
    )
    return g


def _is_http_iri(text: str) -> bool:
    """Whether ``text`` is an http(s) IRI that can be written as is (a Host header is the client's)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    if not text.startswith(("http://", "https://")) or any(c in text for c in '<>"{}|\\^` '):
        return False
    return bool(urlsplit(text).netloc)


def graph_sizes(store: Store) -> list[tuple[str, int]]:
    """Every named graph of the release with its number of triples, sorted by name.

    Counting reads the whole store (seconds at a million triples), so the build counts them into the
    release's manifest; a release built without them is counted once per release and process.
    """
    key = str(store.release)
    sizes = _SIZES.get(key)
    counted = store.manifest().get("graphs") if sizes is None else None
    if isinstance(counted, dict):  # counted by the build (releases built before it was: below)
        sizes = sorted((str(name), int(n)) for name, n in counted.items())
        _SIZES[key] = sizes
    if sizes is None:
        rows = store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        sizes = [(row["g"].value, int(row["n"].value)) for row in rows]
        if len(_SIZES) >= 8:
            _SIZES.clear()
        _SIZES[key] = sizes
    return sizes


def union_size(store: Store) -> int:
    """The triples of the default graph: the named graphs' union, a triple stated in two of them once.

    The build counts them into the manifest; for a release built before it did, the sum of the
    named graphs' sizes (which counts such a triple twice, as that release's store answered).
    """
    counted = store.manifest().get("union_triples")
    if isinstance(counted, int):
        return counted
    return sum(triples for _, triples in graph_sizes(store))


#: Named-graph sizes per release folder (a cache: releases are immutable).
_SIZES: dict[str, list[tuple[str, int]]] = {}


def _limits_text(config: dict[str, Any]) -> str:
    return (
        "Read-only SPARQL 1.1 query endpoint over the whole tradelod dataset: the default graph is the "
        "union of the named graphs listed here (one per source file, plus the dataset description and "
        "the validation report). The prefixes declared with sh:declare are predeclared. Each query is "
        f"stopped after {float(config['QUERY_TIMEOUT_SECONDS']):g} s (503); results are cut at "
        f"{int(config['QUERY_ROW_LIMIT'])} rows or triples, and a cut response carries the header "
        f"X-Tradelod-Truncated: true; query text over {int(config['QUERY_MAX_BYTES'])} bytes gets 413. "
        "SPARQL Update and SERVICE are refused (403)."
    )


def serialise(graph: Graph, media_type: str) -> bytes:
    """The description in one of the RDF formats offered for CONSTRUCT results."""
    fmt = next(f for f in GRAPH_FORMATS if f.media_type == media_type)
    if fmt.name == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    return graph.serialize(format=fmt.name, encoding="utf-8")
