"""Talking to an external SPARQL engine over HTTP: the SPARQL 1.1 Protocol and the Graph Store Protocol.

One ``EngineClient`` per process holds a keep-alive connection pool (httpx) to the engine, with a
connect timeout and a read timeout, so that an engine that is down or stuck becomes
``EngineUnavailable`` within a bounded time instead of a hung request. Credentials come from the
settings (``STORE_USER``/``STORE_PASSWORD``, i.e. the environment) and are sent as HTTP Basic or
Digest auth (``STORE_AUTH``); they never appear in a message, a log line or a ``repr``.

The dataset of every query is given explicitly with the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters: engines disagree on what their default graph is (Virtuoso: every
graph, its own system graphs included; Oxigraph server: the real default graph; Fuseki: a setting),
and only the graphs of the published release may ever be seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from tradelod.http.errors import ServiceUnavailable

from .breaker import Breaker, BreakerOpen

#: Seconds the front end waits before telling a client to come back when the engine is unavailable.
RETRY_AFTER = "5"

#: Engine errors whose status says "not you, me": the engine is down, overloaded or restarting.
_UNAVAILABLE_STATUSES = frozenset({502, 503, 504})


def shown(url: str) -> str:
    """A URL as it may be printed: without any user:password@ part."""
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}{sep}{host.rsplit('@', 1)[-1]}{slash}{path}" if sep else url


class EngineUnavailable(ServiceUnavailable):
    """The engine did not answer in time, refused the connection or said it is unavailable."""

    def __init__(self, detail: str, retry_after: str = RETRY_AFTER) -> None:
        super().__init__(detail, headers={"Retry-After": retry_after})


class EngineRefused(Exception):
    """The engine answered a request with a client error (its message, without credentials)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"the engine answered {status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class EngineSettings:
    """Where an engine answers (query, update, Graph Store Protocol), how to log in, how long to wait."""

    query_url: str
    update_url: str = ""
    gsp_url: str = ""
    user: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    auth: str = "digest"
    connect_seconds: float = 3.0
    read_seconds: float = 30.0
    pause_seconds: float = 5.0

    @classmethod
    def from_config(cls, config: Any) -> EngineSettings:
        """The engine named by an app or CLI configuration (STORE, STORE_UPDATE, STORE_GSP, STORE_USER …)."""
        query = str(config["STORE"])
        return cls(
            query_url=query,
            update_url=str(config.get("STORE_UPDATE") or query),
            gsp_url=str(config.get("STORE_GSP") or ""),
            user=str(config.get("STORE_USER") or ""),
            password=str(config.get("STORE_PASSWORD") or ""),
            auth=str(config.get("STORE_AUTH") or "digest"),
            connect_seconds=float(config.get("STORE_CONNECT_SECONDS", 3.0)),
            read_seconds=float(config.get("QUERY_TIMEOUT_SECONDS", 10.0)) + 5.0,
            pause_seconds=float(config.get("STORE_PAUSE_SECONDS", 5.0)),
        )


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of one query, as the protocol's default-graph-uri and named-graph-uri lists."""

    default: tuple[str, ...]
    named: tuple[str, ...]

    def params(self) -> list[tuple[str, str]]:
        """The protocol parameters naming this dataset."""
        return [("default-graph-uri", g) for g in self.default] + [("named-graph-uri", g) for g in self.named]


