"""The view of an entity page, built from its description graph: rows, figures, sentences, parts.

Everything a template needs is worked out here — labels in the page language, safe links, numbers
grouped and in words, the sentence and article each figure comes from — so the template only lays
it out (and Jinja escapes it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from rdflib.term import Node

from . import formatting
from .provenance import ArticleText, Marked, article_text, mark_figure
from .rendering import Links, TermView, curie, label, term_view

OA = Namespace("http://www.w3.org/ns/oa#")
WIKIDATA = "http://www.wikidata.org/entity/"

#: Links the server adds to every description (document, dataset): in the RDF, not in the table.
SERVER_LINKS = {
    "http://rdfs.org/ns/void#inDataset",
    "http://xmlns.com/foaf/0.1/isPrimaryTopicOf",
    "http://xmlns.com/foaf/0.1/primaryTopic",
}


@dataclass(frozen=True)
class Row:
    """One property of a resource with its values (or, for incoming links, its subjects)."""

    property: TermView
    values: list[TermView]


@dataclass(frozen=True)
class QuoteView:
    """A source sentence: its text (with the stated figure marked), offsets, article, and where to read it.

    ``in_article`` opens the article's page scrolled to the sentence, highlighted; ``text_href`` is the
    plain text with an RFC 5147 fragment (``#char=start,end``).
    """

    quote: TermView
    exact: str
    article: TermView | None
    text_href: str | None
    start: int | None
    end: int | None
    marked: Marked | None = None
    in_article: str | None = None


@dataclass(frozen=True)
class FigureView:
    """A figure (tlo:value) with its unit, period, qualifier and the sentences it comes from."""

    fact: TermView
    value: str
    words: str | None
    display: str
    lexical: str
    unit: TermView | None
    period: TermView | None
    base_period: TermView | None
    qualifier: TermView | None
    quotes: list[QuoteView]


@dataclass(frozen=True)
class PartView:
    """A hash sub-resource (``#exact``) shown inside its parent's page."""

    fragment: str
    types: list[TermView]
    rows: list[Row]


@dataclass
class EntityPage:
    """Everything the entity template shows."""

    iri: str
    title: str
    other_label: str | None
    types: list[TermView]
    rows: list[Row]
    incoming: list[Row]
    figures: list[FigureView]
    sources: list[QuoteView]
    described_by: list[QuoteView]
    parts: list[PartView]
    wikidata: list[TermView] = field(default_factory=list)
    charts: list[object] = field(default_factory=list)
    text: ArticleText | None = None


def entity_page(graph: Graph, thing: str, links: Links) -> EntityPage:
    """Build the entity page of ``thing`` from its description graph (plus property labels)."""
    node = URIRef(thing)
    tlo = Namespace(f"{links.base}ontology#")
    lang = links.lang
    other = "fr" if lang == "en" else "en"
    title = label(graph, node, lang) or curie(graph, thing)
    other_label = _exact_label(graph, node, other)
    pointing = sorted({s for s in graph.subjects(None, node) if isinstance(s, URIRef)}, key=str)
    figures = [figure_of(graph, f, links) for f in [node, *pointing] if graph.value(f, tlo.value) is not None]
    return EntityPage(
        iri=thing,
        title=title,
        other_label=other_label if other_label != title else None,
        types=types_of(graph, node, links),
        rows=rows_of(graph, node, links),
        incoming=_incoming(graph, node, links),
        figures=figures,
        sources=[
            _quote(graph, q, tlo, links, _stated(graph, node, tlo))
            for q in sorted(graph.objects(node, tlo.sourceQuote), key=str)
        ],
        described_by=[
            _quote(graph, q, tlo, links) for q in sorted(graph.objects(node, tlo.describedBy), key=str)
        ],
        parts=_parts(graph, thing, links),
        wikidata=[
            TermView(f"wd:{str(o)[len(WIKIDATA) :]}", href=str(o), iri=str(o))
            for p in (OWL.sameAs, SKOS.exactMatch)
            for o in sorted(graph.objects(node, p), key=str)
            if str(o).startswith(WIKIDATA)
        ],
    )


def _exact_label(graph: Graph, node: Node, lang: str) -> str | None:
    for obj in graph.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")):
        if isinstance(obj, Literal) and obj.language == lang:
            return str(obj)
    return None


def types_of(graph: Graph, node: Node, links: Links) -> list[TermView]:
    """The rdf:types of a node, labelled, in label order."""
    return sorted((term_view(graph, t, links) for t in graph.objects(node, RDF.type)), key=lambda v: v.text)


def rows_of(graph: Graph, node: Node, links: Links) -> list[Row]:
    """The properties of a node (all but rdf:type) with their values, in property-label order."""
    grouped: dict[Node, list[Node]] = defaultdict(list)
    for predicate, obj in graph.predicate_objects(node):
        if predicate != RDF.type and str(predicate) not in SERVER_LINKS:
            grouped[predicate].append(obj)
    rows = [
        Row(term_view(graph, p, links), sorted((term_view(graph, o, links) for o in objs), key=_order))
        for p, objs in grouped.items()
    ]
    return sorted(rows, key=lambda r: (r.property.text.casefold(), r.property.iri or ""))


def _incoming(graph: Graph, node: Node, links: Links) -> list[Row]:
    grouped: dict[Node, set[Node]] = defaultdict(set)
    for subject, predicate in graph.subject_predicates(node):
        if not str(predicate).startswith("http://xmlns.com/foaf/0.1/"):
            grouped[predicate].add(subject)
    rows = [
        Row(term_view(graph, p, links), sorted((term_view(graph, s, links) for s in subjects), key=_order))
        for p, subjects in grouped.items()
    ]
    return sorted(rows, key=lambda r: (r.property.text.casefold(), r.property.iri or ""))


def _order(view: TermView) -> tuple[str, str, str]:
    return (view.text.casefold(), view.lang or "", view.iri or "")


def _optional(graph: Graph, node: Node | None, links: Links) -> TermView | None:
    return term_view(graph, node, links) if node is not None else None


def _stated(graph: Graph, fact: Node, tlo: Namespace) -> tuple[str, str | None] | None:
    """(value, unit slug) of a fact that states a figure, for marking it in its sentence."""
    value = graph.value(fact, tlo.value)
    if value is None:
        return None
    unit = graph.value(fact, tlo.unit)
    return str(value), str(unit).rsplit("/", 1)[-1] if unit is not None else None


def human_figure(graph: Graph, fact: Node, links: Links) -> str:
    """A figure as people write it, in the page language: "US$43.8 billion", "9,2 %", "7 200 kilomètres"."""
    tlo = Namespace(f"{links.base}ontology#")
    lexical = str(graph.value(fact, tlo.value))
    value = formatting.as_decimal(lexical)
    if value is None:
        return lexical
    unit = graph.value(fact, tlo.unit)
    code = graph.value(unit, tlo.currencyCode) if unit is not None else None
    slug = str(unit).rsplit("/", 1)[-1] if unit is not None else None
    shown = formatting.quantity(value, slug, str(code) if code is not None else None, links.lang)
    if shown is not None:
        return shown
    name = label(graph, unit, links.lang) if unit is not None else None
    return f"{formatting.number(value, links.lang)} {name}" if name else formatting.number(value, links.lang)


def figure_of(graph: Graph, fact: Node, links: Links) -> FigureView:
    """A figure (tlo:value of ``fact``) with its unit, period, qualifier and source sentences."""
    tlo = Namespace(f"{links.base}ontology#")
    value = str(graph.value(fact, tlo.value))
    number = formatting.as_decimal(value)
    return FigureView(
        fact=term_view(graph, fact, links),
        value=formatting.number(number, links.lang) if number is not None else value,
        words=formatting.scaled(number, links.lang) if number is not None else None,
        display=human_figure(graph, fact, links),
        lexical=value,
        unit=_optional(graph, graph.value(fact, tlo.unit), links),
        period=_optional(graph, graph.value(fact, tlo.refPeriod), links),
        base_period=_optional(graph, graph.value(fact, tlo.basePeriod), links),
        qualifier=_optional(graph, graph.value(fact, tlo.valueQualifier), links),
        quotes=[
            _quote(graph, q, tlo, links, _stated(graph, fact, tlo))
            for q in sorted(graph.objects(fact, tlo.sourceQuote), key=str)
        ],
    )


def _quote(
    graph: Graph, quote: Node, tlo: Namespace, links: Links, stated: tuple[str, str | None] | None = None
) -> QuoteView:
    exact, start, end = "", None, None
    for selector in graph.objects(quote, OA.hasSelector):
        exact = str(graph.value(selector, OA.exact) or exact)
        if graph.value(selector, OA.start) is not None:
            start = int(str(graph.value(selector, OA.start)))
            end = int(str(graph.value(selector, OA.end)))
    article = graph.value(quote, OA.hasSource)
    text_href = in_article = None
    if article is not None:
        copy = graph.value(article, tlo.textCopy)
        text_href = links.href(str(copy)) if copy is not None else None
        if text_href and start is not None:
            text_href += f"#char={start},{end}"  # RFC 5147 fragment of a text/plain document
        page = links.href(str(article))
        if page and page.startswith("/id/") and start is not None and copy is not None:
            # straight to the article's document (a 303 from /id/ would not carry the offsets along)
            path = "/doc/" + page.partition("#")[0][len("/id/") :]
            separator = "&" if "?" in path else "?"
            in_article = f"{path}{separator}start={start}&end={end}#quote"
    return QuoteView(
        term_view(graph, quote, links),
        exact,
        _optional(graph, article, links),
        text_href,
        start,
        end,
        mark_figure(exact, stated[0], stated[1]) if stated else None,
        in_article,
    )


def _parts(graph: Graph, thing: str, links: Links) -> list[PartView]:
    parts = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(f"{thing}#")}, key=str
    )
    return [
        PartView(str(p)[len(thing) + 1 :], types_of(graph, p, links), rows_of(graph, p, links)) for p in parts
    ]


