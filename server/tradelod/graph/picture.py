"""The layout of the home page's picture, computed at build time with networkx (``picture.json``).

Nodes are the economies and blocs that trade relations and flows join; edges are those relations
(undirected) and flows (exporter to importer), and the containment links between the nodes
(``tlo:locatedIn``, ``tlo:memberOf``: Chongqing in China, Singapore in ASEAN), which pull contained places next to their
container. The layout is a force-directed one (networkx ``spring_layout``, Fruchterman–Reingold) with a
fixed seed, on nodes and edges in sorted order, so the same data always gives the same picture. Each
relation or flow carries the observation whose figure the picture shows on it (the largest level
stated for it); labels and figures are written at request time, in the page's language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from .namespaces import all_prefixes

#: Pull of a containment link relative to a trade link (stronger: contained places sit by their container).
CONTAINMENT_WEIGHT = 4.0

# Each class as the list of its subclasses (VALUES), and the relations, the flows and the economies
# asked apart and joined here: the one query with `a/rdfs:subClassOf*` on both ends of every edge took
# 64-144 s at 1M generated triples (Oxigraph walks the path per row), these take about 1.2 s together.
_SUBCLASSES = "SELECT DISTINCT ?k WHERE {{ ?k rdfs:subClassOf* {cls} }}"

_RELATIONS = """SELECT ?e ?a ?b WHERE {{ VALUES ?c {{ {classes} }}
  ?e a ?c ; tlo:party ?a, ?b FILTER(STR(?a) < STR(?b)) }}"""

_FLOWS = """SELECT ?e ?a ?b WHERE {{ VALUES ?c {{ {classes} }}
  ?e a ?c ; tlo:exporter ?a ; tlo:importer ?b }}"""

_INSTANCES = "SELECT DISTINCT ?x WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c }}"

# Every level's figure, kept here for the edges drawn: 0.26 s at 1M, against 4 s with the edges as VALUES.
_FIGURES = "SELECT ?e ?o ?v WHERE { ?o tlo:observationOf ?e ; a tlo:LevelObservation ; tlo:value ?v }"

_CONTAINMENT = """SELECT DISTINCT ?a ?b WHERE {{ VALUES ?a {{ {nodes} }} VALUES ?b {{ {nodes} }}
  ?a tlo:locatedIn|tlo:memberOf ?b FILTER(?a != ?b) }}"""


def picture(store: ox.Store, base: str) -> dict[str, Any]:
    """The picture's nodes (with positions in [0, 1]), trade edges (with their figure) and containment."""
    prefixes = all_prefixes(base)

    def select(query: str) -> list[Any]:
        return list(store.query(query, prefixes=prefixes))  # type: ignore[arg-type]  # default graph: the union

    def classes(cls: str) -> str:
        return " ".join(str(row["k"]) for row in select(_SUBCLASSES.format(cls=cls)))

    economies = {row["x"].value for row in select(_INSTANCES.format(classes=classes("tlo:Economy")))}
    links = [(_RELATIONS, "tlo:TradeRelation", "relation"), (_FLOWS, "tlo:TradeFlow", "flow")]
    edges = sorted(
        {
            (r["e"].value, kind, r["a"].value, r["b"].value)
            for query, cls, kind in links
            for r in select(query.format(classes=classes(cls)))
            if r["a"].value in economies and r["b"].value in economies
        }
    )
    nodes = sorted({end for _, _, a, b in edges for end in (a, b)})
    if not nodes:
        return {"nodes": [], "edges": [], "containment": []}
    figures: dict[str, tuple[float, str]] = {}
    drawn = {e for e, *_ in edges}
    for row in select(_FIGURES):
        if row["e"].value in drawn:
            value, observation = float(row["v"].value), row["o"].value
            current = figures.get(row["e"].value)
            if current is None or (value, observation) > current:
                figures[row["e"].value] = (value, observation)
    values = " ".join(f"<{n}>" for n in nodes)
    containment = sorted({(r["a"].value, r["b"].value) for r in select(_CONTAINMENT.format(nodes=values))})
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for _, _, a, b in edges:
        graph.add_edge(a, b, weight=1.0)  # one pull per linked pair, however many links it has
    for a, b in containment:
        graph.add_edge(a, b, weight=CONTAINMENT_WEIGHT)
    positions = nx.spring_layout(graph, seed=7, iterations=300, weight="weight", k=2.4 / len(nodes) ** 0.5)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        "nodes": [
            {
                "iri": n,
                "x": round((float(positions[n][0]) - min(xs)) / span_x, 4),
                "y": round((float(positions[n][1]) - min(ys)) / span_y, 4),
            }
            for n in nodes
        ],
        "edges": [
            {"iri": e, "kind": kind, "source": a, "target": b, "figure": figures.get(e, (0.0, None))[1]}
            for e, kind, a, b in edges
        ],
        "containment": [{"source": a, "target": b} for a, b in containment],
    }


def write_picture(path: Path, store: ox.Store, base: str) -> None:
    """Write the picture's layout to ``path`` (JSON, sorted, byte-stable)."""
    path.write_text(json.dumps(picture(store, base), indent=1, sort_keys=True) + "\n", encoding="utf-8")
