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
from .numbers import COLLECTIVES, NumberMention, find_numbers
from .qualifiers import SP, with_qualifier
from .units import currency_after, currency_before, measure_after
from .worded_figures import factor_figures, fraction_figures, rank_figures

_PERCENT_AFTER = re.compile(rf"{SP}*(?:%|pour{SP}?cent(?![\w])|pour{SP}100(?![\d]))")
_POINTS_AFTER = re.compile(rf"{SP}*points?(?:{SP}de{SP}pourcentage)?(?![\w])")
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE_AFTER = re.compile(rf"{SP}*(?:er{SP}*)?(?:{_MONTHS})(?![\w])|{SP}+au{SP}+\d", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    rf"{SP}*(?:(?:ans|an|années|année|mois|jours|jour|semaines|semaine|heures|heure|minutes|siècles|siècle|décennies|décennie|millénaires|trimestres|semestres)(?![\w])|(?:\w+{SP}+)?sur{SP}+\d)",
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


def find_figures(sentence: str) -> list[Figure]:
    """Every figure of one sentence, in order of appearance."""
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for figure in factor_figures(sentence) + fraction_figures(sentence):
        figures.append(figure)
        taken.append((figure.start, figure.end))
    for number in find_numbers(sentence):
        if any(a <= number.start < b for a, b in taken):
            continue
        found = _figure_of(sentence, number)
        if found is not None:
            figures.append(found)
            taken.append((found.start, found.end))
    figures.extend(f for f in rank_figures(sentence) if not any(a <= f.start < b for a, b in taken))
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
        return with_qualifier(sentence, Figure("level", number.value, unit, "exact", number.start, end))
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
        return with_qualifier(sentence, figure)
    points = _POINTS_AFTER.match(sentence, end)
    if points is not None and not number.in_words:
        return with_qualifier(
            sentence, Figure("growth", number.value, "percentage-point", "exact", number.start, points.end())
        )
    measure = measure_after(sentence, end)
    if measure is not None:
        return with_qualifier(
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
        rest = re.match(rf"{SP}+(?:de|d'|d’){SP}*([\wÀ-ÿ'’-]+)", sentence[collective.end() :])
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
        return with_qualifier(sentence, figure, keep_approximate=True)
    if number.scaled:
        rest = re.match(rf"{SP}*(?:de|d'|d’){SP}*([\wÀ-ÿ'’-]+)", sentence[number.end :])
        if rest is None:
            return _elided_currency(sentence, number)
        return with_qualifier(
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
    return with_qualifier(
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
    return with_qualifier(sentence, figure)
