"""SHACL-SPARQL constraints run once over the whole data, not once per focus node.

pyshacl-turbo evaluates a SPARQL-based constraint (``sh:sparql``, SHACL 5) once per focus node with
``$this`` pre-bound: fast for core constraints, but at a million triples our 21 SPARQL constraints
cost minutes and grow faster than the data. Here each is one SELECT over an in-memory Oxigraph store
holding the same N-Triples: its ``$this`` is bound by the shape's targets, exactly as SHACL 2.1.3
defines focus nodes (``sh:targetNode``, ``sh:targetClass`` through ``rdf:type/rdfs:subClassOf*``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, and ``sh:SPARQLTarget`` by its own query), joined
with the constraint's WHERE in the same group:

    SELECT DISTINCT ?this WHERE { { SELECT DISTINCT ?this WHERE { targets } } <the constraint's WHERE> }

The join is the pre-binding of SHACL 5.3.1 when ``$this`` is bound, wherever it occurs, before the
pattern that reads it is evaluated: in the outermost group (its triple patterns, FILTERs, BINDs and
the EXISTS / NOT EXISTS inside them, which see the target's binding), or in a nested group (a UNION
branch, an OPTIONAL) whose own triple patterns bind it. ``equivalence_problem`` checks this on the
parsed query; a query that reads ``$this`` elsewhere (a nested group that does not bind it, a
sub-SELECT, MINUS, VALUES, SERVICE, GRAPH, ``BIND … AS $this``) or has solution modifiers (LIMIT,
GROUP BY, … are per focus node) stays with pyshacl-turbo, per node. All 21 constraints of
``shapes/*.ttl`` qualify (``tests/graph/test_sparql_constraints.py`` says so): each reads ``$this`` in
its outermost group, in EXISTS / NOT EXISTS filters there, or in UNION branches that bind it
(``tls:PeriodShape``'s OWL-Time bounds). ``$currentShape`` is written as the shape's IRI (so a
constraint on a blank property shape that reads it stays per node), ``$PATH`` was substituted by
``bulk_validation.for_native_engine``; ``$shapesGraph`` keeps a constraint per node. ``sh:prefixes``
become the query's PREFIX lines. A deactivated shape or constraint is not run. The constant BINDs
that rebuild ontology terms from ``$currentShape`` become one VALUES row (``sparql_text``), so that
Oxigraph looks the triples up rather than scanning them.

A constraint is run here only where its shape's findings come from its targets alone: a named node
shape (or a blank property shape that only that node shape holds with ``sh:property``) that no other
shape refers to (``sh:node``, ``sh:not``, ``sh:or`` … evaluate it on other nodes).

The query only finds *which* focus nodes violate a constraint. The findings themselves (message with
``{?var}`` substituted, ``sh:value``, ``sh:resultPath``, severity) are written by pyshacl-turbo, which
re-validates just those shapes on just those focus nodes, per node as before
(``bulk_validation``). That also settles Oxigraph's datatype caveat: its store keeps typed literals
by value, writing ``"05"^^xsd:integer`` back as ``"5"`` and ``xsd:positiveInteger`` as
``xsd:integer``; our constraints compare values (``<``, ``-``, ``!=``), take ``STRLEN`` of strings and
``DATATYPE`` of dates, which the store keeps, so *which* nodes fail is the same, and the text of the
findings never comes from the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from .sparql_text import hoist_constants

THIS = Variable("this")

#: A focus node as the store gives it.
Focus = ox.NamedNode | ox.BlankNode | ox.Literal

#: Where a shape may be referred to by another shape, so evaluated on nodes other than its targets.
_SHAPE_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property, RDF.first)

#: What a node shape may hold besides constraints: targets and words (SHACL 2.1, 2.3).
_TARGETS = (SH.target, SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_NOT_CONSTRAINTS = {
    *_TARGETS,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
}

_SELECT = re.compile(
    r"^\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(?:[?$]\w+\s+)*[?$]\w+\s*(?:WHERE\s*)?\{(?P<body>.*)\}\s*$",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True)
class BulkConstraint:
    """A SPARQL constraint rewritten as one query over the whole data."""

    node_shape: URIRef  # the named node shape whose targets give the focus nodes
    shape: URIRef | BNode  # the shape that holds the sh:sparql (the node shape or one of its property shapes)
    constraint: URIRef | BNode
    query: str  # SELECT DISTINCT ?this: the focus nodes that violate it


def split(shapes: Graph) -> tuple[Graph, list[BulkConstraint]]:
    """The shapes without the SPARQL constraints that can run in bulk, and those constraints as queries.

    ``shapes`` are the shapes as ``for_native_engine`` writes them (``$PATH`` substituted, target types
    instantiated). A constraint that cannot run in bulk (see the module docstring) stays in the shapes.
    """
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for namespace in shapes.namespaces():
        core.bind(*namespace)
    bulk: list[BulkConstraint] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if not isinstance(shape, URIRef | BNode) or not isinstance(constraint, URIRef | BNode):
            continue
        if _deactivated(shapes, constraint):
            core.remove((shape, SH.sparql, constraint))
            continue
        node_shape = _holder(shapes, shape)
        if node_shape is None:
            continue
        if _deactivated(shapes, node_shape) or _deactivated(shapes, shape):
            core.remove((shape, SH.sparql, constraint))
            continue
        query = bulk_query(shapes, node_shape, shape, constraint)
        if query is None:
            continue
        core.remove((shape, SH.sparql, constraint))
        bulk.append(BulkConstraint(node_shape, shape, constraint, query))
    for node_shape in {b.node_shape for b in bulk}:
        if _constraint_free(core, node_shape):
            # Nothing left to check on its focus nodes: the engine would still compute them (a scan).
            for target in _TARGETS:
                core.remove((node_shape, target, None))
    return core, bulk


def violations(store: ox.Store, constraints: Iterable[BulkConstraint]) -> dict[URIRef, set[Focus]]:
    """The focus nodes that violate each constraint, by the named node shape that targets them."""
    found: dict[URIRef, set[Focus]] = {}
    for constraint in constraints:
        solutions = store.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)
        for solution in solutions:
            focus = solution["this"]
            if isinstance(focus, ox.NamedNode | ox.BlankNode | ox.Literal):
                found.setdefault(constraint.node_shape, set()).add(focus)
    return found


def bulk_query(
    shapes: Graph, node_shape: URIRef, shape: URIRef | BNode, constraint: URIRef | BNode
) -> str | None:
    """The constraint as one SELECT of the violating focus nodes, or None where it must run per node."""
    text = shapes.value(constraint, SH.select)
    if not isinstance(text, Literal) or (constraint, SH.ask, None) in shapes:
        return None
    select = str(text)
    if re.search(r"[?$]shapesGraph\b", select):
        return None
    if re.search(r"[?$]currentShape\b", select):
        if not isinstance(shape, URIRef):
            return None
        select = re.sub(r"[?$]currentShape\b", f"<{shape}>".replace("\\", "\\\\"), select)
    prefixes = _prefixes(shapes, [constraint, *shapes.objects(node_shape, SH.target)])
    targets = _targets(shapes, node_shape)
    matched = _SELECT.match(select)
    if prefixes is None or targets is None or matched is None:
        return None
    if equivalence_problem(prefixes + select) is not None:
        return None
    union = " UNION ".join(f"{{ {target} }}" for target in targets)
    body = hoist_constants(prefixes, matched.group("body"))
    return (
        f"{prefixes}SELECT DISTINCT ?this WHERE {{\n"
        f"  {{ SELECT DISTINCT ?this WHERE {{ {union} }} }}\n"
        f"  {body}\n}}"
    )


@lru_cache(maxsize=256)  # parsing is slow (pyparsing); the shapes are the same from call to call
def equivalence_problem(query: str) -> str | None:
    """Why joining this SELECT with its targets would differ from pre-binding ``$this``; None if it would not."""
    try:
        parsed = parseQuery(query)[1]
    except ParseException as error:
        return f"not parsed: {error}"
    if parsed.name != "SelectQuery":
        return "not a SELECT"
    extra = set(parsed.keys()) - {"modifier", "projection", "where"}
    if extra:
        return f"solution modifiers or dataset clauses: {', '.join(sorted(extra))}"
    projected = [v.get("var") for v in parsed.get("projection") or []]
    if THIS not in projected or any("expr" in v for v in parsed.get("projection") or []):
        return "does not project $this as a plain variable"
    return _group_problem(parsed["where"], bound=True)


def _group_problem(group: CompValue, bound: bool) -> str | None:
    if group.name != "GroupGraphPatternSub":
        return f"$this in a {group.name}" if _mentions_this(group) else None
    parts = list(group.get("part") or [])
    bound = bound or any(p.name == "TriplesBlock" and _mentions_this(p) for p in parts)
    for part in parts:
        name = part.name
        if name == "TriplesBlock":
            continue
        if name == "Bind" and part.get("var") == THIS:
            return "BIND … AS $this"
        if name in ("Filter", "Bind"):
            if _mentions_this(part) and not bound:
                return f"$this read in a {name} of a group that does not bind it"
        elif name == "GroupOrUnionGraphPattern":
            for branch in part.get("graph") or []:
                problem = _group_problem(branch, bound=False)
                if problem is not None:
                    return problem
        elif name == "OptionalGraphPattern":
            problem = _group_problem(part["graph"], bound=False)
            if problem is not None:
                return problem
        elif _mentions_this(part):
            return f"$this in a {name}"
    return None


def _mentions_this(node: object) -> bool:
    if node == THIS:
        return True
    if isinstance(node, CompValue):
        return any(_mentions_this(value) for value in node.values())
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return any(_mentions_this(item) for item in node)  # type: ignore[attr-defined]
    return False


def _holder(shapes: Graph, shape: URIRef | BNode) -> URIRef | None:
    """The named node shape whose focus nodes a constraint of ``shape`` is evaluated on, if only those."""
    if isinstance(shape, URIRef) and (shape, SH.path, None) not in shapes:
        node_shape = shape
    else:
        parents = list(shapes.subjects(SH.property, shape))
        if not isinstance(shape, BNode) or len(parents) != 1 or not isinstance(parents[0], URIRef):
            return None
        if any(p != SH.property for p in shapes.predicates(None, shape)):
            return None
        node_shape = parents[0]
    if any(
        p in _SHAPE_REFERENCES or p in (SH["and"], SH["or"], SH.xone)
        for p in shapes.predicates(None, node_shape)
    ):
        return None
    if (node_shape, SH.path, None) in shapes:
        return None
    return node_shape


def _targets(shapes: Graph, node_shape: URIRef) -> list[str] | None:
    """The patterns that bind ``?this`` to each focus node of the shape (SHACL 2.1.3), None if unknown."""
    if {RDFS.Class, OWL.Class} & set(shapes.objects(node_shape, RDF.type)):
        return None  # an implicit class target: left to the engine
    found: list[str] = []
    for value in shapes.objects(node_shape, SH.targetNode):
        found.append(f"VALUES ?this {{ {value.n3()} }}")
    for value in shapes.objects(node_shape, SH.targetClass):
        found.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {value.n3()}")
    for value in shapes.objects(node_shape, SH.targetSubjectsOf):
        found.append(f"?this {value.n3()} ?tl_object")
    for value in shapes.objects(node_shape, SH.targetObjectsOf):
        found.append(f"?tl_subject {value.n3()} ?this")
    for target in shapes.objects(node_shape, SH.target):
        text = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or not isinstance(text, Literal):
            return None
        select = str(text)
        if re.search(r"[?$](currentShape|shapesGraph)\b", select) or not _SELECT.match(select):
            return None
        found.append(f"{{ {select} }}")
    return found or None


def _prefixes(shapes: Graph, holders: Iterable[object]) -> str | None:
    """The PREFIX lines of the ``sh:prefixes`` of the constraint and the targets; None on a clash."""
    declared: dict[str, str] = {}
    for holder in holders:
        for ontology in shapes.objects(holder, SH.prefixes):  # type: ignore[arg-type]
            for declaration in _declarations(shapes, ontology):
                prefix, namespace = declaration
                if declared.setdefault(prefix, namespace) != namespace:
                    return None
    return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared.items()))


def _declarations(shapes: Graph, ontology: object) -> Iterator[tuple[str, str]]:
    for declaration in shapes.objects(ontology, SH.declare):  # type: ignore[arg-type]
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            yield str(prefix), str(namespace)


def _constraint_free(shapes: Graph, node_shape: URIRef) -> bool:
    """Whether a node shape holds no constraint (targets, type, labels and messages only)."""
    return all(p in _NOT_CONSTRAINTS for p in shapes.predicates(node_shape, None))


def _deactivated(shapes: Graph, node: URIRef | BNode) -> bool:
    value = shapes.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.toPython() is True
