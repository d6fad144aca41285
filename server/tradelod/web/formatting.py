"""Numbers, amounts, units and dates for people, in the page language, with Babel (CLDR data).

``43800000000`` US dollars reads "US$43.8 billion" in English and "43,8 milliards de dollars US" in
French; a growth of ``9.2`` percent "9.2%" / "9,2 %"; a date "20 August 2025" / "20 août 2025".
English pages use CLDR's international English (``en_001``: "US$", "CN¥", day-month-year dates),
French pages French (``fr``: narrow no-break space between thousands, decimal comma).

Word order and the few words that are ours (currency names as the French press writes them, "rank")
are gettext messages, translated in the catalog; everything else comes from CLDR.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_name
from babel.units import format_unit
from flask_babel import gettext, ngettext, pgettext

#: The CLDR locale (language, territory) of each page language.
LOCALES: dict[str, tuple[str, str | None]] = {"en": ("en", "001"), "fr": ("fr", None)}

#: Amounts from this size on are written with a scale word ("43.8 billion"), as the articles do.
WORDS_FROM = Decimal(1_000_000)

#: Units of the data that CLDR names (by the slug of their IRI, ``id/unit/km``).
CLDR_UNITS = {"km": "length-kilometer", "month": "duration-month"}


@lru_cache(maxsize=8)
def locale_of(lang: str) -> Locale:
    """The Babel locale of a page language (one object per language: a search page formats 100 figures)."""
    language, territory = LOCALES.get(lang, LOCALES["en"])
    return Locale(language, territory)


def number(value: Decimal | int | str, lang: str) -> str:
    """A number with the locale's grouping and decimal mark: 43,800,000,000 / 43 800 000 000."""
    return format_decimal(Decimal(str(value)), locale=locale_of(lang), decimal_quantization=False)


@lru_cache(maxsize=4096)  # pure CLDR work, the costliest step of a figure (a search page shows 100)
def scaled(value: Decimal, lang: str) -> str | None:
    """A large number in words, CLDR's long compact form: "43.8 billion" / "43,8 milliards", "1 milliard".

    The plural of the scale word follows the number as written (1,5 milliard, 2 milliards), which
    Babel's own compact formatter gets wrong for round values (it picks the plural of 10⁹ itself).
    """
    if abs(value) < WORDS_FROM:
        return None
    locale = locale_of(lang)
    formats = locale.compact_decimal_formats["long"]
    magnitudes = sorted((int(m) for m in formats["other"]), reverse=True)
    for magnitude in magnitudes:
        if abs(value) < magnitude:
            continue
        pattern = _pattern(formats["other"][str(magnitude)])
        zeros = len(re.search(r"0+", pattern)[0]) if re.search(r"0+", pattern) else 1  # type: ignore[index]
        shown = (value / Decimal(magnitude // 10 ** (zeros - 1))).quantize(Decimal("0.01")).normalize()
        category = locale.plural_form(shown)
        chosen = _pattern(formats.get(category, formats["other"]).get(str(magnitude))) or pattern
        written = format_decimal(shown, locale=locale, decimal_quantization=False)
        return re.sub(r"0+", written, chosen, count=1).replace("'", "")
    return None


def _pattern(found: object) -> str:
    """The pattern text of a CLDR compact format (Babel gives NumberPattern objects or strings)."""
    return str(getattr(found, "pattern", found or ""))


def currency_name(code: str, count: Decimal | int, lang: str) -> str:
    """A currency's name for running text, plural as the count needs ("dollars US", "yuans")."""
    many = 1 if locale_of(lang).plural_form(count) == "one" else 2  # gettext's rule takes an integer
    if code == "USD":
        return ngettext("US dollar", "US dollars", many)
    if code == "CNY":
        return ngettext("yuan", "yuan", many)
    return str(get_currency_name(code, count, locale=locale_of(lang)))


def money(value: Decimal, code: str, lang: str) -> str:
    """An amount of money: "US$43.8 billion" / "43,8 milliards de dollars US", "US$500,000" / "500 000 dollars US"."""
    symbol = currency_symbol(code, lang)
    words = scaled(value, lang)
    # English writes the symbol ("US$43.8 billion"), French the name after the number ("43,8 milliards de
    # dollars US"): each message names both, and "%(currency).0s" prints nothing where a language omits it.
    if words is not None:
        # "milliards de dollars": after a scale word the currency is always plural
        return pgettext(
            "amount in words",
            "%(symbol)s%(amount)s%(currency).0s",
            symbol=symbol,
            amount=words,
            currency=currency_name(code, 2, lang),
        )
    return pgettext(
        "amount in digits",
        "%(symbol)s%(amount)s%(currency).0s",
        symbol=symbol,
        amount=number(value, lang),
        currency=currency_name(code, value, lang),
    )


@lru_cache(maxsize=64)
def currency_symbol(code: str, lang: str) -> str:
    """A currency's symbol in a language: "US$", "CN¥" / "$US", "CNY" (CLDR; it never changes)."""
    return str(format_currency(0, code, locale=locale_of(lang), format="¤", currency_digits=False))


def percent(value: Decimal, lang: str) -> str:
    """A percentage: "9.2%" / "9,2 %"."""
    return str(format_percent(value / 100, locale=locale_of(lang), decimal_quantization=False))


def quantity(value: Decimal, unit_slug: str | None, currency: str | None, lang: str) -> str | None:
    """A figure in its unit for people, or None when the unit has no human form here (then: number + unit label)."""
    if currency:
        return money(value, currency, lang)
    if unit_slug in (
        "percent",
        "percent-change",
    ):  # a share, a relative change (data/reference/statistics.ttl)
        return percent(value, lang)
    if unit_slug in CLDR_UNITS:
        return str(format_unit(value, CLDR_UNITS[unit_slug], length="long", locale=locale_of(lang)))
    if unit_slug == "rank":
        return gettext("rank %(rank)s", rank=number(value, lang))
    if unit_slug == "count":
        return scaled(value, lang) or number(value, lang)
    return None


def as_decimal(lexical: str) -> Decimal | None:
    """The decimal a literal's lexical form writes, or None."""
    try:
        return Decimal(lexical)
    except InvalidOperation:
        return None


_YEAR_MONTH = re.compile(r"^(-?\d{4,})-(\d{2})$")


def calendar(lexical: str, datatype: str, lang: str) -> str | None:
    """An xsd:date, xsd:gYearMonth or xsd:dateTime for people: "20 August 2025", "août 2025"."""
    kind = datatype.rsplit("#", 1)[-1]
    try:
        if kind == "date":
            return str(format_date(date.fromisoformat(lexical[:10]), "long", locale=locale_of(lang)))
        if kind == "dateTime":
            return str(format_date(date.fromisoformat(lexical[:10]), "long", locale=locale_of(lang)))
        if kind == "gYearMonth" and (match := _YEAR_MONTH.match(lexical)):
            day = date(int(match[1]), int(match[2]), 1)
            return str(format_skeleton("yMMMM", day, locale=locale_of(lang)))
    except ValueError:
        return None
    return None
