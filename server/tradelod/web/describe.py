"""Resource descriptions: what one request about a thing answers, read from the store.

A description is the set of triples that answers "what is this and where does it come from" in one
request: every triple whose subject is the thing or one of its hash sub-resources
(``id/quote/003-07#exact``), every triple that points at it, the figures of the facts that point at
it, the source quote (with its selectors) and article of every fact it mentions or is, the labels
and types of every resource mentioned, and the links between the document, the thing and the
dataset. Each part is one CONSTRUCT on the store, so the engine does the work at native speed;
an rdflib ``Graph`` is only built at the end, for serialisation and for the HTML view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from tradelod.graph.namespaces import all_prefixes

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID_IN_DATASET = "http://rdfs.org/ns/void#inDataset"

#: Properties of a fact pointing at the thing that make up its figure (shown with the thing).
FIGURE_PROPERTIES = (
    "value",
    "unit",
    "refPeriod",
    "basePeriod",
    "valueQualifier",
    "variable",
    "targetFactor",
    "horizon",
)

#: Properties of an article worth carrying along with the facts it is the source of.
ARTICLE_PROPERTIES = (
    "rdfs:label",
    "rdf:type",
    "schema:headline",
    "schema:datePublished",
    "schema:url",
    "schema:publisher",
    "tlo:textCopy",
)


class TripleSource(Protocol):
    """What describe() needs from a store: CONSTRUCT and ASK over the union of its graphs."""

    def triples(self, sparql: str, **options: Any) -> Iterable[ox.Triple]:
        """Run a CONSTRUCT and return its triples."""
        ...

    def query(self, sparql: str, **options: Any) -> Any:
        """Run any query (used for ASK)."""
        ...


@dataclass(frozen=True)
class Description:
    """The triples describing ``thing``, served as the document ``document``."""

    thing: str
    document: str
    triples: frozenset[ox.Triple]

    def graph(self, base: str) -> Graph:
        """The description as an rdflib Graph with the dataset's prefixes bound (for serialisers)."""
        return as_graph(self.triples, base)


def dataset_iri(base: str) -> str:
    """The IRI of the dataset every description belongs to."""
    return f"{base}dataset"


def document_iri(thing: str, base: str) -> str:
    """The canonical document about an entity: ``{base}id/x/y`` is described by ``{base}doc/x/y``."""
    path = thing[len(base) :].split("#", 1)[0]
    if thing.startswith(base) and path.startswith("id/"):
        return f"{base}doc/{path[3:]}"
    return thing.split("#", 1)[0]


def exists(store: TripleSource, thing: str) -> bool:
    """True when the store holds a triple with ``thing`` as subject or object."""
    node = _node(thing)
    if node is None:
        return False
    return bool(store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))


