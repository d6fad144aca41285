"""How deeply a query nests its groups and brackets, read in one pass before anything parses it.

rdflib's SPARQL parser (the query check) takes time in proportion to the nesting and recurses once per
level: a query 2,000 groups deep costs it longer than the time limit. Legitimate queries nest a few
levels; so the endpoint measures the depth first (strings, IRIs and comments skipped, since brackets
inside them do not nest) and refuses a query over ``QUERY_MAX_NESTING`` at once, with the same message
whichever way it arrived.
"""

from __future__ import annotations

import re

#: Strings (long and short), IRIs, comments — whose brackets do not count — and the brackets themselves.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*"
    r"|[{(\[]|[})\]]",
    re.DOTALL,
)
_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")


def nesting_depth(query: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in the query, outside strings, IRIs and comments."""
    depth = deepest = 0
    for match in _TOKENS.finditer(query):
        token = match.group()
        if token in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token in _CLOSING:
            depth = max(0, depth - 1)
    return deepest
