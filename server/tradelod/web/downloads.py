"""Dumps and the dataset's description: /dumps/, /.well-known/void, /dataset, /validation-report.

A dump file is sent byte for byte as the build wrote it, so that what a browser or ``curl -O`` saves
matches the published SHA-256: the gzipped dumps are ``application/gzip`` files (never
``Content-Encoding: gzip``, which makes clients save them decompressed); the uncompressed ones are
compressed on the wire only when the client asks for it (``Accept-Encoding: gzip``, with ``Vary``), and
then the client decodes them back to the published bytes. The ETag of a dump is its SHA-256.

``/dumps/<name>`` is the current release's file (cached for the "dump" time of CACHE_SECONDS);
``/releases/<id>/dumps/<name>`` is one release's file, which never changes, so it is cached for good
(``immutable``).

The VoID + DCAT description and the SHACL validation report are named graphs of the store, served
content-negotiated like every other document.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from markupsafe import Markup
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID

from tradelod.http.errors import NotFound
from tradelod.http.negotiation import RDF_FORMATS, Format
from tradelod.store.current import get_store

from . import describe as descriptions
from .rendering import Links, curie, label, pick
from .resources import language, serialise
from .responses import (
    CACHE_IMMUTABLE,
    allow_cross_origin,
    base_iri,
    choose,
    conditional,
    release_time,
    respond,
    see_other,
)

bp = Blueprint("downloads", __name__)

SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LISTING: tuple[Format, ...] = (
    Format("text/html", "html", "html", "HTML"),
    Format("application/json", "json", "json", "JSON"),
)

#: Files of a release's dumps/ folder besides the dumps themselves.
EXTRA_FILES = {"SHA256SUMS": "text/plain; charset=utf-8", "dumps.json": "application/json"}

#: A release folder's name (a hash of its dumps, see graph/release.py).
_RELEASE_ID = re.compile(r"^[0-9a-f]{16}$")


def dump_table(release: Path | None = None) -> list[dict[str, Any]]:
    """The rows of dumps.json: name, bytes, triples, sha256, media_type, encoding, title."""
    path = (release or get_store().release) / "dumps" / "dumps.json"
    return list(json.loads(path.read_text(encoding="utf-8")))


@bp.route("/dumps")
@bp.route("/dumps/")
def dumps() -> Response:
    """Every dump with its size, triple count and SHA-256 (HTML, or dumps.json for Accept: application/json)."""
    fmt, _ = choose(LISTING, default="text/html")
    rows = dump_table()
    base = base_iri()
    if fmt.extension == "json":
        body = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
        return respond(
            body, fmt, path="/dumps/dumps", canonical=f"{base}dumps/", negotiated=False, formats=LISTING
        )
    links = language(base)
    html = render_template(
        "dumps.html",
        rows=rows,
        lang=links.lang,
        path="/dumps/",
        canonical=f"{base}dumps/",
        version=get_store().manifest().get("version"),
        release=get_store().release.name,
    )
    return respond(
        html,
        fmt,
        path="/dumps/",
        canonical=f"{base}dumps/",
        negotiated=False,
        formats=(fmt,),
        lang=links.lang,
    )


@bp.route("/dumps/<name>")
def dump_file(name: str) -> Response:
    """One dump file of the current release (cached briefly: the next build may replace it)."""
    return _send_dump(get_store().release, name, None)  # Cache-Control by kind (http/caching.py)


@bp.route("/releases/<release>/dumps/<name>")
def release_dump_file(release: str, name: str) -> Response:
    """One dump file of one release (the current or the previous one): it never changes, cached for good."""
    folder = get_store().release.parent / release
    if not _RELEASE_ID.match(release) or not (folder / "dumps" / "dumps.json").is_file():
        raise NotFound(f"No release {release} here (only the current and the previous one are kept).")
    return _send_dump(folder, name, CACHE_IMMUTABLE)


def _send_dump(release: Path, name: str, cache: str | None) -> Response:
    """A dump file with its media type, SHA-256 ETag, ranges, and gzip on the wire if asked for."""
    row = next((r for r in dump_table(release) if r["name"] == name), None)
    if row is None and name not in EXTRA_FILES:
        raise NotFound(f"No dump named {name}.")
    path = release / "dumps" / name
    data = path.read_bytes()  # at most a few MB: read whole, no open file
    if row is None:
        response = Response(data, content_type=EXTRA_FILES[name])
        if cache:
            response.headers["Cache-Control"] = cache
        return allow_cross_origin(conditional(response, data))
    media_type = str(row["media_type"])
    etag = str(row["sha256"])
    if row.get("encoding") == "gzip":
        # The file *is* a gzip file: sent as one, so that the saved bytes are the published ones.
        content_type = "application/gzip"
    else:
        content_type = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    response = Response(content_type=content_type)
    if row.get("encoding") is None:
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"] > 0:
            data = _gzipped(str(path), etag)
            response.headers["Content-Encoding"] = "gzip"
            etag = f"{etag}-gzip"  # another representation, another strong validator
    response.set_data(data)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if cache:
        response.headers["Cache-Control"] = cache
    response.set_etag(etag)
    response.last_modified = release_time(release)
    allow_cross_origin(response)
    response.make_conditional(request, accept_ranges=True, complete_length=len(data))  # 304 / 206 in place
    return response


@lru_cache(maxsize=8)
def _gzipped(path: str, sha256: str) -> bytes:
    """A dump compressed for the wire (cached per file and content; mtime 0 keeps it byte-stable)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


