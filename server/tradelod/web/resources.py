"""Dereferenceable IRIs: things 303 to documents, documents in every format, ontology and shapes.

The URI scheme ("Cool URIs for the Semantic Web", 303 style for things, hash style for terms):

- ``/id/<kind>/<slug>`` names a thing; GET/HEAD answers 303 See Other to the document chosen by
  Accept: ``/doc/<kind>/<slug>`` for HTML, ``/doc/<kind>/<slug>.ttl`` (``.jsonld``, ``.rdf``,
  ``.nt``) for RDF. Hash IRIs (``/id/quote/003-07#exact``) are described in their parent's document.
- ``/doc/<kind>/<slug>`` is negotiated (with ``Content-Location``); ``/doc/<kind>/<slug>.<ext>`` is
  one format, so it can be linked and downloaded.
- ``/ontology`` and ``/shapes`` are one document each (terms are ``ontology#Term``), negotiated
  directly, with ``.ttl``/``.jsonld``/… variants; ``/graph/<name>`` is one named graph of the store.
- ``/context.jsonld`` is the published JSON-LD context; ``/articles/<file>.txt`` the article texts.

Paths map to IRIs under the one configured base (BASE_IRI), whatever host the request came to.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from tradelod.graph import writers
from tradelod.graph.dumps import jsonld_bytes, stable_jsonld
from tradelod.graph.namespaces import all_prefixes
from tradelod.http.errors import NotFound
from tradelod.http.negotiation import RDF_FORMATS, Format, by_extension
from tradelod.store.current import get_store

from . import describe as descriptions
from .charts import series_charts
from .entity_page import PartView, article_page_text, entity_page, page_context, rows_of, types_of
from .rendering import Links, PylodeDoc, page_language, pick, pylode_page, pylode_parts
from .responses import allow_cross_origin, base_iri, choose, conditional, respond, see_other
from .shapes_doc import shapes_doc

bp = Blueprint("resources", __name__)

#: An extension at the end of a document path (``/doc/place/chongqing.ttl``).
_EXTENSION = re.compile(r"^(?P<path>.+?)\.(?P<ext>[a-z]+)$")

#: The CSV a dataset of the statistical cube (``/id/cube/<slug>``) is also offered as.
CSV = Format("text/csv", "csv", "csv", "CSV")

#: Article text files as the build copies them (``003_520c4fb320e979bc.txt``).
_ARTICLE = re.compile(r"^[0-9]{3}_[0-9a-f]+\.txt$")


def split_extension(path: str) -> tuple[str, str | None]:
    """Split ``place/chongqing.ttl`` into (``place/chongqing``, ``ttl``); no extension gives None."""
    last = path.rsplit("/", 1)[-1]
    match = _EXTENSION.match(path) if "." in last else None
    return (match["path"], match["ext"]) if match else (path, None)


def language(links_base: str) -> Links:
    """The page language for this request (``?lang=``, else Accept-Language) as link settings."""
    best = request.accept_languages.best_match(["en", "fr"])
    lang, sticky = page_language(request.args.get("lang"), request.headers.get("Accept-Language"), best)
    return Links(links_base, lang, sticky)


def serialise(triples: frozenset[ox.Triple], fmt: Format, base: str) -> bytes:
    """Write triples in an RDF format; JSON-LD is compacted with the published context, inline."""
    prefixes = all_prefixes(base)
    if fmt.name == "turtle":
        return writers.turtle(triples, prefixes)
    if fmt.name == "nt":
        return writers.ntriples(triples)
    if fmt.name == "json-ld":
        context = published_context()
        if writers.has_blank_nodes(triples):  # OWL and SHACL lists: rdflib writes them as @list
            return jsonld_bytes(descriptions.as_graph(triples, base), context)
        return stable_jsonld(writers.jsonld_document(triples, context), context)
    return writers.rdf_xml(triples, prefixes)


def published_context() -> dict[str, Any]:
    """The release's JSON-LD @context (the one published at /context.jsonld)."""
    return _context(str(get_store().release))


