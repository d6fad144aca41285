"""Pages people enjoy, in a real headless chromium: a phone is a first-class screen, provenance is
visible, the chosen language sticks, class tables sort; screenshots at 360 px and at desktop size are
kept in tests/artefacts/ to look at.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef

from support.chromium import ARTEFACTS, BROWSER_TESTS
from support.serving import LiveServer

pytestmark = BROWSER_TESTS

BASE = "https://w3id.org/tradelod/"
OA = Namespace("http://www.w3.org/ns/oa#")

#: One page of each type, and something it must show.
PAGE_TYPES = {
    "home": ("/", "svg.trade-graph"),
    "entity": ("/id/place/chongqing", "article.entity h1"),
    "figure": ("/id/observation/003-kz-cn-turnover-2024", "table.figures mark.figure"),
    "class": ("/browse/tlo:LevelObservation", "table.instances tbody tr"),
    "search": ("/search?q=kazakhstan", "section.hit-group"),
    "article": ("/doc/article/003?start=1017&end=1167#quote", "mark#quote"),
    "sparql": ("/sparql", "#examples li"),
    "ontology": ("/ontology", "#City"),
    "shapes": ("/shapes", "#ObservationShape"),
    "dataset": ("/.well-known/void", "table.statistics"),
    "downloads": ("/dumps/", "table.dumps"),
    "report": ("/validation-report", "p.verdict"),
    "error": ("/id/place/atlantis", "article.error h1"),
}


def open_page(context: object, url: str, status: int = 200) -> tuple[object, list[str]]:
    """Open a page, collecting console errors and uncaught exceptions."""
    page = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    # an error page logs its own status as a console error; a refused script or style (the
    # Content-Security-Policy) is an error on every page
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and (status == 200 or "Content Security Policy" in m.text)
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, url
    return page, errors


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_every_page_type_fits_a_360px_phone_and_is_usable_by_touch(
    site: LiveServer, phone: object, kind: str
) -> None:
    path, must_show = PAGE_TYPES[kind]
    page, errors = open_page(phone, site.url + path, 404 if kind == "error" else 200)
    try:
        assert page.locator(must_show).count() > 0, must_show  # type: ignore[attr-defined]
        width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert width <= 360, f"{path} scrolls sideways: {width} px wide"
        # one site: the same header, language switch, search and footer everywhere
        for shared in ("header.site nav", "header.site .languages", "form.search", "footer.site"):
            assert page.locator(shared).count() == 1, shared  # type: ignore[attr-defined]
        # touch: the header's links and buttons are at least 40 px high
        heights = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "header.site nav a, header.site button, header.site input",
            "nodes => nodes.map(n => n.getBoundingClientRect().height)",
        )
        assert heights and min(heights) >= 40, heights
        if kind in ("home", "entity", "figure", "article", "sparql", "class", "search"):
            page.screenshot(path=str(ARTEFACTS / f"phone-{kind}.png"), full_page=True)  # type: ignore[attr-defined]
        assert errors == []
        assert phone.outside == []  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module", autouse=True)
def artefacts() -> None:
    """The screenshots' folder (git-ignored)."""
    ARTEFACTS.mkdir(exist_ok=True)


