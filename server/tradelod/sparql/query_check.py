"""What a public query asks for, read by parsing it before the engine sees it.

Oxigraph has no API to inspect a query without running it, and it runs ``SERVICE`` (an HTTP request
to any endpoint) as soon as it evaluates the pattern. So every public query that could hold a
SERVICE is first parsed with rdflib's SPARQL 1.1 parser, and its parse tree walked for
``ServiceGraphPattern`` nodes, wherever they sit (sub-queries, ``OPTIONAL``, ``FILTER EXISTS`` …). Text that parses as an update instead of a
query is refused as such. A regular expression over the text could be fooled by strings, comments
and IRIs; the parser cannot.

The same walk says which query form it is and whether the query names its own dataset with
``FROM`` / ``FROM NAMED`` (then the union default graph must not replace it).

Parsing costs 0.3–10 ms per new query text, more than most queries take to run. ``quick_check``
answers without parsing when the text cannot hold what the parse looks for: no ``service`` and no
``from`` anywhere in it (in any case, even inside strings, IRIs and comments), no ``\\u`` escape
(SPARQL expands those before parsing, so they could spell either word), and no deep nesting. Such a
query can call no SERVICE and names no dataset, whatever rdflib would make of it; everything else is
parsed as before. An update cannot hide there either: the engine's query parser refuses it, and
only then is the text parsed to tell an update (403) from a syntax error (400).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rdflib's parser is imported on first use (below): see load_parser()
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parserutils import CompValue

#: rdflib's parse-tree names of the four query forms, and ours.
FORMS: dict[str, str] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}


class Refused(Exception):
    """The query asks for something a public, read-only endpoint does not do."""


class Unparsed(Exception):
    """rdflib's SPARQL 1.1 parser could not read the text (``message`` says where and why)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooDeep(Unparsed):
    """The query nests deeper than the parser's recursion allows (refused, never run)."""


@dataclass(frozen=True)
class Checked:
    """What the check learnt about an acceptable query."""

    form: str  # "select", "ask", "construct" or "describe"
    has_dataset: bool  # the query has FROM or FROM NAMED
    services: tuple[str, ...]  # the (allow-listed) SERVICE endpoints it calls
    #: The query's FROM / FROM NAMED clauses as ("default" | "named", IRI), in order.
    dataset: tuple[tuple[str, str], ...] = ()


#: What makes a text need the full parse: the two words it looks for, SPARQL's \u escapes, and
#: anything that could call a function named by an IRI (an IRI or a prefixed name before a bracket).
_NEEDS_PARSE = re.compile(r"service|\bfrom\b|\\[uU]|>\s*\(|:[^\s(){}<>\"']*\s*\(", re.IGNORECASE)
#: The only functions a query may call by IRI: the XSD casts (SPARQL 17.5). An engine's own
#: extensions are refused (Virtuoso runs any ``bif:`` or ``sql:`` function a query names; Oxigraph
#: answers an unknown function with an unbound value), so every backend answers alike.
CALLABLE_NAMESPACES = ("http://www.w3.org/2001/XMLSchema#",)
_BRACKETS = re.compile(r"[][(){}]")
#: Brackets nested deeper than this are left to the full parse (which refuses what nests too deeply).
QUICK_MAX_DEPTH = 64

#: What the quick check says about a query that needs no parse: its form is read from the answer.
QUICK = Checked(form="", has_dataset=False, services=())


def quick_check(text: str) -> Checked | None:
    """``QUICK`` when the text can neither call SERVICE, name a dataset nor call a function by IRI;
    None when it must be parsed."""
    if _NEEDS_PARSE.search(text) is not None:
        return None
    if text.count("(") + text.count("{") + text.count("[") > QUICK_MAX_DEPTH:
        depth = deepest = 0
        for bracket in _BRACKETS.finditer(text):
            depth += 1 if bracket.group() in "({[" else -1
            deepest = max(deepest, depth)
        if deepest > QUICK_MAX_DEPTH:
            return None
    return QUICK


def check_query(text: str, prefixes: dict[str, str], allowlist: tuple[str, ...]) -> Checked:
    """Parse a public query; raise Refused for updates, SERVICE calls off the allow-list and calls of
    functions outside ``CALLABLE_NAMESPACES``."""
    return _check(text, tuple(prefixes.items()), allowlist)


