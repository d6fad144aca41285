"""The Turtle blocks of a draft that do not depend on the rest of it: review marks, source quotes,
reference resources and event dates."""

from __future__ import annotations

from rdflib import Literal

from .dates import When
from .sentences import Sentence
from .turtle import Block, decimal, en, fr, iri_of
from .vocabulary import Resource


def marks(
    confidence: float, checks: list[str], mention: str | None = None, start: int = -1, end: int = -1
) -> list[tuple[str, list[str]]]:
    """The review marks of a drafted statement: confidence, what to check, and the words it comes from."""
    marks = [("tlr:confidence", [decimal(confidence)]), ("tlr:check", [en(c) for c in checks])]
    if mention is not None:
        marks += [
            ("tlr:mention", [fr(mention)]),
            ("tlr:mentionStart", [str(start)]),
            ("tlr:mentionEnd", [str(end)]),
        ]
    return marks


def reference_block(resource: Resource) -> Block:
    """A reference resource the graph does not have yet (a period, unit, qualifier or variable)."""
    props: list[tuple[str, list[str]]] = []
    concept = False
    for predicate, obj in resource.lines:
        props.append((predicate, [obj]))
        concept = concept or predicate == "skos:inScheme"
    props.insert(1, ("rdfs:label", [fr(resource.label_fr), en(resource.label_en)]))
    if concept:
        props.insert(2, ("skos:prefLabel", [fr(resource.label_fr), en(resource.label_en)]))
    props += marks(0.8 if not resource.open else 0.5, ["a reference resource the graph does not have yet"])
    return Block(iri_of(resource.iri), props, section="reference")


def quote_blocks(number: str, iri: str, sentence: Sentence) -> list[Block]:
    """A source quote and its two selectors: the exact sentence and its code-point offsets."""
    return [
        Block(iri_of(iri), [("a", ["tlo:SourceQuote"]),
                            ("rdfs:label", [fr(f"article {number}, phrase {sentence.index}"), en(f"article {number}, sentence {sentence.index}")]),
                            ("oa:hasSource", [iri_of(f"id/article/{number}")]),
                            ("oa:hasSelector", [iri_of(iri + "#exact"), iri_of(iri + "#position")])], section="quotes"),
        Block(iri_of(iri + "#exact"), [("a", ["oa:TextQuoteSelector"]), ("oa:exact", [Literal(sentence.text).n3()])], section="quotes", compact=True),
        Block(iri_of(iri + "#position"), [("a", ["oa:TextPositionSelector"]), ("oa:start", [str(sentence.start)]), ("oa:end", [str(sentence.end)])], section="quotes", compact=True),
    ]  # fmt: skip


def date_literal(when: When) -> tuple[str, list[str]] | None:
    """The tlo:date of an event, as precise as the words are (a month without a year gives none)."""
    if when.year and when.month and when.day and when.kind == "date":
        return ("tlo:date", [f'"{when.year}-{when.month:02d}-{when.day:02d}"^^xsd:date'])
    if when.year and when.month and when.kind == "month":
        return ("tlo:date", [f'"{when.year}-{when.month:02d}"^^xsd:gYearMonth'])
    if when.year and when.kind == "year" and when.relation == "at":
        return ("tlo:date", [f'"{when.year}"^^xsd:gYear'])
    return None
