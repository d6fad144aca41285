"""Every error becomes an HTTP response here, and only here.

Views raise ``TradelodError`` subclasses (or let Werkzeug raise its own HTTP exceptions); this module
turns them into responses in the format the client accepts — an HTML page, a JSON problem document
or plain text — and makes sure that no stack trace ever reaches a client.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
from html import escape
from pathlib import Path

from flask import Flask, Response, current_app, render_template, request
from jinja2 import TemplateError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class TradelodError(Exception):
    """An error with an HTTP status, a short title and a detail message for the client."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class BadRequest(TradelodError):
    """The request is malformed (e.g. a SPARQL syntax error)."""

    status, title = 400, "Bad Request"


class Forbidden(TradelodError):
    """The request asks for something the public service refuses (updates, SERVICE)."""

    status, title = 403, "Forbidden"


class NotFound(TradelodError):
    """No resource at this IRI."""

    status, title = 404, "Not Found"


class MethodNotAllowed(TradelodError):
    """Wrong HTTP method for this resource."""

    status, title = 405, "Method Not Allowed"


class NotAcceptable(TradelodError):
    """None of the offered media types is acceptable to the client."""

    status, title = 406, "Not Acceptable"

    def __init__(self, offered: tuple[str, ...]) -> None:
        super().__init__("This resource is available as: " + ", ".join(offered) + ".")
        self.offered = offered


class PayloadTooLarge(TradelodError):
    """The request body or query text is over the configured size limit."""

    status, title = 413, "Payload Too Large"


class UnsupportedMediaType(TradelodError):
    """The request body has a media type this endpoint does not take."""

    status, title = 415, "Unsupported Media Type"


class TooManyRequests(TradelodError):
    """The client is over its share (its query-time budget): it gets Retry-After."""

    status, title = 429, "Too Many Requests"


class QueryTimeout(TradelodError):
    """A query ran past the wall-clock limit and was stopped."""

    status, title = 503, "Query Timeout"


class QueryMemoryLimit(TradelodError):
    """A query needed more memory than one query process may take, and was stopped."""

    status, title = 503, "Query Memory Limit"


class ServiceUnavailable(TradelodError):
    """The store is not available (e.g. no build yet)."""

    status, title = 503, "Service Unavailable"


#: Retry-After (seconds) of a 429 or 503 that does not say better; every one of them carries it.
DEFAULT_RETRY_AFTER = "5"

#: Absolute paths that look like this machine's files (after a space, a quote, a bracket or "="), for
#: messages that come from elsewhere (an engine, the OS): a client never learns where things live.
_FILESYSTEM_PATH = re.compile(
    r"(?<![\w/.:%~-])/(?:tmp|home|root|usr|var|etc|opt|proc|srv|mnt|work|run|dev|sys|lib|lib64|bin|sbin|"
    r"nix|private|Users|Volumes|build|rustc|cargo)(?:/[^\s'\"<>()\[\],;]*)?"
)


def redact_paths(text: str) -> str:
    """``text`` without the absolute filesystem paths it may hold (the server's folders, an engine's)."""
    prefixes = {sys.prefix, sys.base_prefix, tempfile.gettempdir(), str(Path.home()), os.getcwd()}
    try:
        root = Path(current_app.config["ROOT"]).resolve()
        prefixes |= {str(root), str(root / current_app.config["BUILD_DIR"])}
    except (RuntimeError, KeyError, TypeError):
        pass
    for prefix in sorted((p for p in prefixes if p.startswith("/") and p != "/"), key=len, reverse=True):
        # Only a whole path (not the same letters inside an IRI, which follow a host name or a slash).
        text = re.sub(rf"(?<![\w/.:%~-]){re.escape(prefix)}(?=/|$|[^\w.-])[^\s'\"<>()\[\],;]*", "…", text)
    return _FILESYSTEM_PATH.sub("…", text)


#: RDF media types an error can be written in (an empty graph that carries the message), so that a
#: client asking an IRI for Turtle gets its 404 in Turtle and can still parse it.
RDF_ERROR_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")


def rdf_error_body(media_type: str, status: int, title: str, detail: str) -> str:
    """An error as an empty RDF document in ``media_type``, the message in comments (or JSON keys)."""
    if media_type == "application/ld+json":
        return json.dumps(
            {"@graph": [], "status": status, "title": title, "detail": detail}, ensure_ascii=False
        )
    if media_type == "application/rdf+xml":
        comment = f"{status} {title}: {detail}".replace("--", "- -")
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<!-- {comment} -->\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
        )
    lines = [f"{status} {title}", *detail.splitlines()]
    return "".join(f"# {line}\n" for line in lines)


def _html_page(status: int, title: str, detail: str) -> str:
    """The error as a page of the site (its header, language switch, styles); bare if that cannot be drawn."""
    try:
        return render_template("error.html", status=status, title=title, detail=detail)
    except TemplateError:
        log.exception("error page template failed")
        return (
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{status} {escape(title)}</title></head><body><main class=error>"
            f"<h1>{status} {escape(title)}</h1><p>{escape(detail)}</p><p><a href=/>tradelod home</a></p></main></body></html>"
        )


def error_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Render an error in the format the client prefers: HTML, JSON or plain text."""
    detail = redact_paths(detail)
    best = request.accept_mimetypes.best_match(
        ["text/html", "application/json", "application/problem+json", "text/plain", *RDF_ERROR_TYPES],
        default="text/plain",
    )
    if request.accept_mimetypes.best in ("*/*", None) or not request.accept_mimetypes:
        best = "text/plain"
    if best == "text/html":
        body = _html_page(status, title, detail)
        mimetype = "text/html"
    elif best in ("application/json", "application/problem+json"):
        body = json.dumps({"status": status, "title": title, "detail": detail}, ensure_ascii=False)
        mimetype = "application/problem+json" if best == "application/problem+json" else "application/json"
    elif best in RDF_ERROR_TYPES:
        body, mimetype = rdf_error_body(best, status, title, detail), best
    else:
        body = f"{status} {title}\n{detail}\n"
        mimetype = "text/plain"
    response = Response(body, status=status, mimetype=mimetype)
    response.headers["Vary"] = "Accept, Accept-Language" if mimetype == "text/html" else "Accept"
    # Errors are readable cross-origin too, so a browser client can show why its request failed.
    response.headers["Access-Control-Allow-Origin"] = "*"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status in (429, 503) and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = DEFAULT_RETRY_AFTER
    return response


def init_app(app: Flask) -> None:
    """Register the error handlers on the app."""

    @app.errorhandler(TradelodError)
    def handle_tradelod(error: TradelodError) -> Response:
        return error_response(error.status, error.title, error.detail, error.headers)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Response:
        headers = {k: v for k, v in error.get_headers() if k.lower() in ("allow", "retry-after")}
        return error_response(error.code or 500, error.name, error.description or "", headers)

    @app.errorhandler(OSError)
    def handle_missing_file(error: OSError) -> Response:
        # A file of the published release is missing or unreadable (a damaged or half-copied release):
        # the operator reads the log; the client is told to come back, without the path.
        log.error("release file unreadable on %s %s: %s", request.method, request.path, error)
        return error_response(
            503,
            "Service Unavailable",
            "A file of the published release is missing or unreadable; try again later.",
        )

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(
            500, "Internal Server Error", "The server met an unexpected error; it has been logged."
        )
