"""`tradelod ingest` on a copy of the project: the text registered byte for byte, a draft that parses,
quotes itself exactly and marks every drafted statement; `validate` checks it, `build` refuses it until
it is reviewed; bad input gets a clear error and leaves data/ as it was."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from support.project import BASE, ROOT
from tradelod.cli import main

ARTICLES = ROOT / "tests" / "data" / "articles"
VIETNAM = ARTICLES / "vietnam-china-trade.txt"
TLR = f"{BASE}review#"
TLO = f"{BASE}ontology#"
OA = "http://www.w3.org/ns/oa#"


def copy_project(target: Path) -> Path:
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def listing(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the Vietnam test article ingested (dated, titled)."""
    root = copy_project(tmp_path_factory.mktemp("ingest"))
    code = main(
        ["ingest", "--root", str(root), str(VIETNAM), "--date", "2024-05-14",
         "--title", "Le commerce entre le Vietnam et la Chine poursuit sa progression", "--publisher", "La Gazette"]
    )  # fmt: skip
    assert code == 0
    return root


def draft_of(root: Path) -> tuple[Path, Graph]:
    (path,) = sorted((root / "data").glob("005-*.ttl"))
    graph = Graph()
    graph.parse(path, format="turtle", publicID=BASE)
    return path, graph


def test_the_text_is_registered_byte_for_byte_under_the_next_number(ingested: Path) -> None:
    (copy,) = sorted((ingested / "data" / "articles").glob("005_*.txt"))
    assert copy.read_bytes() == VIETNAM.read_bytes()
    assert len(copy.stem) == len("005_") + 16
    assert not (ROOT / "data" / "articles" / copy.name).exists()  # the real project is untouched


def test_the_draft_quotes_every_sentence_exactly(ingested: Path) -> None:
    _, graph = draft_of(ingested)
    text = VIETNAM.read_text(encoding="utf-8")
    selectors = list(graph.subject_objects(URIRef(OA + "exact")))
    assert len(selectors) >= 8
    for selector, exact in selectors:
        position = URIRef(str(selector).replace("#exact", "#position"))
        start, end = (int(graph.value(position, URIRef(OA + p))) for p in ("start", "end"))
        assert text[start:end] == str(exact)


def test_the_draft_holds_the_stated_figures_with_their_words(ingested: Path) -> None:
    _, graph = draft_of(ingested)
    text = VIETNAM.read_text(encoding="utf-8")
    figures = {}
    for subject, value in graph.subject_objects(URIRef(TLO + "value")):
        mention = str(graph.value(subject, URIRef(TLR + "mention")))
        start, end = (int(graph.value(subject, URIRef(TLR + p))) for p in ("mentionStart", "mentionEnd"))
        assert text[start:end] == mention
        figures[mention] = (str(value), str(graph.value(subject, URIRef(TLO + "unit"))).rsplit("/", 1)[-1])
    assert figures["38,6 milliards de dollars"] == ("38600000000", "usd")
    assert figures["12,3 %"] == ("12.3", "percent-change")  # a growth: percent change, not a share
    assert figures["près de 1,2 million de tonnes"] == ("1200000", "tonne")
    assert figures["plus de 2 500 entreprises"] == ("2500", "count")


def test_relative_dates_are_resolved_against_the_article_date_and_say_how(ingested: Path) -> None:
    _, graph = draft_of(ingested)
    inferences = {str(o) for o in graph.objects(None, URIRef(TLO + "inference"))}
    assert "'l'an dernier' read as 2023, from the article's date (2024-05-14)" in inferences
    assert any(i.startswith("base period 2023") for i in inferences)  # "en glissement annuel" on Q1 2024


def test_every_drafted_statement_carries_review_marks(ingested: Path) -> None:
    _, graph = draft_of(ingested)
    facts = set(graph.subjects(URIRef(TLO + "sourceQuote"), None)) | set(
        graph.subjects(URIRef(TLO + "describedBy"), None)
    )
    unmarked = [s for s in facts if graph.value(s, URIRef(TLR + "check")) is None]
    assert facts and unmarked == []
    for confidence in graph.objects(None, URIRef(TLR + "confidence")):
        assert isinstance(confidence, Literal) and 0 < float(confidence) <= 1


