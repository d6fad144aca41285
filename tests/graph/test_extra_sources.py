"""Additional sources (``tradelod build --source``, ``SOURCES``): validated, published in graphs of their own.

The data comes from the benchmark's seeded generator (``bench/generate.py``), so this test also
proves that generated data is valid against the project's shapes as they are today: a change to the
shapes that the generator does not follow fails here, not in a benchmark run.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID

import tradelod
from support.project import bench_module
from tradelod.app import create_app
from tradelod.graph.build import BuildError, BuildSummary, build

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
V = tradelod.__version__
GENERATED_TRIPLES = 3000


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of generated N-Triples (two files) and one hand-written Turtle file of a publisher."""
    folder = tmp_path_factory.mktemp("sources") / "gen"
    bench_module("generate").write(folder, GENERATED_TRIPLES, seed=7, file_triples=2000)
    single = folder.parent / "extra.ttl"
    single.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<id/place/gen-country-0> rdfs:comment "Un pays inventé pour les tests."@fr .\n',
        encoding="utf-8",
    )
    return folder, single


@pytest.fixture(scope="module")
def with_sources(sources: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> BuildSummary:
    """The real project built with both additional sources."""
    return build(ROOT, tmp_path_factory.mktemp("out"), BASE, progress=lambda _: None, sources=list(sources))


def _lines(path: Path) -> set[str]:
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def test_each_file_is_published_in_a_named_graph_of_its_own(
    with_sources: BuildSummary, sources: tuple[Path, Path]
) -> None:
    folder, _ = sources
    parts = sorted(folder.glob("part-*.nt"))
    assert [p.name for p in parts] == ["part-0000.nt", "part-0001.nt"]
    store = ox.Store.read_only(str(with_sources.release / "store"))
    for part in parts:
        graph = ox.NamedNode(f"{BASE}graph/source/gen/{part.stem}")
        stored = {str(q.triple.subject) for q in store.quads_for_pattern(None, None, None, graph)}
        # The store writes numbers in canonical form ("9.0" as "9"), so it is compared by subjects and size.
        assert stored == {line.split(" ", 1)[0] for line in _lines(part)}
        assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(_lines(part))
    comment = ox.NamedNode(f"{BASE}graph/source/extra")
    assert len(list(store.quads_for_pattern(None, None, None, comment))) == 1


def test_dumps_void_and_manifest_count_the_added_triples(
    with_sources: BuildSummary, built: BuildSummary, sources: tuple[Path, Path]
) -> None:
    folder, _ = sources
    added = set().union(*(_lines(p) for p in folder.glob("part-*.nt")))
    assert len(added) >= GENERATED_TRIPLES
    release = with_sources.release
    dump = gzip.decompress((release / "dumps" / f"tradelod-{V}.nt.gz").read_bytes()).decode("utf-8")
    lines = set(dump.splitlines())
    assert added <= lines
    assert len(lines) == built.triples + len(added) + 1  # the project's, the generated, the comment
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triples"] == len(lines) == with_sources.triples
    assert manifest["observations"] == built.observations + 2 * sum(
        1 for line in added if line.endswith("ontology#LevelObservation> .")
    )
    void = Graph().parse(release / "void.ttl")
    dataset = URIRef(f"{BASE}dataset")
    assert void.value(dataset, VOID.triples) == Literal(len(lines))
    subsets = {
        str(s): int(void.value(s, VOID.triples))  # type: ignore[arg-type]
        for s in void.objects(dataset, VOID.subset)
        if "/graph/source/" in str(s)  # the others are the Wikidata linksets
    }
    assert subsets == {
        f"{BASE}graph/source/gen/part-0000": len(_lines(folder / "part-0000.nt")),
        f"{BASE}graph/source/gen/part-0001": len(_lines(folder / "part-0001.nt")),
        f"{BASE}graph/source/extra": 1,
    }


def test_pages_and_documents_of_added_things_are_served(with_sources: BuildSummary) -> None:
    app = create_app(
        {
            "TESTING": True,
            "ROOT": str(ROOT),
            "BUILD_DIR": str(with_sources.release.parent.parent),
            "BASE_IRI": BASE,
        }
    )
    client = app.test_client()
    reply = client.get("/id/place/gen-country-0", headers={"Accept": "text/turtle"})
    assert reply.status_code == 303
    document = client.get(reply.headers["Location"], headers={"Accept": "text/turtle"})
    assert document.status_code == 200
    graph = Graph().parse(data=document.get_data(as_text=True), format="turtle")
    assert (
        URIRef(f"{BASE}id/place/gen-country-0"),
        None,
        Literal("Un pays inventé pour les tests.", lang="fr"),
    ) in graph


def test_a_rebuild_of_the_same_content_skips_the_bulk_pass_and_any_change_does_not(
    sources: tuple[Path, Path], with_sources: BuildSummary, tmp_path: Path
) -> None:
    out = with_sources.release.parent.parent
    memo = out / "cache" / "validation"
    said: list[str] = []
    again = build(ROOT, out, BASE, progress=said.append, sources=list(sources))
    assert any(
        m.endswith("the same sources, data and shapes passed before: not validated again") for m in said
    )
    assert again.release == with_sources.release  # the same release, not a degraded one
    assert len([p for p in memo.iterdir() if not p.name.startswith(".")]) == 1
    # One more (valid) triple in one source: another fingerprint, validated in full.
    changed = tmp_path / "extra.ttl"
    changed.write_text(
        sources[1].read_text(encoding="utf-8")
        + '<id/place/gen-country-1> <http://www.w3.org/2000/01/rdf-schema#comment> "Un autre."@fr .\n',
        encoding="utf-8",
    )
    said.clear()
    build(ROOT, out, BASE, progress=said.append, sources=[sources[0], changed])
    assert not any("passed before" in m for m in said)
    assert len([p for p in memo.iterdir() if not p.name.startswith(".")]) == 2


def test_a_source_that_breaks_the_shapes_is_refused_and_named(tmp_path: Path, built: BuildSummary) -> None:
    broken = tmp_path / "broken.ttl"
    # A level observation with no unit, period or value: the shapes require them.
    broken.write_text(
        "@prefix tlo: <ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<id/observation/gen-broken> a tlo:LevelObservation ; rdfs:label "cassée"@fr, "broken"@en .\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(BuildError) as refused:
        build(ROOT, out, BASE, progress=lambda _: None, sources=[broken])
    message = str(refused.value)
    assert "validation of the additional sources failed; nothing was published" in message
    assert str(broken) in message
    assert "gen-broken" in message
    assert not (out / "current").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.ttl", None, "missing.ttl: no such file or folder"),
        ("notes.txt", "hello", "notes.txt: not a source file (.ttl, .nt, .nq, .trig are read)"),
        ("bad.ttl", "<a> <b> .\n", "bad.ttl"),
    ],
)
def test_unusable_sources_are_refused_in_one_line_without_a_traceback(
    tmp_path: Path, name: str, content: str | None, words: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tradelod.cli",
            "build",
            "--root",
            str(ROOT),
            "--out",
            str(tmp_path / "out"),
            "--source",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONSAFEPATH": "1"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "build refused: " in done.stderr and words in done.stderr, done.stderr
    assert "nothing was published" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "current").exists()
