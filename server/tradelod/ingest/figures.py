"""Every figure a French sentence states: amounts, shares and growth rates, counts, physical measures,
ranks, and the factors and values of targets and expectations, each with its qualifier and exact span.

Rules over the numbers that ``numbers.find_numbers`` finds. A number becomes a figure only when the
words around it say what it measures (a currency, ``%``, a unit, a counted noun, an ordinal of a ranking);
years, days of a date, durations and anaphoric numbers ("les deux pays") are not figures. Precision comes
first: a number left out is found by the reviewer, a figure the article does not state is an error.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .figure_kinds import Figure, classify
from .numbers import COLLECTIVES, FRACTIONS, ORDINAL, ORDINAL_WORDS, NumberMention, find_numbers, parse_words
from .units import currency_after, currency_before, measure_after

_SP = "[ \u00a0\u202f]"

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
    + rf"){_SP}*$",
    re.IGNORECASE,
)

_PERCENT_AFTER = re.compile(rf"{_SP}*(?:%|pour{_SP}?cent(?![\w])|pour{_SP}100(?![\d]))")
_POINTS_AFTER = re.compile(rf"{_SP}*points?(?:{_SP}de{_SP}pourcentage)?(?![\w])")
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE_AFTER = re.compile(rf"{_SP}*(?:er{_SP}*)?(?:{_MONTHS})(?![\w])|{_SP}+au{_SP}+\d", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    rf"{_SP}*(?:(?:ans|an|années|année|mois|jours|jour|semaines|semaine|heures|heure|minutes|siècles|siècle|décennies|décennie|millénaires|trimestres|semestres)(?![\w])|(?:\w+{_SP}+)?sur{_SP}+\d)",
    re.IGNORECASE,
)
_ANAPHORIC_BEFORE = re.compile(
    r"(?:^|[\s'’])(?:les|des|ces|aux|leurs|nos|vos|l'un|l’un|tous|toutes)\s*$", re.IGNORECASE
)
_WORD_AFTER = re.compile(r"[ \u00a0\u202f]+([A-Za-zÀ-ÿœŒ][\wÀ-ÿœŒ'’-]*)")

#: Words after a number that are not counted things.
NOT_COUNTED = frozenset(
    [
        "de",
        "d'",
        "du",
        "des",
        "à",
        "au",
        "aux",
        "et",
        "ou",
        "en",
        "pour",
        "par",
        "sur",
        "sous",
        "dans",
        "avec",
        "sans",
        "selon",
        "contre",
        "entre",
        "vers",
        "chez",
        "fois",
        "fois,",
        "heures",
        "h",
        "fin",
        "début",
        "mi",
        "milliards",
        "millions",
        "est",
        "sont",
        "a",
        "ont",
        "était",
        "fut",
        "été",
        "soit",
        "ainsi,",
        "premier",
        "première",
        "premiers",
        "premières",
        "dernier",
        "dernière",
        "derniers",
        "dernières",
        "autres",
        "autre",
        "plus",
        "moins",
        "points",
        "point",
        "pour-cent",
        "ans",
        "an",
        "années",
        "année",
        "mois",
        "jours",
        "jour",
        "semaines",
        "semaine",
        "siècles",
        "siècle",
        "e",
        "er",
    ]
)

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
    rf"(?<![\w])(?P<n>\w+(?:-\w+)*|\d+(?:,\d+)?){_SP}+fois{_SP}+(?:plus|supérieure?s?)(?![\w])", re.IGNORECASE
)
_MULTIPLIED = re.compile(rf"multipli\w*{_SP}+par{_SP}+(?P<n>\w+|\d+(?:,\d+)?)(?![\w])", re.IGNORECASE)
_FRACTION = re.compile(
    rf"(?<![\w])(?P<n>un|une|deux|trois|quatre|la|le)(?:{_SP}+)(?P<f>moitié|tiers|quarts?|cinquième|dixième)(?:{_SP}+(?:de|des|du|d'|d’))",
    re.IGNORECASE,
)


def find_figures(sentence: str) -> list[Figure]:
    """Every figure of one sentence, in order of appearance."""
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for figure in _factor_figures(sentence) + _fraction_figures(sentence):
        figures.append(figure)
        taken.append((figure.start, figure.end))
    for number in find_numbers(sentence):
        if any(a <= number.start < b for a, b in taken):
            continue
        found = _figure_of(sentence, number)
        if found is not None:
            figures.append(found)
            taken.append((found.start, found.end))
    figures.extend(f for f in _rank_figures(sentence) if not any(a <= f.start < b for a, b in taken))
    figures.sort(key=lambda f: f.start)
    classify(sentence, figures)
    return figures


def _figure_of(sentence: str, number: NumberMention) -> Figure | None:
    end = number.end
    if _DATE_AFTER.match(sentence, end) or _is_year(sentence, number):
        return None
    symbol = currency_before(sentence, number.start)
    currency = currency_after(sentence, end)
    if currency is not None or symbol is not None:
        unit, end = currency if currency is not None else (symbol or "usd", end)
        return _with_qualifier(sentence, Figure("level", number.value, unit, "exact", number.start, end))
    percent = _PERCENT_AFTER.match(sentence, end)
    if percent is not None:
        value = number.value
        sign = sentence[number.start - 1] if number.start else ""
        figure = Figure("level", value, "percent", "exact", number.start, percent.end())
        if sign in "+-−":
            figure.start -= 1
            figure.kind = "growth"
            figure.cue = sign
            figure.value = -value if sign in "-−" else value
        return _with_qualifier(sentence, figure)
    points = _POINTS_AFTER.match(sentence, end)
    if points is not None and not number.in_words:
        return _with_qualifier(
            sentence, Figure("growth", number.value, "percentage-point", "exact", number.start, points.end())
        )
    measure = measure_after(sentence, end)
    if measure is not None:
        return _with_qualifier(
            sentence, Figure("level", number.value, measure[0], "exact", number.start, measure[1])
        )
    if _DURATION_AFTER.match(sentence, end):
        return None
    return _count(sentence, number)


def _is_year(sentence: str, number: NumberMention) -> bool:
    if number.in_words or number.scaled or number.value != number.value.to_integral_value():
        return False
    return not (
        not 1800 <= number.value <= 2100 or not re.fullmatch(r"\d{4}", sentence[number.start : number.end])
    )


def _count(sentence: str, number: NumberMention) -> Figure | None:
    word = _WORD_AFTER.match(sentence, number.end)
    text = sentence[number.start : number.end].lower()
    collective = None
    if (word is not None and word.group(1).lower() in COLLECTIVES) or (
        word is not None and word.group(1).lower().rstrip("s") in COLLECTIVES
    ):
        collective = word
    if number.in_words:
        if text in ("un", "une") and collective is None and not number.scaled:
            return None
        if _ANAPHORIC_BEFORE.search(sentence[: number.start]) or _in_short_quote(sentence, number.start):
            return None
    if collective is not None:
        base = COLLECTIVES[collective.group(1).lower().rstrip("s")]
        count = (number.value if text not in ("un", "une") else Decimal(1)) * base
        rest = re.match(rf"{_SP}+(?:de|d'|d’){_SP}*([\wÀ-ÿ'’-]+)", sentence[collective.end() :])
        noun = rest.group(1) if rest else None
        if noun is not None and _DURATION_AFTER.match(" " + noun):
            return None  # "une quinzaine de jours": a duration
        end = collective.end() + (rest.end() if rest else 0)
        qualifier = (
            "approximately"
            if COLLECTIVES[collective.group(1).lower().rstrip("s")] != 1000 or text not in ("un", "une")
            else "exact"
        )
        if collective.group(1).lower().startswith("millier"):
            qualifier = "exact" if text in ("un", "une") else "approximately"
        figure = Figure("level", count, "count", qualifier, number.start, end, noun=noun)
        return _with_qualifier(sentence, figure, keep_approximate=True)
    if number.scaled:
        rest = re.match(rf"{_SP}*(?:de|d'|d’){_SP}*([\wÀ-ÿ'’-]+)", sentence[number.end :])
        if rest is None:
            return _elided_currency(sentence, number)
        return _with_qualifier(
            sentence,
            Figure(
                "level",
                number.value,
                "count",
                "exact",
                number.start,
                number.end + rest.end(),
                noun=rest.group(1),
            ),
        )
    if word is None:
        return None
    noun = word.group(1)
    if noun.lower() in NOT_COUNTED or noun.lower().startswith(("d'", "d’", "l'", "l’")):
        return None
    if (
        noun[0].isupper()
        and noun.lower() not in ("états", "etats")
        and not number.in_words
        and not (noun.endswith("s") and len(noun) > 3)
    ):
        return None  # "2025 Chongqing": a number before a name is rarely a count; "50 000 Kényans" is one
    return _with_qualifier(
        sentence, Figure("level", number.value, "count", "exact", number.start, word.end(), noun=noun)
    )


def _in_short_quote(sentence: str, position: int) -> bool:
    """Inside a short « … » span: a name or a slogan ("« Cent groupes, mille entreprises »"), not a figure."""
    opening = sentence.rfind("«", 0, position)
    if opening < 0 or sentence.rfind("»", 0, position) > opening:
        return False
    closing = sentence.find("»", position)
    return closing >= 0 and len(sentence[opening:closing].split()) <= 8


def _elided_currency(sentence: str, number: NumberMention) -> Figure | None:
    """ "52 milliards de dollars, contre 41 milliards": a scaled amount whose currency the sentence gave before."""
    found = [
        currency_after(sentence, m.end())
        for m in re.finditer(r"(?:milliards?|millions?)", sentence[: number.start])
    ]
    units = [c[0] for c in found if c is not None]
    if not units:
        return None
    figure = Figure("level", number.value, units[-1], "exact", number.start, number.end, confidence=0.6)
    figure.inference.append(f"currency {units[-1].upper()} taken from the amount before it in the sentence")
    return _with_qualifier(sentence, figure)


def _with_qualifier(sentence: str, figure: Figure, keep_approximate: bool = False) -> Figure:
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


def _factor_figures(sentence: str) -> list[Figure]:
    found = []
    for match in _FACTOR.finditer(sentence):
        factor = _FACTOR_VERBS[match.group(2).lower()]
        found.append(
            Figure(
                "target",
                Decimal(factor),
                "factor",
                "exact",
                match.start(),
                match.end(),
                factor=True,
                cue=match.group(),
            )
        )
    for pattern in (_TIMES, _MULTIPLIED):
        for match in pattern.finditer(sentence):
            raw = match.group("n")
            value = _number_word(raw)
            if value is None or value < 1:
                continue
            found.append(
                Figure(
                    "target",
                    value,
                    "factor",
                    "exact",
                    match.start(),
                    match.end(),
                    factor=True,
                    cue=match.group(),
                )
            )
    return found


def _fraction_figures(sentence: str) -> list[Figure]:
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
        found.append(_with_qualifier(sentence, figure))
    return found


def _rank_figures(sentence: str) -> list[Figure]:
    found = []
    for match in ORDINAL.finditer(sentence):
        rank = ORDINAL_WORDS[match.group(1).lower()] if match.group(1) else int(match.group(2))
        if match.group(2) and int(match.group(2)) > 200:
            continue
        after = sentence[match.end() :]
        noun = re.match(
            rf"{_SP}+(?:(?:plus{_SP}+)?(?:grande?s?|gros|importante?s?|principale?s?|principaux){_SP}+)?([\wÀ-ÿ'’-]+)",
            after,
        )
        elided = re.match(rf"{_SP}+(?:de|du|des|d'|d’|à){_SP}*", after)
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
    if re.fullmatch(r"\d+(?:,\d+)?", raw):
        return Decimal(raw.replace(",", "."))
    value = parse_words(raw)
    return Decimal(value) if value is not None else None
