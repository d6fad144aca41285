"""``tradelod build``: validate, then publish a release (store, dumps, description) atomically.

A release is written into a temporary folder beside the build directory's ``releases/``; only when
every step has succeeded is it moved into place and the ``current`` link switched to it with one
atomic rename. A build that fails part-way therefore leaves the previous release, and the server
reading it, untouched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from tradelod import __version__

from . import data_dumps
from .bulk_validation import project_pass, project_report, validate_with_sources
from .cube import cube_graph
from .dumps import (
    DumpFile,
    canonical_graph,
    gzip_bytes,
    in_default_graph,
    jsonld_context,
    sha256,
    sorted_nquads,
    turtle_bytes,
    write_checksums,
    write_dump,
    write_manifest,
)
from .extra_sources import ExtraSource, SourceError, find_sources, ntriples
from .extra_sources import has_blank_nodes as extra_has_blank_nodes
from .integrity import violations
from .namespaces import all_prefixes
from .ontology_docs import ontology_docs
from .picture import write_picture
from .release import previous, prune, release_id, switch_current
from .review_marks import describe, unreviewed
from .search_index import write_search_index
from .sources import parse_file, source_files
from .statistics import of_ntriples
from .tables import cube_tables
from .validation import validate_project
from .void import LICENSE, add_sources, describe_dataset

TLO_OBSERVATION = "ontology#Observation"


class BuildError(Exception):
    """The build refused to publish (invalid data) or could not complete."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build published, for the closing one-screen summary."""

    release: Path
    triples: int
    entities: int
    observations: int
    links: int
    seconds: float
    dumps: list[DumpFile]

    def text(self) -> str:
        """The one-screen summary printed at the end of a build."""
        rows = [
            f"release      {self.release}",
            f"triples      {self.triples}",
            f"entities     {self.entities}",
            f"observations {self.observations}",
            f"wikidata     {self.links} links",
            f"time         {self.seconds:.1f} s",
            "dumps:",
        ]
        rows += [
            f"  {d.name:<36} {d.bytes:>9} bytes {d.triples:>6} triples  sha256 {d.sha256[:16]}…"
            for d in self.dumps
        ]
        return "\n".join(rows)


def build(
    root: Path,
    out: Path,
    base: str,
    progress: Callable[[str], None] | None = None,
    sources: Sequence[Path] = (),
) -> BuildSummary:
    """Validate the project at ``root`` (and any additional ``sources``) and publish a new release under ``out``."""
    say = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    started = time.monotonic()

    def step(message: str) -> None:
        say(f"[{time.monotonic() - started:5.1f}s] {message}")

    # A draft from `tradelod ingest` is published only once reviewed: its review marks are gone.
    drafts = unreviewed(root, base)
    if drafts:
        raise BuildError(
            "unreviewed drafts; nothing was published. Review each, removing its tlr: marks "
            "(README, 'Adding an article'):\n" + describe(drafts)
        )
    # Additional sources are read first: a missing or unreadable one is reported at once.
    extra = _read_sources(sources, base, step) if sources else []
    step("validating data, ontology and shapes with SHACL …")
    if not extra:
        report = validate_project(root, base)
    else:
        step(f"validating {len(extra)} additional source file(s) with the project (pyshacl-turbo) …")
        # pySHACL's pass over the project runs in a process of its own, beside the bulk pass (pure
        # Python beside native code: at 1M triples it is otherwise 12-18 s before the bulk pass starts).
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            project = pool.submit(project_pass, root, base)
            bulk = validate_with_sources(root, base, extra, memo=out / "cache" / "validation")
            report = project_report(project.result())
    if not report.conforms:
        raise BuildError("validation failed; nothing was published\n" + report.text())
    if extra:
        if not bulk.conforms:
            raise BuildError(
                "validation of the additional sources failed; nothing was published\n" + bulk.text()
            )
        if bulk.remembered:
            step("the same sources, data and shapes passed before: not validated again")

    out.mkdir(parents=True, exist_ok=True)
    (out / "releases").mkdir(exist_ok=True)
    remove_stale_staging(out)
    staging = out / f".staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        summary = _write_release(root, staging, base, report.report_graph, step, extra)
        release = out / "releases" / release_id(summary.dumps)
        if release.exists():
            # Same dumps are already published; a newer build may add outputs the old one lacked
            # (e.g. the search index): those are moved in, nothing already there is touched.
            for entry in sorted(staging.iterdir()):
                if not (release / entry.name).exists():
                    os.replace(entry, release / entry.name)
            shutil.rmtree(staging)
        else:
            os.replace(staging, release)
        switch_current(out, release)
        prune(out, keep={release.name, previous(out)})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    step("done")
    return BuildSummary(
        release,
        summary.triples,
        summary.entities,
        summary.observations,
        summary.links,
        time.monotonic() - started,
        summary.dumps,
    )


