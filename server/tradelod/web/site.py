"""What every page of the site shares: versioned static files and their caching.

Static files are linked as ``/static/site.css?v=<hash of the file>``: the URL changes whenever the file
does, so the file can be cached for good (``immutable``) and a new version is still fetched at once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, request, url_for
from markupsafe import Markup, escape

from .rendering import TermView
from .responses import CACHE_IMMUTABLE

bp = Blueprint("site", __name__)


@bp.app_template_global()
def asset(filename: str, blueprint: str = "") -> str:
    """The versioned URL of a static file (``asset('site.css')``, ``asset('sparql.js', 'sparql')``)."""
    endpoint = f"{blueprint}.static" if blueprint else "static"
    folder = current_app.blueprints[blueprint].static_folder if blueprint else current_app.static_folder
    return url_for(endpoint, filename=filename, v=_version(str(Path(str(folder)) / filename)))


@bp.app_template_global()
def term_html(v: TermView) -> Markup:
    """A term as the pages show it (``term(v)`` in ``_macros.html``): a literal with its language, a
    linked IRI when it has a safe href, else the IRI's name; its full IRI as the title when they differ.

    Written here rather than as a Jinja macro: an entity page shows a hundred terms, and a macro call
    costs several times this function (a fifth of the page's rendering at 1M).
    """
    text = escape(v.text)
    if v.kind == "literal":
        if v.lang:
            tag = escape(v.lang)
            return Markup(f'<span class="literal" lang="{tag}">{text}</span><sup class="tag">@{tag}</sup>')
        return Markup(f'<span class="literal">{text}</span>')
    title = Markup(f' title="{escape(v.iri)}"') if v.iri and v.iri != v.text else ""
    if v.href:
        return Markup(f'<a href="{escape(v.href)}"{title}>{text}</a>')
    return Markup(f'<span class="iri"{title}>{text}</span>')


@lru_cache(maxsize=64)
def _version(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


@bp.after_app_request
def cache_static(response: Response) -> Response:
    """Versioned static files are cached for good (unversioned ones by kind, see http/caching.py)."""
    if (
        request.endpoint
        and request.endpoint.endswith("static")
        and request.args.get("v")
        and response.status_code in (200, 304)
    ):
        response.headers["Cache-Control"] = CACHE_IMMUTABLE
    return response
