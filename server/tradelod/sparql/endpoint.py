"""The /sparql blueprint: the W3C SPARQL 1.1 Protocol (query operation), read-only and public.

- ``GET /sparql?query=…``, ``POST`` as ``application/x-www-form-urlencoded`` or as
  ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` select among the
  dataset's own graphs (an unknown IRI is an empty graph; nothing is ever fetched).
- Results by Accept (q-values) or by a ``format`` parameter (json, xml, csv, tsv / ttl, jsonld, nt,
  rdf) that overrides it, so a result can be linked.
- ``GET /sparql`` without a query: the Service Description (RDF) for machines, the query page for
  browsers; a browser opening ``/sparql?query=…`` (the permalink) gets the page, which runs it.
- Updates in any form get 403, other methods 405, other bodies 415, over-long queries 413.
- CORS: any origin may query (no credentials), and preflight requests are answered.

The query itself runs in a separate process (``query_runner``) under the time and row limits.
"""

from __future__ import annotations

import threading
from time import monotonic
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from werkzeug.datastructures import MultiDict

from tradelod.graph.namespaces import all_prefixes
from tradelod.http import errors
from tradelod.http.negotiation import ALIASES, RESULT_FORMATS, negotiate
from tradelod.store.current import get_store
from tradelod.store.engine import EngineUnavailable

from . import memory
from .admission import Admission, client_key
from .answer_cache import AnswerCache, Key, cacheable
from .example_queries import load_examples
from .nesting import nesting_depth
from .query_process import Job, Outcome, Settings
from .query_runner import current_settings, run_query
from .results import FORMAT_ALIASES, GRAPH_FORMATS
from .service_description import describe_service, serialise

bp = Blueprint(
    "sparql", __name__, template_folder="templates", static_folder="static", static_url_path="/static/sparql"
)

_ADMISSION_LOCK = threading.Lock()

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: The protocol parameters that set the dataset of a query.
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, "
    "ADD) is refused."
)
#: Headers a browser script on another origin may read.
EXPOSED = (
    "X-Tradelod-Truncated, X-Tradelod-Rows, X-Tradelod-Row-Limit, X-Tradelod-Answer-Cache, Content-Length, "
    "Content-Type"
)
#: The prefixes written into a fresh editor (all of them are predeclared anyway).
EDITOR_PREFIXES = ("tlo", "tl", "rdfs", "skos", "xsd", "schema", "oa")
#: Media types of the service description; HTML (the page) last, so ``*/*`` gets Turtle.
DESCRIPTION_TYPES = (*(f.media_type for f in GRAPH_FORMATS), "text/html")
#: Everything /sparql?query=… can answer with; HTML last, so only a browser's explicit wish gets it.
ANSWER_TYPES = (*(f.media_type for f in RESULT_FORMATS), *(f.media_type for f in GRAPH_FORMATS), "text/html")


@bp.after_request
def cors(response: Response) -> Response:
    """Let browser clients on any origin read every answer of the endpoint, errors included."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    """Answer CORS preflight requests (POST with application/sparql-query needs one)."""
    response = Response(status=204)
    response.headers["Allow"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    requested = request.headers.get("Access-Control-Request-Headers", "")
    safe = ", ".join(h.strip() for h in requested.split(",") if h.strip().replace("-", "").isalnum())
    response.headers["Access-Control-Allow-Headers"] = safe or "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.route("/sparql", methods=["PUT", "DELETE", "PATCH"])
def wrong_method() -> Response:
    """Refuse the methods of the Graph Store Protocol and other writes."""
    raise errors.MethodNotAllowed(
        f"/sparql answers {ALLOWED_METHODS}: it is a read-only query endpoint (no Graph Store Protocol, "
        "no updates).",
        headers={"Allow": ALLOWED_METHODS},
    )


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """The SPARQL protocol's query operation, the service description and the query page."""
    params = _parameters()
    if "update" in params:
        raise errors.Forbidden(READ_ONLY)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise errors.BadRequest("Give exactly one query parameter (this request has several).")
    override = params.get("format")
    if not queries:
        if request.method == "POST":
            raise errors.BadRequest(
                "Missing query: send query=… (form) or the query itself (application/sparql-query)."
            )
        return _describe_or_page(override)
    query = queries[0]
    _check_size(query)
    if not query.strip():
        raise errors.BadRequest("The query is empty.")
    _check_nesting(query)
    if request.method in ("GET", "HEAD") and _wants_page(override):
        return _page(query, autorun=True)
    job = Job(
        query=query,
        accept=request.headers.get("Accept"),
        format=override,
        default_graphs=tuple(params.getlist("default-graph-uri")) if "default-graph-uri" in params else None,
        named_graphs=tuple(params.getlist("named-graph-uri")) if "named-graph-uri" in params else None,
    )
    return _answer(job)