@lru_cache(maxsize=512)
def _check(text: str, prefix_pairs: tuple[tuple[str, str], ...], allowlist: tuple[str, ...]) -> Checked:
    """The check proper, remembered per query text: rdflib's parser takes milliseconds, and public
    endpoints see the same queries (examples, dashboards, polling clients) again and again."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    prefixes = dict(prefix_pairs)
    try:
        tree = parseQuery(text)
    except RecursionError:
        raise TooDeep(
            "The query nests too deeply for this endpoint (brackets or groups within each other)."
        ) from None
    except ParseBaseException as error:
        if _is_update(text):
            raise Refused(
                "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, "
                "COPY, MOVE, ADD) is refused."
            ) from None
        raise Unparsed(_describe(error)) from None
    prologue, query = tree[0], tree[1]
    declared = dict(prefixes)
    for declaration in prologue:
        if isinstance(declaration, CompValue) and declaration.name == "PrefixDecl":
            declared[_field(declaration, "prefix")] = str(declaration["iri"])
    for name in _nodes(query, "pname"):
        # rdflib leaves prefixed names unresolved; an undeclared one is a syntax error everywhere
        # (Virtuoso would read ``bif:`` and ``sql:`` as its own namespaces).
        if _field(name, "prefix") not in declared:
            raise Unparsed(f"Undefined prefix in {_field(name, 'prefix')}:{_field(name, 'localname')}")
    for call in _nodes(query, "Function"):
        function = _endpoint(call.get("iri"), declared)
        if not function.startswith(CALLABLE_NAMESPACES):
            raise Refused(
                f"The function <{function}> is refused: this endpoint calls SPARQL's built-in functions "
                "and the XSD casts (xsd:integer(…), xsd:decimal(…), …) only."
            )
    services = tuple(_endpoint(node.get("term"), declared) for node in _nodes(query, "ServiceGraphPattern"))
    for endpoint in services:
        if endpoint not in allowlist:
            shown = endpoint if endpoint.startswith("?") else f"<{endpoint}>"
            raise Refused(
                f"SERVICE {shown} is refused: this endpoint only answers from its own dataset"
                + (" (allowed SERVICE endpoints: " + ", ".join(allowlist) + ")." if allowlist else ".")
            )
    dataset = tuple(
        ("named" if "named" in clause else "default", _iri(clause, declared))
        for clause in (query["datasetClause"] if "datasetClause" in query else ())  # noqa: SIM401
    )
    return Checked(FORMS[query.name], "datasetClause" in query, services, dataset)


def _iri(clause: CompValue, declared: dict[str, str]) -> str:
    """The IRI a FROM or FROM NAMED clause names (prefixed names resolved)."""
    term = clause["named"] if "named" in clause else clause["default"]
    return _endpoint(term, declared)


def load_parser() -> None:
    """Import rdflib's SPARQL parser (1–2 s): query processes do it once they are ready, in the background,
    so they start answering queries that need no parse (``quick_check``) without waiting for it."""
    import rdflib.plugins.sparql.parser  # noqa: F401


def _is_update(text: str) -> bool:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return bool(text.strip())


def _describe(error: ParseBaseException) -> str:
    return f"{error.msg} at line {error.lineno}, column {error.col}"


def _nodes(node: Any, name: str) -> Iterator[CompValue]:
    """Every node called ``name`` (e.g. ServiceGraphPattern) in a parse tree, however deeply nested."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            if current.name == name:
                yield current
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple | ParseResults):
            stack.extend(current)


def _field(node: CompValue, key: str) -> str:
    """A part of a parse-tree node, "" when absent (``CompValue.get`` answers a missing key with the key
    itself: the empty prefix of ``:name`` would read as "prefix")."""
    return str(node[key]) if key in node else ""


def _endpoint(term: Any, declared: dict[str, str]) -> str:
    """The IRI a SERVICE pattern names; a variable or an unknown prefix can never be allow-listed."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = _field(term, "prefix")
        if prefix in declared:
            return declared[prefix] + _field(term, "localname")
        return f"{prefix}:{_field(term, 'localname')}"
    return str(term)
