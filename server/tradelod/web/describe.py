"""Resource descriptions: what one request about a thing answers, read from the store.

A description is the set of triples that answers "what is this and where does it come from" in one
request: every triple whose subject is the thing or one of its hash sub-resources
(``id/quote/003-07#exact``), every triple that points at it, the figures of the facts that point at
it, the source quote (with its selectors) and article of every fact it mentions or is, the labels
and types of every resource mentioned, and the links between the document, the thing and the
dataset.

Every step is a lookup in the store's indexes from terms the description already holds (the thing,
the subjects pointing at it, the objects of its triples), never a scan: a description costs
O(its own size), whatever the size of the store. Hash parts are reached the same way, as the
``thing#…`` IRIs its own triples (or the triples pointing at it) name. Serialisation works on the
triples directly (``serialise``); an rdflib ``Graph`` is only built for the HTML view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from tradelod.graph.namespaces import all_prefixes
from tradelod.store.protocol import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_TYPE = ox.NamedNode(RDF_TYPE)
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SKOS_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
_OA_HAS_SOURCE = ox.NamedNode("http://www.w3.org/ns/oa#hasSource")
_OA_HAS_SELECTOR = ox.NamedNode("http://www.w3.org/ns/oa#hasSelector")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID_IN_DATASET = "http://rdfs.org/ns/void#inDataset"

#: Converted terms kept (``to_rdflib``): the predicates, classes, units and labels that every page
#: repeats are converted once per worker, not once per triple of every page (a few MB at most).
TERMS_KEPT = 16_384

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


#: A triple pattern lookup over the union of the store's graphs: (subject, predicate, object), None
#: for a wildcard. ``OxigraphStore.match`` answers it from the engine's indexes.
Match = Callable[[Any, Any, Any], Iterable[ox.Triple]]


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
    native = getattr(store, "match", None)
    if native is not None:  # two index lookups, stopped at the first triple (no query to parse)
        return any(True for _ in native(node, None, None)) or any(True for _ in native(None, None, node))
    return bool(store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))


def describe(store: TripleSource, thing: str, base: str) -> Description:
    """Collect the description of ``thing``: own triples, incoming links, figures, provenance, labels."""
    node = _node(thing)
    if node is None:
        raise ValueError(f"not an IRI: {thing!r}")
    match = matcher(store)
    tlo = all_prefixes(base)["tlo"]
    incoming = set(match(None, None, node))
    own = _own(match, node, incoming)
    found = own | incoming
    pointing = {t.subject for t in incoming if isinstance(t.subject, ox.NamedNode)}
    found.update(_lookup(match, pointing, [ox.NamedNode(f"{tlo}{p}") for p in FIGURE_PROPERTIES]))
    # Provenance: the quote and article of every fact the description mentions or is, and the
    # sentences that describe the thing itself (tlo:describedBy; not those of every neighbour).
    facts = {node} | pointing | {t.object for t in own if isinstance(t.object, ox.NamedNode)}
    source_quote, source_article = ox.NamedNode(f"{tlo}sourceQuote"), ox.NamedNode(f"{tlo}sourceArticle")
    links = _lookup(match, facts, [source_quote, source_article])
    links |= _lookup(match, {node}, [ox.NamedNode(f"{tlo}describedBy")])
    found |= links
    quotes = {t.object for t in links if t.predicate != source_article and isinstance(t.object, ox.NamedNode)}
    for quote in quotes:
        quoted = set(match(quote, None, None))
        found |= quoted
        for triple in quoted:
            if triple.predicate == _OA_HAS_SELECTOR and isinstance(triple.object, ox.NamedNode):
                found.update(match(triple.object, None, None))
    articles = {t.object for t in found if t.predicate in (source_article, _OA_HAS_SOURCE)}
    articles = {a for a in articles if isinstance(a, ox.NamedNode)}
    found |= _lookup(match, articles, [_expand(p, base) for p in ARTICLE_PROPERTIES])
    mentioned = {term for t in found for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    found |= _lookup(match, mentioned, [_RDF_TYPE, _RDFS_LABEL, _SKOS_PREF_LABEL])
    document = document_iri(thing, base)
    found.update(_document_links(thing, document, base))
    return Description(thing, document, frozenset(found))


def matcher(store: Any) -> Match:
    """The store's own index lookup, or, for a store without one, the same lookup as a CONSTRUCT."""
    native = getattr(store, "match", None)
    if native is not None:
        return cast(Match, native)

    def by_sparql(subject: Any, predicate: Any, obj: Any) -> list[ox.Triple]:
        s, p, o = (
            str(t) if t is not None else f"?{v}" for t, v in ((subject, "s"), (predicate, "p"), (obj, "o"))
        )
        return list(store.triples(f"CONSTRUCT {{ {s} {p} {o} }} WHERE {{ {s} {p} {o} }}"))

    by_sparql.batch = store  # type: ignore[attr-defined]  # _lookup asks such a store once per step
    return by_sparql


