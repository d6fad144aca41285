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
    # the figure as people write it, then the number itself with its unit
    assert '<strong class="human">US$43.8 billion</strong>' in text
    assert '<data value="43800000000">43,800,000,000</data> <a href="/id/unit/usd"' in text
    assert '<a href="/id/unit/usd" title="https://w3id.org/tradelod/id/unit/usd">US dollar</a>' in text
    assert '<a href="/id/period/2024" title="https://w3id.org/tradelod/id/period/2024">2024</a>' in text
    assert (
        '<a href="/id/qualifier/exact" title="https://w3id.org/tradelod/id/qualifier/exact">exact</a>' in text
    )
    # the sentence, with the stated figure marked in it
    assert (
        '<blockquote lang="fr">En 2024, le chiffre d&#39;affaires bilatéral a atteint <mark class="figure">43,8 '
        "milliards de dollars</mark>, soit une augmentation de 9,2 pour cent par rapport à l&#39;année "
        "précédente.</blockquote>"
    ) in text
    assert '<a class="in-article" href="/doc/article/003?start=1017&amp;end=1167#quote">' in text
    assert (
        'title="https://w3id.org/tradelod/id/article/003">Kazakhstan and China commit to doubling their'
        in text
    )
    # properties named by their ontology labels, not IRIs
    assert 'title="https://w3id.org/tradelod/ontology#unit">unit of measure</a></dt>' in text
    assert 'title="https://w3id.org/tradelod/ontology#refPeriod">reference period</a></dt>' in text
    # the growth figure that points at it is listed with its own value
    assert '<strong class="human">9.2%</strong><br><small><data value="9.2">9.2</data>' in text
    # types, formats and the SPARQL link with the describing query
    assert '<p class="types"><a href="/ontology#LevelObservation"' in text
    for extension in ("html", "ttl", "jsonld", "rdf", "nt"):
        assert f'<a href="/doc/observation/003-kz-cn-turnover-2024.{extension}"' in text
    href = html.unescape(re.search(r'<a class="sparql" href="([^"]+)"', text)[1])
    assert urlsplit(href).path == "/sparql"
    assert parse_qs(urlsplit(href).query) == {
        "query": [f"DESCRIBE <{BASE}id/observation/003-kz-cn-turnover-2024>"]
    }


def test_entity_page_in_french_follows_accept_language_and_switch(client: FlaskClient) -> None:
    french = page(client, "/doc/observation/003-kz-cn-turnover-2024", "fr")
    assert '<html lang="fr">' in french
    assert "<h1>chiffre d&#39;affaires bilatéral Kazakhstan–Chine en 2024</h1>" in french
    assert '<data value="43800000000">43\u202f800\u202f000\u202f000</data>' in french
    assert '<strong class="human">43,8 milliards de dollars US</strong>' in french
    assert '<strong class="human">9,2\u00a0%</strong>' in french
    assert 'title="https://w3id.org/tradelod/ontology#unit">unité de mesure</a></dt>' in french
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
    # the Wikidata item shown by the name we know it by, its IRI on hover
    assert (
        '<a href="http://www.wikidata.org/entity/Q11725" rel="external" '
        'title="http://www.wikidata.org/entity/Q11725">Chongqing</a> <small>(wd:Q11725)</small>'
    ) in text
    assert 'title="https://w3id.org/tradelod/ontology#locatedIn">located in</a></dt>' in text
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
    assert (
        '<a href="/id/place/evil" title="https://w3id.org/tradelod/id/place/evil">'
        "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;</a>"
    ) in found
    assert "<script" not in found.replace('<script src="/static/', "")
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
        assert f'<strong data-count="{key}" data-value="{manifest[key]}">{manifest[key]:,}</strong>' in text
    assert "<script" not in text and "://cdn" not in text


