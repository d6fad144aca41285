"""Pages for people: the home page (key figures, the picture of trade relations), browse, search.

All of it is read from the store of the current release and rendered on the server (no script).
The page language follows Accept-Language, with a switch (``?lang=fr|en``) on every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from jinja2 import pass_context
from jinja2.runtime import Context

from tradelod.graph.namespaces import all_prefixes
from tradelod.http.errors import NotFound
from tradelod.http.negotiation import RDF_FORMATS, Format
from tradelod.store.current import get_store
from tradelod.store.protocol import Store

from . import describe as descriptions
from .entity_page import FigureView, figure_of
from .graphic import Edge, Node, draw
from .rendering import LANGUAGES, Links, curie, fold, label
from .resources import language
from .responses import base_iri, choose, conditional, respond, see_other
from .ui_text import UI_TEXT

bp = Blueprint("pages", __name__)

HTML_ONLY: tuple[Format, ...] = (RDF_FORMATS[0],)
SEARCH_LIMIT = 100
KEY_FIGURES = 6
#: Key figures are amounts of money of at least this much (in the figure's own currency).
KEY_FIGURE_MINIMUM = 1_000_000


@bp.app_template_global()
@pass_context
def ui(context: Context, key: str) -> str:
    """Interface text in the page language (templates: ``{{ ui('browse') }}``)."""
    lang = context.get("lang") or "en"
    return UI_TEXT.get(lang, UI_TEXT["en"]).get(key, key)


@bp.app_template_global()
def switch_language(lang: str) -> str:
    """This page's URL in another language (keeps the other query parameters)."""
    args = request.args.to_dict()
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


def _html(template: str, path: str, canonical: str, links: Links, **context: Any) -> Response:
    fmt, _ = choose(HTML_ONLY, default="text/html")
    html = render_template(template, lang=links.lang, path=path, canonical=canonical, **context)
    return respond(
        html, fmt, path=path, canonical=canonical, negotiated=False, formats=HTML_ONLY, lang=links.lang
    )


@bp.route("/")
def home() -> Response:
    """The home page; an RDF client asking for the base IRI is sent to the dataset description."""
    fmt, _ = choose(default="text/html")
    if fmt.extension != "html":
        return see_other(f"/.well-known/void.{fmt.extension}")
    base = base_iri()
    links = language(base)
    store = get_store()
    manifest = store.manifest()
    figures = key_figures(store, links)
    nodes, edges = trade_graph(store, links)
    title = UI_TEXT[links.lang]["graph_title"]
    return _html(
        "home.html",
        "/",
        base,
        links,
        manifest=manifest,
        figures=figures,
        svg=draw(nodes, edges, title),
        classes=[c for c in class_counts(store, links) if c["iri"].startswith(f"{base}ontology#")][:12],
        node_count=len(nodes),
        edge_count=len(edges),
    )


def key_figures(store: Store, links: Links, limit: int = KEY_FIGURES) -> list[FigureView]:
    """The largest amounts of money in the data (levels in a currency), with their sources."""
    prefixes = all_prefixes(links.base)
    rows = store.select(
        f"""SELECT ?o WHERE {{ ?o a tlo:LevelObservation ; tlo:value ?v ; tlo:unit ?u . ?u tlo:currencyCode ?c
            FILTER(?v >= {KEY_FIGURE_MINIMUM}) }}
        ORDER BY DESC(?v) ?o LIMIT {int(limit)}""",
        prefixes=prefixes,
    )
    facts = [row["o"] for row in rows]
    if not facts:
        return []
    values = " ".join(str(f) for f in facts)
    triples = store.triples(
        f"""CONSTRUCT {{
        ?o ?p ?x . ?x rdfs:label ?xl . ?o rdfs:label ?ol . ?o tlo:sourceQuote ?q . ?q rdfs:label ?ql .
        ?q oa:hasSource ?a . ?a rdfs:label ?al . ?a tlo:textCopy ?t . ?q oa:hasSelector ?s . ?s ?sp ?so }}
      WHERE {{ VALUES ?o {{ {values} }}
        {{ ?o ?p ?x VALUES ?p {{ tlo:value tlo:unit tlo:refPeriod tlo:basePeriod tlo:valueQualifier }}
           OPTIONAL {{ ?x rdfs:label ?xl }} }}
        UNION {{ ?o rdfs:label ?ol }}
        UNION {{ ?o tlo:sourceQuote ?q . ?q rdfs:label ?ql . ?q oa:hasSource ?a . ?a rdfs:label ?al
                 OPTIONAL {{ ?a tlo:textCopy ?t }} }}
        UNION {{ ?o tlo:sourceQuote ?q . ?q oa:hasSelector ?s . ?s ?sp ?so }} }}""",
        prefixes=prefixes,
    )
    graph = descriptions.as_graph(triples, links.base)
    return [figure_of(graph, descriptions.to_rdflib(f), links) for f in facts]


