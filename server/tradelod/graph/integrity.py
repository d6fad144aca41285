"""The W3C Data Cube integrity constraints IC-1 to IC-21, run as SPARQL over the published graph.

The queries are the Recommendation's own (``integrity/ic-NN.rq``, source in its README); a constraint
is violated when one of its ASK queries answers true. IC-20 and IC-21 are templates: their SELECT
gives the parent-child properties to put in place of ``<$p>``. The queries run on an in-memory
Oxigraph store, where the pairwise IC-12 takes milliseconds on this dataset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib import Graph

from .dumps import to_oxigraph

#: The prefixes the Recommendation declares for its integrity constraints (section 11.1).
PROLOGUE = """PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:      <http://purl.org/linked-data/cube#>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:     <http://www.w3.org/2002/07/owl#>
"""


@dataclass(frozen=True)
class Constraint:
    """One integrity constraint: its number, name, sentence, ASK queries and (IC-20, 21) template SELECT."""

    number: int
    title: str
    text: str
    asks: tuple[str, ...]
    instantiation: str | None = None

    @property
    def name(self) -> str:
        """``IC-12. No duplicate observations``."""
        return f"IC-{self.number}. {self.title}"


@cache
def constraints() -> tuple[Constraint, ...]:
    """IC-1 … IC-21, read from the package's ``integrity/ic-NN.rq`` files."""
    folder = resources.files("tradelod.graph") / "integrity"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        lines = entry.read_text(encoding="utf-8").splitlines()
        head = re.match(r"# IC-(\d+)\. (.+)", lines[0])
        assert head is not None, entry.name
        text = lines[1].removeprefix("# ")
        queries = [q.strip() for q in re.split(r"\n\s*\n(?=ASK|SELECT)", "\n".join(lines[2:])) if q.strip()]
        selects = [q for q in queries if q.startswith("SELECT")]
        asks = tuple(q for q in queries if q.startswith("ASK"))
        found.append(
            Constraint(int(head.group(1)), head.group(2), text, asks, selects[0] if selects else None)
        )
    return tuple(found)


def violations(graph: Graph) -> list[Constraint]:
    """The constraints that ``graph`` (data, ontology and cube together) violates, in order."""
    store = ox.Store()
    store.bulk_extend(to_oxigraph(graph))
    return [c for c in constraints() if _violated(store, c)]


def _violated(store: ox.Store, constraint: Constraint) -> bool:
    asks = list(constraint.asks)
    if constraint.instantiation is not None:
        rows = store.query(PROLOGUE + constraint.instantiation)
        assert isinstance(rows, ox.QuerySolutions)
        properties = [str(row["p"].value) for row in rows]
        asks = [a.replace("<$p>", f"<{p}>") for a in asks for p in properties]
    for ask in asks:
        answer = store.query(PROLOGUE + ask)
        assert isinstance(answer, ox.QueryBoolean)
        if bool(answer):
            return True
    return False
