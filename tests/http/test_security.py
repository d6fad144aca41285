"""Security headers on every answer, and no inline script or style on any HTML page (the ontology's
pyLODE page included), so that the Content-Security-Policy holds everywhere."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tradelod.http.security import SECURITY_HEADERS

#: One URL of every kind of answer: pages, documents, dumps, the endpoint, errors.
URLS = [
    ("/", "text/html"),
    ("/browse", "text/html"),
    ("/browse/tlo:City", "text/html"),
    ("/search?q=chongqing", "text/html"),
    ("/doc/place/chongqing", "text/html"),
    ("/ontology", "text/html"),
    ("/shapes", "text/html"),
    ("/.well-known/void", "text/html"),
    ("/validation-report", "text/html"),
    ("/dumps/", "text/html"),
    ("/sparql", "text/html"),
    ("/sparql?query=ASK%20%7B%7D&format=html", "text/html"),
    ("/id/place/atlantis", "text/html"),
    ("/doc/place/chongqing.ttl", "text/turtle"),
    ("/id/place/chongqing", "text/turtle"),
    ("/dumps/SHA256SUMS", "text/plain"),
    ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json"),
    ("/sparql?query=SELEC", "application/json"),
    ("/docs/ontology.css", "text/css"),
    ("/nowhere", "text/html"),
]

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
_EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(("url", "accept"), URLS, ids=[u for u, _ in URLS])
def test_every_answer_carries_the_security_headers(client: FlaskClient, url: str, accept: str) -> None:
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code in (200, 303, 400, 404), response.status_code
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("url", "accept"), [u for u in URLS if u[1] == "text/html"], ids=lambda v: v)
def test_no_html_page_has_inline_script_or_style(client: FlaskClient, url: str, accept: str) -> None:
    response = client.get(url, headers={"Accept": accept})
    if response.status_code == 303:
        response = client.get(response.headers["Location"], headers={"Accept": accept})
    page = response.get_data(as_text=True)
    assert "<html" in page
    assert _INLINE_SCRIPT.findall(page) == []
    assert re.findall(r"<style", page, re.I) == []
    assert re.findall(r"\sstyle=", page, re.I) == []
    assert _EVENT_HANDLER.findall(page) == []
    assert "javascript:" not in page.lower()


def test_ontology_page_is_styled_by_files(client: FlaskClient) -> None:
    # The ontology's page is a page of the site (issue 13, "one site"): pyLODE's content in the site's
    # layout, styled by the site's stylesheet file; pyLODE's own stylesheet stays a file of the release
    # (for its stand-alone page, docs/ontology.html), never inline.
    page = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/site\.css\?v=[0-9a-f]{12}">', page)
    assert 'class="pylode"' in page
    css = client.get("/docs/ontology.css")
    assert css.status_code == 200
    assert css.content_type == "text/css; charset=utf-8"
    assert "#pylode" in css.get_data(as_text=True)  # pyLODE's own rules, kept
