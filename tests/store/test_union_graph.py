"""The embedded store's default graph: the union of the release's named graphs, each triple once.

SPARQL's default graph is an RDF graph, a set: a triple stated in two source files (91 of the
articles' data are) is in it once, as in the union graph `tradelod load` writes into an engine.
Oxigraph's union-default-graph mode would match it once per named graph, so the build writes the
union; a release built before it did is still read, each triple once where the server reads it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox

from tradelod.store.embedded import OxigraphStore, has_union_graph


def named_quads(store: ox.Store) -> list[ox.Quad]:
    return [
        q for q in store.quads_for_pattern(None, None, None, None) if isinstance(q.graph_name, ox.NamedNode)
    ]


def count(store: OxigraphStore) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)


def test_the_build_writes_the_union_of_the_named_graphs_once(build_dir: Path) -> None:
    store = OxigraphStore.open(build_dir / "current")
    named = named_quads(store.store)
    union = {q.triple for q in named}
    assert len(union) < len(named)  # some triples are stated in two source files
    default = [q.triple for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    assert len(default) == len(union)
    assert set(default) == union  # blank nodes included: the copy keeps their identity
    assert store.union == ox.DefaultGraph()
    assert count(store) == len(union)
    assert store.manifest()["union_triples"] == len(union)
    assert sorted(store.match(None, None, None), key=str) == sorted(union, key=str)


def test_a_release_built_before_the_union_graph_is_still_read(build_dir: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(build_dir / "current", release)
    writable = ox.Store(str(release / "store"))
    writable.clear_graph(ox.DefaultGraph())
    writable.flush()
    del writable
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    del manifest["union_triples"]
    (release / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    old = OxigraphStore.open(release)
    assert old.union is None and not has_union_graph(old.store)
    named = named_quads(old.store)
    union = {q.triple for q in named}
    # the server's own lookups still see each triple once ...
    assert sorted(old.match(None, None, None), key=str) == sorted(union, key=str)
    subjects = {t.subject for t in union if isinstance(t.subject, ox.NamedNode)}
    predicates = {t.predicate for t in union}
    assert old.match_many(sorted(subjects, key=str)[:40], predicates) == {
        t for t in union if t.subject in set(sorted(subjects, key=str)[:40])
    }
    # ... and queries read the named graphs through Oxigraph's union mode, as that release did
    assert count(old) == len(named)