def remove_stale_staging(out: Path) -> None:
    """Remove the staging folders of builds that are no longer running (killed with SIGKILL, say)."""
    for folder in out.glob(".staging-*"):
        pid = folder.name.removeprefix(".staging-")
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _read_sources(
    paths: Sequence[Path], base: str, step: Callable[[str], None]
) -> list[tuple[ExtraSource, bytes]]:
    """Each additional source file as N-Triples, blank nodes (if any) labelled canonically."""
    try:
        found = find_sources(paths)
        step(f"reading {len(found)} additional source file(s) …")
        return [(source, _canonical(source, ntriples(source, base))) for source in found]
    except SourceError as error:
        raise BuildError(f"{error}; nothing was published") from None


def _canonical(source: ExtraSource, data: bytes) -> bytes:
    """N-Triples with RDFC-1.0 blank-node labels scoped to the file, so equal input gives equal dumps."""
    if not extra_has_blank_nodes(data):
        return data
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    scope = re.sub(r"[^A-Za-z0-9]+", "_", source.name).strip("_")

    def scoped(term: Any) -> Any:
        return ox.BlankNode(f"{scope}_{term.value}") if isinstance(term, ox.BlankNode) else term

    triples = (ox.Triple(scoped(q.subject), q.predicate, scoped(q.object)) for q in dataset)
    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert written is not None
    return written