class EngineClient:
    """HTTP to one engine: queries (streamed answers), updates and Graph Store Protocol writes."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        auth: httpx.Auth | None = None
        if settings.user:
            auth = (
                httpx.BasicAuth(settings.user, settings.password)
                if settings.auth == "basic"
                else httpx.DigestAuth(settings.user, settings.password)
            )
        self.http = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(settings.read_seconds, connect=settings.connect_seconds),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            follow_redirects=False,
            trust_env=False,  # never send the engine's traffic (or its credentials) through a proxy
        )
        self.breaker = Breaker(settings.pause_seconds)
        #: The engine's Server header as last seen ("" until the first answer): says which engine it is.
        self.server = ""

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    @contextmanager
    def query(
        self,
        text: str,
        accept: str,
        dataset: Dataset | None,
        extra: Sequence[tuple[str, str]] = (),
        read_seconds: float | None = None,
    ) -> Iterator[httpx.Response]:
        """POST a query (form-encoded, the dataset as parameters); yield the streamed response."""
        data = [("query", text), *(dataset.params() if dataset else []), *extra]
        timeout = (
            None
            if read_seconds is None
            else httpx.Timeout(read_seconds, connect=self.settings.connect_seconds)
        )
        request = self.http.build_request(
            "POST",
            self.settings.query_url,
            content=urlencode(data).encode("ascii"),  # repeated fields: encoded here, in order
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=timeout or httpx.USE_CLIENT_DEFAULT,
        )
        with self._send(request) as response:
            yield response

    def is_virtuoso(self) -> bool:
        """Whether the engine is Virtuoso (by its Server header; asks it once if nothing was seen yet)."""
        if not self.server:
            with self.query("ASK {}", "application/sparql-results+json", None) as response:
                response.read()
        return self.server.lower().startswith("virtuoso")

    def update(self, text: str, read_seconds: float | None = None) -> None:
        """Run a SPARQL Update on the engine's update endpoint."""
        url = self.settings.update_url or self.settings.query_url
        request = self.http.build_request(
            "POST",
            url,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            timeout=httpx.Timeout(read_seconds, connect=self.settings.connect_seconds)
            if read_seconds
            else httpx.USE_CLIENT_DEFAULT,
        )
        with self._send(request) as response:
            response.read()

    def post_graph(self, graph: str, ntriples: bytes, read_seconds: float | None = None) -> None:
        """Add N-Triples to a named graph with the Graph Store Protocol (POST ?graph=…)."""
        request = self.http.build_request(
            "POST",
            self.settings.gsp_url,
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": "application/n-triples"},
            timeout=httpx.Timeout(read_seconds, connect=self.settings.connect_seconds)
            if read_seconds
            else httpx.USE_CLIENT_DEFAULT,
        )
        with self._send(request) as response:
            response.read()

    @contextmanager
    def _send(self, request: httpx.Request) -> Iterator[httpx.Response]:
        try:
            self.breaker.admit()
        except BreakerOpen as paused:
            raise EngineUnavailable(
                "The SPARQL engine behind this service is not answering; try again in a moment.",
                str(paused.retry_after),
            ) from None
        try:
            response = self.http.send(request, stream=True)
        except httpx.TimeoutException:
            self.breaker.failed()
            raise EngineUnavailable(
                "The SPARQL engine behind this service did not answer in time; try again in a moment."
            ) from None
        except httpx.TransportError:
            self.breaker.failed()
            raise EngineUnavailable(
                "The SPARQL engine behind this service cannot be reached; try again in a moment."
            ) from None
        try:
            if response.status_code in _UNAVAILABLE_STATUSES:
                self.breaker.failed()
                raise EngineUnavailable(
                    f"The SPARQL engine behind this service is unavailable ({response.status_code}); "
                    "try again in a moment."
                )
            self.breaker.succeeded()
            self.server = response.headers.get("server", "")
            if response.status_code >= 400:
                raise EngineRefused(response.status_code, engine_message(response))
            yield response
        except httpx.TimeoutException:
            self.breaker.failed()
            raise EngineUnavailable(
                "The SPARQL engine behind this service stopped answering; try again in a moment."
            ) from None
        except httpx.TransportError:
            self.breaker.failed()
            raise EngineUnavailable(
                "The connection to the SPARQL engine behind this service broke; try again in a moment."
            ) from None
        finally:
            response.close()


def engine_message(response: httpx.Response) -> str:
    """The engine's own words on why it refused a query: its first paragraph, no echo, no paths.

    Engines put their parser's or evaluator's message first and may append the query as they
    rewrote it (Virtuoso: "SPARQL query:" and the text with its own pragmas) or a file name of
    theirs: only the first paragraph is kept, and anything shaped like an absolute path is hidden.
    """
    try:
        body = response.read()[:4000]
    except httpx.HTTPError:
        return ""
    text = body.decode("utf-8", "replace").strip()
    first = re.split(r"\n\s*\n|\n\s*SPARQL query:", text, maxsplit=1)[0].strip()
    first = _PATH.sub("…", first)
    return first[:300] + ("…" if len(first) > 300 else "")


#: An absolute filesystem path (a POSIX path of two parts or more, or a Windows drive path).
_PATH = re.compile(r"(?<![\w:/.])(?:/[\w.@-]+){2,}/?|\b[A-Za-z]:\\[^\s'\"]+")
