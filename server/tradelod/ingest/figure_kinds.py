"""What kind of figure a number of a sentence is: a level or a growth, an observation or a projection.

The words around each figure decide: a rise or a fall before a percentage makes it a growth (negative for
a fall), "d'ici 2030", "objectif", "devrait" make an amount a target or an expectation, an infinitive
("doubler") a target and a participle ("a doublé") a growth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_GROWTH_UP = re.compile(
    r"(?:augment\w*|hausse|croissance|cr[oû]\w*|progress\w*|bond\w*|grimp\w*|accroissement|accru\w*|gagn\w*|"
    r"envol\w*|rebond\w*|glissement annuel|sur un an|en un an|par rapport à|comparé|plus que)",
    re.IGNORECASE,
)
_GROWTH_DOWN = re.compile(
    r"(?:baiss\w*|recul\w*|diminu\w*|chut\w*|repli\w*|contract\w*|perdu|perte|régress\w*|fléchi\w*|"
    r"dégringol\w*|effondr\w*|reflux)",
    re.IGNORECASE,
)
_PROJECTION = re.compile(
    r"(?:d'ici|d’ici|à l'horizon|à l’horizon|horizon|objectif|vis\w*|s'engag\w*|s’engag\w*|prév\w*|devr\w*|"
    r"attendu\w*|ambition\w*|entend\w*|cibl\w*|compte\w*|projet\w*|espér\w*|espèr\w*|escompt\w*)",
    re.IGNORECASE,
)
_TARGET_WORDS = re.compile(
    r"(?:objectif|vis\w*|s'engag\w*|s’engag\w*|cibl\w*|ambition\w*|entend\w*)", re.IGNORECASE
)


@dataclass
class Figure:
    """One figure stated by a sentence, positions relative to the sentence."""

    kind: str  # "level", "growth", "target" or "expectation"
    value: Decimal
    unit: str  # key of id/unit/<key>
    qualifier: str  # key of id/qualifier/<key>
    start: int  # the figure's words in the sentence (qualifier, number, scale and unit)
    end: int
    noun: str | None = None  # what is counted or ranked ("entreprises")
    factor: bool = False  # a target or growth stated as a factor ("doubler")
    cue: str | None = None  # the word that made it a growth or a projection
    inference: list[str] = field(default_factory=list)
    confidence: float = 0.9


def classify(sentence: str, figures: list[Figure]) -> None:
    """Decide growth versus level and projection versus observation from the words around each figure."""
    previous: Figure | None = None
    for figure in figures:
        window = sentence[max(0, figure.start - 60) : figure.start]
        after = sentence[figure.end : figure.end + 60]
        clause = _clause(sentence, figure)
        if figure.factor:
            # an infinitive ("doubler", "multiplier par deux") is what is aimed at; a participle is what happened
            projected = _PROJECTION.search(clause) or re.match(r"\w+(?:er|ir)\b", figure.cue or "")
            if not projected:
                figure.kind = "growth"
                figure.inference.append(f"'{figure.cue}' read as a growth of {(figure.value - 1) * 100} %")
                figure.value = (figure.value - 1) * 100
                figure.unit = "percent"
                figure.factor = False
            previous = figure
            continue
        if figure.kind == "level" and figure.unit == "percent":
            down = _last(_GROWTH_DOWN, window)
            up = _last(_GROWTH_UP, window)
            joined = (
                previous is not None
                and previous.kind == "growth"
                and re.fullmatch(
                    r"[\s,]*(?:et|ou)?[\s]*(?:de\s)?", sentence[previous.end : figure.start] or ""
                )
            )
            if joined and previous is not None:
                figure.kind = "growth"
                figure.cue = previous.cue
                if previous.value < 0 < figure.value:
                    figure.value = -figure.value
            elif down is not None and (up is None or down.start() > up.start()):
                figure.kind, figure.cue, figure.value = "growth", down.group(), -abs(figure.value)
            elif up is not None or re.match(
                r"\s*(?:en glissement annuel|sur un an|en un an|par rapport)", after
            ):
                figure.kind = "growth"
                figure.cue = up.group() if up is not None else after.strip()[:20]
        elif figure.kind == "level" and figure.unit not in ("rank",) and _PROJECTION.search(clause):
            horizon = re.search(r"(?:d'ici|d’ici|à l'horizon|à l’horizon)", clause)
            target = _TARGET_WORDS.search(clause)
            if horizon is not None or re.search(r"(?:attendu|prévu|devr)", clause, re.IGNORECASE):
                figure.kind = "target" if target is not None else "expectation"
                cue = horizon or target
                figure.cue = cue.group() if cue is not None else None
        previous = figure


def _clause(sentence: str, figure: Figure) -> str:
    """The words around a figure up to the nearest clause boundary on either side."""
    left = max(sentence.rfind(mark, 0, figure.start) for mark in (";", ". ", ", soit", ", tandis"))
    rights = [
        i for i in (sentence.find(mark, figure.end) for mark in (";", ". ", ", soit", ", tandis")) if i >= 0
    ]
    right = min(rights) if rights else len(sentence)
    return sentence[max(0, left) : right]


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for match in pattern.finditer(text):
        found = match
    return found
