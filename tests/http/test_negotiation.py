"""Content negotiation: the pure function rule by rule, then the matrix over the real app.

Every format × (entity, ontology, ontology term, shapes, unknown IRI), by Accept header (with
q-values, wildcards, parameters, aliases), by explicit URL and by ``?format=``; 406 with the list of
offered types; no Accept at all.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef

from support.rdfparse import parse_rdf
from tradelod.http.negotiation import RDF_FORMATS, negotiate


@pytest.fixture()
def client(backend_app: Flask) -> FlaskClient:
    """The matrix runs over every backend: the embedded store, Oxigraph server and Virtuoso."""
    return backend_app.test_client()


BASE = "https://w3id.org/tradelod/"
OFFERED = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
CHONGQING = URIRef(f"{BASE}id/place/chongqing")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        pytest.param("*/*", None, "text/html", id="star-star-gives-first-offer"),
        pytest.param("text/*", None, "text/html", id="text-star-gives-first-text-offer"),
        pytest.param("application/*", None, "application/ld+json", id="application-star"),
        pytest.param("text/turtle", None, "text/turtle", id="exact-type"),
        pytest.param("text/turtle;charset=utf-8", None, "text/turtle", id="parameter-ignored"),
        pytest.param("TEXT/Turtle", None, "text/turtle", id="case-insensitive"),
        pytest.param("text/html;q=0.5, text/turtle;q=0.9", None, "text/turtle", id="q-ordering"),
        pytest.param(
            "application/rdf+xml;q=0.3, application/n-triples",
            None,
            "application/n-triples",
            id="implicit-q-one-wins",
        ),
        pytest.param("text/html;q=0, */*", None, "text/turtle", id="q-zero-excludes"),
        pytest.param(
            "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
            None,
            "text/html",
            id="browser-accept",
        ),
        pytest.param("image/png", None, None, id="unoffered-type-none"),
        pytest.param("text/turtle;q=0", None, None, id="only-excluded-type-none"),
        pytest.param(None, "text/turtle", "text/turtle", id="no-accept-gives-default"),
        pytest.param("", "text/turtle", "text/turtle", id="empty-accept-gives-default"),
        pytest.param(None, None, "text/html", id="no-accept-no-default-first-offer"),
    ],
)
def test_negotiate_rules(accept: str | None, default: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERED, default) == expected


# --- the matrix over the app -------------------------------------------------------------------

DOCUMENTS = {
    "entity": ("/id/place/chongqing", "/doc/place/chongqing", CHONGQING),
    "ontology": ("/ontology", "/ontology", URIRef(f"{BASE}ontology")),
    "term": ("/ontology#City", "/ontology", URIRef(f"{BASE}ontology#City")),
    "shapes": ("/shapes", "/shapes", URIRef(f"{BASE}shapes#ObservationShape")),
}


@pytest.mark.parametrize("fmt", [f.media_type for f in RDF_FORMATS])
@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_every_format_by_accept(client: FlaskClient, kind: str, fmt: str) -> None:
    request_path, document_path, subject = DOCUMENTS[kind]
    path = request_path.split("#", 1)[0]  # a client never sends the fragment
    response = client.get(path, headers={"Accept": fmt})
    if kind == "entity":
        extension = next(f.extension for f in RDF_FORMATS if f.media_type == fmt)
        assert response.status_code == 303
        assert response.headers["Location"] == document_path + (
            "" if extension == "html" else f".{extension}"
        )
        assert response.headers["Vary"] == "Accept"
        response = client.get(response.headers["Location"], headers={"Accept": fmt})
    assert response.status_code == 200
    assert response.mimetype == fmt
    assert "Accept" in response.headers["Vary"]
    if fmt == "text/html":
        assert b"<!DOCTYPE html>" in response.data[:200]
        return
    graph = parse_rdf(response.data, fmt)
    assert (subject, None, None) in graph, f"{subject} not described in the {fmt} document"


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=[f.extension for f in RDF_FORMATS])
@pytest.mark.parametrize("path", ["/doc/place/chongqing", "/ontology", "/shapes", "/.well-known/void"])
def test_every_format_by_explicit_url(client: FlaskClient, path: str, fmt: object) -> None:
    extension, media_type = fmt.extension, fmt.media_type  # type: ignore[attr-defined]
    response = client.get(f"{path}.{extension}", headers={"Accept": "image/png"})  # the URL wins over Accept
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Content-Location" not in response.headers
    if media_type != "text/html":
        assert len(parse_rdf(response.data, media_type)) > 0


def test_negotiated_document_names_its_format_url(client: FlaskClient) -> None:
    response = client.get("/doc/place/chongqing", headers={"Accept": "application/n-triples"})
    assert response.headers["Content-Location"] == "/doc/place/chongqing.nt"
    links = response.headers["Link"]
    for other in ("html", "ttl", "jsonld", "rdf"):
        assert f'</doc/place/chongqing.{other}>; rel="alternate"' in links
    assert "</doc/place/chongqing.nt>" not in links
    assert f'<{BASE}doc/place/chongqing>; rel="canonical"' in links


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        pytest.param(None, "/doc/place/chongqing.ttl", id="no-accept-turtle"),
        pytest.param("*/*", "/doc/place/chongqing", id="star-star-html"),
        pytest.param("text/*", "/doc/place/chongqing", id="text-star-html"),
        pytest.param("application/json", "/doc/place/chongqing.jsonld", id="json-alias-jsonld"),
        pytest.param("application/x-turtle", "/doc/place/chongqing.ttl", id="x-turtle-alias"),
        pytest.param("application/xml", "/doc/place/chongqing.rdf", id="xml-alias-rdfxml"),
        pytest.param(
            "text/html;q=0.1, application/ld+json;q=0.8, text/turtle;q=0.5",
            "/doc/place/chongqing.jsonld",
            id="q-values",
        ),
        pytest.param("text/html;q=0, */*;q=0.1", "/doc/place/chongqing.ttl", id="q-zero-html"),
        pytest.param("text/turtle; charset=utf-8", "/doc/place/chongqing.ttl", id="parameters"),
        pytest.param(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "/doc/place/chongqing",
            id="firefox",
        ),
    ],
)
def test_thing_redirect_follows_accept(client: FlaskClient, accept: str | None, location: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/id/place/chongqing", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    "path",
    [
        "/id/place/chongqing",
        "/doc/place/chongqing",
        "/ontology",
        "/shapes",
        "/.well-known/void",
        "/validation-report",
    ],
)
def test_unacceptable_gets_406_listing_offers(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "image/png, application/json;q=0"})
    assert response.status_code == 406
    assert response.data.decode() == (
        "406 Not Acceptable\nThis resource is available as: text/html, text/turtle, application/ld+json, "
        "application/rdf+xml, application/n-triples.\n"
    )


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get("/doc/place/chongqing?format=nt", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "application/n-triples"
    graph = parse_rdf(response.data, "application/n-triples")
    assert (CHONGQING, RDFS_LABEL, Literal("Chongqing", lang="fr")) in graph


def test_unknown_format_parameter_is_406(client: FlaskClient) -> None:
    assert client.get("/doc/place/chongqing?format=yaml").status_code == 406


def test_unknown_extension_is_404(client: FlaskClient) -> None:
    assert client.get("/doc/place/chongqing.yaml").status_code == 404


@pytest.mark.parametrize(
    "media_type", ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
)
@pytest.mark.parametrize("path", ["/id/place/atlantis", "/doc/place/atlantis", "/doc/place/atlantis.ttl"])
def test_unknown_iri_is_404_in_the_negotiated_rdf_format(
    client: FlaskClient, path: str, media_type: str
) -> None:
    response = client.get(path, headers={"Accept": media_type})
    assert response.status_code == 404
    assert response.mimetype == media_type
    assert len(parse_rdf(response.data, media_type)) == 0  # an empty graph, still parseable
    assert "Nothing is known as https://w3id.org/tradelod/id/place/atlantis." in response.data.decode()


def test_unknown_iri_is_404_in_html_and_json(client: FlaskClient) -> None:
    html = client.get("/id/place/atlantis", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert html.mimetype == "text/html"
    assert "<h1>404 Not Found</h1>" in html.data.decode()
    problem = client.get("/id/place/atlantis", headers={"Accept": "application/problem+json"})
    assert problem.status_code == 404
    assert json.loads(problem.data) == {
        "status": 404,
        "title": "Not Found",
        "detail": "Nothing is known as https://w3id.org/tradelod/id/place/atlantis.",
    }


def test_html_varies_on_accept_language(client: FlaskClient) -> None:
    english = client.get("/doc/place/beijing", headers={"Accept": "text/html", "Accept-Language": "en"})
    french = client.get(
        "/doc/place/beijing", headers={"Accept": "text/html", "Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert english.headers["Vary"] == french.headers["Vary"] == "Accept, Accept-Language"
    assert english.headers["Content-Language"] == "en"
    assert french.headers["Content-Language"] == "fr"
    assert "<h1>Beijing</h1>" in english.data.decode()
    assert "<h1>Pékin</h1>" in french.data.decode()
    assert english.headers["ETag"] != french.headers["ETag"]
