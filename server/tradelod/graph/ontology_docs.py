"""Generated documentation: the ontology's HTML page, made by pyLODE at build time, then sanitised.

pyLODE runs in a child process: it configures logging when imported and leaves a file open, neither of
which should leak into the build (or the test run) that calls it.

pyLODE writes labels, comments and descriptions into its page as HTML, unescaped: a label holding
markup would run in every visitor's browser (stored XSS). So its output goes through an allow-list
sanitiser (nh3, the binding of the Ammonia library): only the elements and attributes a documentation
page needs survive, no script, no event handler, no ``javascript:`` link, no inline style. pyLODE's
stylesheet (its own, not built from the ontology) is kept apart, in ``ontology.css``, so the page runs
under the site's Content-Security-Policy without inline style.
"""

from __future__ import annotations

import html as html_escape
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nh3
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

#: Where the page finds its stylesheet (served from the release by the web room).
STYLESHEET = "/docs/ontology.css"

#: Elements of pyLODE's page kept by the sanitiser (its layout: sections, tables, lists, code; no images).
_TAGS = (nh3.ALLOWED_TAGS - {"img", "map", "area"}) | {"section", "main"}
#: Attributes kept: ids and classes (anchors and styling of the terms), links, table spans.
_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang"},
}
_BODY = re.compile(r"<body[^>]*>(?P<body>.*)</body>", re.DOTALL | re.IGNORECASE)
_STYLE = re.compile(r"<style[^>]*>(?P<css>.*?)</style>", re.DOTALL | re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(?P<title>.*?)</title>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class OntologyDocs:
    """The ontology's documentation page and its stylesheet."""

    html: str
    css: str


def ontology_docs(ontology: Graph) -> OntologyDocs:
    """pyLODE's page for the ontology (OntPub profile, sorted), sanitised, with its CSS apart."""
    return sanitise(_pylode(_one_label_per_term(ontology)))


def ontology_html(ontology: Graph) -> str:
    """The sanitised documentation page alone."""
    return ontology_docs(ontology).html


def sanitise(page: str) -> OntologyDocs:
    """Keep pyLODE's stylesheet apart and only the safe markup of its body, in a page of our own."""
    css = "\n".join(m["css"].strip() for m in _STYLE.finditer(page))
    # The stylesheet is pyLODE's own text, but it is served as a file: make sure nothing in it can
    # close a style element or pull in other resources.
    css = css.replace("</", "<\\/").replace("@import", "")
    body_match = _BODY.search(page)
    body = body_match["body"] if body_match else page
    title_match = _TITLE.search(page)
    title = (
        html_escape.escape(html_escape.unescape(title_match["title"].strip())) if title_match else "Ontology"
    )
    clean = nh3.clean(
        body,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    document = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n</head>\n<body>\n{clean}\n</body>\n</html>\n'
    )
    return OntologyDocs(document, css + "\n")


def _pylode(ontology: Graph) -> str:
    """Run pyLODE on the ontology in a child process and return its page."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ontology.ttl"
        target = Path(folder) / "ontology.html"
        source.write_bytes(ontology.serialize(format="turtle", encoding="utf-8"))
        command = [
            sys.executable,
            "-m",
            "pylode",
            str(source),
            "-o",
            str(target),
            "-p",
            "ontpub",
            "-c",
            "true",
            "-s",
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        return target.read_text(encoding="utf-8")


def _one_label_per_term(ontology: Graph) -> Graph:
    """Keep the English rdfs:label and show the French one in an rdfs:comment.

    pyLODE prints every rdfs:label of a term one after the other with no separator ("cityville").
    """
    shown = Graph()
    for prefix, namespace in ontology.namespaces():
        shown.bind(prefix, namespace)
    for subject, predicate, obj in ontology:
        if predicate == RDFS.label and isinstance(obj, Literal) and obj.language == "fr":
            shown.add((subject, RDFS.comment, Literal(f"French label: « {obj} »", lang="en")))
        else:
            shown.add((subject, predicate, obj))
    return shown