def test_home_page_key_figures(client: FlaskClient, store: OxigraphStore) -> None:
    text = page(client, "/")
    figures = text[text.index('<section class="key-figures">') : text.index('<section class="picture">')]
    assert '<a href="/id/observation/003-kz-cn-turnover-2024"' in figures
    assert '<data value="43800000000">US$43.8 billion</data>' in figures
    assert (
        'En 2024, le chiffre d&#39;affaires bilatéral a atteint <mark class="figure">43,8 milliards de dollars</mark>'
        in figures
    )
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
    links = {a.get("href"): a for a in svg.iter(f"{SVG}a") if a.find(f"{SVG}path") is not None}
    relation = links["/id/relation/kazakhstan-china"].find(f"{SVG}path")
    assert relation is not None and relation.get("class") == "edge relation"
    assert relation.find(f"{SVG}title").text == "Kazakhstan–China trade relation"
    flow = links["/id/flow/003-kz-cn-high-value-added-exports"].find(f"{SVG}path")
    assert flow is not None and flow.get("class") == "edge flow" and flow.get("marker-end") == "url(#arrow)"
    labels = [
        " ".join(t.itertext())
        for t in svg.iter(f"{SVG}text")
        if (t.get("class") or "").startswith("edge-label")
    ]  # (long names are wrapped on several lines)
    assert "US$43.8 billion · 2024" in labels  # a relation shows its figure
    assert "exports of meat products from Chongqing to Singapore" in labels  # a flow its full name
    assert '<figure class="graph" data-nodes="' in text


