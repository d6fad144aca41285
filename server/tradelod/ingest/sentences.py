"""Split an article into sentences with their code-point offsets (end exclusive), as quotes cite them.

Rules, not a model: a quote must be a span of the text exactly, and the rules below are the ones the
curated data follows. A line is never joined to the next; within a line a sentence ends at ``.``, ``!``,
``?`` or ``…`` (with any closing quote or bracket after it) when the next word starts with a capital
letter, a digit or an opening quote, unless the dot ends a known abbreviation (``M.``, ``etc.``) or an
initial. French puts a space before ``?`` and ``!``; that space does not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that end with a dot without ending the sentence (compared case-insensitively, without the dot).
ABBREVIATIONS = frozenset(
    [
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "me",
        "st",
        "ste",
        "etc",
        "cf",
        "av",
        "apr",
        "env",
        "ex",
        "p",
        "pp",
        "no",
        "vol",
        "fig",
        "art",
        "al",
        "janv",
        "févr",
        "avr",
        "juill",
        "sept",
        "oct",
        "nov",
        "déc",
        "co",
        "inc",
        "corp",
        "jr",
        "sr",
    ]
)

_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[»\"”’)\]])*(?=\s+)")
_STARTER = re.compile(r"\s+([«“\"A-ZÀ-ÖØ-Þ0-9ÉÈÊÎÔÛÇ])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its text and where it lies (code points, end exclusive)."""

    index: int  # 1-based, in reading order
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in reading order, stripped of surrounding blanks."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        spans.extend((position + a, position + b) for a, b in _line_spans(line))
        position += len(line) + 1
    return [Sentence(i + 1, a, b, text[a:b]) for i, (a, b) in enumerate(spans)]


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _END.finditer(line):
        end = match.end()
        following = _STARTER.match(line, end)
        if following is None or _is_abbreviation(line, match.start()):
            continue
        spans.append((start, end))
        start = following.start(1)
    spans.append((start, len(line)))
    return [s for s in (_strip(line, a, b) for a, b in spans) if s is not None]


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    word = re.search(r"([\wÀ-ÿ]+)$", line[:dot])
    if word is None:
        return False
    token = word.group(1)
    # A single capital letter is an initial (J. Smith); "Ltd." and "Co." end sentences too often to be listed.
    return token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _strip(line: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
