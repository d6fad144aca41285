"""Cache-Control on every answer, by kind of resource, so that an HTTP cache can stand in front.

Front ends are stateless (every answer depends only on the release the store serves and the
request), so a shared cache (nginx, Varnish, a CDN) may keep any successful GET for a while: the
``CACHE_SECONDS`` setting gives the max-age of each kind (documents and data, pages, SPARQL answers,
fragments, dumps, static files). That max-age is the longest a cache serves a release after
``tradelod load`` or ``build`` switched to a new one. Errors that may pass (503, 429, 500) are never
cached; POST answers are not cacheable anyway.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

#: Path prefixes and the kind of resource they serve (the first match wins; anything else is a page).
KINDS: tuple[tuple[str, str], ...] = (
    ("/static/", "static"),
    ("/favicon.ico", "static"),
    ("/dumps/", "dump"),
    ("/sparql", "sparql"),
    ("/fragments", "fragment"),
    ("/id/", "data"),
    ("/doc/", "data"),
    ("/ontology", "data"),
    ("/shapes", "data"),
    ("/graph/", "data"),
    ("/dataset", "data"),
    ("/.well-known/", "data"),
    ("/validation-report", "data"),
    ("/context.jsonld", "data"),
    ("/articles/", "data"),
)

#: Statuses a cache may keep: answers about the resource itself, not about the server's state.
CACHEABLE = frozenset({200, 203, 204, 206, 300, 301, 303, 304, 308, 404, 405, 406, 410, 414})


def kind_of(path: str) -> str:
    """The kind of resource a path serves (``page`` when no prefix matches)."""
    return next((kind for prefix, kind in KINDS if path.startswith(prefix)), "page")


def cache_control(status: int, method: str, path: str, seconds: dict[str, Any]) -> str:
    """The Cache-Control value for one answer."""
    if method not in ("GET", "HEAD") or status not in CACHEABLE:
        return "no-store"
    age = int(seconds.get(kind_of(path), seconds.get("page", 60)))
    return f"public, max-age={age}" if age > 0 else "no-cache"


def init_app(app: Flask) -> None:
    """Set Cache-Control on every answer that does not carry one already."""

    @app.after_request
    def add_cache_control(response: Response) -> Response:
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = cache_control(
                response.status_code, request.method, request.path, app.config["CACHE_SECONDS"]
            )
        return response
