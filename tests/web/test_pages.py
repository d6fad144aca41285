"""Pages for people: entity pages, the home page and its SVG picture, browse, search, shapes, and
escaping of hostile data (built for real, from a throwaway project, through the same pipeline).
"""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from tradelod.app import create_app
from tradelod.graph.build import build
from tradelod.store.embedded import OxigraphStore
from tradelod.web.graphic import Edge, Node, draw, layout

BASE = "https://w3id.org/tradelod/"
ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def page(client: FlaskClient, path: str, language: str = "en") -> str:
    """GET a page as a browser would, in a language, and return its HTML."""
    response = client.get(path, headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": language})
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return response.data.decode("utf-8")


@pytest.fixture()
def store(build_dir: Path) -> OxigraphStore:
    """The current release's store."""
    return OxigraphStore.open(build_dir / "current")


# --- entity pages --------------------------------------------------------------------------------


def test_figure_page_shows_value_unit_period_and_sentence(client: FlaskClient) -> None:
    text = page(client, "/doc/observation/003-kz-cn-turnover-2024")
    assert "<h1>Kazakhstan–China bilateral turnover in 2024</h1>" in text
    assert (
        '<p class="other-label" lang="fr">chiffre d&#39;affaires bilatéral Kazakhstan–Chine en 2024</p>'
        in text
    )
    assert '<data value="43,800,000,000">43,800,000,000</data><br><small>43.8 billion</small>' in text
    assert '<a href="/id/unit/usd" title="https://w3id.org/tradelod/id/unit/usd">US dollar</a>' in text
    assert '<a href="/id/period/2024" title="https://w3id.org/tradelod/id/period/2024">2024</a>' in text
    assert (
        '<a href="/id/qualifier/exact" title="https://w3id.org/tradelod/id/qualifier/exact">exact</a>' in text
    )
    assert (
        '<blockquote lang="fr">En 2024, le chiffre d&#39;affaires bilatéral a atteint 43,8 milliards de '
        "dollars, soit une augmentation de 9,2 pour cent par rapport à l&#39;année précédente.</blockquote>"
    ) in text
    assert (
        'title="https://w3id.org/tradelod/id/article/003">Kazakhstan and China commit to doubling their'
        in text
    )
    assert '<a href="/articles/003_520c4fb320e979bc.txt#char=1017,1167">article text</a>' in text
    # properties named by their ontology labels, not IRIs
    assert 'title="https://w3id.org/tradelod/ontology#unit">unit of measure</a></th>' in text
    assert 'title="https://w3id.org/tradelod/ontology#refPeriod">reference period</a></th>' in text
    # the growth figure that points at it is listed with its own value
    assert '<data value="9.2">9.2</data>' in text
    # types, formats and the SPARQL link with the describing query
    assert 'Types: <a href="/ontology#LevelObservation"' in text
    for extension in ("html", "ttl", "jsonld", "rdf", "nt"):
        assert f'<a href="/doc/observation/003-kz-cn-turnover-2024.{extension}"' in text
    href = html.unescape(re.search(r'<a class="sparql" href="([^"]+)"', text)[1])
    assert urlsplit(href).path == "/sparql"
    assert parse_qs(urlsplit(href).query) == {
        "query": [f"DESCRIBE <{BASE}id/observation/003-kz-cn-turnover-2024>"]
    }
    assert "<script" not in text


def test_entity_page_in_french_follows_accept_language_and_switch(client: FlaskClient) -> None:
    french = page(client, "/doc/observation/003-kz-cn-turnover-2024", "fr")
    assert '<html lang="fr">' in french
    assert "<h1>chiffre d&#39;affaires bilatéral Kazakhstan–Chine en 2024</h1>" in french
    assert '<data value="43\u202f800\u202f000\u202f000">43\u202f800\u202f000\u202f000</data>' in french
    assert "<small>43,8 milliards</small>" in french
    assert 'title="https://w3id.org/tradelod/ontology#unit">unité de mesure</a></th>' in french
    assert (
        '<a href="/doc/observation/003-kz-cn-turnover-2024?lang=en" hreflang="en" lang="en">English</a>'
        in french
    )
    switched = page(client, "/doc/observation/003-kz-cn-turnover-2024?lang=en", "fr")
    assert '<html lang="en">' in switched
    assert "<h1>Kazakhstan–China bilateral turnover in 2024</h1>" in switched
    # a chosen language sticks to the local links of the page
    chosen = page(client, "/doc/place/chongqing?lang=fr", "en")
    assert '<html lang="fr">' in chosen
    assert 'href="/id/place/china?lang=fr"' in chosen


def test_place_page_has_wikidata_link_and_incoming_links(client: FlaskClient) -> None:
    text = page(client, "/doc/place/chongqing")
    assert "<h1>Chongqing</h1>" in text
    assert 'class="other-label"' not in text  # same label in both languages
    assert '<a href="http://www.wikidata.org/entity/Q11725" rel="external">wd:Q11725</a>' in text
    assert 'title="https://w3id.org/tradelod/ontology#locatedIn">located in</a></th>' in text
    incoming = text[text.index('<section class="incoming">') :]
    assert '<a href="/id/place/wulong-district"' in incoming


# --- escaping of hostile data, through a real build ----------------------------------------------

HOSTILE = """@prefix tl: <id/> .
@prefix tlo: <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<id/place/evil> a tlo:City ;
    rdfs:label "<script>alert('label')</script>"@en , "<img src=x onerror=alert(1)>"@fr ;
    owl:sameAs <javascript:alert(1)> ;
    rdfs:seeAlso <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> , <https://example.org/ok> ,
        <vbscript:msgbox(1)> ;
    tlo:locatedIn <id/place/elsewhere> .
<id/place/elsewhere> a tlo:Country ; rdfs:label "\\"><svg onload=alert(2)>"@en , "ailleurs"@fr .
"""

SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix tlo: <ontology#> .
<shapes#CityShape> a sh:NodeShape ; sh:targetClass tlo:City ;
    sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:minCount 1 ;
                  sh:message "<b>A city needs a label.</b>"@en ] .
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The app over a real build of a tiny project whose data holds markup and unsafe IRIs."""
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "shapes").mkdir()
    (project / "shapes" / "shapes.ttl").write_text(SHAPE, encoding="utf-8")
    (project / "data" / "articles").mkdir(parents=True)
    (project / "data" / "articles" / "000_00.txt").write_text(
        "<script>alert('text')</script>\n", encoding="utf-8"
    )
    (project / "data" / "evil.ttl").write_text(HOSTILE, encoding="utf-8")
    build(project, project / "build", BASE, progress=lambda _: None)
    app = create_app(
        {"TESTING": True, "ROOT": str(project), "BUILD_DIR": str(project / "build"), "BASE_IRI": BASE}
    )
    return app.test_client()


def test_markup_in_literals_renders_as_text(hostile_client: FlaskClient) -> None:
    text = page(hostile_client, "/doc/place/evil")
    assert "<script" not in text
    assert "<img" not in text
    assert "<svg onload" not in text
    assert "<h1>&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;</h1>" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&#34;&gt;&lt;svg onload=alert(2)&gt;" in text


def test_unsafe_iri_schemes_never_become_links(hostile_client: FlaskClient) -> None:
    text = page(hostile_client, "/doc/place/evil")
    hrefs = re.findall(r'href="([^"]*)"', text)
    assert not [h for h in hrefs if not (h.startswith(("/", "#", "https://", "http://", "mailto:")))], hrefs
    assert '<span class="iri">javascript:alert(1)</span>' in text
    assert '<span class="iri">data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</span>' in text
    assert '<span class="iri">vbscript:msgbox(1)</span>' in text
    assert '<a href="https://example.org/ok">https://example.org/ok</a>' in text


def test_hostile_labels_escaped_in_search_browse_home_and_shapes(hostile_client: FlaskClient) -> None:
    found = page(hostile_client, "/search?q=script")
    assert '<a href="/id/place/evil">&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;</a>' in found
    listing = page(hostile_client, "/browse/tlo:City")
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in listing
    home = page(hostile_client, "/")
    assert '<figure class="graph" data-nodes="0" data-edges="0">' in home
    assert "<script" not in home
    shapes = page(hostile_client, "/shapes")
    assert '<p class="message">&lt;b&gt;A city needs a label.&lt;/b&gt;</p>' in shapes
    text = hostile_client.get("/articles/000_00.txt")
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"  # never sniffed as HTML


# --- the home page and its picture ----------------------------------------------------------------


def test_home_page_says_what_the_dataset_is_and_counts(client: FlaskClient, build_dir: Path) -> None:
    import json

    manifest = json.loads((build_dir / "current" / "manifest.json").read_text(encoding="utf-8"))
    text = page(client, "/")
    assert "as five French news articles report them" in text
    for key in ("triples", "entities", "observations", "wikidata_links"):
        assert f'<strong data-count="{key}">{manifest[key]}</strong>' in text
    assert "<script" not in text and "://cdn" not in text


def test_home_page_key_figures(client: FlaskClient, store: OxigraphStore) -> None:
    text = page(client, "/")
    figures = text[text.index('<section class="key-figures">') : text.index('<section class="picture">')]
    assert '<a href="/id/observation/003-kz-cn-turnover-2024"' in figures
    assert '<data value="43,800,000,000">43.8 billion</data>' in figures
    assert "En 2024, le chiffre d&#39;affaires bilatéral a atteint 43,8 milliards de dollars" in figures
    # the largest amounts of money (levels in a currency, at least a million), largest first, six at most
    rows = store.select(f"""PREFIX tlo: <{BASE}ontology#>
        SELECT ?o ?v WHERE {{ ?o a tlo:LevelObservation ; tlo:value ?v ; tlo:unit/tlo:currencyCode ?c
        FILTER(?v >= 1000000) }} ORDER BY DESC(?v) ?o LIMIT 6""")
    shown = re.findall(r'<p class="fact"><a href="/id/observation/([^"]+)"', figures)
    assert shown == [row["o"].value.rsplit("/", 1)[1] for row in rows]
    assert shown[0] == "003-kz-cn-turnover-2024"


def test_home_page_svg_draws_economies_relations_and_flows(client: FlaskClient, store: OxigraphStore) -> None:
    text = page(client, "/")
    svg = ET.fromstring(text[text.index("<svg") : text.index("</svg>") + len("</svg>")])
    nodes = {g.get("data-iri") for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}
    # the expectation, asked of the store independently of the page's own query
    rows = store.select(f"""PREFIX tlo: <{BASE}ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?x WHERE {{
          {{ ?r a/rdfs:subClassOf* tlo:TradeRelation ; tlo:party ?x, ?y FILTER(?x != ?y) }}
          UNION {{ ?f a/rdfs:subClassOf* tlo:TradeFlow ; tlo:exporter ?x ; tlo:importer ?y }}
          UNION {{ ?f a/rdfs:subClassOf* tlo:TradeFlow ; tlo:exporter ?y ; tlo:importer ?x }}
          ?x a/rdfs:subClassOf* tlo:Economy . ?y a/rdfs:subClassOf* tlo:Economy }}""")
    assert nodes == {row["x"].value for row in rows}
    for expected in ("place/china", "place/kazakhstan", "place/singapore", "place/chongqing", "org/asean"):
        assert f"{BASE}id/{expected}" in nodes
    links = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    relation = links["/id/relation/kazakhstan-china"].find(f"{SVG}path")
    assert relation is not None and relation.get("class") == "edge relation"
    assert relation.find(f"{SVG}title").text == "Kazakhstan–China trade relation"
    flow = links["/id/flow/003-kz-cn-high-value-added-exports"].find(f"{SVG}path")
    assert flow is not None and flow.get("class") == "edge flow" and flow.get("marker-end") == "url(#arrow)"
    labels = [t.text for t in svg.iter(f"{SVG}text") if (t.get("class") or "").startswith("edge-label")]
    assert "Kazakhstan–China trade relation" in labels
    assert '<figure class="graph" data-nodes="' in text


def test_svg_layout_is_deterministic() -> None:
    nodes = [
        Node("c", "China", "/c"),
        Node("k", "Kazakhstan", "/k"),
        Node("s", "Singapore", "/s"),
        Node("q", "Chongqing", "/q"),
    ]
    edges = [
        Edge("r1", "c", "k", "Kazakhstan–China", "relation", "/r1"),
        Edge("r2", "c", "s", "China–Singapore", "relation", "/r2"),
        Edge("f1", "q", "s", "meat & <fish>", "flow", "/f1"),
        Edge("r3", "q", "s", "Chongqing–Singapore", "relation", None),
    ]
    assert layout(nodes, edges) == layout(list(reversed(nodes)), list(reversed(edges)))
    positions = layout(nodes, edges)
    assert positions["s"] == (480.0, 340.0)  # the most connected node in the centre
    # on the ring in label order, but China and Kazakhstan (linked to each other) side by side
    assert positions["c"] == (480.0, 70.0)
    assert positions["k"] == (784.0, 475.0)
    assert positions["q"] == (176.0, 475.0)
    svg = draw(nodes, edges, "test")
    assert str(svg) == str(draw(list(reversed(nodes)), list(reversed(edges)), "test"))
    assert "meat &amp; &lt;fish&gt;" in svg
    ET.fromstring(str(svg))  # well-formed


# --- browse and search ---------------------------------------------------------------------------


def test_browse_counts_classes_of_the_data(client: FlaskClient, store: OxigraphStore) -> None:
    text = page(client, "/browse")
    rows = store.select(
        f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s a ?class }} FILTER(STRSTARTS(STR(?g), "{BASE}graph/data/")) }} GROUP BY ?class""",
        use_default_graph_as_union=False,
    )
    counts = {row["class"].value: int(row["n"].value) for row in rows}
    city = counts[f"{BASE}ontology#City"]
    assert (
        f'<a href="/browse/tlo:City">city</a> <code>tlo:City</code></td><td class="number">{city}</td>'
        in text
    )
    assert text.count('<td class="number">') == len(counts)