def _write_release(
    root: Path,
    folder: Path,
    base: str,
    report: Graph,
    step: Callable[[str], None],
    extra: Sequence[tuple[ExtraSource, bytes]] = (),
) -> BuildSummary:
    step("loading sources …")
    graphs: dict[URIRef, Graph] = {}
    kinds: dict[str, list[URIRef]] = {"ontology": [], "shapes": [], "data": []}
    for source in source_files(root):
        iri = source.graph_iri(base)
        graphs[iri] = canonical_graph(parse_file(source.path, base, source.relative), scope=source.relative)
        kinds[source.kind].append(iri)
    ontology = _union(graphs, kinds["ontology"])
    shapes = _union(graphs, kinds["shapes"])

    step("writing the statistical cube and checking the Data Cube integrity constraints …")
    cube_iri = URIRef(f"{base}graph/data/cube")  # among the data graphs: pages and counts include it
    graphs[cube_iri] = cube_graph(_union(graphs, kinds["data"]), ontology, base)
    kinds["data"].append(cube_iri)
    data = _union(graphs, kinds["data"])
    broken = violations(data + ontology)
    if broken:
        raise BuildError(
            "the statistical cube breaks the W3C Data Cube integrity constraints; nothing was published\n"
            + "\n".join(f"  {c.name}: {c.text}" for c in broken)
        )

    # All the data, the project's and the additional sources', as sorted N-Triples statements.
    lines = data_dumps.sorted_lines([data_dumps.statements(data), *(nt for _, nt in extra)])
    extra_quads = [data_dumps.in_graph(nt, source.graph_iri(base)) for source, nt in extra]
    stats = of_ntriples(lines, base)

    dumps_dir = folder / "dumps"
    dumps_dir.mkdir()
    v = __version__
    step(f"writing dumps ({len(lines)} data triples) …")
    context = jsonld_context(base, ontology)
    (folder / "context.jsonld").write_text(
        json.dumps({"@context": context}, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    all_quads = data_dumps.sorted_lines([sorted_nquads(graphs), *extra_quads])
    dumps = [
        write_dump(
            dumps_dir,
            f"tradelod-{v}.ttl",
            data_dumps.turtle(lines, all_prefixes(base)),
            len(lines),
            "All data, Turtle",
        ),
        write_dump(
            dumps_dir,
            f"tradelod-{v}.jsonld",
            data_dumps.jsonld(lines, context),
            len(lines),
            "All data, JSON-LD",
        ),
        write_dump(
            dumps_dir,
            f"tradelod-{v}.nt.gz",
            gzip_bytes(data_dumps.joined(lines)),
            len(lines),
            "All data, N-Triples, sorted, gzipped",
        ),
        write_dump(
            dumps_dir,
            f"tradelod-{v}.nq.gz",
            gzip_bytes(data_dumps.joined(all_quads)),
            len(all_quads),
            "Data, ontology and shapes, one named graph per source file, N-Quads, sorted, gzipped",
        ),
        write_dump(
            dumps_dir,
            f"tradelod-ontology-{v}.ttl",
            turtle_bytes(ontology, base),
            len(ontology),
            "The ontology, Turtle",
        ),
        write_dump(
            dumps_dir,
            f"tradelod-shapes-{v}.ttl",
            turtle_bytes(shapes, base),
            len(shapes),
            "The SHACL shapes, Turtle",
        ),
    ]
    del all_quads
    for table in cube_tables(data, base, v, str(LICENSE)):
        title = f"The {table.kind.label_en} of the statistical cube"
        dumps.append(write_dump(dumps_dir, table.csv_name, table.csv, 0, f"{title}, CSV ({table.rows} rows)"))
        dumps.append(
            write_dump(
                dumps_dir, table.metadata_name, table.metadata, 0, f"{title}, CSVW metadata of the CSV"
            )
        )
    write_checksums(dumps_dir, dumps)
    write_manifest(dumps_dir, dumps)

    step("describing the dataset (VoID + DCAT) …")
    modified = str(
        ontology.value(URIRef(f"{base}ontology"), URIRef("http://purl.org/dc/terms/modified")) or ""
    )
    texts = sorted((root / "data" / "articles").glob("*.txt"))
    if not texts:
        raise BuildError(
            f"no article texts under {root / 'data' / 'articles'}: quotes would point at nothing"
        )
    text_files = [
        DumpFile(
            t.name,
            t.stat().st_size,
            0,
            sha256(t.read_bytes()),
            "text/plain",
            None,
            f"Article {t.name[:3]}, plain text",
        )
        for t in texts
    ]
    void = describe_dataset(base, data, v, dumps, modified, text_files, stats=stats)
    add_sources(void, base, [(source.graph_iri(base), nt.count(b"\n")) for source, nt in extra])
    (folder / "void.ttl").write_bytes(turtle_bytes(void, base))
    (folder / "validation-report.ttl").write_bytes(turtle_bytes(canonical_graph(report), base))

    step("loading the embedded Oxigraph store …")
    graphs[URIRef(f"{base}graph/void")] = void
    graphs[URIRef(f"{base}graph/validation-report")] = canonical_graph(report)
    _load_store(folder / "store", graphs, extra_quads)

    step("indexing labels and sentences for search, laying out the picture …")
    published = ox.Store.read_only(str(folder / "store"))
    write_search_index(folder / "search.sqlite", published, base)
    write_picture(folder / "picture.json", published, base)
    # Triples per named graph, for the service description: counting them reads the whole store, so
    # it is done here once rather than by every front end on its first request.
    counts = published.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(counts, ox.QuerySolutions)
    sizes = {row["g"].value: int(row["n"].value) for row in counts}
    union = published.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )  # the default graph: each triple once
    assert isinstance(union, ox.QuerySolutions)
    union_triples = int(next(union)["n"].value)
    del published

    step("generating the ontology documentation (pyLODE) …")
    (folder / "docs").mkdir()
    docs = ontology_docs(ontology)
    (folder / "docs" / "ontology.html").write_text(docs.html, encoding="utf-8")
    (folder / "docs" / "ontology.css").write_text(docs.css, encoding="utf-8")

    (folder / "articles").mkdir()
    for text in texts:
        shutil.copyfile(text, folder / "articles" / text.name)
    manifest = {
        "version": v,
        "base": base,
        "triples": stats.triples,
        "entities": stats.entities,
        "observations": stats.observations,
        "wikidata_links": sum(stats.links.values()),
        "graphs": dict(sorted(sizes.items())),
        "union_triples": union_triples,
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return BuildSummary(
        folder, stats.triples, stats.entities, stats.observations, sum(stats.links.values()), 0.0, dumps
    )


def _union(graphs: dict[URIRef, Graph], names: list[URIRef]) -> Graph:
    union = Graph()
    for name in names:
        for triple in graphs[name]:
            union.add(triple)
    return union


def _load_store(path: Path, graphs: dict[URIRef, Graph], extra_quads: Sequence[bytes] = ()) -> None:
    """Write the release's store: every named graph, and their union as the default graph.

    The union is written rather than left to Oxigraph's union-default-graph mode, which reads every
    named graph and so matches a triple stated in two sources twice (91 triples of the articles'
    data are); a default graph holds each triple once, as SPARQL's RDF merge does and as the union
    graph ``tradelod load`` writes into an engine. Each named graph's statements go into the same
    bulk load as their copy in the default graph: the loader renames blank nodes per call, and the
    copy must keep their identity.
    """
    store = ox.Store(str(path))
    for quads in (sorted_nquads(graphs), *extra_quads):
        store.bulk_load(quads.rstrip(b"\n") + b"\n" + in_default_graph(quads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store