def trade_graph(store: Store, links: Links) -> tuple[list[Node], list[Edge]]:
    """Economies and blocs, with the trade relations between parties and the flows between them."""
    prefixes = all_prefixes(links.base)
    economy = "?{v} a/rdfs:subClassOf* tlo:Economy"
    rows = store.select(
        f"""SELECT ?e ?kind ?a ?b WHERE {{
        {{ ?e a/rdfs:subClassOf* tlo:TradeRelation ; tlo:party ?a, ?b FILTER(STR(?a) < STR(?b))
           BIND("relation" AS ?kind) }}
        UNION {{ ?e a/rdfs:subClassOf* tlo:TradeFlow ; tlo:exporter ?a ; tlo:importer ?b BIND("flow" AS ?kind) }}
        {economy.format(v="a")} . {economy.format(v="b")} }}""",
        prefixes=prefixes,
    )
    iris = {str(row[k].value) for row in rows for k in ("e", "a", "b")}
    graph = descriptions.as_graph(descriptions.labels_of(store, iris, links.base), links.base)

    def name(iri: str) -> str:
        return label(graph, descriptions.to_rdflib(ox.NamedNode(iri)), links.lang) or curie(graph, iri)

    edges = sorted(
        (
            Edge(
                row["e"].value,
                row["a"].value,
                row["b"].value,
                name(row["e"].value),
                row["kind"].value,
                links.href(row["e"].value),
            )
            for row in rows
        ),
        key=lambda e: (e.kind, e.source, e.target, e.iri),
    )
    ends = sorted({end for e in edges for end in (e.source, e.target)})
    return [Node(iri, name(iri), links.href(iri)) for iri in ends], edges


def class_counts(store: Store, links: Links) -> list[dict[str, Any]]:
    """Every class used in the data with its number of instances, most populated first."""
    base = links.base
    rows = store.select(
        f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s a ?class }} FILTER(STRSTARTS(STR(?g), "{base}graph/data/")) }}
        GROUP BY ?class""",
        use_default_graph_as_union=False,
    )
    iris = {row["class"].value for row in rows}
    graph = descriptions.as_graph(descriptions.labels_of(store, iris, base), base)
    found = []
    for row in rows:
        iri = row["class"].value
        compact = curie(graph, iri)
        found.append(
            {
                "iri": iri,
                "curie": compact,
                "count": int(row["n"].value),
                "label": label(graph, descriptions.to_rdflib(row["class"]), links.lang) or compact,
                "href": f"/browse/{compact}" if compact != iri else None,
            }
        )
    return sorted(found, key=lambda c: (-c["count"], c["label"].casefold()))


@bp.route("/favicon.ico")
def favicon() -> Response:
    """The site icon, for browsers that ask for /favicon.ico (e.g. on error pages)."""
    data = (Path(__file__).parent / "static" / "favicon.svg").read_bytes()
    return conditional(Response(data, content_type="image/svg+xml"), data)


@bp.route("/browse")
def browse() -> Response:
    """Every class used in the data, with counts; each links to the list of its instances."""
    base = base_iri()
    links = language(base)
    return _html("browse.html", "/browse", f"{base}browse", links, classes=class_counts(get_store(), links))


@bp.route("/browse/<compact>")
def browse_class(compact: str) -> Response:
    """The instances of one class (``/browse/tlo:City``), by label."""
    base = base_iri()
    links = language(base)
    prefix, _, local = compact.partition(":")
    namespace = all_prefixes(base).get(prefix)
    if namespace is None or not local:
        raise NotFound(f"No class {compact} here.")
    store = get_store()
    try:
        cls = ox.NamedNode(f"{namespace}{local}")
    except ValueError:  # not an IRI once expanded (a space, a bracket …): no such class
        raise NotFound(f"No class {compact} here.") from None
    rows = store.select(
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a {cls} }}
        FILTER(STRSTARTS(STR(?g), "{base}graph/data/")) }}""",
        use_default_graph_as_union=False,
    )
    if not rows:
        raise NotFound(f"No instance of {compact} in the data.")
    iris = {row["s"].value for row in rows} | {cls.value}
    graph = descriptions.as_graph(descriptions.labels_of(store, iris, base), base)
    items = sorted(
        (
            {
                "label": label(graph, descriptions.to_rdflib(row["s"]), links.lang) or row["s"].value,
                "href": links.href(row["s"].value),
                "iri": row["s"].value,
            }
            for row in rows
        ),
        key=lambda item: (fold(item["label"]), item["iri"]),
    )
    title = label(graph, descriptions.to_rdflib(cls), links.lang) or compact
    return _html(
        "class.html",
        f"/browse/{compact}",
        f"{base}browse/{compact}",
        links,
        title=title,
        compact=compact,
        class_href=links.href(cls.value),
        items=items,
    )


