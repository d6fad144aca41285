"""Pages for people: the home page (key figures, the picture of trade relations), browse, search.

All of it is read from the store of the current release and rendered on the server (no script).
The page language follows Accept-Language, with a switch (``?lang=fr|en``) on every page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from flask_babel import gettext

from tradelod.graph.namespaces import all_prefixes
from tradelod.http.errors import NotFound
from tradelod.http.negotiation import RDF_FORMATS, Format
from tradelod.store.current import get_store
from tradelod.store.protocol import Store

from . import describe as descriptions
from . import formatting
from .entity_page import FigureView, figure_of
from .graphic import Edge, Node, busiest, draw
from .per_release import once_per_release
from .rendering import LANGUAGES, Links, curie, fold, label
from .resources import language
from .responses import base_iri, choose, conditional, respond, see_other
from .search import as_json, index_of

bp = Blueprint("pages", __name__)

HTML_ONLY: tuple[Format, ...] = (RDF_FORMATS[0],)
SEARCH_LIMIT = 100
#: Instances listed on a class page at most.
CLASS_LIMIT = 2000
KEY_FIGURES = 6
#: The most trade links the home page's picture draws and lists (the busiest: ``graphic.busiest``).
PICTURE_LINKS = 200
#: Key figures are amounts of money of at least this much (in the figure's own currency).
KEY_FIGURE_MINIMUM = 1_000_000


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
    # The figures and the picture depend only on the release and the page's language: made once.
    shown = f"{base} {links.lang} {links.sticky_lang}"
    figures = once_per_release(store, f"home-figures {shown}", lambda: key_figures(store, links))
    nodes, edges, links_in_all = once_per_release(
        store,
        f"home-picture {PICTURE_LINKS} {shown}",
        lambda: trade_graph(store, links, PICTURE_LINKS),
    )
    title = gettext("Trade relations and flows between economies, as the articles report them")
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
        edge_count=len([e for e in edges if e.kind != "containment"]),
        links_in_all=links_in_all,
        legend=True,
        edges=edges,
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
        ?o ?p ?x . ?x rdfs:label ?xl . ?x tlo:currencyCode ?xc . ?o rdfs:label ?ol . ?o tlo:sourceQuote ?q . ?q rdfs:label ?ql .
        ?q oa:hasSource ?a . ?a rdfs:label ?al . ?a tlo:textCopy ?t . ?q oa:hasSelector ?s . ?s ?sp ?so }}
      WHERE {{ VALUES ?o {{ {values} }}
        {{ ?o ?p ?x VALUES ?p {{ tlo:value tlo:unit tlo:refPeriod tlo:basePeriod tlo:valueQualifier }}
           OPTIONAL {{ ?x rdfs:label ?xl }} OPTIONAL {{ ?x tlo:currencyCode ?xc }} }}
        UNION {{ ?o rdfs:label ?ol }}
        UNION {{ ?o tlo:sourceQuote ?q . ?q rdfs:label ?ql . ?q oa:hasSource ?a . ?a rdfs:label ?al
                 OPTIONAL {{ ?a tlo:textCopy ?t }} }}
        UNION {{ ?o tlo:sourceQuote ?q . ?q oa:hasSelector ?s . ?s ?sp ?so }} }}""",
        prefixes=prefixes,
    )
    graph = descriptions.as_graph(triples, links.base)
    return [figure_of(graph, descriptions.to_rdflib(f), links) for f in facts]


def trade_graph(store: Store, links: Links, limit: int) -> tuple[list[Node], list[Edge], int]:
    """The picture's places and at most ``limit`` links (``graphic.busiest``) as the build laid them out,
    named and figured in the page language; and how many trade links there are in all."""
    path = store.release / "picture.json"
    if not path.is_file():
        return [], [], 0
    layout, in_all = busiest(json.loads(path.read_text(encoding="utf-8")), limit)
    trade = layout["edges"]
    figures = [e["figure"] for e in trade if e.get("figure")]
    iris = {n["iri"] for n in layout["nodes"]} | {e["iri"] for e in trade}
    graph = descriptions.as_graph(descriptions.labels_of(store, iris | set(figures)), links.base)
    shown = _figures(store, figures, links)
    periods = _periods(store, figures, links)

    def name(iri: str) -> str:
        return label(graph, descriptions.to_rdflib(ox.NamedNode(iri)), links.lang) or curie(graph, iri)

    nodes = [Node(n["iri"], name(n["iri"]), links.href(n["iri"]), n["x"], n["y"]) for n in layout["nodes"]]
    edges = [
        Edge(
            e["iri"],
            e["source"],
            e["target"],
            name(e["iri"]),
            e["kind"],
            links.href(e["iri"]),
            " · ".join(x for x in (shown.get(e["figure"]), periods.get(e["figure"])) if x)
            if e.get("figure")
            else None,
        )
        for e in trade
    ]
    edges += [
        Edge("", c["source"], c["target"], gettext("located in"), "containment", None)
        for c in layout["containment"]
    ]
    return nodes, edges, in_all


