"""``tradelod quote``: the offsets of a sentence in an article, and the nearest match when it differs.

An exact occurrence is found with ``str.find`` (code points, end exclusive). Otherwise the sentence is
aligned on the article with RapidFuzz's partial-ratio alignment, on a folded copy of both texts (same
length, so offsets carry over: case, accents and the typographic apostrophe and quotes ignored), and the
match is widened to the sentence of the article that holds it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from .sentences import split_sentences

#: Below this similarity (0–100) nothing is called a match.
MIN_SCORE = 60.0


@dataclass(frozen=True)
class Located:
    """Where a quote lies in an article: exact, or the nearest sentence with its similarity."""

    start: int
    end: int
    exact: bool
    score: float
    text: str
    occurrences: int = 1


def fold_same_length(text: str) -> str:
    """Lower case, accents removed, typographic quotes made plain, one character for one character."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in base if not unicodedata.combining(c)) or char
        folded = kept.lower()
        folded = {
            "’": "'",
            "‘": "'",
            "“": '"',
            "”": '"',
            "«": '"',
            "»": '"',
            "\u00a0": " ",
            "\u202f": " ",
        }.get(folded, folded)
        out.append(folded if len(folded) == 1 else char.lower()[:1] or char)
    return "".join(out)


def locate(text: str, sentence: str) -> Located | None:
    """The exact offsets of ``sentence`` in ``text``, else the nearest sentence, else None."""
    start = text.find(sentence)
    if start >= 0 and sentence:
        occurrences = text.count(sentence)
        return Located(start, start + len(sentence), True, 100.0, sentence, occurrences)
    query = fold_same_length(" ".join(sentence.split()))
    if not query.strip():
        return None
    folded = fold_same_length(text)
    alignment = fuzz.partial_ratio_alignment(query, folded)
    if alignment is None or alignment.score < MIN_SCORE:
        return None
    a, b = alignment.dest_start, alignment.dest_end
    best = _sentence_around(text, a, b)
    s, e = best if best else (a, b)
    score = fuzz.ratio(query, folded[s:e])
    return Located(s, e, False, round(score, 1), text[s:e])


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The run of whole sentences that covers most of [start, end)."""
    covering = [s for s in split_sentences(text) if s.start < end and start < s.end]
    if not covering:
        return None
    return covering[0].start, covering[-1].end