def test_long_iris_and_literals_wrap_on_a_phone(site: LiveServer, phone: object) -> None:
    page, errors = open_page(phone, site.url + "/id/quote/003-07")
    try:
        for selector in ("p.iri code", "dl.properties dd", "blockquote"):
            boxes = page.eval_on_selector_all(  # type: ignore[attr-defined]
                selector, "nodes => nodes.map(n => n.getBoundingClientRect().right)"
            )
            assert boxes and max(boxes) <= 360, (selector, boxes)
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_article_page_scrolls_to_and_highlights_the_quoted_sentence(
    site: LiveServer, desktop: object
) -> None:
    page, errors = open_page(desktop, site.url + "/id/observation/003-kz-cn-turnover-2024")
    try:
        marked = page.locator("table.figures mark.figure").first  # type: ignore[attr-defined]
        assert marked.inner_text() == "43,8 milliards de dollars"
        status, _, body = site.request("GET", "/doc/quote/003-07.ttl")
        assert status == 200
        graph = Graph().parse(data=body, format="turtle")
        exact = str(graph.value(URIRef(f"{BASE}id/quote/003-07#exact"), OA.exact))
        page.locator("table.figures a.in-article").first.click()  # type: ignore[attr-defined]
        page.wait_for_url("**/doc/article/003?start=1017&end=1167#quote")  # type: ignore[attr-defined]
        highlighted = page.locator("section.article-text mark.quote")  # type: ignore[attr-defined]
        assert "".join(highlighted.all_inner_texts()) == exact
        assert exact.startswith("En 2024, le chiffre d'affaires bilatéral a atteint 43,8 milliards")
        assert page.locator("mark#quote").is_visible()  # type: ignore[attr-defined]
        in_view = page.evaluate(  # type: ignore[attr-defined]
            "(() => { const r = document.getElementById('quote').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
        )
        assert in_view, "the page is scrolled to the highlighted sentence"
        assert page.locator("div.text").get_attribute("lang") == "fr"  # type: ignore[attr-defined]
        assert "The article is in French" in page.locator("section.article-text p.note").inner_text()  # type: ignore[attr-defined]
        page.screenshot(path=str(ARTEFACTS / "desktop-article-highlight.png"))  # type: ignore[attr-defined]
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_chosen_language_sticks_across_every_link_including_sparql(site: LiveServer, desktop: object) -> None:
    page, errors = open_page(desktop, site.url + "/")
    try:
        assert page.locator("html").get_attribute("lang") == "en"  # type: ignore[attr-defined]
        page.get_by_role("link", name="Français").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/?lang=fr")  # type: ignore[attr-defined]
        local = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "a[href^='/']:not([hreflang])", "links => links.map(a => a.getAttribute('href'))"
        )
        pages = [h for h in local if not h.startswith(("/dumps/", "/articles/", "/static/", "/releases/"))]
        assert pages and all("lang=fr" in h for h in pages), [h for h in pages if "lang=fr" not in h]
        page.locator("header.site nav a", has_text="Parcourir").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/browse?lang=fr")  # type: ignore[attr-defined]
        page.locator("table.classes a", has_text="ville").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/browse/tlo:City?lang=fr")  # type: ignore[attr-defined]
        page.locator("table.instances a", has_text="Pékin").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/doc/place/beijing?lang=fr")  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text() == "Pékin"  # type: ignore[attr-defined]
        page.locator("header.site nav a", has_text="SPARQL").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/sparql?lang=fr")  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "fr"  # type: ignore[attr-defined]
        assert page.locator("#run").inner_text() == "Lancer la requête"  # type: ignore[attr-defined]
        example = page.locator("#examples a").first.get_attribute("href")  # type: ignore[attr-defined]
        assert parse_qs(urlsplit(example).query)["lang"] == ["fr"]
        page.locator("header.site form.search input[name=q]").fill("Kazahstan")  # type: ignore[attr-defined]
        page.locator("header.site form.search button").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/search?q=Kazahstan&lang=fr")  # type: ignore[attr-defined]
        assert page.locator("ol.hits a").first.inner_text() == "Kazakhstan"  # type: ignore[attr-defined]
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_first_visit_follows_accept_language(site: LiveServer, playwright: object, tmp_path: object) -> None:
    from support.chromium import chromium_context

    with chromium_context(
        tmp_path, playwright, locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    ) as french:  # type: ignore[arg-type]
        page = french.new_page()
        page.goto(site.url + "/id/observation/003-kz-cn-turnover-2024")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("strong.human").first.inner_text() == "43,8 milliards de dollars US"
        page.goto(site.url + "/sparql")
        assert page.locator("h1").inner_text() == "Point d'accès SPARQL"


def test_amounts_in_english_and_class_table_sorts(site: LiveServer, desktop: object) -> None:
    page, errors = open_page(desktop, site.url + "/browse/tlo:LevelObservation?lang=en")
    try:
        row = page.locator("tr", has_text="Kazakhstan–China bilateral turnover in 2024")  # type: ignore[attr-defined]
        assert row.locator("td.number").first.inner_text() == "US$43.8 billion"
        page.locator("th button", has_text="Figure").click()  # type: ignore[attr-defined]
        values = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "table.instances tbody tr td:nth-child(2)", "cells => cells.map(c => c.dataset.value)"
        )
        numbers = [float(v) for v in values if v]
        assert numbers == sorted(numbers) and len(numbers) > 3
        page.locator("th button", has_text="Figure").click()  # type: ignore[attr-defined]
        values = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "table.instances tbody tr td:nth-child(2)", "cells => cells.map(c => c.dataset.value)"
        )
        assert [float(v) for v in values if v] == sorted(numbers, reverse=True)
        assert page.locator("th[aria-sort='descending']").count() == 1  # type: ignore[attr-defined]
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("figure", "/id/observation/003-kz-cn-turnover-2024"),
        ("relation", "/id/relation/kazakhstan-china"),
        ("sparql", "/sparql"),
        ("search", "/search?q=Tchong"),
    ],
)
def test_desktop_screenshots(site: LiveServer, desktop: object, name: str, path: str) -> None:
    page, errors = open_page(desktop, site.url + path)
    try:
        target = ARTEFACTS / f"desktop-{name}.png"
        page.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
        assert target.stat().st_size > 20_000
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]