@bp.route("/search")
def search() -> Response:
    """Search labels (rdfs:label, skos:prefLabel, skos:altLabel; French and English), accents and case ignored."""
    base = base_iri()
    links = language(base)
    query = request.args.get("q", "").strip()[:200]
    store = get_store()
    hits = find(label_index(store, base), query, links.lang) if query else []
    for hit in hits:
        hit["href"] = links.href(hit["iri"])
    return _html(
        "search.html",
        "/search",
        f"{base}search",
        links,
        query=query,
        hits=hits[:SEARCH_LIMIT],
        total=len(hits),
    )


#: Label indexes by (release folder, base): a release never changes, so its index never goes stale.
_INDEXES: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}


def label_index(store: Store, base: str) -> list[tuple[str, str, str, str]]:
    """(IRI, label, language, folded label) for every label of a resource under ``{base}id/``."""
    key = (str(store.release), base)
    if key not in _INDEXES:
        _INDEXES.clear()  # keep only the current release's index
        _INDEXES[key] = _build_index(store, base)
    return _INDEXES[key]


def _build_index(store: Store, base: str) -> list[tuple[str, str, str, str]]:
    rows = store.select(
        f"""SELECT DISTINCT ?s ?l WHERE {{
        ?s rdfs:label|skos:prefLabel|skos:altLabel ?l
        FILTER(STRSTARTS(STR(?s), "{base}id/") && !CONTAINS(STR(?s), "#"))
        FILTER(LANG(?l) IN ("fr", "en", "")) }}""",
        prefixes=all_prefixes(base),
    )
    return sorted(
        (row["s"].value, row["l"].value, row["l"].language or "", fold(row["l"].value)) for row in rows
    )


def find(index: list[tuple[str, str, str, str]], query: str, lang: str) -> list[dict[str, Any]]:
    """Entities whose labels contain every word of ``query`` (folded), best matches first."""
    words = fold(query).split()
    if not words:
        return []
    folded = " ".join(words)
    best: dict[str, tuple[int, int, str, str]] = {}
    names: dict[str, dict[str, str]] = {}
    for iri, text, tag, key in index:
        names.setdefault(iri, {}).setdefault(tag, text)
        if not all(w in key for w in words):
            continue
        rank = 0 if key == folded else 1 if key.startswith(folded) else 2 if f" {folded}" in f" {key}" else 3
        candidate = (rank, len(key), text, tag)
        if iri not in best or candidate < best[iri]:
            best[iri] = candidate
    order = sorted(best, key=lambda iri: (best[iri][0], best[iri][1], iri))
    hits = []
    for iri in order:
        rank, _, matched, tag = best[iri]
        shown = names[iri].get(lang) or next(
            (names[iri][t] for t in (*LANGUAGES, "") if t in names[iri]), matched
        )
        hits.append(
            {
                "iri": iri,
                "label": shown,
                "matched": matched if matched != shown else None,
                "matched_lang": tag,
                "rank": rank,
            }
        )
    return hits
