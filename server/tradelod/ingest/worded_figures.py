"""Figures stated in words rather than digits: factors ("doubler", "trois fois plus"), fractions
("la moitié des", "un tiers de") and ranks ("la quatrième source", "le deuxième partenaire").

Each becomes a figure only with the words that make it one: a factor verb or "fois plus", a fraction
followed by "de", an ordinal followed by a ranking noun. Read values say how they were read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .figure_kinds import Figure
from .numbers import FRACTIONS, ORDINAL, ORDINAL_WORDS, parse_words
from .qualifiers import SP, with_qualifier

#: Nouns that make an ordinal a rank ("la quatrième source", "la deuxième marque").
RANK_NOUNS = frozenset(
    [
        "partenaire",
        "partenaires",
        "source",
        "sources",
        "marque",
        "marques",
        "économie",
        "économies",
        "exportateur",
        "exportatrice",
        "exportateurs",
        "importateur",
        "importateurs",
        "investisseur",
        "investisseurs",
        "destination",
        "destinations",
        "fournisseur",
        "fournisseurs",
        "client",
        "clients",
        "marché",
        "marchés",
        "pays",
        "projet",
        "projets",
        "entreprise",
        "entreprises",
        "producteur",
        "producteurs",
        "puissance",
        "puissances",
        "place",
        "rang",
        "port",
        "ports",
        "ville",
        "villes",
        "plateforme",
        "plateformes",
        "constructeur",
        "constructeurs",
        "acheteur",
        "acheteurs",
        "consommateur",
        "consommateurs",
        "créancier",
        "créanciers",
        "contributeur",
        "contributeurs",
        "émetteur",
        "émetteurs",
    ]
)

_FACTOR_VERBS: dict[str, int] = {"doubl": 2, "tripl": 3, "quadrupl": 4, "quintupl": 5, "décupl": 10}
_FACTOR = re.compile(
    r"(?<![\w])(re)?(doubl|tripl|quadrupl|quintupl|décupl)(er|é|ée|és|ées|era|eront|ent|ait|aient|ant|erait|eraient)(?![\w])",
    re.IGNORECASE,
)
_TIMES = re.compile(
    rf"(?<![\w])(?P<n>\w+(?:-\w+)*|\d+(?:,\d+)?){SP}+fois{SP}+(?:plus|supérieure?s?)(?![\w])", re.IGNORECASE
)
_MULTIPLIED = re.compile(rf"multipli\w*{SP}+par{SP}+(?P<n>\w+|\d+(?:,\d+)?)(?![\w])", re.IGNORECASE)
_FRACTION = re.compile(
    rf"(?<![\w])(?P<n>un|une|deux|trois|quatre|la|le)(?:{SP}+)(?P<f>moitié|tiers|quarts?|cinquième|dixième)(?:{SP}+(?:de|des|du|d'|d’))",
    re.IGNORECASE,
)


def _factor_target(value: Decimal, match: re.Match[str]) -> Figure:
    """A target stated as a factor ("doubler", "trois fois plus"), where the words are."""
    return Figure(
        "target", value, "factor", "exact", match.start(), match.end(), factor=True, cue=match.group()
    )


def factor_figures(sentence: str) -> list[Figure]:
    """Targets stated as a factor: doubling verbs, "N fois plus", "multiplié par N"."""
    found = []
    for match in _FACTOR.finditer(sentence):
        factor = _FACTOR_VERBS[match.group(2).lower()]
        found.append(_factor_target(Decimal(factor), match))
    for pattern in (_TIMES, _MULTIPLIED):
        for match in pattern.finditer(sentence):
            raw = match.group("n")
            value = _number_word(raw)
            if value is None or value < 1:
                continue
            found.append(_factor_target(value, match))
    return found


def fraction_figures(sentence: str) -> list[Figure]:
    """Shares stated as a fraction of a total ("la moitié des", "un tiers de")."""
    found = []
    for match in _FRACTION.finditer(sentence):
        article, fraction = match.group("n").lower(), match.group("f").lower()
        if fraction not in FRACTIONS or (fraction == "moitié") != (article in ("la", "le")):
            continue
        share, exact = FRACTIONS[fraction]
        count = 1 if article in ("un", "une", "la", "le") else parse_words(article) or 1
        value = share * count
        figure = Figure(
            "level",
            value,
            "percent",
            "exact" if exact else "approximately",
            match.start(),
            match.end() - len(match.group().split()[-1]) - 1,
        )
        if not exact or count != 1 or fraction != "moitié":
            figure.inference.append(f"'{match.group('n')} {match.group('f')}' read as {value} %")
        found.append(with_qualifier(sentence, figure))
    return found


def rank_figures(sentence: str) -> list[Figure]:
    """Ranks: an ordinal followed by a ranking noun, or elided after "le premier et le"."""
    found = []
    for match in ORDINAL.finditer(sentence):
        rank = ORDINAL_WORDS[match.group(1).lower()] if match.group(1) else int(match.group(2))
        if match.group(2) and int(match.group(2)) > 200:
            continue
        after = sentence[match.end() :]
        noun = re.match(
            rf"{SP}+(?:(?:plus{SP}+)?(?:grande?s?|gros|importante?s?|principale?s?|principaux){SP}+)?([\wÀ-ÿ'’-]+)",
            after,
        )
        elided = re.match(rf"{SP}+(?:de|du|des|d'|d’|à){SP}*", after)
        before = sentence[: match.start()].lower()
        if noun is not None and noun.group(1).lower() in RANK_NOUNS:
            found.append(
                Figure(
                    "level",
                    Decimal(rank),
                    "rank",
                    "exact",
                    match.start(),
                    match.end() + noun.end(),
                    noun=noun.group(1),
                )
            )
        elif (
            elided is not None
            and re.search(r"(?:^|\s)(?:la|le|au)\s*$", before)
            and re.search(r"(?:^|\s)et\s+(?:la|le)\s*$", before)
        ):
            found.append(
                Figure("level", Decimal(rank), "rank", "exact", match.start() - 3, match.end(), noun=None)
            )
    return found


def _number_word(raw: str) -> Decimal | None:
    """A factor's number, in digits or in words."""
    if re.fullmatch(r"\d+(?:,\d+)?", raw):
        return Decimal(raw.replace(",", "."))
    value = parse_words(raw)
    return Decimal(value) if value is not None else None
