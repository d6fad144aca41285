"""The micro-cache of the nginx front: a document asked again within ``FRONT_CACHE_SECONDS`` is answered
by nginx without reaching gunicorn, per format and language; SPARQL answers and dumps never are; the
answers from the cache are in the access log. Real nginx, real gunicorn, on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.serving import LiveServer, live_server
from support.timing import nginx_check, require_nginx
from tradelod.config import DEFAULTS
from tradelod.serve.front import render

pytestmark = pytest.mark.network
#: Long enough that two requests in a row on a loaded machine fall within it, short enough to see expire.
CACHE_SECONDS = 5
TURTLE = {"Accept": "text/turtle"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("front-cache-logs")


@pytest.fixture(scope="module")
def cached(build_dir: Path, logs: Path) -> Iterator[LiveServer]:
    require_nginx()
    settings = {"FRONT": "nginx", "FRONT_CACHE_SECONDS": CACHE_SECONDS, "LOG_DIR": str(logs)}
    with live_server(build_dir, workers=1, settings=settings) as running:
        yield running


def app_saw(logs: Path, line: str) -> int:
    """How many requests with this request line gunicorn answered (the access log's own lines)."""
    text = (logs / "access.log").read_text(encoding="utf-8")
    return sum(1 for entry in text.splitlines() if f'"{line}"' in entry and not entry.endswith(" cache"))


def test_a_repeated_document_is_answered_by_nginx_alone(cached: LiveServer, logs: Path) -> None:
    path = "/doc/place/chongqing"
    first = cached.request("GET", path, TURTLE)
    second = cached.request("GET", path, TURTLE)
    assert first[0] == second[0] == 200
    assert first[1]["x-cache-status"] == "MISS"
    assert second[1]["x-cache-status"] == "HIT"
    assert second[2] == first[2] and second[1]["etag"] == first[1]["etag"]
    assert second[1]["content-type"].startswith("text/turtle")
    assert b"Chongqing" in second[2]
    # Another format of the same URL is its own entry, negotiated by the app once.
    json_ld = cached.request("GET", path, {"Accept": "application/ld+json"})
    assert json_ld[1]["content-type"].startswith("application/ld+json")
    assert json_ld[1]["x-cache-status"] == "MISS"
    assert cached.request("GET", path, {"Accept": "application/ld+json"})[1]["x-cache-status"] == "HIT"
    # A conditional request is answered from the cache too.
    again = cached.request("GET", path, {**TURTLE, "If-None-Match": first[1]["etag"]})
    assert again[0] == 304
    # gunicorn saw one request per format; nginx logged its hits in the same access log.
    deadline = time.monotonic() + 10
    while app_saw(logs, f"GET {path} HTTP/1.1") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # polling the log file with a deadline
    assert app_saw(logs, f"GET {path} HTTP/1.1") == 2
    hits = [x for x in (logs / "access.log").read_text(encoding="utf-8").splitlines() if x.endswith(" cache")]
    assert any(f'"GET {path} HTTP/1.0" 200' in x or f'"GET {path} HTTP/1.1" 200' in x for x in hits)


def test_each_language_of_a_page_is_its_own_entry(cached: LiveServer) -> None:
    french = cached.request("GET", "/browse", {"Accept": "text/html", "Accept-Language": "fr"})
    english = cached.request("GET", "/browse", {"Accept": "text/html", "Accept-Language": "en"})
    assert b'lang="fr"' in french[2] and b'lang="en"' in english[2]
    french_again = cached.request("GET", "/browse", {"Accept": "text/html", "Accept-Language": "fr"})
    assert french_again[1]["x-cache-status"] == "HIT" and french_again[2] == french[2]


def test_sparql_answers_and_dumps_are_never_kept(cached: LiveServer) -> None:
    query = "/sparql?query=ASK%20%7B%7D"
    for _ in range(2):
        status, headers, _ = cached.request("GET", query, {"Accept": "application/sparql-results+json"})
        assert status == 200 and headers["x-cache-status"] == "BYPASS"
    for _ in range(2):
        status, headers, _ = cached.request("GET", "/dumps", {"Accept": "text/html"})
        assert status == 200 and headers["x-cache-status"] == "BYPASS"


def test_an_entry_expires_after_the_cache_time(cached: LiveServer) -> None:
    path = "/doc/place/singapore"
    assert cached.request("GET", path, TURTLE)[0] == 200
    assert cached.request("GET", path, TURTLE)[1]["x-cache-status"] == "HIT"
    started, status = time.monotonic(), "HIT"
    while status == "HIT" and time.monotonic() - started < CACHE_SECONDS + 10:
        time.sleep(0.2)  # polling with a deadline
        status = cached.request("GET", path, TURTLE)[1]["x-cache-status"]
    assert status in ("EXPIRED", "MISS")
    assert time.monotonic() - started <= CACHE_SECONDS + 10


def test_a_cache_time_of_zero_turns_the_cache_off(tmp_path: Path) -> None:
    text = render({**DEFAULTS, "FRONT_CACHE_SECONDS": 0}, "127.0.0.1", 8000, tmp_path)
    assert "proxy_cache off;" in text
    check = nginx_check(text, tmp_path)
    assert check.returncode == 0, check.stderr
    three = render({**DEFAULTS, "FRONT_CACHE_SECONDS": 3}, "127.0.0.1", 8000, tmp_path)
    assert "proxy_cache documents;" in three
    assert "proxy_cache_valid 200 301 303 308 404 410 3s;" in three
