"""French numbers as printed in the press: digits with French separators, scale words, numbers in words,
ordinals and fractions, each found with its exact span so that a figure can be quoted back.

``find_numbers`` returns every number of a sentence, longest reading first; the figure rules decide what
each one measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: Numbers in words (the forms that make up every French cardinal below a million).
UNITS_WORDS: dict[str, int] = {
    "zéro": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "octante": 80,
    "nonante": 90,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
}

#: Scale words after a number: "43,8 milliards", "1,2 million", "20 mille".
SCALES: dict[str, int] = {
    "mille": 1_000,
    "millier": 1_000,
    "milliers": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
    "billion": 1_000_000_000_000,  # the French (long-scale) billion
    "billions": 1_000_000_000_000,
    "md": 1_000_000_000,
    "mds": 1_000_000_000,
    "mrd": 1_000_000_000,
    "mrds": 1_000_000_000,
}

#: Approximate collective numbers: "une dizaine", "une centaine", "un millier".
COLLECTIVES: dict[str, int] = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}

#: Ordinals in words; "second(e)" is 2.
ORDINAL_WORDS: dict[str, int] = {
    "premier": 1,
    "première": 1,
    "premiers": 1,
    "premières": 1,
    "deuxième": 2,
    "second": 2,
    "seconde": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
    "onzième": 11,
    "douzième": 12,
    "treizième": 13,
    "quatorzième": 14,
    "quinzième": 15,
    "vingtième": 20,
}

#: Fractions in words, as a share in percent ("un tiers" is 33.33 %, an approximation of 1/3).
FRACTIONS: dict[str, tuple[Decimal, bool]] = {
    "moitié": (Decimal(50), True),
    "demi": (Decimal(50), True),
    "tiers": (Decimal("33.33"), False),
    "quart": (Decimal(25), True),
    "quarts": (Decimal(25), True),
    "cinquième": (Decimal(20), True),
    "dixième": (Decimal(10), True),
}

_SPACE = "[ \u00a0\u202f]"
_DIGITS = (
    rf"(?<![\d,.])(?:\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d])|\d{{1,3}}(?:\.\d{{3}})+(?![\d,])|\d+)"
    r"(?:,\d+|\.\d+(?![\d.]))?"
)
DIGIT_NUMBER = re.compile(_DIGITS)
_WORD_PART = "|".join(sorted(UNITS_WORDS, key=len, reverse=True))
WORD_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?:{_WORD_PART})(?:(?:-et-|-| et ){{0,1}}(?:{_WORD_PART}))*)(?![\w-])", re.IGNORECASE
)
SCALE = re.compile(
    rf"{_SPACE}+(milliards?|millions?|milliers?|billions?|mille|mds?|mrds?)(?![\w])", re.IGNORECASE
)
ORDINAL = re.compile(
    r"(?<![\w-])(?:(" + "|".join(ORDINAL_WORDS) + r")|(\d+)(?:e|è|ème|eme|er|re|ère)(?![\w]))", re.IGNORECASE
)


@dataclass(frozen=True)
class NumberMention:
    """A number in a sentence: its value, where its words lie, and how it was written."""

    value: Decimal
    start: int
    end: int
    in_words: bool  # written in words ("cinq", "dix-huit") rather than digits
    scaled: bool  # carries a scale word ("milliards")


def parse_digits(text: str) -> Decimal:
    """The value of a number written in digits the French way: ``"1 700"``, ``"43,8"``, ``"1.200"``."""
    cleaned = re.sub(_SPACE, "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    return Decimal(cleaned.replace(",", "."))


def parse_words(text: str) -> int | None:
    """The value of a cardinal written in words (``"dix-huit"``, ``"quatre-vingt-dix"``), or None."""
    parts = [p for p in re.split(r"[\s-]+", text.lower()) if p and p != "et"]
    if not parts or any(p not in UNITS_WORDS for p in parts):
        return None
    total, current = 0, 0
    for part in parts:
        value = UNITS_WORDS[part]
        if value == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif value == 100:
            current = max(current, 1) * 100
        elif value == 20 and current % 100 == 4:  # quatre-vingt(s)
            current = current - 4 + 80
        elif value in (10, 11, 12, 13, 14, 15, 16) and current % 100 in (
            60,
            80,
        ):  # soixante-dix, quatre-vingt-onze
            current += value
        else:
            current += value
    return total + current


def find_numbers(sentence: str) -> list[NumberMention]:
    """Every cardinal number of a sentence, in order, with its scale word when it has one."""
    found: list[NumberMention] = []
    taken: set[int] = set()
    for match in DIGIT_NUMBER.finditer(sentence):
        if _inside_token(sentence, match.start(), match.end()):
            continue
        value = parse_digits(match.group())
        found.append(_scaled(sentence, value, match.start(), match.end(), in_words=False))
        taken.update(range(match.start(), match.end()))
    for match in WORD_NUMBER.finditer(sentence):
        if taken.intersection(range(match.start(), match.end())):
            continue
        words = parse_words(match.group())
        if words is None:
            continue
        found.append(_scaled(sentence, Decimal(words), match.start(), match.end(), in_words=True))
    return sorted(found, key=lambda n: n.start)


def _inside_token(sentence: str, start: int, end: int) -> bool:
    """Digits glued to letters ("UTC+01", "EQ2", "B2B") or part of a time or date ("15h39", "01.07.2025")."""
    before = sentence[start - 1] if start else " "
    after = sentence[end] if end < len(sentence) else " "
    if before.isalpha() or (after.isalpha() and not sentence[end:].lower().startswith(("e ", "er ", "h"))):
        return True
    if after == "h" and end + 1 < len(sentence) and sentence[end + 1].isdigit():
        return True
    if after == "." and end + 1 < len(sentence) and sentence[end + 1].isdigit():
        return True  # a dotted date such as 01.07.2025
    return after in ":/" or before in ":/."


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``43800000000``, ``9.2``."""
    text = format(value.normalize(), "f")
    return text


def _scaled(sentence: str, value: Decimal, start: int, end: int, in_words: bool) -> NumberMention:
    scale = SCALE.match(sentence, end)
    if scale is not None:
        return NumberMention(value * SCALES[scale.group(1).lower()], start, scale.end(), in_words, True)
    return NumberMention(value, start, end, in_words, False)
