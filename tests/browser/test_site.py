"""The pages in a real headless browser (Debian's chromium, driven by Playwright) on a real server.

Each kind of page renders, without console errors and without any request beyond the server; every
same-host link on it resolves (fragments included); the language switch and the search form work;
screenshots of the home page and of entity pages are kept in tests/artefacts/.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import pytest

from support.chromium import ARTEFACTS, BROWSER_TESTS
from support.serving import LiveServer

pytestmark = BROWSER_TESTS

#: One page of each kind, with something each must show.
PAGES = {
    "home": ("/", "svg.trade-graph g.node"),
    "entity": ("/id/place/chongqing", "article.entity h1"),
    "figure": ("/id/observation/003-kz-cn-turnover-2024", "table.figures blockquote"),
    "quote": ("/id/quote/003-07", "section#exact"),
    "article": ("/id/article/003", "article.entity h1"),
    "browse": ("/browse", "table.classes"),
    "class": ("/browse/tlo:City", "table.instances tbody tr"),
    "search": ("/search?q=pekin", "ol.hits li"),
    "ontology": ("/ontology", "#City"),
    "shapes": ("/shapes", "#ObservationShape"),
    "dumps": ("/dumps/", "table.dumps"),
    "void": ("/.well-known/void", "table.statistics"),
    "report": ("/validation-report", "p.verdict"),
    "graph": ("/graph/data/links/wikidata", "section.subject"),
}


@pytest.fixture()
def server(site: LiveServer) -> LiveServer:
    """The session's server (tests/browser/conftest.py)."""
    return site


@pytest.fixture()
def browser(desktop: object) -> object:
    """The session's desktop chromium, refusing every request that leaves 127.0.0.1."""
    return desktop


def visit(browser: object, url: str) -> tuple[object, list[str]]:
    """Open a page, collecting console errors and uncaught exceptions."""
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return page, errors


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_renders_without_errors_and_its_links_resolve(
    server: LiveServer, browser: object, kind: str
) -> None:
    path, must_show = PAGES[kind]
    page, errors = visit(browser, server.url + path)
    try:
        assert page.locator(must_show).count() > 0, must_show  # type: ignore[attr-defined]
        hrefs = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )  # type: ignore[attr-defined]
        local = sorted({h for h in hrefs if urlsplit(h).hostname == "127.0.0.1"})
        assert local, "no local links"
        checked: set[str] = set()
        for href in local:
            url, fragment = urldefrag(href)
            if url not in checked:
                response = browser.request.get(url, headers={"Accept": "text/html"})  # type: ignore[attr-defined]
                assert response.status == 200, f"{href} on {path}: {response.status}"
                checked.add(url)
            if fragment and url == page.url.split("#")[0]:  # type: ignore[attr-defined]
                assert page.locator(f'[id="{fragment}"]').count() == 1, href  # type: ignore[attr-defined]
        assert errors == []
        assert browser.outside == []  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]


def test_hash_iri_lands_on_its_part_of_the_parent_page(server: LiveServer, browser: object) -> None:
    page, errors = visit(browser, server.url + "/id/quote/003-07#exact")
    try:
        assert page.url == server.url + "/doc/quote/003-07#exact"  # type: ignore[attr-defined]
        assert page.locator("section#exact").is_visible()  # type: ignore[attr-defined]
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_ontology_term_iri_lands_on_its_documentation(server: LiveServer, browser: object) -> None:
    page, errors = visit(browser, server.url + "/ontology#TradeFlow")
    try:
        block = page.locator('[id="TradeFlow"]')  # type: ignore[attr-defined]
        assert "https://w3id.org/tradelod/ontology#TradeFlow" in block.inner_text()
        assert block.is_visible()
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_language_switch_and_search_form(server: LiveServer, browser: object) -> None:
    page, errors = visit(browser, server.url + "/id/place/beijing")
    try:
        assert page.locator("h1").inner_text() == "Beijing"  # type: ignore[attr-defined]
        page.get_by_role("link", name="Français").click()  # type: ignore[attr-defined]
        page.wait_for_url("**/doc/place/beijing?lang=fr")  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text() == "Pékin"  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "fr"  # type: ignore[attr-defined]
        page.get_by_role("searchbox").first.fill("CHONGQING")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Chercher").first.click()  # type: ignore[attr-defined]
        page.wait_for_url("**/search?q=CHONGQING&lang=fr")  # type: ignore[attr-defined]
        first = page.locator("ol.hits li a").first  # type: ignore[attr-defined]
        assert first.inner_text() == "Chongqing"
        first.click()
        page.wait_for_url("**/doc/place/chongqing?lang=fr")  # type: ignore[attr-defined]
        assert errors == []
    finally:
        page.close()  # type: ignore[attr-defined]


def test_screenshots_are_kept(server: LiveServer, browser: object) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    for name, path in (
        ("home", "/"),
        ("entity-chongqing", "/id/place/chongqing"),
        ("entity-kz-cn-turnover-2024", "/id/observation/003-kz-cn-turnover-2024"),
    ):
        page, errors = visit(browser, server.url + path)
        try:
            target = ARTEFACTS / f"{name}.png"
            target.unlink(missing_ok=True)
            page.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
            assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert target.stat().st_size > 20_000
            assert errors == []
        finally:
            page.close()  # type: ignore[attr-defined]
    svg = ARTEFACTS / "home-graph.png"
    page, _ = visit(browser, server.url + "/")
    try:
        page.locator("figure.graph").screenshot(path=str(svg))  # type: ignore[attr-defined]
        assert svg.stat().st_size > 10_000
    finally:
        page.close()  # type: ignore[attr-defined]
