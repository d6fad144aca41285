"""The units a French trade article states figures in: currencies, shares, counts and physical units.

Each unit has a key (the slug of ``id/unit/<key>``), its French and English labels and, for a currency,
its ISO 4217 code, so that a unit the graph does not have yet can be proposed complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit of measure or a currency."""

    key: str
    label_fr: str
    label_en: str
    currency: str | None = None


UNITS: dict[str, Unit] = {
    u.key: u
    for u in (
        Unit("usd", "dollar américain", "US dollar", "USD"),
        Unit("eur", "euro", "euro", "EUR"),
        Unit("cny", "yuan", "yuan (renminbi)", "CNY"),
        Unit("jpy", "yen", "yen", "JPY"),
        Unit("rub", "rouble", "rouble", "RUB"),
        Unit("kzt", "tenge", "tenge", "KZT"),
        Unit("krw", "won", "won", "KRW"),
        Unit("inr", "roupie indienne", "Indian rupee", "INR"),
        Unit("myr", "ringgit", "ringgit", "MYR"),
        Unit("thb", "baht", "baht", "THB"),
        Unit("vnd", "dong", "dong", "VND"),
        Unit("idr", "roupie indonésienne", "Indonesian rupiah", "IDR"),
        Unit("gbp", "livre sterling", "pound sterling", "GBP"),
        Unit("chf", "franc suisse", "Swiss franc", "CHF"),
        Unit("sgd", "dollar de Singapour", "Singapore dollar", "SGD"),
        Unit("hkd", "dollar de Hong Kong", "Hong Kong dollar", "HKD"),
        Unit("brl", "réal", "Brazilian real", "BRL"),
        Unit("zar", "rand", "rand", "ZAR"),
        Unit("aed", "dirham", "UAE dirham", "AED"),
        Unit("xof", "franc CFA", "CFA franc", "XOF"),
        Unit("percent", "pour cent", "percent"),
        Unit("percent-change", "pour cent de variation", "percent change"),
        Unit("percentage-point", "point de pourcentage", "percentage point"),
        Unit("count", "nombre", "count"),
        Unit("rank", "rang", "rank"),
        Unit("km", "kilomètre", "kilometre"),
        Unit("m", "mètre", "metre"),
        Unit("km2", "kilomètre carré", "square kilometre"),
        Unit("hectare", "hectare", "hectare"),
        Unit("tonne", "tonne", "tonne"),
        Unit("kg", "kilogramme", "kilogram"),
        Unit("m3", "mètre cube", "cubic metre"),
        Unit("barrel", "baril", "barrel"),
        Unit("teu", "EVP (conteneur équivalent vingt pieds)", "TEU (twenty-foot equivalent unit)"),
        Unit("mw", "mégawatt", "megawatt"),
        Unit("gw", "gigawatt", "gigawatt"),
        Unit("kwh", "kilowattheure", "kilowatt hour"),
    )
}

#: Currency words after a number ("de dollars américains", "d'euros", "€"), longest first.
_CURRENCY_FORMS: list[tuple[str, str]] = [
    (r"dollars? (?:de Singapour|singapouriens?)", "sgd"),
    (r"dollars? (?:de Hong Kong|hongkongais)", "hkd"),
    (r"dollars? (?:américains?|US|des États-Unis)", "usd"),
    (r"dollars?", "usd"),
    (r"US ?\$|\$ ?US|\$|USD", "usd"),
    (r"euros?|€|EUR", "eur"),
    (r"yuans?(?: renminbi)?|renminbis?|RMB|CNY", "cny"),
    (r"yens?|JPY", "jpy"),
    (r"roubles?|RUB", "rub"),
    (r"tenges?|KZT", "kzt"),
    (r"wons?|KRW", "krw"),
    (r"roupies? indonésiennes?|rupiahs?|IDR", "idr"),
    (r"roupies?(?: indiennes?)?|INR", "inr"),
    (r"ringgits?|MYR", "myr"),
    (r"bahts?|THB", "thb"),
    (r"dongs?|VND", "vnd"),
    (r"livres? sterling|livres?|GBP|£", "gbp"),
    (r"francs? suisses?|CHF", "chf"),
    (r"francs? CFA|XOF", "xof"),
    (r"r[ée]als?|BRL", "brl"),
    (r"rands?|ZAR", "zar"),
    (r"dirhams?|AED", "aed"),
]

#: Physical units after a number.
_MEASURE_FORMS: list[tuple[str, str]] = [
    (r"kilom[èe]tres? carr[ée]s|km2|km²", "km2"),
    (r"kilom[èe]tres?|km", "km"),
    (r"m[èe]tres? cubes?|m3|m³", "m3"),
    (r"hectares?|ha", "hectare"),
    (r"tonnes?|t(?=[\s.,;])", "tonne"),
    (r"kilogrammes?|kilos?|kg", "kg"),
    (r"barils?", "barrel"),
    (r"EVP|TEU|conteneurs? (?:EVP|équivalent vingt pieds)", "teu"),
    (r"mégawatts?|MW", "mw"),
    (r"gigawatts?|GW", "gw"),
    (r"kilowattheures?|kWh", "kwh"),
    (r"m[èe]tres?", "m"),
]

_LINK = r"[ \u00a0\u202f]*(?:(?:de|d'|d’)[ \u00a0\u202f]*)?"
CURRENCY_AFTER = re.compile(
    _LINK + "(" + "|".join(f"(?P<c{i}>{form})" for i, (form, _) in enumerate(_CURRENCY_FORMS)) + r")(?![\w])"
)
MEASURE_AFTER = re.compile(
    _LINK + "(" + "|".join(f"(?P<m{i}>{form})" for i, (form, _) in enumerate(_MEASURE_FORMS)) + r")(?![\w])"
)
CURRENCY_BEFORE = re.compile(r"(?:US ?\$|\$|€|£)[ \u00a0\u202f]*$")


def currency_after(text: str, position: int) -> tuple[str, int] | None:
    """The currency named right after ``position`` and where its words end, or None."""
    match = CURRENCY_AFTER.match(text, position)
    if match is None:
        return None
    for i, (_, key) in enumerate(_CURRENCY_FORMS):
        if match.group(f"c{i}") is not None:
            return key, match.end()
    return None


def measure_after(text: str, position: int) -> tuple[str, int] | None:
    """The physical unit named right after ``position`` and where its words end, or None."""
    match = MEASURE_AFTER.match(text, position)
    if match is None:
        return None
    for i, (_, key) in enumerate(_MEASURE_FORMS):
        if match.group(f"m{i}") is not None:
            return key, match.end()
    return None


def currency_before(text: str, position: int) -> str | None:
    """The currency symbol printed right before a number ("$1,2 milliard"), or None."""
    match = CURRENCY_BEFORE.search(text[max(0, position - 5) : position])
    if match is None:
        return None
    symbol = match.group().strip()
    return {"€": "eur", "£": "gbp"}.get(symbol, "usd")
