"""Value qualifiers: the words before a figure that say it is approximate or a bound.

"près de 7 000", "plus de 4 000 entreprises", "environ 20 %": the qualifier becomes the draft
observation's value qualifier (``id/qualifier/<key>``) and the figure's span starts at its first word,
so the quoted text is what the article wrote.
"""

from __future__ import annotations

import re

from .figure_kinds import Figure

SP = "[ \u00a0\u202f]"

#: Words before a number and the value qualifier they give (``id/qualifier/<key>``), longest first.
QUALIFIERS: list[tuple[str, str]] = [
    (r"pas moins d[e'’]", "at-least"),
    (r"au moins", "at-least"),
    (
        r"un peu plus d[e'’]|bien plus d[e'’]|plus d[e'’]|au-delà d[e'’]|dépassant(?: les?)?|supérieure?s? à",
        "more-than",
    ),
    (r"moins d[e'’]|inférieure?s? à", "less-than"),
    (r"jusqu'à|jusqu’à", "at-most"),
    (r"près d[e'’]|presque|quasiment|pratiquement|pas loin d[e'’]", "nearly"),
    (
        r"environ|quelque|approximativement|autour d[e'’]|aux alentours d[e'’]|à peu près|grosso modo|de l'ordre d[e'’]|de l’ordre d[e'’]|plus ou moins",
        "approximately",
    ),
]
_QUALIFIER_BEFORE = re.compile(
    "(?:"
    + "|".join(f"(?P<q{i}>(?<![\\w])(?:{form}))" for i, (form, _) in enumerate(QUALIFIERS))
    + rf"){SP}*$",
    re.IGNORECASE,
)


def with_qualifier(sentence: str, figure: Figure, keep_approximate: bool = False) -> Figure:
    """The figure with the qualifier written just before it, its span widened to include it."""
    match = _QUALIFIER_BEFORE.search(sentence[: figure.start])
    if match is None:
        return figure
    for i, (_, key) in enumerate(QUALIFIERS):
        if match.group(f"q{i}") is not None:
            if not (keep_approximate and figure.qualifier == "approximately" and key == "approximately"):
                figure.qualifier = key
            figure.start = match.start()
            break
    return figure
