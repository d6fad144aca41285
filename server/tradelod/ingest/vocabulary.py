"""The reference resources a draft points at: periods, units, value qualifiers and statistical
variables, reused from the graph when it has them and proposed complete when it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import MONTHS_EN, When, bounds
from .figures import Figure
from .gazetteer import fold
from .units import UNITS

MONTHS_FR = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]  # fmt: skip

QUALIFIER_LABELS: dict[str, tuple[str, str]] = {
    "exact": ("exact", "exact"),
    "approximately": ("environ", "approximately"),
    "more-than": ("plus de", "more than"),
    "nearly": ("près de", "nearly"),
    "less-than": ("moins de", "less than"),
    "at-least": ("au moins", "at least"),
    "at-most": ("jusqu'à", "at most"),
}

#: Frequent counted nouns, for the English label of a variable the graph does not have.
NOUNS_EN: dict[str, str] = {
    "entreprise": "enterprises", "societ": "companies", "pay": "countries", "projet": "projects",
    "accord": "agreements", "emploi": "jobs", "usine": "factories", "visiteur": "visitors",
    "participant": "participants", "exposant": "exhibitors", "touriste": "tourists", "train": "trains",
    "vol": "flights", "conteneur": "containers", "navire": "ships", "etudiant": "students",
    "ville": "cities", "province": "provinces", "region": "regions", "plateform": "platforms",
    "seanc": "sessions", "membr": "members", "partenair": "partners", "produit": "products",
    "marqu": "brands", "magasin": "shops", "contrat": "contracts", "voitur": "cars", "vehicul": "vehicles",
    "tonn": "tonnes", "personn": "people", "travailleur": "workers", "salari": "employees",
}  # fmt: skip

#: Amount variables by the words of their clause, most specific first: (pattern, slug, French, English).
AMOUNT_CUES: list[tuple[str, str, str, str]] = [
    (r"chiffre d'affaires bilat|échanges (?:commerciaux )?bilat|commerce bilat|commerce entre|échanges commerciaux entre|échanges entre",
     "bilateral-trade-turnover", "chiffre d'affaires bilatéral", "bilateral trade turnover"),
    (r"importations et (?:des )?exportations|exportations et (?:des )?importations|commerce extérieur|import-export|volume des échanges|échanges commerciaux",
     "import-export-volume", "volume des importations et des exportations", "import and export volume"),
    (r"intentions? de commandes?", "value-of-order-intentions", "valeur des intentions de commandes", "value of order intentions"),
    (r"exportations?|export[ée]\w*|exporte\w*", "export-value", "valeur des exportations", "export value"),
    (r"importations?|import[ée]\w*|importe\w*", "import-value", "valeur des importations", "import value"),
    (r"investissements?|investi\w*", "investment-value", "valeur des investissements", "investment value"),
    (r"commandes?", "order-value", "valeur de la commande", "order value"),
    (r"produit intérieur brut|PIB", "gross-domestic-product", "produit intérieur brut", "gross domestic product"),
    (r"chiffre d'affaires|ventes", "sales", "chiffre d'affaires", "sales"),
]  # fmt: skip


@dataclass(frozen=True)
class Resource:
    """A reference resource: its IRI (relative) and, for a new one, its Turtle description."""

    iri: str
    label_fr: str
    label_en: str
    new: bool = False
    lines: tuple[tuple[str, str], ...] = ()  # (predicate, object in Turtle) of a new resource
    inference: str | None = None
    open: bool = False  # a period the article leaves open


@dataclass
class Variables:
    """The statistical variables of the graph (relative IRI → every label) and the ones proposed."""

    known: dict[str, set[str]]
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    proposed: dict[str, Resource] = field(default_factory=dict)

    def choose(self, figure: Figure, clause: str) -> Resource:
        """The variable a figure most likely measures, known if one fits its clause, else proposed."""
        family = _family(figure)
        words = {fold(w) for w in re.findall(r"[^\W\d_]+", clause)} - {
            "de",
            "du",
            "des",
            "la",
            "le",
            "l",
            "d",
        }
        best, best_score = None, 0.0
        for iri, labels in self.known.items():
            slug = iri.rsplit("/", 1)[-1]
            if not any(slug.startswith(p) or f"-{p}" in slug for p in family):
                continue
            for label in labels:
                content = {fold(w) for w in re.findall(r"[^\W\d_]+", label)} - _GENERIC
                if not content:
                    continue
                if figure.noun and fold(figure.noun) not in content and family == ("number-of",):
                    continue
                score = len(content & words) / len(content)
                if score > best_score or (score == best_score and best and len(iri) < len(best)):
                    best, best_score = iri, score
        if best is not None and best_score >= 0.5:
            fr, en = self.labels_of(best)
            return Resource(best, fr, en)
        return self._propose(figure, clause)

    def labels_of(self, iri: str) -> tuple[str, str]:
        """French and English labels of a known variable (the first found of each)."""
        names = self.names.get(iri, {})
        return names.get("fr", iri), names.get("en", iri)

    def _propose(self, figure: Figure, clause: str) -> Resource:
        if figure.unit == "count" and figure.noun:
            noun = figure.noun.lower()
            english = NOUNS_EN.get(fold(noun), noun)
            slug = "number-of-" + re.sub(r"[^a-z0-9]+", "-", _ascii(english)).strip("-")
            fr, en = (
                f"nombre de {noun}" if noun[0] not in "aeiouéèêhœ" else f"nombre d'{noun}",
                f"number of {english}",
            )
        elif figure.unit == "rank":
            noun = (figure.noun or "classement").lower()
            slug = "rank-" + re.sub(r"[^a-z0-9]+", "-", _ascii(NOUNS_EN.get(fold(noun), noun))).strip("-")
            fr, en = f"rang ({noun})", f"rank ({NOUNS_EN.get(fold(noun), noun)})"
        elif figure.unit == "percent" and figure.kind == "level":
            slug, fr, en = "share", "part", "share"
        else:
            slug, fr, en = "value", "valeur", "value"
            for pattern, cue_slug, cue_fr, cue_en in AMOUNT_CUES:
                if re.search(pattern, clause, re.IGNORECASE):
                    slug, fr, en = cue_slug, cue_fr, cue_en
                    break
            if figure.unit in ("km", "m"):
                slug, fr, en = "length", "longueur", "length"
            elif figure.unit in ("tonne", "kg", "m3", "barrel", "teu"):
                slug, fr, en = (
                    "volume-" + figure.unit,
                    f"volume ({UNITS[figure.unit].label_fr})",
                    f"volume ({UNITS[figure.unit].label_en})",
                )
        iri = f"id/variable/{slug}"
        if iri in self.known:
            known_fr, known_en = self.labels_of(iri)
            return Resource(iri, known_fr, known_en)
        resource = Resource(
            iri, fr, en, new=True,
            lines=(("a", "tlo:StatisticalVariable"), ("skos:inScheme", "<id/scheme/variables>")),
        )  # fmt: skip
        self.proposed[iri] = resource
        return resource


_GENERIC = {
    "nombre",
    "valeur",
    "rang",
    "de",
    "du",
    "des",
    "la",
    "le",
    "l",
    "d",
    "parmi",
    "un",
    "sur",
    "en",
    "et",
    "a",
}


def _family(figure: Figure) -> tuple[str, ...]:
    if figure.unit == "count":
        return ("number-of",)
    if figure.unit == "rank":
        return ("rank", "order", "ordinal")
    if figure.unit == "percent" and figure.kind == "level":
        return ("share",)
    if figure.unit in ("km", "m"):
        return ("length",)
    return ("value", "turnover", "volume")


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def period_of(when: When | None, number: str, known: set[str], words: str = "") -> Resource:
    """The period resource of a date mention; an open, article-local period when nothing fixes it."""
    if when is None:
        return Resource(
            f"id/period/{number}-present", f"présent de l'article {number}", f"present of article {number}", new=True,
            lines=(("a", "tlo:Period"), ("skos:scopeNote", _en(f"The present tense of article {number}, for figures it states without a period."))),
            open=True,
        )  # fmt: skip
    if when.relation == "since" and when.year:
        slug, fr, en = f"since-{when.year}", f"depuis {when.year}", f"since {when.year}"
        return _period(slug, fr, en, known, (("tlo:dateAsStated", _fr(when.text)),), when.inference)
    span = bounds(when)
    if span is None:
        stated = words or when.text
        local = re.sub(r"[^a-z0-9]+", "-", _ascii(stated)).strip("-")[:40] or "unstated"
        return Resource(
            f"id/period/{number}-{local}", stated, f"'{stated}' (article {number})", new=True,
            lines=(("a", "tlo:Period"), ("tlo:dateAsStated", _fr(stated)),
                   ("tlo:ambiguity", _en(f"Article {number} does not fix when '{stated}' is; the period is left open."))),
            open=True,
        )  # fmt: skip
    first, last = span
    slug, fr, en = _period_names(when, first, last)
    lines: tuple[tuple[str, str], ...] = (
        ("tlo:startDate", f'"{first.isoformat()}"^^xsd:date'),
        ("tlo:endDate", f'"{last.isoformat()}"^^xsd:date'),
    )
    if when.kind in ("year", "half", "quarter", "month"):
        lines = (("tlo:year", f'"{when.year}"^^xsd:gYear'), *lines)
    return _period(slug, fr, en, known, lines, when.inference)


def year_period(year: int, known: set[str], inference: str | None = None) -> Resource:
    """The calendar year as a period."""
    lines = (
        ("tlo:year", f'"{year}"^^xsd:gYear'),
        ("tlo:startDate", f'"{year}-01-01"^^xsd:date'),
        ("tlo:endDate", f'"{year}-12-31"^^xsd:date'),
    )
    return _period(str(year), str(year), str(year), known, lines, inference)


def _period_names(when: When, first: date, last: date) -> tuple[str, str, str]:
    y = when.year
    if when.kind == "year":
        return str(y), str(y), str(y)
    if when.kind == "half":
        return (
            f"{y}-h{when.part}",
            f"{'premier' if when.part == 1 else 'second'} semestre {y}",
            f"{'first' if when.part == 1 else 'second'} half of {y}",
        )
    if when.kind == "quarter":
        ordinals_fr = ["", "premier", "deuxième", "troisième", "quatrième"]
        ordinals_en = ["", "first", "second", "third", "fourth"]
        return (
            f"{y}-q{when.part}",
            f"{ordinals_fr[when.part or 0]} trimestre {y}",
            f"{ordinals_en[when.part or 0]} quarter of {y}",
        )
    if when.kind == "month":
        return f"{y}-{first.month:02d}", f"{MONTHS_FR[first.month]} {y}", f"{MONTHS_EN[first.month]} {y}"
    if first == last:
        return (
            first.isoformat(),
            f"{first.day} {MONTHS_FR[first.month]} {y}",
            f"{first.day} {MONTHS_EN[first.month]} {y}",
        )
    return (
        f"{first.isoformat()}-{last.isoformat()}",
        f"du {first.isoformat()} au {last.isoformat()}",
        f"{first.isoformat()} to {last.isoformat()}",
    )


def _period(
    slug: str, fr: str, en: str, known: set[str], lines: tuple[tuple[str, str], ...], inference: str | None
) -> Resource:
    iri = f"id/period/{slug}"
    if iri in known:
        return Resource(iri, fr, en, inference=inference)
    return Resource(iri, fr, en, new=True, lines=(("a", "tlo:Period"), *lines), inference=inference)


def qualifier_of(key: str, known: set[str]) -> Resource:
    """The value qualifier ``id/qualifier/<key>``, proposed when the graph lacks it."""
    fr, en = QUALIFIER_LABELS[key]
    iri = f"id/qualifier/{key}"
    if iri in known:
        return Resource(iri, fr, en)
    return Resource(
        iri,
        fr,
        en,
        new=True,
        lines=(("a", "tlo:ValueQualifier"), ("skos:inScheme", "<id/scheme/qualifiers>")),
    )


def unit_of(key: str, known: set[str]) -> Resource:
    """The unit ``id/unit/<key>``, proposed complete (with its ISO 4217 code) when the graph lacks it."""
    unit = UNITS[key]
    iri = f"id/unit/{key}"
    if iri in known:
        return Resource(iri, unit.label_fr, unit.label_en)
    lines: tuple[tuple[str, str], ...] = (("a", "tlo:Unit"), ("skos:inScheme", "<id/scheme/units>"))
    if unit.currency:
        lines = (*lines, ("tlo:currencyCode", f'"{unit.currency}"'))
    return Resource(iri, unit.label_fr, unit.label_en, new=True, lines=lines)


def _fr(text: str) -> str:
    from rdflib import Literal

    return Literal(text, lang="fr").n3()


def _en(text: str) -> str:
    from rdflib import Literal

    return Literal(text, lang="en").n3()