def test_browse_one_class_lists_its_instances(client: FlaskClient) -> None:
    english = page(client, "/browse/tlo:City")
    assert '<li><a href="/id/place/beijing">Beijing</a></li>' in english
    assert '<li><a href="/id/place/chongqing">Chongqing</a></li>' in english
    french = page(client, "/browse/tlo:City", "fr")
    assert "<h1>ville</h1>" in french
    assert '<li><a href="/id/place/beijing">Pékin</a></li>' in french
    assert client.get("/browse/tlo:NoSuchClass").status_code == 404
    assert client.get("/browse/nope:City").status_code == 404


@pytest.mark.parametrize("query", ["pekin", "PÉKIN", "Pékin", "pe\u0301kin", "  Beijing "])
def test_search_is_accent_and_case_insensitive(client: FlaskClient, query: str) -> None:
    text = page(client, f"/search?q={query}")
    hits = re.findall(r'<li><a href="([^"]+)">', text)
    assert hits[0] == "/id/place/beijing"


def test_search_matches_every_word_in_french_and_english(client: FlaskClient) -> None:
    text = page(client, "/search?q=kazakhstan chine relation", "fr")
    hits = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', text)
    assert ("/id/relation/kazakhstan-china", "relation commerciale Kazakhstan–Chine") in hits
    english = page(client, "/search?q=chongqing")
    assert re.findall(r'<li><a href="([^"]+)">', english)[0] == "/id/place/chongqing"
    alt = page(client, "/search?q=southeast asia")  # an skos:altLabel ("Southeast Asia"@en)
    assert re.findall(r'<li><a href="([^"]+)">', alt)[0] == "/id/place/south-east-asia"