def test_metadata_is_only_what_was_given(ingested: Path) -> None:
    _, graph = draft_of(ingested)
    article = URIRef(f"{BASE}id/article/005")
    assert graph.value(article, URIRef("https://schema.org/publisher")) == URIRef(f"{BASE}id/org/la-gazette")
    assert graph.value(article, URIRef("https://schema.org/datePublished")) is None  # a day, not a date-time
    assert str(graph.value(article, URIRef(TLO + "dateAsStated"))) == "2024-05-14"
    assert graph.value(article, URIRef("http://purl.org/dc/terms/source")) is None


def test_validate_checks_the_draft_and_lists_its_marks(
    ingested: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--root", str(ingested)]) == 0
    out = capsys.readouterr().out
    assert "data/005-china-vietnam.ttl (" in out and "result: conforms" in out
    assert "drafts still to review" in out and "data/005-china-vietnam.ttl:" in out


def test_build_refuses_an_unreviewed_draft(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ingested / "build-refused"
    assert main(["build", "--root", str(ingested), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "unreviewed drafts; nothing was published" in err and "data/005-china-vietnam.ttl" in err
    assert not (out / "current").exists()


@pytest.mark.slow
def test_build_publishes_the_draft_once_reviewed(ingested: Path, tmp_path: Path) -> None:
    """Reviewing, as far as a test can: every mark removed; the draft must then build."""
    root = tmp_path / "reviewed"
    shutil.copytree(ingested, root, ignore=shutil.ignore_patterns("build*"))
    path, graph = draft_of(root)
    for triple in [t for t in graph if str(t[1]).startswith(TLR)]:
        graph.remove(triple)
    text = graph.serialize(format="turtle", base=BASE)
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("@base")), encoding="utf-8"
    )
    assert main(["build", "--root", str(root), "--out", str(root / "build")]) == 0
    release = (root / "build" / "current").resolve()
    (dump,) = (release / "dumps").glob("tradelod-*.nt.gz")
    triples = gzip.decompress(dump.read_bytes()).decode("utf-8")
    assert f"<{BASE}id/article/005> <https://schema.org/mentions> <{BASE}id/place/vietnam> ." in triples
    assert f"<{BASE}id/observation/005-bilateral-trade-turnover-2024-q1>" in triples
    assert TLR not in triples


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"\xff\xfe Pas du texte UTF-8", [], "is not UTF-8 text"),
        (b"   \n", [], "is empty"),
        (b"Un texte.", ["--date", "23/08/2025"], "is not an ISO date"),
        (b"Un texte.", ["--url", "javascript:alert(1)"], "is not an http(s) URL"),
        (b"Un texte.", ["--slug", "Pas Un Slug"], "is not lower-case ASCII"),
        (VIETNAM.read_bytes(), [], "already registered as data/articles/005_"),
    ],
    ids=["not-utf8", "empty", "bad-date", "bad-url", "bad-slug", "already-registered"],
)
def test_bad_input_is_refused_and_nothing_is_written(
    ingested: Path,
    tmp_path: Path,
    content: bytes,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    before = listing(ingested)
    assert main(["ingest", "--root", str(ingested), str(article), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and str(tmp_path) not in err
    assert listing(ingested) == before


def test_a_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "p")
    assert main(["ingest", "--root", str(root), str(tmp_path / "absent.txt")]) == 1
    assert "cannot read the article absent.txt" in capsys.readouterr().err


def test_a_publisher_the_article_does_not_print_is_flagged() -> None:
    from tradelod.ingest.draft import Metadata, build_draft
    from tradelod.ingest.gazetteer import load_gazetteer
    from tradelod.ingest.turtle import write_turtle

    meta = Metadata("005", "articles/005_0000000000000000.txt", publisher="Agence d'essai")
    draft = build_draft(
        "Le Brésil a exporté 73,5 millions de tonnes de soja.", meta, load_gazetteer(ROOT, BASE), []
    )
    turtle = write_turtle([], draft.blocks)
    assert "<id/org/agence-d-essai> a tlo:NewsPublisher" in turtle
    assert "the article does not print this name" in turtle