def _periods(store: Store, iris: list[str], links: Links) -> dict[str, str]:
    """The reference period's label of each of these observations."""
    nodes = " ".join(str(ox.NamedNode(i)) for i in iris)
    if not nodes:
        return {}
    rows = store.select(
        f"SELECT ?o ?p WHERE {{ VALUES ?o {{ {nodes} }} ?o tlo:refPeriod ?p }}",
        prefixes=all_prefixes(links.base),
    )
    graph = descriptions.as_graph(descriptions.labels_of(store, {r["p"].value for r in rows}), links.base)
    return {r["o"].value: label(graph, descriptions.to_rdflib(r["p"]), links.lang) or "" for r in rows}


def instances_per_class(store: Store, base: str) -> dict[str, int]:
    """Distinct instances of every class used in the data graphs of the store's release.

    Counted once per release (``per_release``): the count reads every typed subject of the data.
    """

    def count() -> dict[str, int]:
        rows = store.select(
            f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
            GRAPH ?g {{ ?s a ?class }} FILTER(STRSTARTS(STR(?g), "{base}graph/data/")) }}
            GROUP BY ?class""",
            use_default_graph_as_union=False,
        )
        return {row["class"].value: int(row["n"].value) for row in rows}

    return once_per_release(store, f"instances-per-class {base}", count)


def class_counts(store: Store, links: Links) -> list[dict[str, Any]]:
    """Every class used in the data with its number of instances, most populated first."""
    base = links.base
    counts = instances_per_class(store, base)
    graph = descriptions.as_graph(descriptions.labels_of(store, set(counts)), base)
    found = []
    for iri, count in counts.items():
        compact = curie(graph, iri)
        found.append(
            {
                "iri": iri,
                "curie": compact,
                "count": count,
                "label": label(graph, descriptions.to_rdflib(ox.NamedNode(iri)), links.lang) or compact,
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
    # The data graphs by name: read through the graph index, not every instance filtered by graph.
    data_graphs = " ".join(
        str(ox.NamedNode(name)) for name in store.graph_names() if name.startswith(f"{base}graph/data/")
    )
    rows = store.select(
        f"""SELECT ?s (SAMPLE(?v) AS ?value) (SAMPLE(?u) AS ?unit) (SAMPLE(?c) AS ?code) (SAMPLE(?p) AS ?period)
               (SAMPLE(?start) AS ?from) (COUNT(DISTINCT ?q) AS ?sentences) WHERE {{
          {{ SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {data_graphs} }} GRAPH ?g {{ ?s a {cls} }} }}
             LIMIT {CLASS_LIMIT} }}
          OPTIONAL {{ ?s tlo:value ?v OPTIONAL {{ ?s tlo:unit ?u OPTIONAL {{ ?u tlo:currencyCode ?c }} }} }}
          OPTIONAL {{ ?s tlo:refPeriod ?p OPTIONAL {{ ?p tlo:startDate ?start }} }}
          OPTIONAL {{ ?s tlo:sourceQuote|tlo:describedBy ?q }}
        }} GROUP BY ?s""",
        prefixes=all_prefixes(base),
    )
    if not rows:
        raise NotFound(f"No instance of {compact} in the data.")
    iris = (
        {row["s"].value for row in rows}
        | {row["period"].value for row in rows if "period" in row}
        | {cls.value}
    )
    graph = descriptions.as_graph(descriptions.labels_of(store, iris), base)
    figures = any("value" in row for row in rows)
    periods = any("period" in row for row in rows)
    columns = [
        *([{"title": gettext("Figure"), "numeric": True}] if figures else []),
        *([{"title": gettext("Period"), "numeric": False}] if periods else []),
        {"title": gettext("Sentences"), "numeric": True},
    ]
    items = []
    for row in rows:
        iri = row["s"].value
        cells = []
        if figures:
            value = formatting.as_decimal(row["value"].value) if "value" in row else None
            text = ""
            if value is not None:
                slug = row["unit"].value.rsplit("/", 1)[-1] if "unit" in row else None
                code = row["code"].value if "code" in row else None
                text = formatting.quantity(value, slug, code, links.lang) or formatting.number(
                    value, links.lang
                )
            cells.append({"text": text, "sort": str(value) if value is not None else "", "numeric": True})
        if periods:
            period = row["period"].value if "period" in row else None
            name = (
                (label(graph, descriptions.to_rdflib(row["period"]), links.lang) or period) if period else ""
            )
            cells.append(
                {
                    "text": name,
                    "sort": row["from"].value if "from" in row else name,
                    "href": links.href(period) if period else None,
                    "iri": period,
                    "numeric": False,
                }
            )
        count = int(row["sentences"].value)
        cells.append({"text": formatting.number(count, links.lang), "sort": str(count), "numeric": True})
        items.append(
            {
                "label": label(graph, descriptions.to_rdflib(row["s"]), links.lang) or iri,
                "href": links.href(iri),
                "iri": iri,
                "cells": cells,
            }
        )
    items.sort(key=lambda item: (fold(item["label"]), item["iri"]))
    title = label(graph, descriptions.to_rdflib(cls), links.lang) or compact
    return _html(
        "class.html",
        f"/browse/{compact}",
        f"{base}browse/{compact}",
        links,
        title=title,
        compact=compact,
        class_href=links.href(cls.value),
        class_iri=cls.value,
        items=items,
        columns=columns,
    )


SEARCH_FORMATS: tuple[Format, ...] = (
    Format("text/html", "html", "html", "HTML"),
    Format("application/json", "json", "json", "JSON"),
)


@bp.route("/search")
def search() -> Response:
    """Search labels (both languages) and quoted sentences: fuzzy, accents and case ignored; HTML or JSON."""
    fmt, _ = choose(SEARCH_FORMATS, default="text/html")
    base = base_iri()
    links = language(base)
    query = request.args.get("q", "").strip()[:200]
    store = get_store()
    index = index_of(store.release)
    hits = index.search(query) if query and index is not None else []
    shown = hits[:SEARCH_LIMIT]
    names = index.labels([h.iri for h in shown]) if index is not None else {}
    types = _type_labels(store, {h.type for h in shown if h.type}, links)

    def name(iri: str) -> str:
        found = names.get(iri, {})
        return found.get(links.lang) or next((found[t] for t in (*LANGUAGES, "") if t in found), iri)

    if fmt.extension == "json":
        body = [as_json(h, name(h.iri), types.get(h.type or "")) for h in shown]
        response = respond(
            json.dumps(body, ensure_ascii=False, indent=1) + "\n",
            fmt,
            path="/search",
            canonical=f"{base}search",
            negotiated=False,
            formats=SEARCH_FORMATS,
        )
        response.vary.add("Accept")
        return response
    figures = _figures(store, [h.iri for h in shown], links)
    groups: dict[str, dict[str, Any]] = {}
    for hit in shown:
        type_label = types.get(hit.type or "") or gettext("Other")
        group = groups.setdefault(type_label, {"label": type_label, "type": hit.type, "hits": []})
        group["hits"].append(
            {
                "iri": hit.iri,
                "href": links.href(hit.iri),
                "label": name(hit.iri),
                "kind": hit.kind,
                "lang": hit.lang,
                "pieces": hit.marked,
                "figure": figures.get(hit.iri),
                "show_match": hit.kind == "sentence" or fold(hit.text) != fold(name(hit.iri)),
            }
        )
    ordered = list(groups.values())  # in the order of each group's best hit (hits come best first)
    return _html(
        "search.html",
        "/search",
        f"{base}search",
        links,
        query=query,
        search_query=query,
        groups=ordered,
        total=len(hits),
        shown=len(shown),
    )


def _type_labels(store: Store, types: set[str], links: Links) -> dict[str, str]:
    graph = descriptions.as_graph(descriptions.labels_of(store, types), links.base)
    return {
        t: label(graph, descriptions.to_rdflib(ox.NamedNode(t)), links.lang) or curie(graph, t) for t in types
    }


def _figures(store: Store, iris: list[str], links: Links) -> dict[str, str]:
    """The figure each of these things states, as people write it (for search hits)."""
    nodes = " ".join(str(ox.NamedNode(i)) for i in iris)
    if not nodes:
        return {}
    rows = store.select(
        f"""SELECT ?o ?v ?u ?c WHERE {{ VALUES ?o {{ {nodes} }} ?o tlo:value ?v .
        OPTIONAL {{ ?o tlo:unit ?u OPTIONAL {{ ?u tlo:currencyCode ?c }} }} }}""",
        prefixes=all_prefixes(links.base),
    )
    found = {}
    for row in rows:
        value = formatting.as_decimal(row["v"].value)
        if value is None:
            continue
        slug = row["u"].value.rsplit("/", 1)[-1] if "u" in row else None
        currency = row["c"].value if "c" in row else None
        found[row["o"].value] = formatting.quantity(value, slug, currency, links.lang) or formatting.number(
            value, links.lang
        )
    return found
