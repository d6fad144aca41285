"""Dereferenceable IRIs: what a description holds, the headers every document carries, 304s, HEAD,
CORS, the ontology and shapes documents, named graphs, the JSON-LD context and the article texts.

Expected values come from the real data (data/*.ttl) and from the build's own dumps.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, OWL, RDF, RDFS, VOID, XSD

from support.project import sources_of
from support.rdfparse import normalised, parse_rdf
from tradelod.graph.sources import source_files
from tradelod.store.embedded import OxigraphStore
from tradelod.web.describe import describe, document_iri, exists

BASE = "https://w3id.org/tradelod/"
TL = Namespace(f"{BASE}id/")
TLO = Namespace(f"{BASE}ontology#")
ROOT = Path(__file__).resolve().parents[2]
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
TURNOVER = TL["observation/003-kz-cn-turnover-2024"]
QUOTE = TL["quote/003-07"]
SENTENCE = (
    "En 2024, le chiffre d'affaires bilatéral a atteint 43,8 milliards de dollars, soit une augmentation "
    "de 9,2 pour cent par rapport à l'année précédente."
)


@pytest.fixture()
def store(build_dir: Path) -> OxigraphStore:
    """The current release's store, opened read-only."""
    return OxigraphStore.open(build_dir / "current")


def turtle(client: FlaskClient, path: str) -> Graph:
    """GET a document as Turtle and parse it."""
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.data
    return parse_rdf(response.data, "text/turtle")


# --- descriptions --------------------------------------------------------------------------------


def test_description_of_a_figure_answers_what_and_where_from(store: OxigraphStore) -> None:
    graph = describe(store, str(TURNOVER), BASE).graph(BASE)
    # its own triples
    assert set(graph.objects(TURNOVER, TLO.value)) == {Literal("43800000000", datatype=XSD.decimal)}
    assert set(graph.objects(TURNOVER, TLO.unit)) == {TL["unit/usd"]}
    assert set(graph.objects(TURNOVER, TLO.refPeriod)) == {TL["period/2024"]}
    # the level, and the qb:Observation that the statistical cube writes out from the ontology's axiom
    assert set(graph.objects(TURNOVER, RDF.type)) == {
        TLO.LevelObservation,
        URIRef("http://purl.org/linked-data/cube#Observation"),
    }
    # incoming links: the growth figure that is the growth of this level
    assert (TL["observation/003-kz-cn-turnover-growth-2024"], TLO.growthOf, TURNOVER) in graph
    # provenance: the quote, its selectors with the exact sentence and offsets, the article and its label
    assert (TURNOVER, TLO.sourceQuote, QUOTE) in graph
    assert (URIRef(f"{QUOTE}#exact"), OA.exact, Literal(SENTENCE)) in graph
    assert (URIRef(f"{QUOTE}#position"), OA.start, Literal(1017)) in graph
    assert (URIRef(f"{QUOTE}#position"), OA.end, Literal(1167)) in graph
    assert (QUOTE, OA.hasSource, TL["article/003"]) in graph
    assert (
        TL["article/003"],
        RDFS.label,
        Literal("Kazakhstan and China commit to doubling their trade by 2030", lang="en"),
    ) in graph
    # labels and types of what it mentions
    assert set(graph.objects(TL["unit/usd"], RDFS.label)) == {
        Literal("US dollar", lang="en"),
        Literal("dollar américain", lang="fr"),
    }
    assert (TL["period/2024"], RDF.type, TLO.Period) in graph
    assert (TLO.LevelObservation, RDFS.label, Literal("level observation", lang="en")) in graph
    # the dataset, the document and the thing
    doc = URIRef(f"{BASE}doc/observation/003-kz-cn-turnover-2024")
    assert (doc, VOID.inDataset, URIRef(f"{BASE}dataset")) in graph
    assert (TURNOVER, VOID.inDataset, URIRef(f"{BASE}dataset")) in graph
    assert (doc, FOAF.primaryTopic, TURNOVER) in graph
    assert (TURNOVER, FOAF.isPrimaryTopicOf, doc) in graph


