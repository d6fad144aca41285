"""Constant BINDs of a SPARQL group written as one VALUES row, so that the engine can use them.

Our constraints rebuild ontology terms from the base of their shape (``BIND (IRI(CONCAT(?base,
"ontology#growthOf")) AS ?growthOf)``) and then match ``$this ?growthOf ?value``. Per focus node that
is a lookup; over the whole data Oxigraph evaluates the triple pattern before the BIND and scans
every triple (7.7 s of 19 s at 300k triples). A BIND whose expression reads no variable (or only
variables of BINDs before it that are constant too) has the same value wherever it stands, so the
group's leading constants become ``VALUES (?base ?growthOf …) { (… …) }``, computed once by Oxigraph
itself on an empty store; an expression that errs leaves its variable unbound (``UNDEF``), as BIND
does. Non-deterministic functions (RAND, NOW, UUID, BNODE …) are never hoisted.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_STRING = re.compile(r"\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.DOTALL)
_BIND = re.compile(r"BIND\s*\(", re.IGNORECASE)
_VOLATILE = re.compile(r"\b(RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


@lru_cache(maxsize=256)  # parsing is slow (pyparsing); the shapes are the same from call to call
def hoist_constants(prefixes: str, body: str) -> str:
    """The group ``body`` with its constant top-level BINDs replaced by one VALUES row (unchanged if none)."""
    spans = top_level_binds(body)
    try:
        parts = parseQuery(f"{prefixes}SELECT * WHERE {{{body}}}")[1]["where"].get("part") or []
    except ParseException:
        return body
    binds = [part for part in parts if part.name == "Bind"]
    if len(binds) != len(spans):
        return body
    constant: list[tuple[Variable, tuple[int, int]]] = []
    known: set[Variable] = set()
    for part, span in zip(binds, spans, strict=True):
        text = body[span[0] : span[1]]
        if _variables(part["expr"]) <= known and not _VOLATILE.search(text):
            constant.append((part["var"], span))
            known.add(part["var"])
    if not constant:
        return body
    clauses = " ".join(body[start:end] for _, (start, end) in constant)
    solutions = ox.Store().query(f"{prefixes}SELECT * WHERE {{ {clauses} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    row = next(iter(solutions))
    values = " ".join(str(row[str(var)]) if row[str(var)] is not None else "UNDEF" for var, _ in constant)
    names = " ".join(f"?{var}" for var, _ in constant)
    rest, cursor = [], 0
    for _, (start, end) in constant:
        rest.append(body[cursor:start])
        cursor = end
    rest.append(body[cursor:])
    return f"VALUES ({names}) {{ ({values}) }}\n" + "".join(rest)


def top_level_binds(body: str) -> list[tuple[int, int]]:
    """The spans of the ``BIND (…)`` clauses at the top level of a group's text (strings and IRIs skipped)."""
    spans: list[tuple[int, int]] = []
    depth, start, i = 0, -1, 0
    while i < len(body):
        char = body[i]
        if char in "\"'":
            string = _STRING.match(body, i)
            i = string.end() if string else i + 1
            continue
        if char == "<":
            iri = _IRI.match(body, i)
            i = iri.end() if iri else i + 1
            continue
        if char == "#":
            newline = body.find("\n", i)
            i = len(body) if newline < 0 else newline
            continue
        if depth == 0 and start < 0:
            bind = _BIND.match(body, i)
            if bind and (i == 0 or not (body[i - 1].isalnum() or body[i - 1] in "_?$:")):
                start, depth, i = i, 1, bind.end()
                continue
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
            if depth == 0 and start >= 0:
                spans.append((start, i + 1))
                start = -1
        i += 1
    return spans


def _variables(node: object) -> set[Variable]:
    if isinstance(node, Variable):
        return {node}
    if isinstance(node, CompValue):
        return set().union(*(_variables(value) for value in node.values()))
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return set().union(*(_variables(item) for item in node))  # type: ignore[attr-defined]
    return set()