@lru_cache(maxsize=4)
def _context(release: str) -> dict[str, Any]:
    return dict(json.loads((Path(release) / "context.jsonld").read_text(encoding="utf-8"))["@context"])


@bp.route("/id/<path:rest>")
def thing(rest: str) -> Response:
    """A thing: 303 See Other to the document about it, in the format the Accept header asks for."""
    base = base_iri()
    if not descriptions.exists(get_store(), f"{base}id/{rest}"):
        raise NotFound(f"Nothing is known as {base}id/{rest}.")
    cube = re.fullmatch(r"cube/([a-z-]+)", rest)
    fmt, _ = choose((*RDF_FORMATS, CSV) if cube else RDF_FORMATS)
    if cube and fmt.extension == "csv":  # a dataset of the statistical cube, as its CSV dump
        return see_other(f"/dumps/tradelod-{cube[1]}-{get_store().manifest().get('version')}.csv")
    target = f"/doc/{rest}" if fmt.extension == "html" else f"/doc/{rest}.{fmt.extension}"
    lang = request.args.get("lang")
    if fmt.extension == "html" and lang in ("en", "fr"):
        target += f"?lang={lang}"
    return see_other(target)


@bp.route("/doc/<path:rest>")
def document(rest: str) -> Response:
    """The document about ``{base}id/<rest>``: negotiated, or in the format its extension names."""
    base = base_iri()
    rest, extension = split_extension(rest)
    thing_iri = f"{base}id/{rest}"
    store = get_store()
    if not descriptions.exists(store, thing_iri):
        raise NotFound(f"Nothing is known as {thing_iri}.")
    fmt, negotiated = choose(extension=extension)
    description = descriptions.describe(store, thing_iri, base)
    path, canonical = f"/doc/{rest}", description.document
    if fmt.extension != "html":
        return respond(
            serialise(description.triples, fmt, base),
            fmt,
            path=path,
            canonical=canonical,
            negotiated=negotiated,
        )
    graph = description.graph(base)
    links = language(base)
    for triple in page_context(store, graph, base):
        graph.add(tuple(descriptions.to_rdflib(t) for t in triple))  # type: ignore[arg-type]
    page = entity_page(graph, thing_iri, links)
    page.charts = list(series_charts(store, thing_iri, links))
    page.text = article_page_text(store, graph, thing_iri, links)
    html = render_template(
        "entity.html",
        page=page,
        lang=links.lang,
        path=path,
        canonical=canonical,
        formats=RDF_FORMATS,
        sparql=f"DESCRIBE <{thing_iri}>",
    )
    return respond(html, fmt, path=path, canonical=canonical, negotiated=negotiated, lang=links.lang)


def _graph_document(name: str, prefix: str, extension: str | None, html: Any) -> Response:
    """A document made of named graphs (ontology, shapes): RDF from the store, HTML from ``html``."""
    base = base_iri()
    fmt, negotiated = choose(extension=extension)
    path, canonical = f"/{name}", f"{base}{name}"
    if fmt.extension == "html":
        lang = language(base).lang
        return respond(html(lang), fmt, path=path, canonical=canonical, negotiated=negotiated, lang=lang)
    triples = descriptions.graph_triples(get_store(), f"{base}graph/{prefix}")
    if not triples:
        raise NotFound(f"The build holds no {name}.")
    return respond(serialise(triples, fmt, base), fmt, path=path, canonical=canonical, negotiated=negotiated)


@bp.route("/ontology", defaults={"extension": None})
@bp.route("/ontology.<extension>")
def ontology(extension: str | None) -> Response:
    """The ontology (its terms are ``ontology#Term``): pyLODE's documentation in the site's page, or RDF."""
    release = get_store().release
    base = base_iri()

    def page(lang: str) -> str:
        doc = _pylode(str(release / "docs" / "ontology.html"), base)
        titles = get_store().select(
            f"SELECT ?t WHERE {{ <{base}ontology> <http://purl.org/dc/terms/title> ?t }}"
        )
        found = pick([descriptions.to_rdflib(row["t"]) for row in titles], lang)  # type: ignore[misc]
        title = str(found) if found is not None else doc.title
        return render_template(
            "ontology.html",
            title=title,
            body=Markup(doc.body),
            toc=Markup(doc.toc),
            lang=lang,
            path="/ontology",
            canonical=f"{base}ontology",
            formats=RDF_FORMATS,
        )

    return _graph_document("ontology", "ontology/", extension, page)


