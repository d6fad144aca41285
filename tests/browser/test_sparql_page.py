"""The query page in a real headless browser (Debian's chromium, driven by Playwright).

The page must work with no network but the server: every request the browser makes is recorded and
must go to the server's own origin. Examples are one click away, results are a table whose dataset
IRIs link to their pages on this host, every result format can be downloaded, and the permalink
re-runs the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from support.chromium import ARTEFACTS, BROWSER_TESTS, chromium_context
from support.live_server import LiveServer, live_server
from tradelod.sparql.example_queries import load_examples

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def server(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with the default settings."""
    with live_server(build_dir, tmp_path_factory.mktemp("gunicorn")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Headless chromium with a fresh profile and no background network."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with chromium_context(profile, playwright, accept_downloads=True) as context:
        yield context


class Watched:
    """A page with its console errors and every URL it requested."""

    def __init__(self, context: object) -> None:
        self.page = context.new_page()  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def close(self, origin: str) -> None:
        """Check that nothing went wrong, then close the page."""
        try:
            assert self.errors == []
            foreign = [url for url in self.requests if not url.startswith(origin + "/")]
            assert foreign == [], f"requests outside the server: {foreign}"
        finally:
            self.page.close()


@pytest.fixture()
def watched(browser: object, server: LiveServer) -> Iterator[Watched]:
    """A fresh page, checked for console errors and foreign requests when the test ends."""
    page = Watched(browser)
    yield page
    page.close(server.url)


def cells(page: object) -> list[list[str]]:
    """The text of the results table, row by row."""
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        "#results tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )


def test_page_lists_examples_and_prefixes(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql")
    titles = page.eval_on_selector_all("#examples a", "links => links.map(a => a.textContent)")
    assert titles == [e.title for e in load_examples()]
    editor = page.input_value("#query")
    assert editor.startswith(
        "PREFIX tlo: <https://w3id.org/tradelod/ontology#>\nPREFIX tl: <https://w3id.org/tradelod/id/>"
    )
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "sparql-page.png"), full_page=True)


def test_example_is_one_click_away_and_iris_link_to_their_pages(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql")
    page.click("a[data-example='04-kazakhstan-china-turnover']")
    page.wait_for_selector("#results[data-labelled='true'] tbody tr")
    # numbers grouped for people (the lexical value stays in data-value)
    assert cells(page) == [
        [
            "43,800,000,000^^xsd:decimal",
            "US dollar@en",
            "9.2^^xsd:decimal",
            "percent change@en",
            "Wang Wentao@en",
        ]
    ]
    assert page.get_attribute("#results .literal[data-value]", "data-value") == "43800000000"
    assert page.text_content("#status").startswith("1 result in ")
    page.click("a[data-example='01-trade-relations']")
    page.wait_for_selector("#results[data-labelled='true'] tbody tr")
    # people, not CURIEs: the dataset's IRIs show their labels, the IRI on hover
    link = page.locator("#results a.iri[data-iri='https://w3id.org/tradelod/id/place/kazakhstan']").first
    assert link.inner_text() == "Kazakhstan"
    assert link.get_attribute("href") == "/id/place/kazakhstan"
    assert link.get_attribute("title") == "https://w3id.org/tradelod/id/place/kazakhstan"
    relation = page.locator(
        "#results a.iri[data-iri='https://w3id.org/tradelod/id/relation/kazakhstan-china']"
    )
    assert relation.first.inner_text() == "Kazakhstan–China trade relation"
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "sparql-results.png"), full_page=True)


def test_downloads_in_every_format_and_permalink(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql")
    page.click("a[data-example='04-kazakhstan-china-turnover']")
    page.wait_for_selector("#downloads:not([hidden])")
    formats = page.eval_on_selector_all("#downloads a", "links => links.map(a => a.dataset.format)")
    assert formats == ["json", "xml", "csv", "tsv"]
    with page.expect_download() as info:
        page.click("#downloads a[data-format='csv']")
    saved = Path(info.value.path())
    assert saved.read_text(encoding="utf-8").splitlines()[1].startswith("43800000000,US dollar,9.2,percent")
    permalink = page.get_attribute("#permalink", "href")
    query = parse_qs(urlsplit(permalink).query)["query"][0]
    assert query == next(e.query for e in load_examples() if e.name == "04-kazakhstan-china-turnover")
    assert urlsplit(page.url).path == "/sparql" and parse_qs(urlsplit(page.url).query)["query"] == [query]


def test_permalink_runs_the_query(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_selector("#results:not([hidden]) tbody tr")
    assert cells(page) == [["true"]]


def test_graph_results_as_a_table_with_rdf_downloads(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql")
    page.click("a[data-example='09-describe-chongqing']")
    page.wait_for_selector("#results[data-labelled='true']")
    rows = cells(page)
    assert ["Chongqing", "rdfs:label", "Chongqing@fr"] in rows
    assert ["Chongqing", "rdf:type", "city"] in rows
    formats = page.eval_on_selector_all("#downloads a", "links => links.map(a => a.dataset.format)")
    assert formats == ["ttl", "jsonld", "rdf", "nt"]


def test_errors_and_cut_results_are_shown(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/sparql")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "Syntax error: error at 1:25" in page.text_content("#error")
    page.fill("#query", "SELECT ?a ?b WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y } LIMIT 10001")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#notice:not([hidden])", timeout=60_000)
    assert "Only the first 10000 results are shown" in page.text_content("#notice")
    assert page.eval_on_selector_all("#results tbody tr", "rows => rows.length") == 10_000
    watched.errors.clear()  # the 400 above is logged by chromium as a failed resource: expected


def test_every_example_is_visible_without_an_inner_scroll_box(server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/sparql")
    # no element between the examples and the page scrolls on its own: each example is reached by
    # scrolling the page, as every other list of the site
    boxes = page.evaluate(
        """(() => { const found = [];
          for (let n = document.getElementById('examples'); n && n !== document.body; n = n.parentElement) {
            const style = getComputedStyle(n);
            found.push([n.id || n.tagName, style.overflowY, n.scrollHeight - n.clientHeight]);
          }
          return found; })()"""
    )
    clipped = [b for b in boxes if b[1] in ("auto", "scroll", "hidden") and b[2] > 0]
    assert clipped == [], boxes
    titles = page.locator("#examples a")
    assert titles.count() == len(load_examples())
    for index in range(titles.count()):
        assert titles.nth(index).is_visible()
