"""Document responses: pick the format, then send it with the headers a Linked Data client relies on.

Every document the server sends goes through ``respond()``, so all of them carry the same headers:
``Vary`` (Accept, and Accept-Language for HTML), ``Content-Location`` when the format was
negotiated, ``Link`` to every other format (``rel="alternate"``) and to the canonical IRI,
``ETag`` (a hash of the body) and ``Last-Modified`` (the release time), and the CORS header that
lets scripts on other origins read data (no credentials). Conditional requests get 304.

``Cache-Control`` by kind (pages, documents, current dumps: short, set by ``http/caching.py`` from the
CACHE_SECONDS setting) except for files whose URL names their release or content (``/releases/<id>/…``,
versioned static files): those never change and are marked ``CACHE_IMMUTABLE`` here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, current_app, request

from tradelod.http.errors import NotAcceptable, NotFound
from tradelod.http.negotiation import RDF_FORMATS, Format, by_extension, by_media_type, negotiate
from tradelod.store.current import get_store

#: Media types some clients send for our formats, offered after the registered ones.
OFFERED_ALIASES: tuple[str, ...] = ("application/x-turtle", "application/json", "application/xml")

#: What a request without any Accept header gets: Turtle (a machine that did not say what it wants).
NO_ACCEPT_DEFAULT = "text/turtle"

#: Files whose URL names their release or content: they never change.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"

#: Headers a cross-origin script may read besides the simple ones.
EXPOSED = "Link, Content-Location, ETag, Last-Modified, Vary"


def base_iri() -> str:
    """The canonical base IRI of the dataset (one setting, BASE_IRI)."""
    return str(current_app.config["BASE_IRI"])


def choose(
    formats: tuple[Format, ...] = RDF_FORMATS, extension: str | None = None, default: str = NO_ACCEPT_DEFAULT
) -> tuple[Format, bool]:
    """The format to send and whether it was negotiated: URL extension, else ``?format=``, else Accept."""
    if extension is not None:
        fmt = by_extension(formats, extension)
        if fmt is None or fmt.extension != extension:
            raise NotFound(f"No document in format {extension!r} here.")
        return fmt, False
    offered = tuple(f.media_type for f in formats)
    named = request.args.get("format")
    if named:
        fmt = by_extension(formats, named)
        if fmt is None:
            raise NotAcceptable(offered)
        return fmt, True
    aliases = tuple(a for a in OFFERED_ALIASES if a not in offered and by_media_type(formats, a) is not None)
    chosen = negotiate(
        request.headers.get("Accept"), offered + aliases, default if default in offered else None
    )
    exact = next((f for f in formats if f.media_type == chosen), None)
    fmt = exact or (by_media_type(formats, chosen) if chosen else None)
    if fmt is None:
        raise NotAcceptable(offered)
    return fmt, True


def release_time(release: Path | None = None) -> datetime:
    """When a release (the current one by default) was published, to the second.

    ``release`` names the release folder an answer was read from, so that its Last-Modified is that
    release's, even if ``current`` switched meanwhile.
    """
    if release is None:
        return get_store().modified()
    return datetime.fromtimestamp(int((release / "manifest.json").stat().st_mtime), tz=UTC)


def link_header(
    path: str, chosen: Format, formats: Iterable[Format], canonical: str, lang: str | None = None
) -> str:
    """``Link`` value: each other format of ``path`` as rel=alternate, plus the canonical IRI."""
    links = [
        f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in formats if f != chosen
    ]
    if chosen.extension == "html" and lang:
        for other in ("en", "fr"):
            if other != lang:
                links.append(
                    f'<{path}.html?lang={other}>; rel="alternate"; type="text/html"; hreflang="{other}"'
                )
    links.append(f'<{canonical}>; rel="canonical"')
    return ", ".join(links)


def media_type(fmt: Format) -> str:
    """The Content-Type for a format (text types declare UTF-8)."""
    if fmt.media_type.startswith("text/"):
        return f"{fmt.media_type}; charset=utf-8"
    return fmt.media_type


def respond(
    body: bytes | str,
    fmt: Format,
    *,
    path: str,
    canonical: str,
    negotiated: bool,
    formats: tuple[Format, ...] = RDF_FORMATS,
    lang: str | None = None,
    status: int = 200,
) -> Response:
    """Send a document: Content-Type, Vary, Content-Location, Link, ETag, Last-Modified, CORS, 304."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = Response(data, status=status, content_type=media_type(fmt))
    html = fmt.extension == "html"
    response.headers["Vary"] = "Accept, Accept-Language" if html else "Accept"
    if negotiated:
        response.headers["Content-Location"] = f"{path}.{fmt.extension}"
    response.headers["Link"] = link_header(path, fmt, formats, canonical, lang if html else None)
    if html and lang:
        response.headers["Content-Language"] = lang
    allow_cross_origin(response)
    return conditional(response, data)


def conditional(response: Response, data: bytes) -> Response:
    """Add ETag (hash of the body) and Last-Modified (release time); answer 304 when they match."""
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.last_modified = release_time()
    response.make_conditional(request)  # turns it into a 304 in place when the client's copy is current
    return response


def allow_cross_origin(response: Response) -> Response:
    """Let scripts on any origin read the response (no credentials), and see our Link headers."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def see_other(location: str, *, vary: str = "Accept") -> Response:
    """A 303 See Other from a thing to the document about it (Location is host-relative)."""
    response = Response(status=303)
    response.headers["Location"] = location
    response.headers["Vary"] = vary
    return allow_cross_origin(response)
