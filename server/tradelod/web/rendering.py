"""HTML rendering helpers: IRIs to local links, labels by language, numbers, terms as view objects.

Pages are written for the host that serves them: an IRI under the canonical base becomes a
host-relative path (``https://w3id.org/tradelod/id/place/chongqing`` -> ``/id/place/chongqing``),
so the links work on ``http://127.0.0.1:PORT`` as well as on w3id.org, while RDF documents keep the
canonical IRIs. Only http, https and mailto IRIs ever become live links: anything else (a
``javascript:`` or ``data:`` IRI in the data) is shown as text. Escaping itself is Jinja's
autoescape; nothing here builds markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from . import formatting

LANGUAGES = ("en", "fr")

#: Schemes that may become a live link; everything else is rendered as text.
LINK_SCHEMES = ("http", "https", "mailto")

#: Names of the standard properties the ontology uses but does not define (so has no label for).
STANDARD_LABELS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("type", "type"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", "libellé"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("comment", "commentaire"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("see also", "voir aussi"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("defined by", "défini par"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("preferred label", "libellé préféré"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("other label", "autre libellé"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definition", "définition"),
    "http://www.w3.org/2004/02/skos/core#scopeNote": ("scope note", "note d'application"),
    "http://www.w3.org/2004/02/skos/core#notation": ("notation", "notation"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("in scheme", "dans le schéma"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": ("top concept", "concept de tête"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("top concept of", "concept de tête de"),
    "http://www.w3.org/2004/02/skos/core#broader": ("broader", "plus général"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("narrower", "plus spécifique"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("exact match", "correspondance exacte"),
    "http://www.w3.org/2002/07/owl#sameAs": ("same as", "identique à"),
    "http://www.w3.org/ns/oa#exact": ("exact text", "texte exact"),
    "http://www.w3.org/ns/oa#start": ("start offset", "position de début"),
    "http://www.w3.org/ns/oa#end": ("end offset", "position de fin"),
    "http://www.w3.org/ns/oa#hasSource": ("source", "source"),
    "http://www.w3.org/ns/oa#hasSelector": ("selector", "sélecteur"),
    "https://schema.org/headline": ("headline", "titre"),
    "https://schema.org/datePublished": ("date published", "date de publication"),
    "https://schema.org/publisher": ("publisher", "éditeur"),
    "https://schema.org/author": ("author", "auteur"),
    "https://schema.org/url": ("URL", "URL"),
    "https://schema.org/inLanguage": ("language", "langue"),
    "https://schema.org/mentions": ("mentions", "mentionne"),
    "http://purl.org/dc/terms/title": ("title", "titre"),
    "http://purl.org/dc/terms/description": ("description", "description"),
    "http://rdfs.org/ns/void#inDataset": ("in dataset", "dans le jeu de données"),
    "http://xmlns.com/foaf/0.1/primaryTopic": ("primary topic", "sujet principal"),
    "http://xmlns.com/foaf/0.1/isPrimaryTopicOf": ("described in", "décrit dans"),
}


@dataclass(frozen=True)
class TermView:
    """One RDF term ready for a template: its text, its link (or None), language and full IRI."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    kind: str = "iri"  # "iri", "literal" or "bnode"


@dataclass
class Links:
    """How one page writes links: the canonical base, and the chosen language if it was forced."""

    base: str
    lang: str = "en"
    sticky_lang: bool = False  # carry ?lang= on local links (the reader picked the language)

    def href(self, iri: str) -> str | None:
        """The link to write for an IRI: host-relative under the base, as is if http(s)/mailto, else None."""
        return local_href(iri, self.base, self.lang if self.sticky_lang else None)


def local_href(iri: str, base: str, lang: str | None = None) -> str | None:
    """Map an IRI to a safe link: host-relative under ``base`` (keeping ``lang``); other http(s)/mailto kept; else None."""
    if iri.startswith(base):
        return with_language(f"/{iri[len(base) :]}", lang)
    return iri if is_linkable(iri) else None


#: Local paths that are files, not pages: a language parameter means nothing to them.
_FILE_PREFIXES = ("/dumps/", "/releases/", "/articles/", "/static/", "/context.jsonld")


def with_language(path: str, lang: str | None) -> str:
    """A local path with ``lang=`` added (before any fragment); files, documents and foreign URLs unchanged."""
    if not lang or not path.startswith("/") or path.startswith("//") or path.startswith(_FILE_PREFIXES):
        return path
    path, hashmark, fragment = path.partition("#")
    last = path.split("?", 1)[0].rsplit("/", 1)[-1]
    if "lang=" in path or re.search(r"\.(ttl|jsonld|rdf|nt|nq|gz|txt|json|csv|tsv)$", last):
        return f"{path}{hashmark}{fragment}"
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}lang={lang}{hashmark}{fragment}"