def _parameters() -> MultiDict[str, str]:
    """The protocol parameters of the request, from the URL or the body as the protocol says."""
    if request.method in ("GET", "HEAD"):
        return request.args
    limit = int(current_app.config["QUERY_MAX_BYTES"])
    if request.content_length is not None and request.content_length > 3 * limit + 8192:
        raise errors.PayloadTooLarge(
            f"The request body is over this endpoint's limit ({limit} bytes of query)."
        )
    request.max_content_length = 3 * limit + 8192
    mimetype = request.mimetype
    if mimetype in (FORM, SPARQL_QUERY):
        _check_charset()
    if mimetype == FORM:
        if "query" in request.args:
            raise errors.BadRequest("With a form POST the query goes in the body, not in the URL.")
        # The protocol puts every parameter of a form POST in the body; graphs named in the URL are
        # honoured too (with those of the body), never silently dropped, and so is an update (403).
        params = MultiDict(request.form)
        for name in (*DATASET_PARAMETERS, "update"):
            for value in request.args.getlist(name):
                params.add(name, value)
        return params
    if mimetype == SPARQL_QUERY:
        params = MultiDict(request.args)
        if "query" in params:
            raise errors.BadRequest(
                "With application/sparql-query the query is the body, not a query= parameter."
            )
        try:
            params.add("query", request.get_data().decode("utf-8"))
        except UnicodeDecodeError:
            raise errors.BadRequest("The query body is not valid UTF-8 text.") from None
        return params
    if mimetype == SPARQL_UPDATE:
        raise errors.Forbidden(READ_ONLY)
    raise errors.UnsupportedMediaType(
        f"POST /sparql takes {FORM} (query=…) or {SPARQL_QUERY} (the query as the body), "
        f"not {mimetype or 'a body without Content-Type'}."
    )


def _check_nesting(query: str) -> None:
    limit = int(current_app.config["QUERY_MAX_NESTING"])
    if nesting_depth(query) > limit:
        raise errors.BadRequest(
            "The query nests too deeply for this endpoint (brackets or groups within each other, "
            f"at most {limit} levels)."
        )


def _check_charset() -> None:
    """The protocol's bodies are UTF-8: another declared charset is refused, not guessed at."""
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().strip('"').lower() not in ("utf-8", "utf8", "us-ascii"):
        raise errors.UnsupportedMediaType(
            f"The request body is declared as {charset}: this endpoint reads SPARQL requests as UTF-8 only "
            "(SPARQL 1.1 Protocol)."
        )


def _check_size(query: str) -> None:
    limit = int(current_app.config["QUERY_MAX_BYTES"])
    size = len(query.encode("utf-8"))
    if size > limit:
        raise errors.PayloadTooLarge(
            f"The query is {size} bytes long; this endpoint takes at most {limit} bytes."
        )


def _wants_page(override: str | None) -> bool:
    if override:
        return override.lower() in ("html", "text/html")
    return negotiate(request.headers.get("Accept"), ANSWER_TYPES, default=ANSWER_TYPES[0]) == "text/html"


def _admission() -> Admission:
    """This app's admission (budget, gate), made on the first query."""
    with _ADMISSION_LOCK:
        found = current_app.extensions.get("tradelod.admission")
        if found is None:
            found = Admission(current_app.config, memory.plan(current_app.config).processes)
            current_app.extensions["tradelod.admission"] = found
        return found  # type: ignore[no-any-return]


def _run_admitted(job: Job, settings: Settings) -> Outcome:
    """Run the query under the client's budget and the worker's queue (see ``admission``)."""
    admission = _admission()
    client = client_key(request.remote_addr or "")
    light = admission.check(client)
    timeout = float(current_app.config["QUERY_TIMEOUT_SECONDS"])
    clock: list[float] = []  # when the query started running (a process may have to start first)

    def running() -> None:
        clock.append(monotonic())

    def charge() -> None:
        if clock:
            admission.charge(client, monotonic() - clock.pop())

    if light and admission.light_seconds < timeout:
        with admission.gate.slot(client, light=True, wait_seconds=admission.queue_seconds):
            try:
                return run_query(job, timeout=admission.light_seconds, on_running=running, settings=settings)
            except errors.QueryTimeout:
                light = False  # longer than a light query: queued again below, with the heavy ones
            finally:
                charge()
    with admission.gate.slot(client, light=light, wait_seconds=admission.queue_seconds):
        try:
            return run_query(job, timeout=timeout, on_running=running, settings=settings)
        finally:
            charge()


def _answers() -> AnswerCache:
    """This app's remembered answers (one cache per worker process), made on the first query."""
    with _ADMISSION_LOCK:
        found = current_app.extensions.get("tradelod.answers")
        if found is None:
            found = AnswerCache(int(float(current_app.config["QUERY_CACHE_MB"]) * 1024 * 1024))
            current_app.extensions["tradelod.answers"] = found
        return found  # type: ignore[no-any-return]


