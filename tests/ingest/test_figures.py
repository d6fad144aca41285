"""The figure rules on the forms French trade articles print: amounts, shares, growth, counts, qualifiers,
measures, ranks, factors and fractions, and the numbers that are not figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradelod.ingest.figures import find_figures
from tradelod.ingest.numbers import find_numbers, parse_digits, parse_words, plain

CASES = [
    # (sentence, [(kind, value, unit, qualifier, words)])
    ("Le chiffre d'affaires a atteint 43,8 milliards de dollars.", [("level", "43800000000", "usd", "exact", "43,8 milliards de dollars")]),
    ("Des intentions de commandes dépassant 20 milliards de yuans.", [("level", "20000000000", "cny", "more-than", "dépassant 20 milliards de yuans")]),
    ("Une commande d'essai de 1 200 dollars.", [("level", "1200", "usd", "exact", "1 200 dollars")]),
    ("Les exportations ont progressé de +9,2 % en glissement annuel.", [("growth", "9.2", "percent", "exact", "+9,2 %")]),
    ("En 2024, 4 739 entreprises ont exporté.", [("level", "4739", "count", "exact", "4 739 entreprises")]),
    ("Chongqing compte près de 7 000 entités.", [("level", "7000", "count", "nearly", "près de 7 000 entités")]),
    ("Il y a environ 34,9 milliards de dollars américains.", [("level", "34900000000", "usd", "approximately", "environ 34,9 milliards de dollars américains")]),
    ("Plus de 30 entreprises singapouriennes sont venues.", [("level", "30", "count", "more-than", "Plus de 30 entreprises")]),
    ("Le port a traité 1,2 million de tonnes de fruits.", [("level", "1200000", "tonne", "exact", "1,2 million de tonnes")]),
    ("Les ventes représentent un tiers des exportations.", [("level", "33.33", "percent", "approximately", "un tiers")]),
    ("Les importations ont été deux fois plus élevées qu'en 2019.", [("growth", "100", "percent", "exact", "deux fois plus")]),
    ("Les investissements ont atteint 4,5 milliards d'euros.", [("level", "4500000000", "eur", "exact", "4,5 milliards d'euros")]),
    ("Cela représente 15 % du total.", [("level", "15", "percent", "exact", "15 %")]),
    ("Les ventes ont reculé de 3,4 %.", [("growth", "-3.4", "percent", "exact", "3,4 %")]),
    ("Une frontière commune de 1 700 kilomètres.", [("level", "1700", "km", "exact", "1 700 kilomètres")]),
    ("La Chine est la quatrième source d'investissement.", [("level", "4", "rank", "exact", "quatrième source")]),
    ("Les deux parties s'engagent à doubler leurs échanges d'ici 2030.", [("target", "2", "factor", "exact", "doubler")]),
    ("Les ventes ont triplé en trois ans.", [("growth", "200", "percent", "exact", "triplé")]),
    ("La valeur attendue atteindra 10,8 millions de dollars d'ici 2026.", [("expectation", "10800000", "usd", "exact", "10,8 millions de dollars")]),
    ("Une dizaine de pays ont envoyé des missions.", [("level", "10", "count", "approximately", "Une dizaine de pays")]),
    ("Elle a reçu les éloges de plus d'un millier de participants.", [("level", "1000", "count", "more-than", "plus d'un millier de participants")]),
    ("Elle compte dix États membres.", [("level", "10", "count", "exact", "dix États")]),
    ("Ils exportent vers plus de dix pays.", [("level", "10", "count", "more-than", "plus de dix pays")]),
    ("La Chine absorbe la moitié des exportations, contre moins de 5 % il y a vingt ans.", [("level", "50", "percent", "exact", "la moitié"), ("level", "5", "percent", "less-than", "moins de 5 %")]),
]  # fmt: skip

NOT_FIGURES = [
    "En 2024, le commerce a progressé.",
    "Le 23 août 2025, la réunion s'est tenue à Pékin.",
    "L'exposition s'est tenue du 13 au 16 juillet à Pékin.",
    "Après dix-huit mois, Qingling a obtenu la certification.",
    "Les entreprises promeuvent leurs produits 24 heures sur 24.",
    "Le commerce entre les deux pays continue de croître.",
    "La 26e exposition internationale s'est tenue à Pékin.",
    "La ville a mis en œuvre le plan « Cent groupes, mille entreprises ».",
    "le Quotidien du Peuple en ligne 01.07.2025 15h39",
    "Au cours du tout premier mois, rien.",
    "Une chaîne a passé une deuxième commande double en taille.",
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_a_figure_is_read_with_its_unit_qualifier_and_words(
    sentence: str, expected: list[tuple[str, ...]]
) -> None:
    found = [
        (f.kind, plain(f.value), "factor" if f.factor else f.unit, f.qualifier, sentence[f.start : f.end])
        for f in find_figures(sentence)
    ]
    assert found == expected


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_years_dates_durations_names_and_anaphora_are_not_figures(sentence: str) -> None:
    assert find_figures(sentence) == []


def test_numbers_in_digits_and_words() -> None:
    assert parse_digits("1 700") == Decimal(1700)
    assert parse_digits("43,8") == Decimal("43.8")
    assert parse_digits("1.200") == Decimal(1200)
    assert parse_digits("4\u202f739") == Decimal(4739)
    assert [
        parse_words(w)
        for w in (
            "dix-huit",
            "vingt et un",
            "soixante-dix-sept",
            "quatre-vingt-dix",
            "deux cents",
            "trois mille",
        )
    ] == [18, 21, 77, 90, 200, 3000]
    assert parse_words("chinois") is None
    found = find_numbers("En 2024, 4 739 entreprises et 43,8 milliards ; UTC+01:00 ; EQ2")
    assert [(plain(n.value), n.scaled) for n in found] == [
        ("2024", False),
        ("4739", False),
        ("43800000000", True),
    ]
