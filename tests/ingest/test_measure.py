"""How good the drafts are, measured: the figures and entities drafted for the five articles against the
curated data (each drafted against the graph without that article's own data file), and the figures of
the test articles written for this (tests/data/articles/) against their hand-written expected figures.

The table is printed; the README quotes it. A figure counts as found when its value, unit and sentence
offsets are right. Every drafted figure must be one the article states: on the test articles that is
every drafted figure being expected, on the five articles every drafted figure being a curated one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from support.ingest_scoring import (
    ARTICLE_FILES,
    Score,
    curated_data,
    curated_entities,
    curated_figures,
    draft_of_curated,
    expected_of_test_article,
    score_entities,
    score_figures,
)
from support.project import BASE, ROOT
from tradelod.ingest.draft import Metadata, build_draft
from tradelod.ingest.gazetteer import load_gazetteer
from tradelod.ingest.language import named_spans

TEST_ARTICLES = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def data() -> Graph:
    return curated_data()


def line(name: str, score: Score) -> str:
    return (
        f"{name:<28} recall {score.recall:5.3f} ({score.recalled:>3}/{score.expected:<3}) "
        f"precision {score.precision:5.3f} ({score.correct:>3}/{score.drafted:<3})"
    )


def test_the_five_articles_against_the_curated_data(data: Graph, capsys: pytest.CaptureFixture[str]) -> None:
    full = load_gazetteer(ROOT, BASE)
    figures, entities = Score(), Score()
    rows = []
    for number in ARTICLE_FILES:
        draft = draft_of_curated(number, data)
        f = score_figures(draft, curated_figures(data, number))
        e = score_entities(draft, curated_entities(data, number), full)
        rows += [line(f"{number} figures", f), line(f"{number} entities", e)]
        figures.add(f)
        entities.add(e)
    rows += [line("five articles: figures", figures), line("five articles: entities", entities)]
    rows.append(
        f"of the {figures.recalled} figures found: observed area as curated {figures.same_area}, "
        f"period as curated {figures.same_period} (left to the review)"
    )
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert figures.expected >= 45  # the curated figures were all loaded
    assert figures.recall >= 0.9, figures.missed
    assert figures.extra == []  # no figure the articles do not state (none outside the curated ones)
    assert entities.recall >= 0.6 and entities.precision >= 0.8, (entities.missed, entities.extra)


def test_articles_never_seen_against_their_expected_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(TEST_ARTICLES) >= 4
    gazetteer = load_gazetteer(ROOT, BASE)
    total = Score()
    rows = []
    for path in TEST_ARTICLES:
        metadata, expected = expected_of_test_article(path)
        text = path.read_text(encoding="utf-8")
        meta = Metadata("900", "articles/900_0000000000000000.txt", published=metadata.get("date"))
        score = score_figures(build_draft(text, meta, gazetteer, named_spans(text)), expected)
        rows.append(line(path.stem, score))
        total.add(score)
    rows.append(line("test articles: figures", total))
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert total.recall >= 0.9, total.missed
    assert total.extra == []  # every drafted figure is one the article states


def test_a_figure_needs_its_sentence_to_count(data: Graph) -> None:
    """The measure can fail: the right value at the wrong offsets is not found."""
    draft = draft_of_curated("003", data)
    for figure in draft.figures:
        figure.sentence = type(figure.sentence)(
            figure.sentence.index, figure.sentence.start + 1, figure.sentence.end, figure.sentence.text
        )
    score = score_figures(draft, curated_figures(data, "003"))
    assert score.recalled == 0 and score.correct == 0 and score.expected == 6


def test_the_test_articles_are_not_published() -> None:
    published = {p.read_bytes() for p in (ROOT / "data" / "articles").glob("*.txt")}
    assert all(path.read_bytes() not in published for path in TEST_ARTICLES)
    assert not any(Path(ROOT / "data").rglob("*.expected.json"))
