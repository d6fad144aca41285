"""pyLODE's page of an ontology whose labels and comments hold markup: the markup never survives as
markup (stored XSS through the documentation page), and the text still reads."""

from __future__ import annotations

from html.parser import HTMLParser

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from tradelod.graph.ontology_docs import STYLESHEET, ontology_docs

HOSTILE = [
    "<script>alert('label')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)">click</a>',
    "</style><script>alert(3)</script>",
    '"><svg onload=alert(4)>',
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
]


def hostile_ontology() -> Graph:
    graph = Graph()
    ns = "https://example.org/hostile#"
    ontology = URIRef("https://example.org/hostile")
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, RDFS.label, Literal("Hostile <b>ontology</b> <script>alert(0)</script>", lang="en")))
    for index, text in enumerate(HOSTILE):
        term = URIRef(f"{ns}Term{index}")
        graph.add((term, RDF.type, OWL.Class))
        graph.add((term, RDFS.label, Literal(f"Term {index} {text}", lang="en")))
        graph.add((term, RDFS.comment, Literal(f"Comment {index} {text}", lang="en")))
    return graph


class Elements(HTMLParser):
    """Every element of a page with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(page)
    return parser.found


def test_hostile_labels_and_comments_are_sanitised() -> None:
    docs = ontology_docs(hostile_ontology())
    found = elements(docs.html)
    tags = {tag for tag, _ in found}
    assert tags.isdisjoint({"script", "style", "iframe", "svg", "img", "object", "embed"})
    assert [(t, a) for t, a in found for name in a if name.startswith("on")] == []
    links = [a.get("href", "") + a.get("src", "") for _, a in found]
    assert [link for link in links if link.strip().lower().startswith("javascript:")] == []
    assert ("link", {"rel": "stylesheet", "href": STYLESHEET}) in found
    # The terms are still documented, the hostile text shown as text, not run.
    for index in range(len(HOSTILE)):
        assert f"Term {index}" in docs.html
    assert "&lt;script&gt;alert('label')&lt;/script&gt;" in docs.html
    assert "#pylode" in docs.css and "</" not in docs.css