def test_picture_is_laid_out_at_build_time_deterministically(store: OxigraphStore, build_dir: Path) -> None:
    import json
    import math

    from tradelod.graph.picture import picture

    layout = picture(store.store, BASE)
    assert layout == picture(store.store, BASE)  # same data, same picture
    assert json.loads((build_dir / "current" / "picture.json").read_text(encoding="utf-8")) == layout
    at = {n["iri"]: (n["x"], n["y"]) for n in layout["nodes"]}
    assert {"source": f"{BASE}id/place/chongqing", "target": f"{BASE}id/place/china"} in layout["containment"]
    # containment pulls Chongqing beside China: closer than the median distance between places
    pairs = [math.dist(at[a], at[b]) for a in at for b in at if a < b]
    assert (
        math.dist(at[f"{BASE}id/place/chongqing"], at[f"{BASE}id/place/china"])
        < sorted(pairs)[len(pairs) // 2]
    )
    relation = next(e for e in layout["edges"] if e["iri"] == f"{BASE}id/relation/kazakhstan-china")
    assert relation["figure"] == f"{BASE}id/observation/003-kz-cn-turnover-2024"


def test_picture_shows_figures_full_labels_and_a_legend(client: FlaskClient) -> None:
    text = page(client, "/")
    svg = ET.fromstring(text[text.index("<svg") : text.index("</svg>") + len("</svg>")])
    figures = [t.text for t in svg.iter(f"{SVG}tspan") if t.get("class") == "figure"]
    assert "US$43.8 billion · 2024" in figures
    names = [t.text for g in svg.iter(f"{SVG}g") if g.get("class") == "node" for t in g.iter(f"{SVG}text")]
    assert "South-East Asia" in names and not [n for n in names if n.endswith("…")]
    assert '<ul class="legend">' in text
    french = page(client, "/", "fr")
    assert "43,8 milliards de dollars US · 2024" in french


def test_the_busiest_links_are_kept_with_their_places_and_containment() -> None:
    from tradelod.web.graphic import busiest

    nodes = [{"iri": iri, "x": 0.5, "y": 0.5} for iri in "ABCD"]
    trade = [{"iri": f"{a}{b}", "source": a, "target": b} for a, b in ("AB", "AC", "AD", "BC")]
    inside = [{"source": "C", "target": "A"}, {"source": "D", "target": "A"}]
    layout = {"nodes": nodes, "edges": trade, "containment": inside}
    # degrees A 3, B 2, C 2, D 1: AB and AC (2 and 3) before BC (2 and 2) before AD (1 and 3)
    cut, total = busiest(layout, 2)
    assert total == 4
    assert [e["iri"] for e in cut["edges"]] == ["AB", "AC"]
    assert [n["iri"] for n in cut["nodes"]] == ["A", "B", "C"]
    assert cut["containment"] == [{"source": "C", "target": "A"}]
    assert busiest(layout, 4) == (layout, 4)


def test_the_home_page_picture_is_bounded_and_says_so(
    client: FlaskClient, build_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from tradelod.web import pages

    layout = json.loads((build_dir / "current" / "picture.json").read_text(encoding="utf-8"))
    total = len(layout["edges"])
    assert page(client, "/").count("The picture shows") == 0  # the articles' links are all drawn
    monkeypatch.setattr(pages, "PICTURE_LINKS", 3)
    text = page(client, "/")
    svg = ET.fromstring(text[text.index("<svg") : text.index("</svg>") + len("</svg>")])
    drawn = [p for p in svg.iter(f"{SVG}path") if (p.get("class") or "") in ("edge relation", "edge flow")]
    assert len(drawn) == 3 and '<figure class="graph" data-nodes="' in text and 'data-edges="3"' in text
    assert f"The picture shows 3 of the {total} trade links: those between the most linked places." in text
    words = text[text.index('<ul class="picture-words">') :]
    assert words[: words.index("</ul>")].count("<li>") == 3
    assert f"L'image montre 3 des {total} liens commerciaux" in page(client, "/", "fr").replace("&#39;", "'")


def test_a_series_of_several_periods_is_charted_on_its_figures_pages(client: FlaskClient) -> None:
    for path in ("/doc/observation/003-kz-cn-turnover-2024", "/doc/observation/003-kz-cn-turnover-2025-h1"):
        text = page(client, path)
        sections = re.findall(r'<section class="series">.*?</section>', text, re.DOTALL)
        assert len(sections) == 1, path
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", sections[0], re.DOTALL)[0])  # type: ignore[index]
        bars = [
            (
                g.get("data-iri"),
                [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "value"],
                [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "period"],
            )
            for g in svg.iter(f"{SVG}g")
            if g.get("class") == "bar"
        ]
        # one bar per period, in time order, each with its figure as people write it
        assert bars == [
            (f"{BASE}id/observation/003-kz-cn-turnover-2024", ["US$43.8 billion"], ["2024"]),
            (f"{BASE}id/observation/003-kz-cn-turnover-2025-h1", ["US$21.8 billion"], ["first half of 2025"]),
        ]
        heights = [float(r.get("height", "0")) for r in svg.iter(f"{SVG}rect")]
        assert heights[0] > heights[1] > 0  # drawn to scale: 43.8 against 21.8
        assert "<h2>bilateral trade turnover — Kazakhstan / China</h2>" in sections[0]
        assert 'href="/id/observation/003-kz-cn-turnover-2025-h1"' in sections[0]
    french = page(client, "/doc/observation/003-kz-cn-turnover-2024", "fr")
    assert "<title>premier semestre 2025: 21,8 milliards de dollars US</title>" in french
    # a figure whose series has one period only gets no chart
    single = page(client, "/doc/observation/003-kz-cn-border-length")
    assert '<section class="series">' not in single


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
        f'<a href="/browse/tlo:City" title="{BASE}ontology#City">city</a></td>'
        f'<td class="number" data-value="{city}">{city}</td>'
    ) in text
    assert text.count('<td class="number" data-value=') == len(counts)


def test_browse_one_class_lists_its_instances_with_key_figures(client: FlaskClient) -> None:
    english = page(client, "/browse/tlo:City")
    assert f'<a href="/id/place/beijing" title="{BASE}id/place/beijing">Beijing</a>' in english
    assert f'<a href="/id/place/chongqing" title="{BASE}id/place/chongqing">Chongqing</a>' in english
    assert '<table class="instances sortable">' in english
    assert '<script src="/static/sortable.js?v=' in english  # sorting by a static script, none inline
    french = page(client, "/browse/tlo:City", "fr")
    assert "<h1>ville</h1>" in french
    assert f'<a href="/id/place/beijing" title="{BASE}id/place/beijing">Pékin</a>' in french
    figures = page(client, "/browse/tlo:LevelObservation")
    row = figures[figures.index('data-value="Kazakhstan–China bilateral turnover in 2024"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="number" data-value="43800000000">US$43.8 billion</td>' in row
    assert '<td data-value="2024-01-01"><a href="/id/period/2024"' in row
    assert client.get("/browse/tlo:NoSuchClass").status_code == 404
    assert client.get("/browse/nope:City").status_code == 404


def hits(client: FlaskClient, query: str, language: str = "en") -> list[dict[str, str]]:
    """The JSON search answer (what scripts get)."""
    response = client.get(
        "/search",
        query_string={"q": query},
        headers={"Accept": "application/json", "Accept-Language": language},
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return list(response.get_json())


@pytest.mark.parametrize("query", ["pekin", "PÉKIN", "Pékin", "pe\u0301kin", "  Beijing "])
def test_search_is_accent_and_case_insensitive(client: FlaskClient, query: str) -> None:
    assert hits(client, query)[0]["iri"] == f"{BASE}id/place/beijing"


@pytest.mark.parametrize(
    ("query", "iri"),
    [
        ("Tchong", "id/place/chongqing"),
        ("Kazahstan", "id/place/kazakhstan"),
        ("kazakstan", "id/place/kazakhstan"),
        ("Singapour", "id/place/singapore"),
        ("chongqin", "id/place/chongqing"),
    ],
)
def test_search_forgives_typos_and_transliterations(client: FlaskClient, query: str, iri: str) -> None:
    assert hits(client, query)[0]["iri"] == f"{BASE}{iri}"


def test_search_json_gives_iri_type_label_and_matching_text(client: FlaskClient) -> None:
    first = hits(client, "pekin", "fr")[0]
    assert first == {
        "iri": f"{BASE}id/place/beijing",
        "type": f"{BASE}ontology#City",
        "type_label": "ville",
        "label": "Pékin",
        "match": "Pékin",
        "match_kind": "label",
        "match_lang": "fr",
    }


def test_search_finds_figures_and_sentences(client: FlaskClient) -> None:
    found = hits(client, "43,8 milliards")
    assert found[0]["iri"] == f"{BASE}id/observation/003-kz-cn-turnover-2024"
    assert found[0]["match_kind"] == "sentence"
    assert found[0]["match"].startswith("En 2024, le chiffre d'affaires bilatéral a atteint 43,8 milliards")
    text = page(client, "/search?q=43,8 milliards")
    assert '<strong class="figure">US$43.8 billion</strong>' in text
    assert "<mark>43</mark>,<mark>8</mark> <mark>milliards</mark>" in text


def test_search_matches_every_word_in_french_and_english(client: FlaskClient) -> None:
    french = hits(client, "kazakhstan chine relation", "fr")
    assert (f"{BASE}id/relation/kazakhstan-china", "relation commerciale Kazakhstan–Chine") in [
        (h["iri"], h["label"]) for h in french
    ]
    assert hits(client, "chongqing")[0]["iri"] == f"{BASE}id/place/chongqing"
    # an skos:altLabel ("Southeast Asia"@en)
    assert hits(client, "southeast asia")[0]["iri"] == f"{BASE}id/place/south-east-asia"


def test_search_page_groups_hits_by_type(client: FlaskClient) -> None:
    text = page(client, "/search?q=kazakhstan")
    groups = re.findall(r'<section class="hit-group" data-type="([^"]*)">\s*<h2>([^<]+)<', text)
    types = [t for t, _ in groups]
    assert f"{BASE}ontology#Country" in types
    assert len(types) == len(set(types)) > 2
    assert ('<li data-iri="' + BASE + 'id/place/kazakhstan"') in text


def test_search_without_match_or_query(client: FlaskClient) -> None:
    assert '<p class="no-results">Nothing matches.</p>' in page(client, "/search?q=zzzzqqq")
    assert hits(client, "zzzzqqq") == []
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
