"""Triple Pattern Fragments (Linked Data Fragments): the query load moved to the clients.

``GET /fragments?subject=&predicate=&object=&page=`` answers the triples of the whole dataset (the
union of the release's graphs) that match one pattern, a page at a time, with the Hydra controls a
TPF client needs: the search form (``hydra:search`` with an IRI template), an estimated count
(``void:triples``/``hydra:totalItems``: exact up to ``COUNT_EXACT`` matches, so that no request reads
the whole store), and links to the next and previous pages. The answer is
TriG: the data in the default graph, the controls in a graph of their own (as the LDF server
writes them), so clients such as Comunica tell the two apart; Turtle and N-Triples give the data
and the controls together. Each fragment is one cheap, cacheable request on whichever store is
configured, so a TPF client evaluates a whole SPARQL query with many simple requests instead of one
expensive one.

Terms follow the TPF specification: an IRI as is, a variable (``?x``) or nothing for "any", a
literal in its N-Triples/Turtle form (``"43800000000"^^<http://www.w3.org/2001/XMLSchema#decimal>``,
``"Chongqing"@fr``).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, request

from tradelod.http.errors import BadRequest
from tradelod.http.negotiation import negotiate
from tradelod.store.current import get_store
from tradelod.store.protocol import Store

from .responses import allow_cross_origin, conditional

bp = Blueprint("fragments", __name__)

PAGE_SIZE = 100
#: Fragments with at most this many matches carry their exact count; larger ones an estimate.
COUNT_EXACT = 10_000
HYDRA = "http://www.w3.org/ns/hydra/core#"
VOID = "http://rdfs.org/ns/void#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
#: TriG first: it keeps data and controls apart. ``*/*`` gets TriG too.
TYPES = ("application/trig", "text/turtle", "application/n-triples")
_OX_FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def parse_term(text: str | None, position: str) -> ox.NamedNode | ox.Literal | None:
    """A pattern term from the request (None for "any"); 400 for a term that is not valid there."""
    if text is None or not text.strip() or text.strip().startswith("?"):
        return None
    value = text.strip()
    try:
        if value.startswith('"'):
            # Older TPF clients write the datatype IRI without angle brackets ("1"^^http://…).
            value = re.sub(r"\^\^([^<].*)$", r"^^<\1>", value)
            if position != "object":
                raise ValueError("only the object may be a literal")
            parsed = next(iter(ox.parse(f"<urn:s> <urn:p> {value} .", format=ox.RdfFormat.TURTLE)))
            term = parsed.object
            assert isinstance(term, ox.Literal)
            return term
        return ox.NamedNode(value.removeprefix("<").removesuffix(">"))
    except (ValueError, SyntaxError, StopIteration, AssertionError) as error:
        raise BadRequest(
            f"The {position} {value!r} is not an IRI or a literal in N-Triples form: {error}"
        ) from None


def _pattern(subject: object, predicate: object, object_: object) -> str:
    """A triple pattern with the given terms and ?s ?p ?o for the free positions."""
    return " ".join(
        str(term) if term is not None else var
        for term, var in ((subject, "?s"), (predicate, "?p"), (object_, "?o"))
    )


@bp.route("/fragments")
def fragment() -> Response:
    """One page of the triples matching ``subject``, ``predicate``, ``object``, with Hydra controls."""
    subject = parse_term(request.args.get("subject"), "subject")
    predicate = parse_term(request.args.get("predicate"), "predicate")
    object_ = parse_term(request.args.get("object"), "object")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise BadRequest("page must be a positive whole number.") from None
    if page > 100_000:
        raise BadRequest("page is too large.")
    media_type = negotiate(request.headers.get("Accept"), TYPES, default=TYPES[0])
    if media_type is None:
        from tradelod.http.errors import NotAcceptable

        raise NotAcceptable(TYPES)
    store = get_store()
    pattern = _pattern(subject, predicate, object_)
    # Counted up to COUNT_EXACT matches only: a count reads every match, and the unrestricted
    # pattern (every client's first request) matches the whole store.
    rows = store.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {pattern} }} LIMIT {COUNT_EXACT + 1} }}"
    )
    counted = int(rows[0]["n"].value) if rows else 0
    offset = (page - 1) * PAGE_SIZE
    # One more than a page: whether there is a next page, without the count.
    triples = list(
        store.triples(
            f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }} LIMIT {PAGE_SIZE + 1} OFFSET {offset}"
        )
    )
    more = len(triples) > PAGE_SIZE
    data = sorted(set(triples[:PAGE_SIZE]), key=str)
    total = (
        counted if counted <= COUNT_EXACT else estimate(store, (subject, predicate, object_), offset, more)
    )
    controls = _controls(subject, predicate, object_, page, total, more)
    root = request.host_url.rstrip("/")
    metadata = ox.NamedNode(f"{root}/fragments#metadata")
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in data]
    if media_type == "application/trig":
        quads += [ox.Quad(t.subject, t.predicate, t.object, metadata) for t in controls]
    else:
        quads += [ox.Quad(t.subject, t.predicate, t.object) for t in controls]
    fmt = _OX_FORMATS[media_type]
    body = ox.serialize(
        quads if fmt != ox.RdfFormat.TURTLE and fmt != ox.RdfFormat.N_TRIPLES else [q.triple for q in quads],
        format=fmt,
    )
    assert body is not None
    response = Response(
        body, content_type=f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    )
    response.headers["Vary"] = "Accept"
    return allow_cross_origin(conditional(response, body))


def estimate(store: Store, terms: tuple[object, object, object], offset: int, more: bool) -> int:
    """The count of a fragment with more than COUNT_EXACT matches: the published triples for the
    unrestricted pattern, else a lower bound (TPF asks for an estimate; clients use it to order joins)."""
    if all(term is None for term in terms):
        return max(int(store.manifest().get("triples", 0)), COUNT_EXACT + 1)
    return max(COUNT_EXACT + 1, offset + PAGE_SIZE + (1 if more else 0))


def _controls(
    subject: object, predicate: object, object_: object, page: int, total: int, more: bool
) -> list[ox.Triple]:
    """The Hydra/VoID metadata and controls of one fragment page."""
    root = request.host_url.rstrip("/")
    dataset = ox.NamedNode(f"{root}/fragments#dataset")
    params = {
        name: request.args[name]
        for name in ("subject", "predicate", "object")
        if request.args.get(name, "").strip() and not request.args[name].strip().startswith("?")
    }

    def url(number: int) -> ox.NamedNode:
        query = urlencode({**params, **({"page": str(number)} if number > 1 else {})})
        return ox.NamedNode(f"{root}/fragments" + (f"?{query}" if query else ""))

    this = url(page)
    fragment_iri = url(1)
    count = ox.Literal(str(total), datatype=ox.NamedNode(XSD_INTEGER))
    out = [
        ox.Triple(ox.NamedNode(f"{root}/fragments#metadata"), ox.NamedNode(f"{FOAF}primaryTopic"), this),
        ox.Triple(this, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{HYDRA}PartialCollectionView")),
        ox.Triple(this, ox.NamedNode(f"{VOID}subset"), fragment_iri) if this != fragment_iri else None,
        ox.Triple(this, ox.NamedNode(f"{VOID}triples"), count),
        ox.Triple(this, ox.NamedNode(f"{HYDRA}totalItems"), count),
        ox.Triple(
            this,
            ox.NamedNode(f"{HYDRA}itemsPerPage"),
            ox.Literal(str(PAGE_SIZE), datatype=ox.NamedNode(XSD_INTEGER)),
        ),
        ox.Triple(this, ox.NamedNode(f"{HYDRA}first"), url(1)),
        ox.Triple(dataset, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{VOID}Dataset")),
        ox.Triple(dataset, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{HYDRA}Collection")),
        ox.Triple(dataset, ox.NamedNode(f"{VOID}subset"), this),
    ]
    if page > 1:
        out.append(ox.Triple(this, ox.NamedNode(f"{HYDRA}previous"), url(page - 1)))
    if more:
        out.append(ox.Triple(this, ox.NamedNode(f"{HYDRA}next"), url(page + 1)))
    search = ox.BlankNode("search")
    out += [
        ox.Triple(dataset, ox.NamedNode(f"{HYDRA}search"), search),
        ox.Triple(
            search,
            ox.NamedNode(f"{HYDRA}template"),
            ox.Literal(f"{root}/fragments{{?subject,predicate,object}}"),
        ),
        ox.Triple(
            search,
            ox.NamedNode(f"{HYDRA}variableRepresentation"),
            ox.NamedNode(f"{HYDRA}ExplicitRepresentation"),
        ),
    ]
    for name, prop in (
        ("subject", f"{RDF}subject"),
        ("predicate", f"{RDF}predicate"),
        ("object", f"{RDF}object"),
    ):
        mapping = ox.BlankNode(name)
        out += [
            ox.Triple(search, ox.NamedNode(f"{HYDRA}mapping"), mapping),
            ox.Triple(mapping, ox.NamedNode(f"{HYDRA}variable"), ox.Literal(name)),
            ox.Triple(mapping, ox.NamedNode(f"{HYDRA}property"), ox.NamedNode(prop)),
        ]
    return [t for t in out if t is not None]
