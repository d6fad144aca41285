"""Write a draft as Turtle in the project's house style: relative IRIs, the project's prefixes, one block
per resource under section headings, so that a reviewer reads and edits it like the curated files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal

from tradelod.graph.review_marks import REVIEW_PREFIX

from .numbers import plain

PREFIXES = (
    ("tl", "<id/>"),
    ("tlo", "<ontology#>"),
    ("tlr", f"<{REVIEW_PREFIX}>"),
    ("rdfs", "<http://www.w3.org/2000/01/rdf-schema#>"),
    ("xsd", "<http://www.w3.org/2001/XMLSchema#>"),
    ("skos", "<http://www.w3.org/2004/02/skos/core#>"),
    ("schema", "<https://schema.org/>"),
    ("dct", "<http://purl.org/dc/terms/>"),
    ("oa", "<http://www.w3.org/ns/oa#>"),
)
SECTIONS = (
    ("article", "The article (metadata only as given to tradelod ingest)"),
    ("known", "Entities of the graph that the article names"),
    ("proposed", "New entities the article names (proposed: check type, labels and slug)"),
    ("posts", "People's posts"),
    ("dates", "Dates of the new events and agreements"),
    ("figures", "Figures: observations, targets and expectations"),
    ("reference", "Reference resources the graph does not have yet"),
    ("quotes", "Source quotes (exact text and code-point offsets, end exclusive; computed, not typed)"),
)


@dataclass
class Block:
    """One Turtle statement group: a subject and its predicates with their objects, already in Turtle."""

    subject: str
    props: list[tuple[str, list[str]]]
    section: str
    comment: str | None = None
    compact: bool = False  # a selector: written on consecutive lines without a blank line before


def iri_of(relative: str) -> str:
    """A relative IRI in Turtle: ``<id/place/china>``."""
    return f"<{relative}>"


def fr(text: str) -> str:
    """A French string literal."""
    return Literal(text, lang="fr").n3()


def en(text: str) -> str:
    """An English string literal."""
    return Literal(text, lang="en").n3()


def decimal(value: Decimal | float) -> str:
    """An ``xsd:decimal`` literal, without exponent: ``"43800000000"^^xsd:decimal``."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return f'"{plain(number)}"^^xsd:decimal'


def write_turtle(header: list[str], blocks: list[Block]) -> str:
    """The whole file: header comments, prefixes, then the blocks by section."""
    lines = [f"# {line}" if line else "#" for line in header]
    lines += [f"@prefix {name}: {iri} ." for name, iri in PREFIXES]
    for section, title in SECTIONS:
        chosen = [b for b in blocks if b.section == section]
        if not chosen:
            continue
        lines += ["", "#" * 65, f"# {title}", "#" * 65]
        for block in chosen:
            if not block.compact:
                lines.append("")
            if block.comment:
                lines.append(f"# {block.comment}")
            lines.append(_statement(block))
    return "\n".join(lines) + "\n"


def _statement(block: Block) -> str:
    parts = []
    for predicate, objects in block.props:
        if not objects:
            continue
        parts.append(f"{predicate} {' , '.join(objects)}")
    if not parts:
        return ""
    return f"{block.subject} " + " ;\n    ".join(parts) + " ."