def is_linkable(iri: str) -> bool:
    """True when an IRI may become a live link (http, https or mailto, with something after it)."""
    try:
        parts = urlsplit(iri.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in LINK_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme.lower() != "mailto" else bool(parts.path)


def page_language(requested: str | None, accept_language: str | None, best: str | None) -> tuple[str, bool]:
    """The page language: ``?lang=`` if valid (sticky), else the Accept-Language match, else English."""
    if requested in LANGUAGES:
        return str(requested), True
    if accept_language and best in LANGUAGES:
        return str(best), False
    return "en", False


def pick(literals: list[Literal], lang: str) -> Literal | None:
    """The literal in ``lang``, else in the other page language, else untagged, else any (stable order)."""
    if not literals:
        return None
    order = [lang, *(other for other in LANGUAGES if other != lang), None]
    for wanted in order:
        found = sorted(str(lit) for lit in literals if (lit.language or None) == wanted)
        if found:
            return next(lit for lit in literals if str(lit) == found[0] and (lit.language or None) == wanted)
    return sorted(literals, key=str)[0]


def label(graph: Graph, node: Node, lang: str) -> str | None:
    """The best rdfs:label (else skos:prefLabel) of a node in the graph for the page language."""
    for prop in (RDFS.label, SKOS.prefLabel):
        found = pick([o for o in graph.objects(node, prop) if isinstance(o, Literal)], lang)
        if found is not None:
            return str(found)
    if isinstance(node, URIRef) and str(node) in STANDARD_LABELS:
        english, french = STANDARD_LABELS[str(node)]
        return french if lang == "fr" else english
    return None


def curie(graph: Graph, iri: str) -> str:
    """A compact name for an IRI (``tlo:value``) using the graph's prefixes, else the IRI itself."""
    try:
        prefix, _namespace, local = graph.namespace_manager.compute_qname(iri, generate=False)
    except (KeyError, ValueError):
        return iri
    return f"{prefix}:{local}" if prefix else iri


def term_view(graph: Graph, node: Node, links: Links) -> TermView:
    """Turn a term into a TermView: IRIs get their label and a safe link, literals their language."""
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        text = format_literal(node, links.lang)
        return TermView(text, lang=node.language, datatype=datatype, kind="literal")
    if isinstance(node, BNode):
        return TermView(f"_:{node}", kind="bnode")
    iri = str(node)
    text = label(graph, node, links.lang) or curie(graph, iri)
    return TermView(text, href=links.href(iri), iri=iri)


def format_literal(literal: Literal, lang: str) -> str:
    """A literal's text for people: numbers grouped for the locale, dates written out, anything else as is."""
    if literal.datatype is not None:
        datatype = str(literal.datatype)
        if datatype.endswith(("#decimal", "#integer", "#nonNegativeInteger", "#double", "#float")):
            value = formatting.as_decimal(str(literal))
            return formatting.number(value, lang) if value is not None else str(literal)
        if datatype.endswith(("#date", "#dateTime", "#gYearMonth")):
            return formatting.calendar(str(literal), datatype, lang) or str(literal)
    return str(literal)


def fold(text: str) -> str:
    """Fold a string for matching: no accents, no case, one kind of apostrophe and dash, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(bare.casefold().split())


#: A pyLODE term block: its element id, then the full IRI it documents.
_PYLODE_TERM = re.compile(
    r'<div class="[^"]*\bentity\b[^"]*" id="(?P<id>[^"]+)">\s*<h3>.*?</h3>\s*<table>\s*(?:<tbody>\s*)?<tr>\s*<th>IRI</th>'
    r"\s*<td>\s*<code>(?P<iri>[^<]+)</code>",
    re.DOTALL,
)


def pylode_page(html: str, base: str) -> str:
    """Make pyLODE's page answer our term IRIs: ``#Term`` anchors equal to the IRIs' fragments, local links.

    pyLODE derives element ids from labels (``#city`` for tlo:City, while ``#City`` lands on
    schema:City), so ``/ontology#City`` would not reach its term. Each term block is re-identified by
    the fragment of the IRI it documents; other blocks keep their id unless it clashes; internal
    ``href="#…"`` follow; and links under the base become host-relative so they work on any host.
    """
    namespace = f"{base}ontology#"
    blocks = list(_PYLODE_TERM.finditer(html))
    taken = {m["iri"].strip()[len(namespace) :] for m in blocks if m["iri"].strip().startswith(namespace)}
    used: set[str] = set()
    links: dict[str, str] = {}  # old id -> new id, for internal links (our term wins a shared old id)
    pieces, last = [], 0
    for match in blocks:
        iri, old = match["iri"].strip(), match["id"]
        ours = iri.startswith(namespace)
        new = iri[len(namespace) :] if ours else (f"ext-{old}" if old in taken else old)
        while new in used:
            new += "-"
        used.add(new)
        if ours or old not in links:
            links[old] = new
        pieces += [html[last : match.start("id")], new]
        last = match.end("id")
    html = "".join([*pieces, html[last:]])
    html = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{links.get(m[1], m[1])}"', html)
    return html.replace(f'href="{base}', 'href="/')


@dataclass(frozen=True)
class PylodeDoc:
    """pyLODE's page cut for the site's layout: its title, its content, its table of contents."""

    title: str
    body: str
    toc: str


def pylode_parts(html: str) -> PylodeDoc:
    """Take pyLODE's content and contents out of its page (its own styles, badge and title stay out).

    pyLODE writes ``<div id="content">`` (with an ``<h1>`` joining every language's title), then its
    rotated badge ``<div id="pylode">`` and its ``<div id="toc">``; the site's page gives one title in
    the page language, and its own header, footer and styles.
    """
    content = html.find('<div id="content">')
    badge = html.find('<div id="pylode">')
    toc = html.find('<div id="toc">')
    end = html.rfind("</body>")
    if min(content, badge, toc, end) < 0:
        return PylodeDoc("", html, "")
    body = html[content + len('<div id="content">') : badge].strip()
    body = body[: body.rfind("</div>")] if body.endswith("</div>") else body
    title_match = re.search(r"<h1>(.*?)</h1>", body, re.DOTALL)
    body = re.sub(r"<h1>.*?</h1>", "", body, count=1, flags=re.DOTALL)
    contents = html[toc + len('<div id="toc">') : end].strip()
    contents = contents[: contents.rfind("</div>")] if contents.endswith("</div>") else contents
    contents = re.sub(r"<h3>\s*Table of Contents\s*</h3>", "", contents)
    return PylodeDoc(title_match[1].strip() if title_match else "", body, contents)