def describe(store: TripleSource, thing: str, base: str) -> Description:
    """Collect the description of ``thing``: own triples, incoming links, figures, provenance, labels."""
    node = _node(thing)
    if node is None:
        raise ValueError(f"not an IRI: {thing!r}")
    prefixes = all_prefixes(base)

    def construct(query: str) -> list[ox.Triple]:
        return list(store.triples(query, prefixes=prefixes))

    own = construct(_own(node))
    incoming = construct(f"CONSTRUCT {{ ?s ?p {node} }} WHERE {{ ?s ?p {node} }}")
    found = set(own) | set(incoming)
    pointing = {t.subject for t in incoming if isinstance(t.subject, ox.NamedNode)}
    if pointing:
        found.update(construct(_select(pointing, FIGURE_PROPERTIES)))
    # Provenance: the quote and article of every fact the description mentions or is, and the
    # sentences that describe the thing itself (tlo:describedBy; not those of every neighbour).
    facts = {node} | pointing | {t.object for t in own if isinstance(t.object, ox.NamedNode)}
    links = construct(_select(facts, ("tlo:sourceQuote", "tlo:sourceArticle")))
    links += construct(_select({node}, ("tlo:describedBy",)))
    found.update(links)
    source_article = f"{prefixes['tlo']}sourceArticle"
    quotes = {
        t.object for t in links if t.predicate.value != source_article and isinstance(t.object, ox.NamedNode)
    }
    if quotes:
        found.update(construct(_quotes(quotes)))
    articles = {t.object for t in found if t.predicate.value in (source_article, _HAS_SOURCE)}
    if articles:
        found.update(construct(_select(articles, ARTICLE_PROPERTIES)))
    mentioned = {term for t in found for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    found.update(construct(_labels_and_types(mentioned)))
    document = document_iri(thing, base)
    found.update(_document_links(thing, document, base))
    return Description(thing, document, frozenset(found))


def graph_triples(store: TripleSource, graph_prefix: str) -> frozenset[ox.Triple]:
    """Every triple of the named graphs whose name starts with ``graph_prefix`` (e.g. the ontology's)."""
    prefix = ox.Literal(graph_prefix)  # its N-Triples form is a safely escaped SPARQL string
    query = (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"
    )
    return frozenset(store.triples(query, use_default_graph_as_union=False))


def as_graph(triples: Iterable[ox.Triple], base: str) -> Graph:
    """Convert pyoxigraph triples to an rdflib Graph, binding the dataset's prefixes."""
    graph = Graph()
    for prefix, namespace in all_prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("foaf", FOAF)
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def to_rdflib(term: Any) -> Node:
    """One pyoxigraph term as the equal rdflib term (plain strings stay plain, as in rdflib)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def _own(node: ox.NamedNode) -> str:
    # The thing's own triples and those of its hash sub-resources (``#exact``, ``ontology#Term``).
    # Terms are spliced in their N-Triples form: NamedNode has validated the IRI, Literal escapes.
    hashed = ox.Literal(f"{node.value}#")
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ {node} ?p ?o BIND({node} AS ?s) }} UNION {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {hashed})) }}
}}"""


def _values(nodes: Iterable[ox.NamedNode]) -> str:
    # NamedNode validated the IRI, so its N-Triples form is safe to splice into a query.
    return " ".join(sorted(str(n) for n in nodes))


def _select(subjects: set[Any], properties: Iterable[str]) -> str:
    # Listing the properties in VALUES lets the engine look each (subject, property) pair up
    # directly; a UNION of patterns here would be evaluated before the join and scan the store.
    names = " ".join(p if ":" in p else f"tlo:{p}" for p in properties)
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {_values(subjects)} }} VALUES ?p {{ {names} }} ?s ?p ?o }}"


def _quotes(quotes: set[Any]) -> str:
    return f"""CONSTRUCT {{ ?q ?p ?o . ?sel ?sp ?so }} WHERE {{
  VALUES ?q {{ {_values(quotes)} }} {{ ?q ?p ?o }} UNION {{ ?q oa:hasSelector ?sel . ?sel ?sp ?so }}
}}"""


def _labels_and_types(nodes: set[ox.NamedNode]) -> str:
    return f"""CONSTRUCT {{ ?r a ?t . ?r rdfs:label ?l . ?r skos:prefLabel ?pl }} WHERE {{
  VALUES ?r {{ {_values(nodes)} }}
  {{ ?r a ?t }} UNION {{ ?r rdfs:label ?l }} UNION {{ ?r skos:prefLabel ?pl }}
}}"""


def _document_links(thing: str, document: str, base: str) -> list[ox.Triple]:
    doc, it, dataset = ox.NamedNode(document), ox.NamedNode(thing), ox.NamedNode(dataset_iri(base))
    in_dataset = ox.NamedNode(VOID_IN_DATASET)
    links = [ox.Triple(doc, in_dataset, dataset), ox.Triple(it, in_dataset, dataset)]
    if document != thing:
        links += [
            ox.Triple(doc, ox.NamedNode(f"{FOAF}primaryTopic"), it),
            ox.Triple(it, ox.NamedNode(f"{FOAF}isPrimaryTopicOf"), doc),
            ox.Triple(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{FOAF}Document")),
        ]
    return links


def _node(iri: str) -> ox.NamedNode | None:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def labels_of(store: TripleSource, iris: Iterable[str], base: str) -> frozenset[ox.Triple]:
    """The rdfs:label triples of some IRIs (the ontology's names for the properties a page shows)."""
    nodes = {node for node in (_node(iri) for iri in iris) if node is not None}
    if not nodes:
        return frozenset()
    query = f"CONSTRUCT {{ ?r rdfs:label ?l }} WHERE {{ VALUES ?r {{ {_values(nodes)} }} ?r rdfs:label ?l }}"
    return frozenset(store.triples(query, prefixes=all_prefixes(base)))


def named_graph(store: TripleSource, graph_iri: str) -> frozenset[ox.Triple]:
    """The triples of one named graph (empty when there is no such graph)."""
    node = _node(graph_iri)
    if node is None:
        return frozenset()
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
    return frozenset(store.triples(query, use_default_graph_as_union=False))
