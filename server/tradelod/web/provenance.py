"""Provenance you can see: the stated figure marked in its sentence, the sentence highlighted in its article.

Both are worked out from the text and the offsets the data records (``oa:exact``, ``oa:start``,
``oa:end``), never guessed from the page: the article page highlights exactly the characters
``[start, end)`` of the article text that the quote's selectors name, and a figure is marked only where
a number written in the sentence (French style: "43,8 milliards", "9,2 %", "3 000") has the figure's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: A number as the French articles write it, then an optional scale word and unit words.
_FIGURE = re.compile(
    r"(?<![\w,])(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?:[ \u00a0\u202f](?P<scale>milliards?|millions?|mille)\b)?"
    r"(?P<unit>(?:[ \u00a0\u202f](?:de |d')?(?:dollars?(?: américains| US)?|yuans?|kilomètres|km|mois)\b"
    r"|[ \u00a0\u202f]?%|[ \u00a0\u202f]pour ?cent\b))?",
    re.IGNORECASE,
)
_SCALES = {"mille": 10**3, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}


@dataclass(frozen=True)
class Marked:
    """A sentence cut around the figure it states: ``before`` + ``figure`` (marked) + ``after``."""

    before: str
    figure: str
    after: str


def mark_figure(sentence: str, value: str, unit: str | None = None) -> Marked | None:
    """The sentence with the first written number equal to ``value`` marked (with its scale and unit words)."""
    try:
        wanted = Decimal(value)
    except InvalidOperation:
        return None
    for match in _FIGURE.finditer(sentence):
        digits = re.sub(r"[ \u00a0\u202f]", "", match["number"]).replace(",", ".")
        written = Decimal(digits) * _SCALES.get((match["scale"] or "").lower(), 1)
        if written == wanted:
            return Marked(sentence[: match.start()], match[0], sentence[match.end() :])
    return None


@dataclass(frozen=True)
class Piece:
    """A run of article text, highlighted or not; ``first`` is the highlight the page scrolls to."""

    text: str
    marked: bool = False
    first: bool = False


@dataclass(frozen=True)
class ArticleText:
    """An article's text in paragraphs, with the characters ``[start, end)`` highlighted."""

    paragraphs: list[list[Piece]]
    href: str
    highlighted: str


def article_text(text: str, href: str, start: int | None = None, end: int | None = None) -> ArticleText:
    """Cut ``text`` into paragraphs (at line breaks) and highlight ``[start, end)`` (code points)."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        start = end = -1
    paragraphs: list[list[Piece]] = []
    first = True
    position = 0
    for line in text.split("\n"):
        line_start, line_end = position, position + len(line)
        position = line_end + 1
        if not line.strip():
            continue
        lo, hi = max(start, line_start), min(end, line_end)
        if start >= 0 and lo < hi:
            pieces = [
                Piece(line[: lo - line_start]),
                Piece(line[lo - line_start : hi - line_start], marked=True, first=first),
                Piece(line[hi - line_start :]),
            ]
            first = False
            paragraphs.append([p for p in pieces if p.text])
        else:
            paragraphs.append([Piece(line)])
    return ArticleText(paragraphs, href, text[start:end] if start >= 0 else "")
