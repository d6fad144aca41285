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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .namespaces import all_prefixes

#: Media type, encoding and rdflib format of each dump kind, keyed by file suffix.
DUMP_TYPES: dict[str, tuple[str, str | None]] = {
    ".ttl": ("text/turtle", None),
    ".jsonld": ("application/ld+json", None),
    ".nt.gz": ("application/n-triples", "gzip"),
    ".nq.gz": ("application/n-quads", "gzip"),
    ".csv": ("text/csv", None),
    "-metadata.json": ("application/csvm+json", None),
}
#: Media types of the dumps that hold RDF triples (the others are tables of the cube and their metadata).
RDF_DUMP_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/n-quads")


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


def canonical_graph(graph: Graph, scope: str = "") -> Graph:
    """Relabel blank nodes deterministically (RDFC-1.0 via pyoxigraph), keeping the triples.

    RDFC-1.0 numbers every graph's blank nodes from ``c14n0``, so graphs canonicalised apart and then
    merged (the source files of one kind) would share labels and merge distinct nodes: ``scope``, a
    name unique to the graph such as its source path, is put in front of each label.
    """
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    ds = ox.Dataset(to_oxigraph(graph))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    prefix = re.sub(r"[^A-Za-z0-9]+", "_", scope).strip("_")
    out = Graph()
    for quad in ds:
        s, p, o = from_oxigraph(quad.triple)
        if prefix:
            s = BNode(f"{prefix}_{s}") if isinstance(s, BNode) else s
            o = BNode(f"{prefix}_{o}") if isinstance(o, BNode) else o
        out.add((s, p, o))
    return out


def to_oxigraph(graph: Graph) -> list[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in the default graph."""
    return list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise ValueError("RDF 1.2 triple terms are not part of the dataset")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)  # RDF 1.1: a simple literal is an xsd:string; rdflib keeps them apart
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def from_oxigraph(triple: ox.Triple) -> tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]:
    """One pyoxigraph triple as an rdflib triple, blank-node labels kept."""
    subject, predicate, obj = (_term(t) for t in (triple.subject, triple.predicate, triple.object))
    assert isinstance(predicate, URIRef) and not isinstance(subject, Literal)
    return subject, predicate, obj


def turtle_bytes(graph: Graph, base: str) -> bytes:
    """Turtle with the dataset's prefixes, written by pyoxigraph from sorted triples.

    pyoxigraph keeps every literal's lexical form (rdflib would rewrite ``"347"^^xsd:decimal`` as
    ``347.0``), and sorted input makes the output order stable.
    """
    triples = sorted(
        ox.parse(_sorted(graph.serialize(format="nt", encoding="utf-8")), format=ox.RdfFormat.N_TRIPLES),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    turtle = ox.serialize(
        [t.triple for t in triples], format=ox.RdfFormat.TURTLE, prefixes=all_prefixes(base)
    )
    assert turtle is not None  # no output file given: pyoxigraph returns the bytes
    return turtle


def sorted_ntriples(graph: Graph) -> bytes:
    """N-Triples, one statement per line, sorted, UTF-8."""
    return _sorted(graph.serialize(format="nt", encoding="utf-8"))


def sorted_nquads(graphs: dict[URIRef, Graph]) -> bytes:
    """N-Quads of named graphs, one statement per line, sorted, UTF-8 (written by pyoxigraph)."""
    quads: list[ox.Quad] = []
    for name, graph in graphs.items():
        triples = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name))) for t in triples)
    return _sorted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def in_default_graph(nquads: bytes) -> bytes:
    """The statements of N-Quads in named graphs, as N-Triples (the same statements in the default graph).

    Every line ends with its graph's IRI, which holds neither space nor ``<``: the last `` <`` of a
    line starts it, whatever the object literal contains.
    """
    out = bytearray()
    for line in nquads.splitlines():
        if not line.endswith(b"> ."):
            if line.strip():
                raise ValueError(
                    "not an N-Quads statement in a named graph: " + line[:80].decode("utf-8", "replace")
                )
            continue
        out += line[: line.rindex(b" <")] + b" .\n"
    return bytes(out)


def _sorted(data: bytes | None) -> bytes:
    assert data is not None  # serialisers called with no output file return bytes
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
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
    for prop in sorted(str(p) for p in set(ontology.subjects(RDF.type, OWL.ObjectProperty))):
        if str(prop).startswith(tlo):
            context[str(prop)[len(tlo) :]] = {"@id": f"tlo:{str(prop)[len(tlo) :]}", "@type": "@id"}
    for prop in sorted(str(p) for p in set(ontology.subjects(RDF.type, OWL.DatatypeProperty))):
        if str(prop).startswith(tlo):
            name = str(prop)[len(tlo) :]
            rng = ontology.value(URIRef(prop), RDFS.range)
            term: dict[str, Any] = {"@id": f"tlo:{name}"}
            if rng is not None and str(rng).startswith(str(XSD)):
                term["@type"] = f"xsd:{str(rng)[len(str(XSD)) :]}"
            context[name] = term
    context["label"] = {"@id": "rdfs:label", "@container": "@language"}
    return context


def jsonld_bytes(graph: Graph, context: dict[str, Any]) -> bytes:
    """Compact JSON-LD with the given context inlined, nodes sorted by @id, keys sorted."""
    raw = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return stable_jsonld(json.loads(raw), context)


def stable_jsonld(document: dict[str, Any], context: dict[str, Any]) -> bytes:
    """A compact JSON-LD document in its stable form: every node under @graph, sorted, keys sorted."""
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