def test_description_of_a_quote_includes_its_hash_parts(store: OxigraphStore) -> None:
    graph = describe(store, str(QUOTE), BASE).graph(BASE)
    assert set(graph.objects(QUOTE, OA.hasSelector)) == {
        URIRef(f"{QUOTE}#exact"),
        URIRef(f"{QUOTE}#position"),
    }
    assert (URIRef(f"{QUOTE}#exact"), RDF.type, OA.TextQuoteSelector) in graph
    assert (URIRef(f"{QUOTE}#position"), RDF.type, OA.TextPositionSelector) in graph
    # the facts that cite it point at it
    assert (TURNOVER, TLO.sourceQuote, QUOTE) in graph


def test_description_of_a_place_has_wikidata_and_incoming_links(store: OxigraphStore) -> None:
    chongqing = TL["place/chongqing"]
    graph = describe(store, str(chongqing), BASE).graph(BASE)
    assert set(graph.objects(chongqing, RDFS.label)) == {
        Literal("Chongqing", lang="fr"),
        Literal("Chongqing", lang="en"),
    }
    assert set(graph.objects(chongqing, OWL.sameAs)) == {WD.Q11725}
    assert (chongqing, TLO.locatedIn, TL["place/china"]) in graph
    assert (TL["place/wulong-district"], TLO.locatedIn, chongqing) in graph
    assert (TL["place/china"], RDFS.label, Literal("Chine", lang="fr")) in graph


def test_exists_and_document_iri(store: OxigraphStore) -> None:
    assert exists(store, str(TURNOVER))
    assert not exists(store, f"{BASE}id/place/atlantis")
    assert not exists(store, "not an iri")
    assert document_iri(f"{QUOTE}#exact", BASE) == f"{BASE}doc/quote/003-07"
    assert document_iri(f"{BASE}ontology#City", BASE) == f"{BASE}ontology"


def test_served_description_is_the_same_graph_in_every_format(
    client: FlaskClient, store: OxigraphStore
) -> None:
    expected = describe(store, str(TURNOVER), BASE).graph(BASE)
    for extension, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
    ):
        response = client.get(f"/doc/observation/003-kz-cn-turnover-2024.{extension}")
        assert response.status_code == 200
        assert isomorphic(normalised(parse_rdf(response.data, media_type)), normalised(expected)), extension


def test_jsonld_uses_the_published_context(client: FlaskClient, build_dir: Path) -> None:
    published = json.loads((build_dir / "current" / "context.jsonld").read_text(encoding="utf-8"))
    document = json.loads(client.get("/doc/place/chongqing.jsonld").data)
    assert document["@context"] == published["@context"]
    node = next(n for n in document["@graph"] if n["@id"] == f"{BASE}id/place/chongqing")
    assert node["@type"] == "tlo:City"
    assert node["label"] == {"en": "Chongqing", "fr": "Chongqing"}
    assert node["locatedIn"] == f"{BASE}id/place/china"
    served = client.get("/context.jsonld")
    assert served.status_code == 200
    assert served.mimetype == "application/ld+json"
    assert json.loads(served.data) == published
    assert served.headers["Access-Control-Allow-Origin"] == "*"


def test_data_keeps_canonical_iris_whatever_the_host(client: FlaskClient) -> None:
    response = client.get("/doc/place/chongqing.nt", base_url="http://127.0.0.1:8123")
    text = response.data.decode()
    assert "<https://w3id.org/tradelod/id/place/chongqing>" in text
    assert "127.0.0.1" not in text
    page = client.get(
        "/doc/place/chongqing", base_url="http://127.0.0.1:8123", headers={"Accept": "text/html"}
    ).data.decode()
    assert 'href="/id/place/china"' in page
    assert 'href="https://w3id.org/tradelod/id/' not in page


def test_base_iri_is_one_setting(build_dir: Path) -> None:
    # Another canonical base: the same paths answer for IRIs under it (none here, as the data is built
    # under the default base), which shows that nothing else hard-codes the host.
    from tradelod.app import create_app

    other = create_app({"TESTING": True, "BUILD_DIR": str(build_dir), "BASE_IRI": "https://example.org/x/"})
    assert (
        other.test_client().get("/id/place/chongqing", headers={"Accept": "text/turtle"}).status_code == 404
    )


