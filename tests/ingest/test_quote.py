"""`tradelod quote` (and `locate`, its first name): exact offsets, or the nearest match."""

from __future__ import annotations

import pytest

from support.project import ROOT
from tradelod.cli import main
from tradelod.ingest.quote import locate

ARTICLE = ROOT / "data" / "articles" / "003_520c4fb320e979bc.txt"
SENTENCE = "En 2024, le chiffre d'affaires bilatéral a atteint 43,8 milliards de dollars, soit une augmentation de 9,2 pour cent par rapport à l'année précédente."


@pytest.mark.parametrize("command", ["quote", "locate"])
def test_an_exact_sentence_gets_its_offsets(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, str(ARTICLE), SENTENCE]) == 0
    assert capsys.readouterr().out == "oa:start 1017 ; oa:end 1167\n"


def test_a_sentence_that_differs_slightly_gets_the_nearest_match(capsys: pytest.CaptureFixture[str]) -> None:
    typed = "En 2024 le chiffre d’affaires bilateral a atteint 43,8 milliards de dollars, soit une hausse de 9,2 % par rapport a l'annee precedente"
    assert main(["quote", str(ARTICLE), typed]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "oa:start 1017 ; oa:end 1167"
    assert captured.out.splitlines()[1] == f'oa:exact "{SENTENCE}"'
    assert "nearest match" in captured.err


def test_nothing_close_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", str(ARTICLE), "Les pingouins de l'Antarctique votent demain."]) == 1
    assert "not found" in capsys.readouterr().err


def test_a_repeated_sentence_is_reported() -> None:
    title = "LE KAZAKHSTAN ET LA CHINE S'ENGAGENT À DOUBLER LEURS ÉCHANGES COMMERCIAUX D'ICI 2030"
    found = locate(ARTICLE.read_text(encoding="utf-8"), title)
    assert found is not None and (found.start, found.end, found.occurrences) == (11, 95, 3)


def test_offsets_count_code_points() -> None:
    text = "Œufs « spéciaux » : 23 août.\nL’ASEAN est là."
    found = locate(text, "L'ASEAN est la")
    assert found is not None and (found.start, found.end) == (29, 44) and text[29:44] == "L’ASEAN est là."
