"""Serialise the dataset into byte-stable dump files and their checksums.

Rebuilding from the same input must give byte-identical dumps, so nothing here depends on
hash seeds, clocks or blank-node ids: graphs are canonicalised (RDFC-1.0 labels from pyoxigraph),
N-Triples/N-Quads are sorted, JSON-LD is re-emitted with sorted keys and nodes, and gzip is
written without a timestamp or file name.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .namespaces import all_prefixes

#: Media type, encoding and rdflib format of each dump kind, keyed by file suffix.
DUMP_TYPES: dict[str, tuple[str, str | None]] = {
    ".ttl": ("text/turtle", None),
    ".jsonld": ("application/ld+json", None),
    ".nt.gz": ("application/n-triples", "gzip"),
    ".nq.gz": ("application/n-quads", "gzip"),
}


@dataclass(frozen=True)
class DumpFile:
    """One written dump: its name, size, triple count, checksum and media type."""

    name: str
    bytes: int
    triples: int
    sha256: str
    media_type: str
    encoding: str | None
    title: str


def canonical_graph(graph: Graph) -> Graph:
    """Relabel blank nodes deterministically (RDFC-1.0 via pyoxigraph), keeping the triples."""
    if not any(term.__class__.__name__ == "BNode" for triple in graph for term in triple):
        return graph
    data = graph.serialize(format="nt", encoding="utf-8")
    ds = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out = Graph()
    out.parse(data=ox.serialize(ds, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return _bind(out)


def _bind(graph: Graph, base: str | None = None) -> Graph:
    for prefix, namespace in all_prefixes(base or "https://w3id.org/tradelod/").items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def turtle_bytes(graph: Graph, base: str) -> bytes:
    """Turtle with the dataset's prefixes; rdflib sorts subjects and predicates."""
    _bind(graph, base)
    return graph.serialize(format="turtle", encoding="utf-8")


def sorted_lines(graph_or_dataset: Graph | Dataset, fmt: str) -> bytes:
    """N-Triples or N-Quads, one statement per line, sorted, UTF-8."""
    text = graph_or_dataset.serialize(format=fmt, encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip without a timestamp or file name, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as stream:
        stream.write(data)
    return buffer.getvalue()


def jsonld_context(base: str, ontology: Graph) -> dict[str, Any]:
    """The published compact JSON-LD @context: prefixes, plus a term per ontology property."""
    context: dict[str, Any] = dict(all_prefixes(base))
    tlo = all_prefixes(base)["tlo"]
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.ObjectProperty))):
        if str(prop).startswith(tlo):
            context[str(prop)[len(tlo) :]] = {"@id": f"tlo:{str(prop)[len(tlo) :]}", "@type": "@id"}
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.DatatypeProperty))):
        if str(prop).startswith(tlo):
            name = str(prop)[len(tlo) :]
            rng = ontology.value(prop, RDFS.range)
            term: dict[str, Any] = {"@id": f"tlo:{name}"}
            if rng is not None and str(rng).startswith(str(XSD)):
                term["@type"] = f"xsd:{str(rng)[len(str(XSD)) :]}"
            context[name] = term
    context["label"] = {"@id": "rdfs:label", "@container": "@language"}
    return context


def jsonld_bytes(graph: Graph, context: dict[str, Any]) -> bytes:
    """Compact JSON-LD with the given context inlined, nodes sorted by @id, keys sorted."""
    raw = graph.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(raw)
    nodes = document.get("@graph", [])
    if isinstance(nodes, dict):
        nodes = [nodes]
    if not nodes and "@id" in document:
        nodes = [{k: v for k, v in document.items() if k != "@context"}]
    stable = [_sorted_node(node) for node in nodes]
    stable.sort(key=lambda node: (str(node.get("@id", "")), json.dumps(node, sort_keys=True)))
    out = {"@context": context, "@graph": stable}
    return (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _sorted_node(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_node(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_node(v) for v in value]
        if any(isinstance(i, dict) and "@list" in i for i in items):
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def sha256(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def write_dump(folder: Path, name: str, data: bytes, triples: int, title: str) -> DumpFile:
    """Write one dump file and describe it."""
    (folder / name).write_bytes(data)
    suffix = next(s for s in DUMP_TYPES if name.endswith(s))
    media_type, encoding = DUMP_TYPES[suffix]
    return DumpFile(name, len(data), triples, sha256(data), media_type, encoding, title)


def write_checksums(folder: Path, dumps: list[DumpFile]) -> None:
    """Write SHA256SUMS in the format ``sha256sum -c`` reads."""
    lines = [f"{d.sha256}  {d.name}" for d in sorted(dumps, key=lambda d: d.name)]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_manifest(folder: Path, dumps: list[DumpFile]) -> None:
    """Write dumps.json: what /dumps/ lists (size, triples, checksum, media type)."""
    rows = [d.__dict__ for d in sorted(dumps, key=lambda d: d.name)]
    (folder / "dumps.json").write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")
