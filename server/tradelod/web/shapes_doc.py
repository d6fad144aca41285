"""Documentation of the SHACL shapes, generated from the shapes graph (pyLODE has no SHACL profile).

For each shape: what it targets, each property constraint (path, cardinality, datatype, class,
pattern, ranges…) with its message, each SPARQL constraint with its message and query, so that a
reader can see exactly what the published data is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from .rendering import Links, TermView, curie, pick, term_view

SH = Namespace("http://www.w3.org/ns/shacl#")

#: Target predicates, in the order they are listed.
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

#: Predicates that are not constraints (shown elsewhere, or structural).
_NOT_CONSTRAINTS = {
    RDF.type,
    SH.path,
    SH.message,
    SH.name,
    SH.description,
    SH.property,
    SH.sparql,
    SH.select,
    SH.prefixes,
    RDFS.label,
    RDFS.comment,
    SH.order,
    SH.group,
    *TARGETS,
}


@dataclass(frozen=True)
class Constraint:
    """One constraint component and its value(s), e.g. ``minCount 1`` or ``in (a, b)``."""

    name: str
    values: list[TermView]


@dataclass(frozen=True)
class PropertyView:
    """A property shape: its path, its constraints, its messages."""

    path: str
    href: str | None
    constraints: list[Constraint]
    messages: list[str]


@dataclass(frozen=True)
class SparqlView:
    """A SHACL-SPARQL constraint: its message and the SELECT it runs."""

    messages: list[str]
    select: str


@dataclass
class ShapeView:
    """A shape with its targets and constraints, anchored at its IRI's fragment."""

    anchor: str
    iri: str | None
    title: str
    description: str | None
    targets: list[Constraint]
    constraints: list[Constraint]
    messages: list[str]
    properties: list[PropertyView] = field(default_factory=list)
    sparql: list[SparqlView] = field(default_factory=list)


@dataclass
class ShapesDoc:
    """The whole page: the shapes graph's own metadata and every shape."""

    title: str
    description: str | None
    version: str | None
    shapes: list[ShapeView]


def shapes_doc(graph: Graph, links: Links) -> ShapesDoc:
    """Build the documentation of every shape in ``graph``."""
    lang = links.lang
    header = URIRef(f"{links.base}shapes")
    subjects = {s for s in graph.subjects(RDF.type, SH.NodeShape)}
    subjects |= {s for s in graph.subjects(RDF.type, SH.SPARQLTargetType)}
    subjects |= {s for p in TARGETS for s in graph.subjects(p, None)}
    shapes = [_shape(graph, s, links) for s in subjects]
    shapes.sort(key=lambda v: (v.anchor.casefold(), v.anchor))
    return ShapesDoc(
        title=_text(graph, header, (DCTERMS.title, RDFS.label), lang) or "tradelod shapes",
        description=_text(graph, header, (DCTERMS.description, RDFS.comment), lang),
        version=str(graph.value(header, OWL.versionInfo) or "") or None,
        shapes=shapes,
    )


def _text(graph: Graph, node: Node, properties: tuple[URIRef, ...], lang: str) -> str | None:
    for prop in properties:
        found = pick([o for o in graph.objects(node, prop) if isinstance(o, Literal)], lang)
        if found is not None:
            return str(found)
    return None


def _messages(graph: Graph, node: Node, lang: str) -> list[str]:
    literals = [o for o in graph.objects(node, SH.message) if isinstance(o, Literal)]
    preferred = [lit for lit in literals if lit.language in (lang, None)] or literals
    return sorted(str(m) for m in preferred)


def _shape(graph: Graph, node: Node, links: Links) -> ShapeView:
    iri = str(node) if isinstance(node, URIRef) else None
    anchor = iri.rsplit("#", 1)[-1] if iri and "#" in iri else f"shape-{node}"
    title = _text(graph, node, (RDFS.label, SH.name), links.lang) or (curie(graph, iri) if iri else anchor)
    return ShapeView(
        anchor=anchor,
        iri=iri,
        title=title,
        description=_text(graph, node, (RDFS.comment, SH.description), links.lang),
        targets=sorted(
            (
                Constraint(_local(p), [_value(graph, o, links)])
                for p in TARGETS
                for o in graph.objects(node, p)
            ),
            key=lambda c: (c.name, c.values[0].text),
        ),
        constraints=_constraints(graph, node, links),
        messages=_messages(graph, node, links.lang),
        properties=sorted(
            (_property(graph, p, links) for p in graph.objects(node, SH.property)), key=lambda v: v.path
        ),
        sparql=sorted(
            (
                SparqlView(_messages(graph, c, links.lang), str(graph.value(c, SH.select) or "").strip())
                for c in [
                    *graph.objects(node, SH.sparql),
                    *([node] if (node, SH.select, None) in graph else []),
                ]
            ),
            key=lambda v: (v.messages, v.select),
        ),
    )


def _property(graph: Graph, node: Node, links: Links) -> PropertyView:
    path = graph.value(node, SH.path)
    href = links.href(str(path)) if isinstance(path, URIRef) else None
    return PropertyView(
        _path(graph, path), href, _constraints(graph, node, links), _messages(graph, node, links.lang)
    )


def _constraints(graph: Graph, node: Node, links: Links) -> list[Constraint]:
    found = []
    for predicate in sorted(set(graph.predicates(node, None)) - _NOT_CONSTRAINTS, key=str):
        values = []
        for obj in sorted(graph.objects(node, predicate), key=str):
            if isinstance(obj, BNode) and graph.value(obj, RDF.first) is not None:
                values += [_value(graph, item, links) for item in Collection(graph, obj)]
            else:
                values.append(_value(graph, obj, links))
        found.append(Constraint(_local(predicate), values))
    return found


def _value(graph: Graph, node: Node, links: Links) -> TermView:
    if isinstance(node, URIRef):
        return TermView(curie(graph, str(node)), href=links.href(str(node)), iri=str(node))
    if isinstance(node, BNode):
        return TermView(summary(graph, node), kind="bnode")
    return term_view(graph, node, links)


def summary(graph: Graph, node: Node, depth: int = 0) -> str:
    """A blank node written out in place: ``[sh:class tlo:City]``, lists as ``(a, b)``, nested to 4 levels."""
    if isinstance(node, URIRef):
        return curie(graph, str(node))
    if isinstance(node, Literal):
        return str(node)
    if depth > 4:
        return "[…]"
    if graph.value(node, RDF.first) is not None:
        return "(" + ", ".join(summary(graph, item, depth + 1) for item in Collection(graph, node)) + ")"
    parts = []
    for predicate, obj in sorted(graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        name = "a" if predicate == RDF.type else curie(graph, str(predicate))
        parts.append(f"{name} {summary(graph, obj, depth + 1)}")
    return "[" + "; ".join(parts) + "]"


def _path(graph: Graph, path: Node | None) -> str:
    """A SHACL property path in SPARQL syntax: ``tlo:value``, ``^tlo:party``, ``a/b``, ``(a|b)*``."""
    if path is None:
        return "?"
    if isinstance(path, URIRef):
        return curie(graph, str(path))
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path(graph, p) for p in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_path(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(graph, p) for p in Collection(graph, alternatives)) + ")"
    return f"_:{path}"


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]
