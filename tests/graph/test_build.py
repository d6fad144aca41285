"""The build: validated, complete, byte-stable, atomic, and its dumps round-trip."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, VOID

import tradelod
from support.project import sources_of
from tradelod.graph.build import BuildError, BuildSummary, build
from tradelod.graph.cube import KINDS, cube_graph
from tradelod.graph.dumps import from_oxigraph
from tradelod.graph.sources import parse_file, source_files

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
V = tradelod.__version__

DUMPS = {
    f"tradelod-{V}.ttl": "turtle",
    f"tradelod-{V}.jsonld": "json-ld",
    f"tradelod-{V}.nt.gz": "nt",
    f"tradelod-{V}.nq.gz": "nquads",
    f"tradelod-ontology-{V}.ttl": "turtle",
    f"tradelod-shapes-{V}.ttl": "turtle",
}

#: The tables of the statistical cube (CSV and CSVW metadata), dumps that are not RDF.
TABLES = {f"tradelod-{k.slug}-{V}.csv" for k in KINDS} | {
    f"tradelod-{k.slug}-{V}.csv-metadata.json" for k in KINDS
}
CUBE = f"{BASE}graph/data/cube"


def published_data() -> Graph:
    """The data as published: the sources of data/ and the statistical cube the build writes beside them."""
    data = sources_of("data")
    return data + cube_graph(data, sources_of("ontology"), BASE)


OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "json-ld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
}


def read_dump(path: Path, fmt: str) -> dict[str, Graph]:
    """Parse a dump with pyoxigraph (a parser we did not write) into rdflib graphs by graph name."""
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(data, format=OX_FORMATS[fmt]):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, Graph()).add(from_oxigraph(quad.triple))
    return graphs


def test_release_holds_every_artefact(built: BuildSummary) -> None:
    release = built.release
    names = {p.name for p in (release / "dumps").iterdir()}
    assert names == set(DUMPS) | TABLES | {"SHA256SUMS", "dumps.json"}
    for name in (
        "void.ttl",
        "validation-report.ttl",
        "context.jsonld",
        "manifest.json",
        "docs/ontology.html",
    ):
        assert (release / name).is_file(), name
    assert sorted(p.name for p in (release / "articles").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "articles").glob("*.txt")
    )
    assert (release.parent.parent / "current").resolve() == release.resolve()


def test_dump_names_carry_the_package_version(built: BuildSummary) -> None:
    assert all(V in d.name for d in built.dumps)
    assert json.loads((built.release / "manifest.json").read_text())["version"] == V


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_every_dump_parses_back_to_the_same_graph(built: BuildSummary, name: str) -> None:
    parsed = read_dump(built.release / "dumps" / name, DUMPS[name])
    if name.endswith(".nq.gz"):
        assert set(parsed) == {str(s.graph_iri(BASE)) for s in source_files(ROOT)} | {CUBE}
        assert isomorphic(parsed[CUBE], cube_graph(sources_of("data"), sources_of("ontology"), BASE))
        for source in source_files(ROOT):
            assert isomorphic(parsed[str(source.graph_iri(BASE))], parse_file(source.path, BASE)), (
                source.relative
            )
        return
    assert set(parsed) == {""}
    kind = "ontology" if "-ontology-" in name else "shapes" if "-shapes-" in name else "data"
    expected = published_data() if kind == "data" else sources_of(kind)
    assert len(expected) > 0
    assert isomorphic(parsed[""], expected)


def test_jsonld_dump_is_compact_with_the_published_context(built: BuildSummary) -> None:
    document = json.loads((built.release / "dumps" / f"tradelod-{V}.jsonld").read_text(encoding="utf-8"))
    published = json.loads((built.release / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"]
    assert document["@context"]["tlo"] == f"{BASE}ontology#"
    kz = next(n for n in document["@graph"] if n["@id"].endswith("id/observation/003-kz-cn-turnover-2024"))
    assert kz["value"] == "43800000000"  # typed xsd:decimal by the context's term definition
    assert document["@context"]["value"] == {"@id": "tlo:value", "@type": "xsd:decimal"}


def test_checksums_match_the_files(built: BuildSummary) -> None:
    lines = (built.release / "dumps" / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == len(DUMPS) + len(TABLES)
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((built.release / "dumps" / name).read_bytes()).hexdigest() == digest


def test_ntriples_dump_is_sorted_and_gzip_is_stable(built: BuildSummary) -> None:
    raw = (built.release / "dumps" / f"tradelod-{V}.nt.gz").read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip MTIME is zero
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == built.triples


def test_store_holds_every_graph_and_the_description(built: BuildSummary) -> None:
    store = ox.Store.read_only(str(built.release / "store"))
    graphs = {g.value for g in store.named_graphs()}
    expected = {str(s.graph_iri(BASE)) for s in source_files(ROOT)} | {
        f"{BASE}graph/void",
        f"{BASE}graph/validation-report",
        CUBE,
    }
    assert graphs == expected
    (count,) = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
    assert int(count.value) == sum(len(parse_file(s.path, BASE)) for s in source_files(ROOT)) + len(
        Graph().parse(built.release / "void.ttl")
    ) + len(Graph().parse(built.release / "validation-report.ttl")) + (
        len(published_data()) - len(sources_of("data"))
    )


def test_void_counts_the_data_and_the_wikidata_linkset(built: BuildSummary) -> None:
    void = Graph().parse(built.release / "void.ttl")
    data = published_data()
    dataset = URIRef(f"{BASE}dataset")
    assert int(void.value(dataset, VOID.triples)) == len(data)
    links = sum(
        1 for _, o in data.subject_objects(OWL.sameAs) if str(o).startswith("http://www.wikidata.org/")
    )
    assert links > 0
    linkset = URIRef(f"{BASE}dataset/wikidata-sameas")
    assert (linkset, RDF.type, VOID.Linkset) in void
    assert int(void.value(linkset, VOID.triples)) == links
    dumps = {str(o) for o in void.objects(dataset, VOID.dataDump)}
    assert dumps == {f"{BASE}dumps/{name}" for name in DUMPS}
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")


def test_rebuilding_gives_byte_identical_dumps(built: BuildSummary, tmp_path: Path) -> None:
    """A second build, in another process with another hash seed, writes the same bytes."""
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    cmd = [sys.executable, "-m", "tradelod", "build", "--root", str(ROOT), "--out", str(out)]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    again = out / "current" / "dumps"
    for name in [*sorted(DUMPS), *sorted(TABLES), "SHA256SUMS"]:
        assert (again / name).read_bytes() == (built.release / "dumps" / name).read_bytes(), name


def test_invalid_data_is_refused_and_the_previous_release_survives(
    tmp_path: Path, project_copy: Path
) -> None:
    root = project_copy
    out = tmp_path / "build"
    first = build(root, out, BASE, progress=lambda _: None)
    before = {p.name: p.read_bytes() for p in (first.release / "dumps").iterdir()}
    broken = root / "data" / "003-kazakhstan-china-trade.ttl"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('"43800000000"^^xsd:decimal', '"lots"'), encoding="utf-8"
    )
    with pytest.raises(BuildError, match="observation/003-kz-cn-turnover-2024"):
        build(root, out, BASE, progress=lambda _: None)
    assert (out / "current").resolve() == first.release.resolve()
    assert {p.name: p.read_bytes() for p in (first.release / "dumps").iterdir()} == before
    assert not list(out.glob(".staging-*"))


def test_a_build_that_fails_part_way_leaves_the_previous_release(tmp_path: Path, project_copy: Path) -> None:
    root = project_copy
    out = tmp_path / "build"
    first = build(root, out, BASE, progress=lambda _: None)
    shutil.rmtree(root / "data" / "articles")  # validation passes; the late copy step fails

    with pytest.raises(BuildError, match="no article texts"):
        build(root, out, BASE, progress=lambda _: None)
    assert (out / "current").resolve() == first.release.resolve()
    assert (first.release / "store").is_dir()
    assert not list(out.glob(".staging-*"))