def page_context(store: Any, graph: Graph, base: str) -> frozenset[Any]:
    """What a page needs beyond the description: the ontology's names of its properties, currency codes."""
    from . import describe as descriptions

    # Index lookups from the terms the page holds, not a query to parse and plan on every page.
    found = descriptions.labels_of(store, {str(p) for p in graph.predicates()})
    units = {str(o) for o in graph.objects(None, URIRef(f"{base}ontology#unit"))}
    return found | descriptions.triples_of(store, units, f"{base}ontology#currencyCode")


def article_page_text(store: Any, graph: Graph, thing: str, links: Links) -> ArticleText | None:
    """The text of an article (a thing with ``tlo:textCopy``), with ``?start=&end=`` highlighted."""
    from flask import request

    copy = graph.value(URIRef(thing), URIRef(f"{links.base}ontology#textCopy"))
    href = links.href(str(copy)) if copy is not None else None
    name = href.rsplit("/", 1)[-1] if href and href.startswith("/articles/") else None
    if href is None or name is None or not re.fullmatch(r"[0-9]{3}_[0-9a-f]+\.txt", name):
        return None
    path = store.release / "articles" / name
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    start, end = request.args.get("start", ""), request.args.get("end", "")
    return article_text(
        text,
        href,
        int(start) if start.isdigit() else None,
        int(end) if end.isdigit() else None,
    )
