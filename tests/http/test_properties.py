"""Property tests (hypothesis) over what a client controls: IRIs and paths, header values, query
parameters. Whatever arrives, the answer is never a 500 or a traceback, never shows a filesystem path,
always carries the security headers, and every 429/503 says when to come back."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelod.http.security import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: What a header value may hold on the wire (visible ASCII and Latin-1, spaces, tabs).
HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=80
)
#: Any text a URL can carry once percent-encoded.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


def check(response: object, build_dir: Path) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert status < 500 or status == 503, (status, body[:300])
    assert "Traceback" not in body
    assert str(ROOT) not in body and str(build_dir) not in body
    for name in SECURITY_HEADERS:
        assert name in response.headers, name  # type: ignore[attr-defined]
    if status in (429, 503):
        assert response.headers["Retry-After"].isdigit()  # type: ignore[attr-defined]


@SETTINGS
@given(
    prefix=st.sampled_from(["/id/place/", "/doc/place/", "/id/", "/doc/", "/browse/tlo:", "/browse/", "/graph/",
                            "/dumps/", "/articles/", "/ontology/", "/.well-known/void.", "/dataset/"]),
    tail=ANY_TEXT,
)  # fmt: skip
def test_any_path_is_answered_cleanly(client: FlaskClient, build_dir: Path, prefix: str, tail: str) -> None:
    response = client.get(prefix + quote(tail, safe="/:"), headers={"Accept": "text/html"})
    check(response, build_dir)
    if response.status_code in (301, 302, 303, 307, 308):
        assert response.headers["Location"].startswith("/")
        assert not response.headers["Location"].startswith("//")


@SETTINGS
@given(
    path=st.sampled_from(["/", "/doc/place/chongqing", "/id/place/chongqing", "/sparql", "/search?q=a"]),
    accept=HEADER_TEXT,
    language=HEADER_TEXT,
    forwarded=HEADER_TEXT,
    host=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40),
)
def test_any_header_values_are_answered_cleanly(
    client: FlaskClient, build_dir: Path, path: str, accept: str, language: str, forwarded: str, host: str
) -> None:
    headers = {"Accept": accept, "Accept-Language": language, "X-Forwarded-For": forwarded, "Host": host}
    response = client.get(path, headers=headers)
    check(response, build_dir)
    location = response.headers.get("Location")
    if location:  # host-relative: the Host header is never reflected
        assert location.startswith("/") and not location.startswith("//")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=ANY_TEXT,
    fmt=st.one_of(st.none(), ANY_TEXT, st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "html", "nt"])),
    graph=st.one_of(st.none(), ANY_TEXT),
    method=st.sampled_from(["GET", "POST-form", "POST-direct"]),
)
def test_any_query_parameters_are_answered_cleanly(
    client: FlaskClient, build_dir: Path, query: str, fmt: str | None, graph: str | None, method: str
) -> None:
    params = {"query": query}
    if fmt is not None:
        params["format"] = fmt
    if graph is not None:
        params["default-graph-uri"] = graph
    if method == "GET":
        response = client.get("/sparql", query_string=params)
    elif method == "POST-form":
        response = client.post("/sparql", data=params)
    else:
        extra = {k: v for k, v in params.items() if k != "query"}
        response = client.post(
            "/sparql", query_string=extra, data=query.encode("utf-8"), content_type="application/sparql-query"
        )
    check(response, build_dir)


@SETTINGS
@given(q=ANY_TEXT, lang=ANY_TEXT)
def test_any_search_is_answered_cleanly(client: FlaskClient, build_dir: Path, q: str, lang: str) -> None:
    check(client.get("/search", query_string={"q": q, "lang": lang}), build_dir)
