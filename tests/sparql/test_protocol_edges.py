"""The protocol's edges: body charsets, dataset parameters in the URL of a form POST, the endpoint URL in
the service description, deep nesting by GET and by POST, and redirects that never reflect Host."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask.testing import FlaskClient
from rdflib import Namespace, URIRef

from support.live_server import LiveServer, live_server
from support.serving import live_server as tradelod_serve
from support.sparql_answers import BASE, boolean_from, graph_iri, parse_graph

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = "application/x-www-form-urlencoded"
JSON = "application/sparql-results+json"
CHONGQING_IS_A_CITY = f"ASK {{ <{BASE}id/place/chongqing> a <{BASE}ontology#City> }}"
DEEP = "SELECT * WHERE " + "{" * 2000 + " ?s ?p ?o " + "}" * 2000


@pytest.mark.parametrize(
    "content_type",
    [
        "application/sparql-query; charset=UTF-16",
        "application/sparql-query; charset=iso-8859-1",
        "application/x-www-form-urlencoded; charset=UTF-16",
        'application/sparql-query; charset="latin1"',
    ],
)
def test_body_declared_in_another_charset_is_refused(client: FlaskClient, content_type: str) -> None:
    body = "ASK {}".encode("utf-16") if "16" in content_type else b"query=ASK%20%7B%7D"
    response = client.post("/sparql", data=body, headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert "UTF-8 only" in response.get_data(as_text=True)


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"', "us-ascii"])
def test_utf8_charset_is_accepted(client: FlaskClient, charset: str) -> None:
    response = client.post(
        "/sparql",
        data="ASK {}",
        headers={"Content-Type": f"application/sparql-query; charset={charset}", "Accept": JSON},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("graph", "expected"), [(str(graph_iri("data/reference/places")), True), (f"{BASE}graph/nothing", False)]
)
def test_form_post_honours_dataset_parameters_in_the_url(
    client: FlaskClient, graph: str, expected: bool
) -> None:
    response = client.post(
        "/sparql?" + urlencode({"default-graph-uri": graph}),
        data=urlencode({"query": CHONGQING_IS_A_CITY}),
        headers={"Content-Type": FORM, "Accept": JSON},
    )
    assert response.status_code == 200
    assert boolean_from(response.data, JSON) is expected


def test_form_post_named_graphs_in_the_url_and_the_body_are_both_used(client: FlaskClient) -> None:
    places = str(graph_iri("data/reference/places"))
    query = f"ASK {{ GRAPH <{places}> {{ <{BASE}id/place/chongqing> a ?t }} }}"
    asked = urlencode({"query": query, "named-graph-uri": f"{BASE}graph/nothing"})
    response = client.post(
        "/sparql?" + urlencode({"named-graph-uri": places}),
        data=asked,
        headers={"Content-Type": FORM, "Accept": JSON},
    )
    assert boolean_from(response.data, JSON) is True


def test_form_post_with_the_query_in_the_url_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?query=ASK%7B%7D", data="query=ASK%20%7B%7D", headers={"Content-Type": FORM}
    )
    assert response.status_code == 400


def test_form_post_with_an_update_in_the_url_is_refused_as_an_update(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?update=CLEAR%20ALL", data="query=ASK%20%7B%7D", headers={"Content-Type": FORM}
    )
    assert response.status_code == 403


def test_service_description_states_where_it_was_fetched(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"}, base_url="http://mirror.example:8080")
    graph = parse_graph(response.data, "text/turtle")
    service = URIRef(f"{BASE}sparql")
    assert set(graph.objects(service, SD.endpoint)) == {service, URIRef("http://mirror.example:8080/sparql")}


def test_service_description_ignores_a_host_that_is_no_iri(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle", "Host": "a b<c>"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        graph = parse_graph(response.data, "text/turtle")
        assert set(graph.objects(URIRef(f"{BASE}sparql"), SD.endpoint)) == {URIRef(f"{BASE}sparql")}


@pytest.mark.parametrize(
    "path", ["/doc//place/chongqing", "/id//place/chongqing?lang=fr", "/id/place/chongqing"]
)
def test_redirects_never_reflect_the_host_header(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example", "Accept": "text/html"})
    assert response.status_code in (303, 308)
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location


@pytest.fixture(scope="module")
def gunicorn(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(build_dir, tmp_path_factory.mktemp("edges"), workers=1) as running:
        yield running


@pytest.mark.network
def test_deep_nesting_gets_the_same_clear_error_by_get_and_post(gunicorn: LiveServer) -> None:
    by_get = gunicorn.request("GET", "/sparql?query=" + quote(DEEP), headers={"Accept": "text/plain"})
    by_post = gunicorn.request(
        "POST",
        "/sparql",
        body=DEEP,
        headers={"Content-Type": "application/sparql-query", "Accept": "text/plain"},
    )
    by_form = gunicorn.query(DEEP, accept="text/plain", method="POST")
    assert by_get.status == by_post.status == by_form.status == 400
    assert by_get.text == by_post.text == by_form.text
    assert "nests too deeply" in by_get.text


@pytest.mark.network
def test_deep_nesting_by_get_through_nginx(build_dir: Path) -> None:
    from support.timing import require_nginx

    require_nginx()
    with tradelod_serve(build_dir, workers=1, settings={"FRONT": "nginx"}) as running:
        status, headers, body = running.request(
            "GET", "/sparql?query=" + quote(DEEP), {"Accept": "text/plain"}
        )
    assert status == 400
    assert b"nests too deeply" in body
    assert headers["server"] == "nginx"
