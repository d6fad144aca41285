"""The picture of trade relations on the home page: an SVG drawn on the server from the build's layout.

``graph/picture.py`` lays the economies out at build time (networkx, with containment pulling
Chongqing next to China); here the layout is scaled into the SVG, and everything a reader sees is
written in the page language: full place names, each relation's or flow's name and the figure stated
for it, arrows for flows (exporter → importer), dashed lines for containment. Parallel edges between
two places are bent apart so that none hides another. No script: every node and edge is a link.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 700
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 90, 40, 60
SPREAD = 40  # distance between parallel edges at their middle


@dataclass(frozen=True)
class Node:
    """An economy or bloc: its IRI, label, link and where the layout put it (0–1 both ways)."""

    iri: str
    label: str
    href: str | None
    x: float = 0.5
    y: float = 0.5


@dataclass(frozen=True)
class Edge:
    """A relation (undirected), flow (directed, source exports to target) or containment between two nodes."""

    iri: str
    source: str
    target: str
    label: str
    kind: str  # "relation", "flow" or "containment"
    href: str | None
    figure: str | None = None


def busiest(layout: dict[str, Any], limit: int) -> tuple[dict[str, Any], int]:
    """The build's layout (``picture.json``) cut to at most ``limit`` trade links, those between the
    most linked places, with their places and the containment between them; and how many trade links
    there are in all.

    A picture of every link stops being one as data grows (at a million generated triples the build
    lays out 6,121 links between 274 places: a 3.1 MB page). A link ranks by the fewer links of its two
    ends, then the more, then its IRI, so the same data always shows the same links. Cut before
    anything is named, so that only what is shown is looked up.
    """
    trade: list[dict[str, Any]] = layout["edges"]
    if len(trade) <= limit:
        return layout, len(trade)
    degree = Counter(end for e in trade for end in (e["source"], e["target"]))

    def rank(edge: dict[str, Any]) -> tuple[int, int, str]:
        ends = (degree[edge["source"]], degree[edge["target"]])
        return -min(ends), -max(ends), str(edge["iri"])

    kept = sorted(trade, key=rank)[:limit]
    places = {end for e in kept for end in (e["source"], e["target"])}
    return {
        "nodes": [n for n in layout["nodes"] if n["iri"] in places],
        "edges": kept,
        "containment": [c for c in layout["containment"] if c["source"] in places and c["target"] in places],
    }, len(trade)


def positions(nodes: list[Node]) -> dict[str, tuple[float, float]]:
    """Each node's point in the SVG, from its layout position."""
    return {
        n.iri: (
            round(MARGIN_X + n.x * (WIDTH - 2 * MARGIN_X), 1),
            round(MARGIN_TOP + n.y * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM), 1),
        )
        for n in nodes
    }


def radius(degree: int) -> float:
    """Node radius: grows with the number of edges, gently."""
    return round(9 + 3 * math.sqrt(degree), 1)


def draw(nodes: list[Node], edges: list[Edge], title: str) -> Markup:
    """The SVG document (inline in the page) for these nodes and edges."""
    at = positions(nodes)
    trade = [e for e in edges if e.kind != "containment"]
    degree = Counter(end for e in trade for end in (e.source, e.target))
    drawn = [e for e in edges if e.source in at and e.target in at and e.source != e.target]
    bundles: dict[frozenset[str], list[Edge]] = defaultdict(list)
    for edge in sorted(drawn, key=lambda e: (e.kind != "containment", e.kind, e.label.casefold(), e.iri)):
        bundles[frozenset((edge.source, edge.target))].append(edge)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trade-graph" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="graph-title">',
        f'<title id="graph-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>',
        '<g class="edges">',
    ]
    labels = []
    for bundle in bundles.values():
        for index, edge in enumerate(bundle):
            offset = (index - (len(bundle) - 1) / 2) * SPREAD
            path, (lx, ly) = _curve(at[edge.source], at[edge.target], offset, radius(degree[edge.target]) + 3)
            marker = ' marker-end="url(#arrow)"' if edge.kind == "flow" else ""
            line = f'<path class="edge {edge.kind}" d="{path}"{marker}><title>{escape(edge.label)}</title></path>'
            parts.append(_linked(edge.href, line))
            if edge.kind == "containment":
                continue
            # a relation shows the figure stated for it (its name on hover); a flow its name
            if edge.figure:
                text = f'<tspan class="figure" x="{lx}" dy="0">{escape(edge.figure)}</tspan>'
            else:
                lines = textwrap.wrap(edge.label, 26) or [edge.label]
                text = "".join(
                    f'<tspan x="{lx}" dy="{0 if i == 0 else 1.15}{"" if i == 0 else "em"}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines)
                )
            labels.append(
                _linked(edge.href, f'<text class="edge-label {edge.kind}" x="{lx}" y="{ly}">{text}</text>')
            )
    parts += ["</g>", '<g class="edge-labels">', *labels, "</g>", '<g class="nodes">']
    for node in sorted(nodes, key=lambda n: n.iri):
        x, y = at[node.iri]
        r = radius(degree[node.iri])
        shape = (
            f'<g class="node" data-iri="{escape(node.iri)}"><circle cx="{x}" cy="{y}" r="{r}"/>'
            f'<text x="{x}" y="{round(y + r + 18, 1)}">{escape(node.label)}</text>'
            f"<title>{escape(node.label)}</title></g>"
        )
        parts.append(_linked(node.href, shape))
    parts += ["</g>", "</svg>"]
    return Markup("".join(parts))


def _linked(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def _curve(
    start: tuple[float, float], end: tuple[float, float], offset: float, end_gap: float
) -> tuple[str, tuple[float, float]]:
    """A quadratic curve from start to end bent sideways by ``offset``; returns (path, label point)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    # The normal is taken from a fixed orientation of the pair, so A→B and B→A bend apart consistently.
    sign = 1 if (x1, y1) < (x2, y2) else -1
    nx, ny = -dy / length * sign, dx / length * sign
    cx, cy = (x1 + x2) / 2 + nx * offset * 2, (y1 + y2) / 2 + ny * offset * 2
    tx, ty = x2 - cx, y2 - cy
    tail = math.hypot(tx, ty) or 1.0
    ex, ey = x2 - tx / tail * end_gap, y2 - ty / tail * end_gap
    label = (round(0.25 * x1 + 0.5 * cx + 0.25 * x2, 1), round(0.25 * y1 + 0.5 * cy + 0.25 * y2, 1))
    return (
        f"M{round(x1, 1)},{round(y1, 1)} Q{round(cx, 1)},{round(cy, 1)} {round(ex, 1)},{round(ey, 1)}",
        label,
    )