def _own(match: Match, node: ox.NamedNode, incoming: set[ox.Triple]) -> set[ox.Triple]:
    """The thing's own triples and those of its hash parts, reached from the terms that name them."""
    prefix = f"{node.value}#"
    own: set[ox.Triple] = set()
    parts = {
        t.subject
        for t in incoming
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(prefix)
    }
    todo, seen = [node, *parts], {node, *parts}
    while todo:
        for triple in match(todo.pop(), None, None):
            own.add(triple)
            obj = triple.object
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(prefix) and obj not in seen:
                seen.add(obj)
                todo.append(obj)
    return own


def _lookup(match: Match, subjects: Iterable[Any], predicates: list[ox.NamedNode]) -> set[ox.Triple]:
    """Every triple with one of the subjects and one of the predicates: one index lookup per pair.

    The embedded store collects the pairs' lookups itself (``match_many``, no generator per pair); a
    store reached over SPARQL (an external engine) is asked once for all pairs instead.
    """
    subjects = [s for s in subjects if isinstance(s, ox.NamedNode)]
    remote = getattr(match, "batch", None)
    if remote is None:
        many = getattr(getattr(match, "__self__", None), "match_many", None)
        if many is not None:
            return cast(set[ox.Triple], many(subjects, predicates))
        return {t for s in subjects for p in predicates for t in match(s, p, None)}
    if not subjects:
        return set()
    # The pairs themselves, not a VALUES of subjects crossed with a VALUES of predicates: Oxigraph
    # joins those two with a scan of every triple (173 ms at 100k, a second at 1M), while a list of
    # (subject, predicate) pairs is one index lookup each (5 ms), on every engine.
    pairs = " ".join(f"({s} {p})" for s in sorted(subjects, key=str) for p in predicates)
    return set(remote.triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {pairs} }} ?s ?p ?o }}"))


def _expand(name: str, base: str) -> ox.NamedNode:
    prefix, local = name.split(":", 1)
    return ox.NamedNode(all_prefixes(base)[prefix] + local)


def graph_triples(store: Store, graph_prefix: str) -> frozenset[ox.Triple]:
    """Every triple of the named graphs whose name starts with ``graph_prefix`` (e.g. the ontology's).

    The graphs are named first (the store lists them without reading them), then read by name: a
    filter on ``STR(?g)`` would read every quad of the store (half a second at 100k triples).
    """
    names = [name for name in store.graph_names() if name.startswith(graph_prefix)]
    if not names:
        return frozenset()
    graphs = " ".join(str(ox.NamedNode(name)) for name in names)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    return frozenset(store.triples(query, use_default_graph_as_union=False))


def as_graph(triples: Iterable[ox.Triple], base: str) -> Graph:
    """Convert pyoxigraph triples to an rdflib Graph, binding the dataset's prefixes."""
    # rdflib's triple-only store: a description has no named graphs, and the default store's
    # context indexes made each added triple cost 19 µs (2.4 ms of an observation's page at 1M).
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in _bindings(base):
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


@lru_cache(maxsize=4)
def _bindings(base: str) -> tuple[tuple[str, URIRef], ...]:
    """The prefixes of a description graph: rdflib's own, then the dataset's over them, and foaf.

    Worked out once per base: binding rdflib's ~30 namespaces and then the dataset's 24 cost every
    page 0.6 ms; a fresh graph binds the final list only (the same prefixes, hence the same CURIEs).
    """
    graph = Graph(store="SimpleMemory")
    for prefix, namespace in all_prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("foaf", FOAF)
    return tuple(graph.namespaces())


@lru_cache(maxsize=TERMS_KEPT)
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


def triples_of(store: TripleSource, iris: Iterable[str], predicate: str) -> frozenset[ox.Triple]:
    """The ``<iri> predicate ?o`` triples of some IRIs: index lookups (one CONSTRUCT on an external engine)."""
    nodes = {node for node in (_node(iri) for iri in iris) if node is not None}
    return frozenset(_lookup(matcher(store), nodes, [ox.NamedNode(predicate)]))


def labels_of(store: TripleSource, iris: Iterable[str]) -> frozenset[ox.Triple]:
    """The rdfs:label triples of some IRIs (the ontology's names for the properties a page shows)."""
    return triples_of(store, iris, _RDFS_LABEL.value)


def named_graph(store: TripleSource, graph_iri: str) -> frozenset[ox.Triple]:
    """The triples of one named graph (empty when there is no such graph)."""
    node = _node(graph_iri)
    if node is None:
        return frozenset()
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
    return frozenset(store.triples(query, use_default_graph_as_union=False))
