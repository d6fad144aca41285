"""Numbers, amounts, units, dates and sizes for people, in each page language (Babel, CLDR data):
thousands separators, decimal marks and plurals as each language writes them (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask

from tradelod.web import formatting
from tradelod.web.language import format_decimal_size

XSD = "http://www.w3.org/2001/XMLSchema#"
NNBSP, NBSP = "\u202f", "\xa0"  # French groups thousands with a narrow no-break space


@pytest.mark.parametrize(
    ("value", "code", "english", "french"),
    [
        ("43800000000", "USD", "US$43.8 billion", "43,8 milliards de dollars US"),
        ("1000000000", "USD", "US$1 billion", "1 milliard de dollars US"),
        ("1500000000", "CNY", "CN¥1.5 billion", "1,5 milliard de yuans"),
        ("500000", "USD", "US$500,000", f"500{NNBSP}000 dollars US"),
        ("1", "USD", "US$1", "1 dollar US"),
        ("2", "CNY", "CN¥2", "2 yuans"),
    ],
)
def test_amounts_with_scale_words_and_plurals(
    app: Flask, value: str, code: str, english: str, french: str
) -> None:
    for lang, expected in (("en", english), ("fr", french)):
        with app.test_request_context(f"/?lang={lang}"):
            assert formatting.money(Decimal(value), code, lang) == expected


@pytest.mark.parametrize(
    ("call", "english", "french"),
    [
        (lambda lang: formatting.number(Decimal("5863"), lang), "5,863", f"5{NNBSP}863"),
        (
            lambda lang: formatting.number(Decimal("1234567.5"), lang),
            "1,234,567.5",
            f"1{NNBSP}234{NNBSP}567,5",
        ),
        (lambda lang: formatting.percent(Decimal("9.2"), lang), "9.2%", f"9,2{NBSP}%"),
        (
            lambda lang: formatting.quantity(Decimal("1"), "km", None, lang),
            "1 kilometre",
            f"1{NBSP}kilomètre",
        ),
        (
            lambda lang: formatting.quantity(Decimal("2"), "km", None, lang),
            "2 kilometres",
            f"2{NBSP}kilomètres",
        ),
        (lambda lang: formatting.quantity(Decimal("3"), "month", None, lang), "3 months", f"3{NBSP}mois"),
        (lambda lang: formatting.quantity(Decimal("2"), "rank", None, lang), "rank 2", "rang 2"),
        (
            lambda lang: formatting.quantity(Decimal("2000000"), "count", None, lang),
            "2 million",
            "2 millions",
        ),
        (lambda lang: formatting.quantity(Decimal("1000000"), "count", None, lang), "1 million", "1 million"),
        (
            lambda lang: formatting.calendar("2025-08-20", f"{XSD}date", lang),
            "20 August 2025",
            "20 août 2025",
        ),
        (lambda lang: formatting.calendar("2024-03", f"{XSD}gYearMonth", lang), "March 2024", "mars 2024"),
        (lambda lang: format_decimal_size(118_900, lang), "118.9 kB", f"118,9{NNBSP}ko"),
        (lambda lang: format_decimal_size(5_300_000, lang), "5.3 MB", f"5,3{NNBSP}Mo"),
    ],
)
def test_numbers_units_dates_and_sizes_in_each_language(
    app: Flask, call: object, english: str, french: str
) -> None:
    for lang, expected in (("en", english), ("fr", french)):
        with app.test_request_context(f"/?lang={lang}"):
            assert call(lang) == expected  # type: ignore[operator]


def test_a_date_that_is_not_one_is_left_to_the_caller(app: Flask) -> None:
    with app.test_request_context("/?lang=fr"):
        assert formatting.calendar("2025-13-40", f"{XSD}date", "fr") is None
        assert formatting.quantity(Decimal("3"), "tonne-of-something", None, "fr") is None