def _remembered_or_run(job: Job) -> tuple[Outcome, str]:
    """The answer and where it came from: remembered for this release ("hit"), or run ("miss")."""
    answers = _answers()
    settings = current_settings()
    if answers.max_bytes <= 0 or not cacheable(job, settings):
        return _run_admitted(job, settings), "off"
    key = Key(settings, job)
    outcome = answers.get(key)
    if outcome is not None:
        # A client over its budget is refused whatever it asks; a remembered answer costs no query
        # time, so it is not charged.
        _admission().check(client_key(request.remote_addr or ""))
        return outcome, "hit"
    outcome = _run_admitted(job, settings)
    answers.put(key, outcome)
    return outcome, "miss"


def _answer(job: Job) -> Response:
    outcome, cached = _remembered_or_run(job)
    if outcome.kind == "refused":
        raise errors.Forbidden(outcome.message)
    if outcome.kind == "syntax":
        raise errors.BadRequest(outcome.message)
    if outcome.kind == "unavailable":
        raise EngineUnavailable(outcome.message)
    if outcome.kind == "not-acceptable":
        raise errors.NotAcceptable(outcome.offered)
    if outcome.kind != "ok" or outcome.written is None:
        raise errors.BadRequest(outcome.message or "The query could not be evaluated.")
    written = outcome.written
    response = Response(written.body, status=200, content_type=written.media_type)
    response.headers["X-Tradelod-Rows"] = str(written.rows)
    response.headers["X-Tradelod-Row-Limit"] = str(current_app.config["QUERY_ROW_LIMIT"])
    response.headers["X-Tradelod-Truncated"] = "true" if written.truncated else "false"
    response.headers["X-Tradelod-Answer-Cache"] = cached
    return response


def _describe_or_page(override: str | None) -> Response:
    if override:
        wanted = FORMAT_ALIASES.get(override.lower(), override.lower())
        fmt = next((f for f in GRAPH_FORMATS if wanted in (f.extension, f.media_type)), None)
        if wanted in ("html", "text/html"):
            return _page("", autorun=False)
        if fmt is None:
            raise errors.NotAcceptable(DESCRIPTION_TYPES)
        chosen: str | None = fmt.media_type
    else:
        offered = DESCRIPTION_TYPES + tuple(a for a, t in ALIASES.items() if t in DESCRIPTION_TYPES)
        chosen = negotiate(request.headers.get("Accept"), offered, default="text/turtle")
        chosen = ALIASES.get(chosen, chosen) if chosen else None
    if chosen is None:
        raise errors.NotAcceptable(DESCRIPTION_TYPES)
    if chosen == "text/html":
        return _page("", autorun=False)
    body = serialise(describe_service(get_store(), current_app.config, request.base_url), chosen)
    fmt_type = next(f for f in GRAPH_FORMATS if f.media_type == chosen)
    return Response(body, content_type=_text_charset(fmt_type.media_type))


def _text_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def _page(query: str, autorun: bool) -> Response:
    """The query page: editor, examples, results table, downloads and permalink."""
    config = current_app.config
    base = str(config["BASE_IRI"])
    prefixes = all_prefixes(base)
    examples = load_examples()
    starter = "\n".join(f"PREFIX {p}: <{prefixes[p]}>" for p in EDITOR_PREFIXES) + (
        '\n\nSELECT ?thing ?label WHERE {\n  ?thing rdfs:label ?label .\n  FILTER(LANG(?label) = "en")\n}'
        "\nORDER BY ?label\nLIMIT 25\n"
    )
    settings: dict[str, Any] = {
        "base": base,
        "endpoint": request.path,
        "prefixes": prefixes,
        "autorun": autorun,
        "resultFormats": [f.name for f in RESULT_FORMATS],
        "graphFormats": [f.extension for f in GRAPH_FORMATS],
        "rowLimit": int(config["QUERY_ROW_LIMIT"]),
        # the page language (the app's locale selector), and the one the reader picked, kept on links
        "lang": str(get_locale() or "en"),
        "stickyLang": request.args.get("lang") if request.args.get("lang") in ("en", "fr") else None,
    }
    html = render_template(
        "sparql.html",
        query=query or starter,
        examples=examples,
        prefixes=prefixes,
        settings=settings,
        timeout=float(config["QUERY_TIMEOUT_SECONDS"]),
        row_limit=int(config["QUERY_ROW_LIMIT"]),
        max_bytes=int(config["QUERY_MAX_BYTES"]),
    )
    # The Content-Security-Policy (no inline script, nothing from other origins) is the app's own,
    # set on every answer by tradelod.http.security.
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = str(get_locale() or "en")
    response.vary.add("Accept-Language")
    return response
