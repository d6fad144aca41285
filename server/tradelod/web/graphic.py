"""The picture of trade relations on the home page: an SVG drawn on the server, no script.

Economies and blocs are nodes; trade relations (between their parties) and trade flows (exporter
to importer, with an arrow) are labelled edges. The layout is deterministic — the most connected
economy in the centre, the others on a circle in label order — so the same data always gives the
same picture, and parallel edges between two nodes are bent apart so that none hides another.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 960, 680
RING = 270  # radius of the circle the other economies sit on
SPREAD = 46  # distance between parallel edges at their middle


@dataclass(frozen=True)
class Node:
    """An economy or bloc: its IRI, label and link."""

    iri: str
    label: str
    href: str | None


@dataclass(frozen=True)
class Edge:
    """A relation (undirected) or flow (directed, source exports to target) between two nodes."""

    iri: str
    source: str
    target: str
    label: str
    kind: str  # "relation" or "flow"
    href: str | None


def layout(nodes: list[Node], edges: list[Edge]) -> dict[str, tuple[float, float]]:
    """Positions: the node with most edges in the centre, the rest on a circle ordered by label."""
    if not nodes:
        return {}
    degree = Counter(end for e in edges for end in (e.source, e.target))
    ordered = sorted(nodes, key=lambda n: (-degree[n.iri], n.label.casefold(), n.iri))
    centre = ordered[0]
    others = _ring_order(ordered[1:], edges, centre.iri)
    cx, cy = WIDTH / 2, HEIGHT / 2
    positions = {centre.iri: (cx, cy)}
    for i, node in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(others), 1)
        positions[node.iri] = (
            round(cx + RING * 1.3 * math.cos(angle), 1),
            round(cy + RING * math.sin(angle), 1),
        )
    return positions


def _ring_order(nodes: list[Node], edges: list[Edge], centre: str) -> list[Node]:
    """Ring nodes in label order, but those linked to each other (not via the centre) side by side.

    Nodes joined by an edge that does not touch the centre form groups; each group is placed as one
    run on the circle, so such an edge is a short chord instead of a line through the centre.
    """
    group = {n.iri: n.iri for n in nodes}

    def root(iri: str) -> str:
        while group[iri] != iri:
            iri = group[iri]
        return iri

    for edge in edges:
        if centre not in (edge.source, edge.target) and edge.source in group and edge.target in group:
            group[root(edge.source)] = root(edge.target)
    by_label = sorted(nodes, key=lambda n: (n.label.casefold(), n.iri))
    first_seen: dict[str, int] = {}
    for position, node in enumerate(by_label):
        first_seen.setdefault(root(node.iri), position)
    return sorted(by_label, key=lambda n: (first_seen[root(n.iri)], n.label.casefold(), n.iri))


def radius(degree: int) -> float:
    """Node radius: grows with the number of edges, gently."""
    return round(9 + 4 * math.sqrt(degree), 1)


def draw(nodes: list[Node], edges: list[Edge], title: str) -> Markup:
    """The SVG document (inline in the page) for these nodes and edges."""
    positions = layout(nodes, edges)
    degree = Counter(end for e in edges for end in (e.source, e.target))
    drawn = [e for e in edges if e.source in positions and e.target in positions and e.source != e.target]
    bundles: dict[frozenset[str], list[Edge]] = defaultdict(list)
    for edge in sorted(drawn, key=lambda e: (e.kind, e.label.casefold(), e.iri)):
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
            path, (lx, ly) = _curve(
                positions[edge.source], positions[edge.target], offset, radius(degree[edge.target]) + 3
            )
            marker = ' marker-end="url(#arrow)"' if edge.kind == "flow" else ""
            line = f'<path class="edge {edge.kind}" d="{path}"{marker}><title>{escape(edge.label)}</title></path>'
            parts.append(_linked(edge.href, line))
            labels.append(
                f'<text class="edge-label {edge.kind}" x="{lx}" y="{ly}">{escape(_short(edge.label))}</text>'
            )
    parts += ["</g>", '<g class="edge-labels">', *labels, "</g>", '<g class="nodes">']
    for node in sorted(nodes, key=lambda n: n.iri):
        if node.iri not in positions:
            continue
        x, y = positions[node.iri]
        r = radius(degree[node.iri])
        shape = (
            f'<g class="node" data-iri="{escape(node.iri)}"><circle cx="{x}" cy="{y}" r="{r}"/>'
            f'<text x="{x}" y="{round(y + r + 14, 1)}">{escape(node.label)}</text>'
            f"<title>{escape(node.label)}</title></g>"
        )
        parts.append(_linked(node.href, shape))
    parts += ["</g>", "</svg>"]
    return Markup("".join(parts))


def _linked(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