# --- 303, headers, HEAD, conditional requests, CORS ------------------------------------------------


def test_thing_303_keeps_chosen_language(client: FlaskClient) -> None:
    response = client.get("/id/place/beijing?lang=fr", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/doc/place/beijing?lang=fr"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_hash_iri_is_described_in_its_parent_document(client: FlaskClient) -> None:
    response = client.get("/id/quote/003-07", headers={"Accept": "text/html"})
    assert response.headers["Location"] == "/doc/quote/003-07"
    page = client.get("/doc/quote/003-07", headers={"Accept": "text/html"}).data.decode()
    assert '<section id="exact" class="part">' in page
    assert '<section id="position" class="part">' in page
    assert SENTENCE.replace("'", "&#39;") in page


def test_document_headers(client: FlaskClient, build_dir: Path) -> None:
    response = client.get("/doc/place/chongqing", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Content-Location"] == "/doc/place/chongqing.ttl"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers["Link"] == (
        '</doc/place/chongqing.html>; rel="alternate"; type="text/html", '
        '</doc/place/chongqing.jsonld>; rel="alternate"; type="application/ld+json", '
        '</doc/place/chongqing.rdf>; rel="alternate"; type="application/rdf+xml", '
        '</doc/place/chongqing.nt>; rel="alternate"; type="application/n-triples", '
        '<https://w3id.org/tradelod/doc/place/chongqing>; rel="canonical"'
    )
    released = int((build_dir / "current" / "manifest.json").stat().st_mtime)
    assert int(parsedate_to_datetime(response.headers["Last-Modified"]).timestamp()) == released
    assert response.headers["ETag"].startswith('"') and len(response.headers["ETag"]) == 34


def test_html_document_headers_and_canonical_link(client: FlaskClient) -> None:
    response = client.get("/doc/place/chongqing", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Location"] == "/doc/place/chongqing.html"
    assert (
        '</doc/place/chongqing.html?lang=en>; rel="alternate"; type="text/html"; hreflang="en"'
        in (response.headers["Link"])
    )
    page = response.data.decode()
    assert '<link rel="canonical" href="https://w3id.org/tradelod/doc/place/chongqing">' in page
    assert '<link rel="alternate" type="text/turtle" href="/doc/place/chongqing.ttl">' in page


@pytest.mark.parametrize(
    "path",
    [
        "/doc/place/chongqing",
        "/doc/place/chongqing.jsonld",
        "/ontology",
        "/shapes.ttl",
        "/.well-known/void",
        "/validation-report.nt",
    ],
)
def test_conditional_requests_get_304(client: FlaskClient, path: str) -> None:
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.data == first.data


def test_etag_differs_per_format(client: FlaskClient) -> None:
    tags = {
        client.get(f"/doc/place/chongqing.{ext}").headers["ETag"] for ext in ("ttl", "nt", "jsonld", "rdf")
    }
    assert len(tags) == 4


@pytest.mark.parametrize(
    "path",
    [
        "/id/place/chongqing",
        "/doc/place/chongqing",
        "/doc/place/chongqing.ttl",
        "/ontology",
        "/shapes",
        "/",
        "/browse",
        "/search?q=chongqing",
        "/dumps/",
        "/.well-known/void",
        "/validation-report",
        "/context.jsonld",
        "/articles/003_520c4fb320e979bc.txt",
        "/dumps/tradelod-0.1.0.ttl",
    ],
)
def test_head_works_everywhere(client: FlaskClient, path: str) -> None:
    get = client.get(path, headers={"Accept": "text/turtle, text/html;q=0.5"})
    head = client.head(path, headers={"Accept": "text/turtle, text/html;q=0.5"})
    assert head.status_code == get.status_code
    assert head.data == b""
    assert head.headers.get("Content-Type") == get.headers.get("Content-Type")
    assert head.headers.get("Location") == get.headers.get("Location")


def test_head_on_unknown_is_404(client: FlaskClient) -> None:
    assert client.head("/id/place/atlantis").status_code == 404


# --- ontology, shapes, graphs, articles ----------------------------------------------------------


def test_ontology_rdf_is_the_published_ontology(client: FlaskClient, build_dir: Path) -> None:
    dump = Graph().parse(build_dir / "current" / "dumps" / "tradelod-ontology-0.1.0.ttl", format="turtle")
    served = turtle(client, "/ontology")
    assert isomorphic(normalised(served), normalised(dump))
    assert (TLO.City, RDFS.label, Literal("city", lang="en")) in served
    assert (URIRef(f"{BASE}ontology"), OWL.versionInfo, Literal("0.1.0")) in served


@pytest.mark.parametrize(("path", "kind"), [("/ontology", "ontology"), ("/shapes", "shapes")])
def test_one_document_holds_every_source_file_of_its_kind(client: FlaskClient, path: str, kind: str) -> None:
    """The ontology (core, alignments, declarations) and the shapes (one file per area) are each
    served as one document at one IRI."""
    assert len([s for s in source_files(ROOT) if s.kind == kind]) >= 8
    assert isomorphic(normalised(turtle(client, path)), normalised(sources_of(kind)))


def test_ontology_term_resolves_to_its_anchor_in_the_pylode_page(client: FlaskClient) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"}).data.decode()
    for term in ("City", "Observation", "value", "sourceQuote", "TradeRelation"):
        anchor = page.index(f'id="{term}"')
        assert f"<code>https://w3id.org/tradelod/ontology#{term}</code>" in page[anchor : anchor + 600], term
    documentation = page[page.index('<div class="pylode">') :]
    assert 'href="https://w3id.org/tradelod/' not in documentation  # links work on this host
    assert 'href="/ontology"' in documentation
    # one site: the ontology page has the site's header, language switch and footer, and one title
    assert '<header class="site">' in page and '<footer class="site">' in page
    assert "<h1>tradelod ontology</h1>" in page and page.count("<h1>") == 1
    assert "<style" not in page


def test_ontology_version_iri_redirects(client: FlaskClient) -> None:
    response = client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/ontology.ttl"
    assert client.get("/ontology/9.9.9").status_code == 404


def test_shapes_rdf_is_the_published_shapes(client: FlaskClient, build_dir: Path) -> None:
    dump = Graph().parse(build_dir / "current" / "dumps" / "tradelod-shapes-0.1.0.ttl", format="turtle")
    assert isomorphic(normalised(turtle(client, "/shapes")), normalised(dump))


def test_named_graph_of_a_source_file(client: FlaskClient, build_dir: Path) -> None:
    graph = turtle(client, "/graph/data/links/wikidata")
    assert (TL["place/chongqing"], OWL.sameAs, WD.Q11725) in graph
    assert set(graph.predicates()) <= {OWL.sameAs, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")}
    assert client.get("/graph/data/nothing", headers={"Accept": "text/turtle"}).status_code == 404
    page = client.get("/graph/data/links/wikidata", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="http://www.wikidata.org/entity/Q11725"' in page.data.decode()


def test_article_text_is_served_as_utf8_plain_text(client: FlaskClient) -> None:
    response = client.get("/articles/003_520c4fb320e979bc.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.data.decode("utf-8")
    assert text[1017:1167] == SENTENCE
    assert client.get("/articles/README.md").status_code == 404
    assert client.get("/articles/../manifest.json").status_code == 404


def test_article_description_links_its_text(client: FlaskClient) -> None:
    graph = turtle(client, "/doc/article/003")
    assert (TL["article/003"], TLO.textCopy, URIRef(f"{BASE}articles/003_520c4fb320e979bc.txt")) in graph
    assert (TL["article/003"], RDF.type, SCHEMA.NewsArticle) in graph


def test_no_stack_trace_on_a_broken_request(client: FlaskClient, app: Flask) -> None:
    response = client.get("/doc/place/%3Cscript%3E", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Traceback" not in response.data.decode()