@bp.route("/docs/ontology.css")
def ontology_stylesheet() -> Response:
    """The stylesheet of the ontology's pyLODE page (kept apart from the page: no inline style)."""
    path = get_store().release / "docs" / "ontology.css"
    if not path.is_file():
        raise NotFound("This build has no stylesheet for the ontology's page.")
    data = path.read_bytes()
    return allow_cross_origin(conditional(Response(data, content_type="text/css; charset=utf-8"), data))


@lru_cache(maxsize=4)
def _pylode(path: str, base: str) -> PylodeDoc:
    return pylode_parts(pylode_page(Path(path).read_text(encoding="utf-8"), base))


@bp.route("/ontology/<version>")
def ontology_version(version: str) -> Response:
    """The version IRI of the ontology (``ontology/0.1.0``): 303 to the ontology's document."""
    current = get_store().manifest().get("version")
    if version != current:
        raise NotFound(f"This server publishes version {current} of the ontology, not {version}.")
    fmt, _ = choose()
    return see_other("/ontology" if fmt.extension == "html" else f"/ontology.{fmt.extension}")


@bp.route("/shapes", defaults={"extension": None})
@bp.route("/shapes.<extension>")
def shapes(extension: str | None) -> Response:
    """The SHACL shapes (``shapes#Shape``): a generated documentation page, or the shapes graph."""
    base = base_iri()

    def page(lang: str) -> str:
        graph = descriptions.as_graph(descriptions.graph_triples(get_store(), f"{base}graph/shapes/"), base)
        return render_template(
            "shapes.html",
            doc=shapes_doc(graph, Links(base, lang)),
            lang=lang,
            path="/shapes",
            canonical=f"{base}shapes",
            formats=RDF_FORMATS,
        )

    return _graph_document("shapes", "shapes/", extension, page)


@bp.route("/graph/<path:name>")
def named_graph(name: str) -> Response:
    """One named graph of the store (a source file, the VoID description, the validation report)."""
    base = base_iri()
    name, extension = split_extension(name)
    fmt, negotiated = choose(extension=extension)
    iri = f"{base}graph/{name}"
    triples = descriptions.named_graph(get_store(), iri)
    if not triples:
        raise NotFound(f"No graph named {iri}.")
    path = f"/graph/{name}"
    if fmt.extension != "html":
        return respond(serialise(triples, fmt, base), fmt, path=path, canonical=iri, negotiated=negotiated)
    graph = descriptions.as_graph(triples, base)
    links = language(base)
    subjects = [
        PartView(str(s), types_of(graph, s, links), rows_of(graph, s, links))
        for s in sorted(set(graph.subjects()), key=str)
    ]
    html = render_template(
        "graph.html",
        name=iri,
        subjects=subjects,
        lang=links.lang,
        path=path,
        canonical=iri,
        formats=RDF_FORMATS,
    )
    return respond(html, fmt, path=path, canonical=iri, negotiated=negotiated, lang=links.lang)


@bp.route("/context.jsonld")
def context() -> Response:
    """The published JSON-LD context."""
    fmt = by_extension(RDF_FORMATS, "jsonld")
    assert fmt is not None
    body = (get_store().release / "context.jsonld").read_bytes()
    return respond(
        body, fmt, path="/context", canonical=f"{base_iri()}context.jsonld", negotiated=False, formats=(fmt,)
    )


@bp.route("/articles/<name>")
def article_text(name: str) -> Response:
    """The text of a source article, as the quotes' offsets count it (UTF-8 plain text)."""
    if not _ARTICLE.match(name):
        raise NotFound(f"No article text named {name}.")
    path = get_store().release / "articles" / name
    if not path.is_file():
        raise NotFound(f"No article text named {name}.")
    data = path.read_bytes()
    response = Response(data, content_type="text/plain; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return allow_cross_origin(conditional(response, data))