def test_search_without_match_or_query(client: FlaskClient) -> None:
    assert '<p class="no-results">No label matches.</p>' in page(client, "/search?q=zzzzqqq")
    empty = page(client, "/search")
    assert 'class="hits"' not in empty and "no-results" not in empty


# --- shapes and validation report pages ----------------------------------------------------------


def test_shapes_page_documents_every_shape(client: FlaskClient, build_dir: Path) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    shapes = Graph().parse(build_dir / "current" / "dumps" / "tradelod-shapes-0.1.0.ttl", format="turtle")
    named = {
        str(s)
        for s in shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape"))
        if isinstance(s, URIRef)
    }
    text = page(client, "/shapes")
    for iri in named:
        assert f'<section class="shape" id="{iri.rsplit("#", 1)[1]}">' in text, iri
    observation = text[text.index('id="ObservationShape"') :]
    observation = observation[: observation.index("</section>")]
    assert (
        'Targets: targetClass <a href="/ontology#Observation" title="https://w3id.org/tradelod/ontology#'
        'Observation">tlo:Observation</a>'
    ) in observation
    assert '<p class="message">An observation needs exactly one tlo:variable.</p>' in observation
    assert '<a href="/ontology#unit"><code>tlo:unit</code></a>' in observation


def test_validation_report_page(client: FlaskClient) -> None:
    text = page(client, "/validation-report")
    assert (
        '<p class="verdict conforms" data-conforms="true">The published data conforms to the shapes.</p>'
        in text
    )
    assert '<span class="total">0</span>' in text