@bp.route("/dataset")
@bp.route("/dataset/<path:part>")
def dataset(part: str | None = None) -> Response:
    """The dataset and its linksets are things: 303 to the VoID document that describes them."""
    fmt, _ = choose()
    return see_other("/.well-known/void" if fmt.extension == "html" else f"/.well-known/void.{fmt.extension}")


@bp.route("/.well-known/void", defaults={"extension": None})
@bp.route("/.well-known/void.<extension>")
def void(extension: str | None) -> Response:
    """The VoID + DCAT description: dumps, endpoint, examples, Wikidata linksets (content-negotiated)."""
    base = base_iri()
    path, canonical = "/.well-known/void", f"{base}.well-known/void"
    return _graph_document("void", path, canonical, ("void.html", "void", void_view), extension)


@bp.route("/validation-report", defaults={"extension": None})
@bp.route("/validation-report.<extension>")
def validation_report(extension: str | None) -> Response:
    """The SHACL validation report of the published build, so anyone can check the data's quality."""
    base = base_iri()
    path, canonical = "/validation-report", f"{base}graph/validation-report"
    return _graph_document(
        "validation-report", path, canonical, ("validation.html", "report", report_view), extension
    )


def _graph_document(
    graph: str, path: str, canonical: str, page: tuple[str, str, Callable[..., Any]], extension: str | None
) -> Response:
    """One named graph of the release as a negotiated document: RDF as is, or its HTML page.

    ``page`` is (template, the name the template knows the view by, the function that builds the view).
    """
    base = base_iri()
    fmt, negotiated = choose(extension=extension)
    triples = _triples(f"{base}graph/{graph}")
    if fmt.extension != "html":
        return respond(
            serialise(triples, fmt, base), fmt, path=path, canonical=canonical, negotiated=negotiated
        )
    data = descriptions.as_graph(triples, base)
    links = language(base)
    template, name, build_view = page
    html = render_template(
        template,
        **{name: build_view(data, links)},
        lang=links.lang,
        path=path,
        canonical=canonical,
        formats=RDF_FORMATS,
    )
    return respond(html, fmt, path=path, canonical=canonical, negotiated=negotiated, lang=links.lang)


def _triples(iri: str) -> frozenset[ox.Triple]:
    triples = descriptions.named_graph(get_store(), iri)
    if not triples:
        raise NotFound(f"The build holds no graph {iri}.")
    return triples


def schema_org_dataset(graph: Graph, base: str) -> Markup:
    """The dataset as schema.org ``Dataset`` JSON-LD, for the dataset page's head (what dataset search engines read)."""
    ds = URIRef(f"{base}dataset")

    def texts(node: Any, prop: URIRef, lang: str = "en") -> list[str]:
        return sorted(
            str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang
        )

    publisher = graph.value(ds, DCTERMS.publisher)
    temporal = graph.value(ds, DCTERMS.temporal)
    distributions = []
    for dist in sorted(graph.objects(ds, DCAT.distribution), key=str):
        media = str(graph.value(dist, DCAT.mediaType) or "").rsplit("media-types/", 1)[-1]
        distributions.append({"@type": "DataDownload", "contentUrl": str(dist), "encodingFormat": media})
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(ds),
        "url": str(ds),
        "name": (texts(ds, DCTERMS.title) or ["tradelod"])[0],
        "description": (texts(ds, DCTERMS.description) or [""])[0],
        "license": str(graph.value(ds, DCTERMS.license) or ""),
        "version": str(graph.value(ds, OWL.versionInfo) or ""),
        "dateModified": str(graph.value(ds, DCTERMS.modified) or ""),
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "keywords": sorted(str(k) for k in graph.objects(ds, DCAT.keyword)),
        "creator": {"@type": "Organization", "name": (texts(publisher, FOAF.name) or ["tradelod"])[0]},
        "publisher": {"@type": "Organization", "name": (texts(publisher, FOAF.name) or ["tradelod"])[0]},
        "spatialCoverage": [
            {
                "@type": "Place",
                "@id": str(graph.value(p, RDFS.seeAlso) or p),
                "name": (texts(p, SKOS.prefLabel) or [str(p)])[0],
            }
            for p in sorted(graph.objects(ds, DCTERMS.spatial), key=str)
        ],
        "distribution": distributions,
    }
    if temporal is not None:
        document["temporalCoverage"] = (
            f"{graph.value(temporal, DCAT.startDate)}/{graph.value(temporal, DCAT.endDate)}"
        )
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    # a JSON string cannot end the script element: "<" is written as its escape, "\u003c"
    return Markup(text.replace("<", "\\u003c"))


