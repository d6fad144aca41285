"""French dates and periods, resolved against the article's date where it has one and left open otherwise."""

from __future__ import annotations

from datetime import date

from tradelod.ingest.dates import bounds, find_dates

SATURDAY = date(2025, 8, 23)  # article 003 is dated Saturday 23 August 2025


def one(sentence: str, published: date | None = SATURDAY):
    found = find_dates(sentence, published)
    assert len(found) == 1, found
    return found[0]


def test_a_full_date() -> None:
    when = one("Le 23 août 2025, la réunion s'est tenue.")
    assert (when.kind, when.text, bounds(when)) == (
        "date",
        "23 août 2025",
        (date(2025, 8, 23), date(2025, 8, 23)),
    )
    assert when.inference is None


def test_a_weekday_is_the_last_such_day_before_the_article() -> None:
    when = one("Il a rencontré le ministre à Pékin mercredi pour discuter.")
    assert bounds(when) == (date(2025, 8, 20), date(2025, 8, 20))
    assert when.inference == (
        "'mercredi' read as 2025-08-20, the last Wednesday on or before the article's date (2025-08-23, a Saturday)"
    )


def test_without_an_article_date_a_weekday_stays_open() -> None:
    when = one("Il a rencontré le ministre mercredi.", None)
    assert (when.kind, when.year, bounds(when), when.inference) == ("open", None, None, None)


def test_a_range_without_a_year() -> None:
    open_range = one("L'exposition (du 13 au 16 juillet à Pékin).", None)
    assert (open_range.kind, open_range.month, open_range.day, open_range.until_day, bounds(open_range)) == (
        "range",
        7,
        13,
        (7, 16),
        None,
    )
    dated = one("L'exposition (du 13 au 16 juillet à Pékin).")
    assert bounds(dated) == (date(2025, 7, 13), date(2025, 7, 16))
    assert dated.inference is not None and "2025, the year of the article" in dated.inference


def test_a_month_of_this_year() -> None:
    when = one("Elles ont été approuvées en mars de cette année.")
    assert bounds(when) == (date(2025, 3, 1), date(2025, 3, 31))
    assert (
        when.inference == "'en mars de cette année' read as March 2025: the year of the article (2025-08-23)"
    )
    assert one("Elles ont été approuvées en mars de cette année.", None).kind == "open"


def test_quarters_halves_and_relative_years() -> None:
    found = find_dates(
        "Au premier trimestre 2024, puis l'an dernier, au premier semestre 2025, depuis 2015 et d'ici 2030.",
        SATURDAY,
    )
    assert [(w.kind, w.relation, bounds(w)) for w in found] == [
        ("quarter", "at", (date(2024, 1, 1), date(2024, 3, 31))),
        ("year", "at", (date(2024, 1, 1), date(2024, 12, 31))),
        ("half", "at", (date(2025, 1, 1), date(2025, 6, 30))),
        ("since", "since", None),
        ("year", "until", (date(2030, 1, 1), date(2030, 12, 31))),
    ]
    assert found[1].inference == "'l'an dernier' read as 2024, from the article's date (2025-08-23)"
    assert find_dates("l'an dernier", None)[0].kind == "open"


def test_a_year_and_a_month_and_year() -> None:
    assert [
        (w.kind, w.year, w.month)
        for w in find_dates("En 2024, et en mars 2024, fondée le 8 août 1967.", None)
    ] == [
        ("year", 2024, None),
        ("month", 2024, 3),
        ("date", 1967, 8),
    ]
