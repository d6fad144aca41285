"""Dates and periods in French: "23 août 2025", "du 13 au 16 juillet", "en mars de cette année",
"au premier trimestre 2024", "l'an dernier", "depuis 2015", "d'ici 2030", "mercredi".

A relative expression is resolved against the article's date when the article has one, and the
resolution says how (it becomes ``tlo:inference``); without a date it stays open, with its words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

MONTHS: dict[str, int] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}  # fmt: skip
MONTHS_EN = [calendar.month_name[i] for i in range(13)]
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
_ORD_PART = {
    "premier": 1,
    "1er": 1,
    "deuxième": 2,
    "second": 2,
    "2e": 2,
    "troisième": 3,
    "3e": 3,
    "quatrième": 4,
    "4e": 4,
}

_M = "|".join(MONTHS)
_Y = r"(1[89]\d\d|20\d\d|2100)"
_S = r"[ \u00a0\u202f]+"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"(?:du|entre le){_S}(\d{{1,2}})(?:er)?(?:{_S}({_M}))?{_S}(?:au|et le){_S}(\d{{1,2}}){_S}({_M})(?:{_S}{_Y})?", re.I)),
    ("day", re.compile(rf"(?:(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche){_S})?(\d{{1,2}})(?:er)?{_S}({_M})(?:{_S}{_Y})?(?![\w])", re.I)),
    ("month-rel", re.compile(rf"(?:en|au mois de|fin|début|mi-?)?{_S}?({_M}){_S}(de cette année|de l'année dernière|de l’année dernière|de l'an dernier|de l’an dernier|dernier|prochain|de l'année prochaine)", re.I)),
    ("month", re.compile(rf"(?:(?:en|au mois de|fin|début|mi-?){_S}?)?({_M}){_S}{_Y}", re.I)),
    ("part", re.compile(rf"(?:au|du|le|pour le|sur le)?{_S}?(premier|1er|deuxième|second|2e|troisième|3e|quatrième|4e){_S}(trimestre|semestre)(?:{_S}(?:de{_S})?{_Y}|{_S}(de cette année|de l'année dernière|de l’année dernière|de l'an dernier|de l’an dernier))?", re.I)),
    ("since", re.compile(rf"(?:depuis|à partir de|dès)(?:{_S}(?:l'an|l’an|l'année|l’année))?{_S}{_Y}", re.I)),
    ("since", re.compile(rf"depuis{_S}(?:son|sa|leur){_S}(?:lancement|création|ouverture|fondation|indépendance|inauguration|entrée en vigueur)[^,.;]{{0,40}}?{_S}en{_S}{_Y}", re.I)),
    ("until", re.compile(rf"(?:d'ici|d’ici|à l'horizon|à l’horizon|jusqu'en|jusqu’en|avant){_S}(?:(?:la )?fin{_S})?{_Y}", re.I)),
    ("between", re.compile(rf"(?:entre|de){_S}{_Y}{_S}(?:et|à){_S}{_Y}", re.I)),
    ("year", re.compile(rf"(?:(en|fin|début|mi-?|courant|pour|au cours de l'année|de l'année|l'année|l’année|année){_S}?)?{_Y}(?![\d\w])", re.I)),
    ("relative", re.compile(r"(?<![\w])(cette année|l'an dernier|l’an dernier|l'année dernière|l’année dernière|l'an passé|l’an passé|l'année passée|l’année passée|l'année précédente|l’année précédente|l'année prochaine|l’année prochaine|l'an prochain|l’an prochain|le mois dernier|ce mois-ci|le mois prochain|hier|aujourd'hui|aujourd’hui|avant-hier|la semaine dernière|cette semaine)(?![\w])", re.I)),
    ("weekday", re.compile(r"(?<![\w])(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?![\w])(?!\s+\d)", re.I)),
]  # fmt: skip


@dataclass(frozen=True)
class When:
    """A date or period stated in a sentence (positions relative to the sentence)."""

    kind: str  # "date", "month", "year", "half", "quarter", "range", "since", "until", "open"
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: int | None = None  # the half or quarter
    until: date | None = None  # end of a range
    until_day: tuple[int, int] | None = None  # (month, day) ending a range whose year is not stated
    inference: str | None = None  # how a relative expression was resolved
    relation: str = "at"  # "at", "since", "until"


def find_dates(sentence: str, published: date | None) -> list[When]:
    """Every date or period of a sentence, in order, resolved against ``published`` where relative."""
    found: list[When] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            when = _read(kind, match, published)
            if when is not None:
                found.append(when)
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda w: w.start)


def _read(kind: str, match: re.Match[str], published: date | None) -> When | None:
    text = match.group().strip()
    start = match.start() + (len(match.group()) - len(match.group().lstrip()))
    base = When("open", start, match.end(), text)
    if kind == "range":
        day1, month1, day2, month2, year = match.groups()
        m2 = MONTHS[month2.lower()]
        m1 = MONTHS[month1.lower()] if month1 else m2
        if year:
            y = int(year)
            return replace(base, kind="range", year=y, month=m1, day=int(day1), until=date(y, m2, int(day2)))
        if published is None:
            return replace(base, kind="range", month=m1, day=int(day1), until_day=(m2, int(day2)))
        y = published.year
        return replace(
            base, kind="range", year=y, month=m1, day=int(day1), until=date(y, m2, int(day2)),
            inference=f"'{text}' read as {y}, the year of the article ({published.isoformat()}), which the words do not state",
        )  # fmt: skip
    if kind == "day":
        _day_name, day, month, year = match.groups()
        if year is None and published is not None:
            y = published.year
            how = f"'{text}' read as {y}, the year of the article ({published.isoformat()}), which the words do not state"
            return replace(
                base, kind="date", year=y, month=MONTHS[month.lower()], day=int(day), inference=how
            )
        if year is None:
            return replace(base, kind="date", month=MONTHS[month.lower()], day=int(day))
        return replace(base, kind="date", year=int(year), month=MONTHS[month.lower()], day=int(day))
    if kind == "month":
        month, year = match.groups()
        return replace(base, kind="month", year=int(year), month=MONTHS[month.lower()])
    if kind == "month-rel":
        month, relative = match.group(1), match.group(2).lower().replace("’", "'")
        m = MONTHS[month.lower()]
        if published is None:
            return replace(base, kind="open", month=m)
        if "cette année" in relative:
            y, how = published.year, "the year of the article"
        elif "prochain" in relative:
            y = published.year + (1 if "année" in relative or m <= published.month else 0)
            how = "the next such month after the article's date"
        elif relative == "dernier":
            y = published.year if m < published.month else published.year - 1
            how = "the last such month before the article's date"
        else:
            y, how = published.year - 1, "the year before the article's"
        return replace(
            base,
            kind="month",
            year=y,
            month=m,
            inference=f"'{text}' read as {MONTHS_EN[m]} {y}: {how} ({published.isoformat()})",
        )
    if kind == "part":
        ordinal, unit, year, relative = match.groups()
        part = _ORD_PART[ordinal.lower()]
        kind_name = "half" if unit.lower() == "semestre" else "quarter"
        if year is not None:
            return replace(base, kind=kind_name, year=int(year), part=part)
        if relative is not None and published is not None:
            y = published.year if "cette" in relative else published.year - 1
            return replace(
                base,
                kind=kind_name,
                year=y,
                part=part,
                inference=f"'{text}' read as {y}, from the article's date ({published.isoformat()})",
            )
        return replace(base, kind="open", part=part)
    if kind == "since":
        return replace(base, kind="since", year=int(match.group(1)), relation="since")
    if kind == "until":
        return replace(base, kind="year", year=int(match.group(1)), relation="until")
    if kind == "between":
        return replace(
            base,
            kind="range",
            year=int(match.group(1)),
            until=date(int(match.group(2)), 12, 31),
            month=1,
            day=1,
        )
    if kind == "year":
        return replace(base, kind="year", year=int(match.group(2)))
    if kind == "relative":
        return _relative(base, match.group(1).lower().replace("’", "'"), published)
    if kind == "weekday":
        return _weekday(base, match.group(1).lower(), published)
    return None


def _relative(base: When, words: str, published: date | None) -> When:
    if words == "l'année précédente":
        return replace(base, kind="open", relation="previous")  # relative to the sentence, not the article
    if published is None:
        return base
    stamp = published.isoformat()
    years = {"cette année": 0, "l'an dernier": -1, "l'année dernière": -1, "l'an passé": -1, "l'année passée": -1,
             "l'année prochaine": 1, "l'an prochain": 1}  # fmt: skip
    if words in years:
        y = published.year + years[words]
        return replace(
            base,
            kind="year",
            year=y,
            inference=f"'{base.text}' read as {y}, from the article's date ({stamp})",
        )
    days = {"hier": -1, "aujourd'hui": 0, "avant-hier": -2}
    if words in days:
        d = published + timedelta(days=days[words])
        return replace(
            base,
            kind="date",
            year=d.year,
            month=d.month,
            day=d.day,
            inference=f"'{base.text}' read as {d.isoformat()}, from the article's date ({stamp})",
        )
    months = {"le mois dernier": -1, "ce mois-ci": 0, "le mois prochain": 1}
    if words in months:
        index = published.year * 12 + published.month - 1 + months[words]
        y, m = divmod(index, 12)
        return replace(
            base,
            kind="month",
            year=y,
            month=m + 1,
            inference=f"'{base.text}' read as {MONTHS_EN[m + 1]} {y}, from the article's date ({stamp})",
        )
    return base


def _weekday(base: When, name: str, published: date | None) -> When:
    if published is None:
        return base
    back = (published.weekday() - WEEKDAYS[name]) % 7
    d = published - timedelta(days=back)
    how = (
        f"'{base.text}' read as {d.isoformat()}, the last {calendar.day_name[WEEKDAYS[name]]} on or before the "
        f"article's date ({published.isoformat()}, a {calendar.day_name[published.weekday()]})"
    )
    return replace(base, kind="date", year=d.year, month=d.month, day=d.day, inference=how)


def bounds(when: When) -> tuple[date, date] | None:
    """First and last day of a resolved period, or None when it is open."""
    if when.year is None:
        return None
    y = when.year
    if when.kind == "date" and when.month and when.day:
        d = date(y, when.month, when.day)
        return d, d
    if when.kind == "month" and when.month:
        return date(y, when.month, 1), date(y, when.month, calendar.monthrange(y, when.month)[1])
    if when.kind == "half" and when.part:
        return (date(y, 1, 1), date(y, 6, 30)) if when.part == 1 else (date(y, 7, 1), date(y, 12, 31))
    if when.kind == "quarter" and when.part:
        first = 3 * (when.part - 1) + 1
        return date(y, first, 1), date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    if when.kind == "range" and when.month and when.day and when.until:
        return date(y, when.month, when.day), when.until
    if when.kind == "year":
        return date(y, 1, 1), date(y, 12, 31)
    return None