def void_view(graph: Graph, links: Links) -> dict[str, Any]:
    """What the dataset page shows, read from the VoID graph."""
    ds = URIRef(f"{links.base}dataset")
    lang = links.lang

    def text(node: Any, prop: URIRef) -> str | None:
        found = pick([o for o in graph.objects(node, prop) if isinstance(o, Literal)], lang)
        return str(found) if found is not None else None

    distributions = []
    for dist in sorted(graph.objects(ds, DCAT.distribution), key=str):
        checksum = graph.value(dist, SPDX.checksum)
        distributions.append(
            {
                "href": links.href(str(dist)),
                "name": str(dist).rsplit("/", 1)[-1],
                "title": text(dist, DCTERMS.title),
                "bytes": str(graph.value(dist, DCAT.byteSize) or ""),
                "triples": str(graph.value(dist, VOID.triples) or ""),
                "media_type": str(graph.value(dist, DCAT.mediaType) or "").rsplit("media-types/", 1)[-1],
                "sha256": str(graph.value(checksum, SPDX.checksumValue) or "")
                if checksum is not None
                else "",
            }
        )
    store = get_store()
    examples = sorted(str(o) for o in graph.objects(ds, VOID.exampleResource))
    labels = descriptions.as_graph(descriptions.labels_of(store, examples), links.base)
    return {
        "schema_org": schema_org_dataset(graph, links.base),
        "title": text(ds, DCTERMS.title),
        "description": text(ds, DCTERMS.description),
        "version": str(graph.value(ds, OWL.versionInfo) or ""),
        "modified": str(graph.value(ds, DCTERMS.modified) or ""),
        "license": str(graph.value(ds, DCTERMS.license) or ""),
        "statistics": [
            (curie(graph, str(p)), str(graph.value(ds, p)))
            for p in (
                VOID.triples,
                VOID.entities,
                VOID.classes,
                VOID.properties,
                VOID.distinctSubjects,
                VOID.distinctObjects,
            )
            if graph.value(ds, p) is not None
        ],
        "endpoint": links.href(str(graph.value(ds, VOID.sparqlEndpoint) or "")),
        "distributions": distributions,
        "examples": [{"href": links.href(e), "label": label(labels, URIRef(e), lang) or e} for e in examples],
        "linksets": [
            {
                "label": text(s, RDFS.label),
                "predicate": curie(graph, str(graph.value(s, VOID.linkPredicate))),
                "triples": str(graph.value(s, VOID.triples) or ""),
                "iri": str(s),
            }
            for s in sorted(graph.objects(ds, VOID.subset), key=str)
        ],
        "vocabularies": sorted(str(v) for v in graph.objects(ds, VOID.vocabulary)),
        "classes": sorted(
            (
                (
                    curie(graph, str(graph.value(p, VOID["class"]))),
                    int(str(graph.value(p, VOID.entities) or 0)),
                )
                for p in graph.objects(ds, VOID.classPartition)
            ),
            key=lambda c: (-c[1], c[0]),
        ),
    }


def report_view(graph: Graph, links: Links) -> dict[str, Any]:
    """What the validation report page shows: conforms or not, and each result."""
    report = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None)
    results = []
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        focus = graph.value(result, SH.focusNode)
        shape = graph.value(result, SH.sourceShape)
        results.append(
            {
                "focus": str(focus),
                "focus_href": links.href(str(focus)) if isinstance(focus, URIRef) else None,
                "path": curie(graph, str(graph.value(result, SH.resultPath) or "")),
                "message": str(graph.value(result, SH.resultMessage) or ""),
                "severity": str(graph.value(result, SH.resultSeverity) or "").rsplit("#", 1)[-1],
                "shape": str(shape) if isinstance(shape, URIRef) else "",
                "shape_href": links.href(str(shape)) if isinstance(shape, URIRef) else None,
            }
        )
    conforms = graph.value(report, SH.conforms) if report is not None else None
    return {
        "conforms": isinstance(conforms, Literal) and conforms.toPython() is True,
        "results": sorted(results, key=lambda r: (r["focus"], r["path"], r["message"])),
    }
