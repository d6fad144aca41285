"""Small charts of observation series: one level figure measured for several periods, drawn as SVG bars.

A series is the level observations that share what they measure (variable), where (observed and
counterpart area) and in what unit, over two or more reference periods. The chart is drawn on the
server (no script), one bar per period in time order, each bar labelled with its figure as people
write it and linked to the observation's page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from flask_babel import gettext
from markupsafe import Markup, escape

from tradelod.graph.namespaces import all_prefixes
from tradelod.store.protocol import Store

from . import describe as descriptions
from . import formatting
from .rendering import Links, label

WIDTH, HEIGHT = 640, 300
TOP, BOTTOM, SIDE = 34, 52, 16


@dataclass(frozen=True)
class Bar:
    """One observation of a series: its period, value, how to write it and its page."""

    period: str
    value: Decimal
    text: str
    href: str | None
    iri: str


@dataclass(frozen=True)
class Chart:
    """A series chart: its title, the SVG and a caption saying what is drawn."""

    title: str
    svg: Markup
    caption: str
    bars: list[Bar]


_KEY = """SELECT DISTINCT ?var ?area ?cp ?unit WHERE {{
  {{ BIND({node} AS ?o) }} UNION {{ ?o tlo:observationOf {node} }}
  ?o a tlo:LevelObservation ; tlo:variable ?var ; tlo:observedArea ?area ; tlo:unit ?unit .
  OPTIONAL {{ ?o tlo:counterpartArea ?cp }} }}"""

#: The series of one key, its most selective patterns first (areas, then variable and unit: a type
#: with a million members is the last thing to start from), the counterpart fixed in the query rather
#: than filtered afterwards: a few lookups, however many observations the store holds.
_SERIES = """SELECT ?o ?v ?p ?start WHERE {{
  {counterpart}
  ?o tlo:observedArea {area} ; tlo:variable {var} ; tlo:unit {unit} ; a tlo:LevelObservation ;
     tlo:value ?v ; tlo:refPeriod ?p .
  {no_counterpart}
  OPTIONAL {{ ?p tlo:startDate ?start }} }}"""


def series_charts(store: Store, iri: str, links: Links) -> list[Chart]:
    """The charts of every series ``iri`` belongs to (an observation) or holds (a relation, a flow)."""
    prefixes = all_prefixes(links.base)
    node = ox.NamedNode(iri)
    keys = store.select(_KEY.format(node=node), prefixes=prefixes)
    charts = []
    for key in keys:
        counterpart = key.get("cp")
        query = _SERIES.format(
            var=key["var"],
            area=key["area"],
            unit=key["unit"],
            counterpart=f"?o tlo:counterpartArea {counterpart} ." if counterpart is not None else "",
            no_counterpart=""
            if counterpart is not None
            else "FILTER NOT EXISTS { ?o tlo:counterpartArea ?any }",
        )
        rows = store.select(query, prefixes=prefixes)
        by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_period[row["p"].value].append(row)
        if len(by_period) < 2:
            continue
        iris = {r["o"].value for r in rows} | set(by_period) | {key["var"].value, key["area"].value}
        if counterpart is not None:
            iris.add(counterpart.value)
        names = descriptions.as_graph(descriptions.labels_of(store, iris), links.base)
        code = store.select(f"SELECT ?c WHERE {{ {key['unit']} tlo:currencyCode ?c }}", prefixes=prefixes)
        currency = code[0]["c"].value if code else None
        unit = key["unit"].value.rsplit("/", 1)[-1]

        def human(value: Decimal, unit: str = unit, currency: str | None = currency) -> str:
            return formatting.quantity(value, unit, currency, links.lang) or formatting.number(
                value, links.lang
            )

        charts.append(_chart(key, by_period, names, links, human))
    return sorted(charts, key=lambda c: c.title)


def _name(graph: object, iri: str, lang: str) -> str:
    from rdflib import URIRef

    return label(graph, URIRef(iri), lang) or iri  # type: ignore[arg-type]


def _chart(
    key: dict[str, Any],
    by_period: dict[str, list[dict[str, Any]]],
    names: object,
    links: Links,
    human: Callable[[Decimal], str],
) -> Chart:
    lang = links.lang

    def order(period: str) -> tuple[str, str]:
        start = next((r["start"].value for r in by_period[period] if r.get("start")), "9999")
        return (start, _name(names, period, lang))

    bars = []
    for period in sorted(by_period, key=order):
        row = sorted(by_period[period], key=lambda r: r["o"].value)[0]
        value = Decimal(row["v"].value)
        bars.append(
            Bar(
                _name(names, period, lang),
                value,
                human(value),
                links.href(row["o"].value),
                row["o"].value,
            )
        )
    variable = _name(names, key["var"].value, lang)
    area = _name(names, key["area"].value, lang)
    title = f"{variable} — {area}"
    if key.get("cp") is not None:
        title += f" / {_name(names, key['cp'].value, lang)}"  # type: ignore[union-attr]
    caption = gettext("%(variable)s by reference period, as the articles state it.", variable=variable)
    return Chart(title, draw_bars(bars, title), caption, bars)


def draw_bars(bars: list[Bar], title: str) -> Markup:
    """An SVG bar chart: one bar per period, its figure above it, its period below (scales to any width)."""
    top = max((b.value for b in bars), default=Decimal(1)) or Decimal(1)
    slot = (WIDTH - 2 * SIDE) / max(len(bars), 1)
    width = min(slot * 0.6, 120)
    usable = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="series-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<line class="axis" x1="{SIDE}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - SIDE}" y2="{HEIGHT - BOTTOM}"/>',
    ]
    for index, bar in enumerate(bars):
        height = max(float(bar.value / top) * usable, 2.0) if bar.value > 0 else 2.0
        x = SIDE + slot * index + (slot - width) / 2
        y = HEIGHT - BOTTOM - height
        centre = round(x + width / 2, 1)
        shape = (
            f'<g class="bar" data-iri="{escape(bar.iri)}"><title>{escape(bar.period)}: {escape(bar.text)}</title>'
            f'<rect x="{round(x, 1)}" y="{round(y, 1)}" width="{round(width, 1)}" height="{round(height, 1)}"/>'
            f'<text class="value" x="{centre}" y="{round(y - 8, 1)}">{escape(bar.text)}</text>'
            f'<text class="period" x="{centre}" y="{HEIGHT - BOTTOM + 24}">{escape(bar.period)}</text></g>'
        )
        parts.append(f'<a href="{escape(bar.href)}">{shape}</a>' if bar.href else shape)
    parts.append("</svg>")
    return Markup("".join(parts))
