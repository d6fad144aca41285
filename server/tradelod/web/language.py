"""The page language: chosen with ``?lang=fr|en``, else taken from Accept-Language, and kept on every link.

A language the reader picked (``?lang=``) is *sticky*: every local link of the page carries it on, so
it survives navigation (the SPARQL page included); without it, the browser's Accept-Language decides
on each request. The interface's words live in gettext catalogs (``web/translations``, Flask-Babel);
the English text is the message id, French its translation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, g, request
from flask_babel import Babel

from . import formatting
from .rendering import LANGUAGES, page_language, with_language

bp = Blueprint("language", __name__)

#: Where the catalogs are: ``<lang>/LC_MESSAGES/messages.po`` (source) and ``.mo`` (built by make install).
TRANSLATIONS = Path(__file__).parent / "translations"


def current() -> tuple[str, bool]:
    """(language, sticky) of this request: ``?lang=`` (sticky), else the Accept-Language match, else English."""
    # Worked out once per request: a page asks for it for every local link and every number.
    found: tuple[str, bool] | None = g.get("tradelod_language")
    if found is None:
        best = request.accept_languages.best_match(list(LANGUAGES))
        found = page_language(request.args.get("lang"), request.headers.get("Accept-Language"), best)
        g.tradelod_language = found
    return found


def select_locale() -> str:
    """Flask-Babel's locale selector: the page language of this request."""
    return current()[0]


def init_app(app: Flask) -> None:
    """Set up Flask-Babel with our catalogs and locale selector, and the language helpers of templates."""
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.register_blueprint(bp)


@bp.app_context_processor
def language_context() -> dict[str, Any]:
    """Every template knows the page language (``lang``) unless its view says otherwise."""
    return {"lang": current()[0]}


@bp.app_template_global()
def local(path: str) -> str:
    """A link to a local page that keeps the language the reader picked (templates: ``local('/browse')``)."""
    lang, sticky = current()
    return with_language(path, lang if sticky else None)


@bp.app_template_global()
def switch_language(lang: str) -> str:
    """This page's URL in another language (keeps the other query parameters)."""
    args = request.args.to_dict()
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


@bp.app_template_global()
def sticky_language() -> str | None:
    """The language the reader picked, or None (forms carry it in a hidden field)."""
    lang, sticky = current()
    return lang if sticky else None


@bp.app_template_filter("number")
def number_filter(value: Any) -> str:
    """A count or number for the page language (templates: ``{{ n | number }}``): 5,863 / 5 863."""
    return formatting.number(value, current()[0])


@bp.app_template_filter("filesize")
def filesize_filter(value: Any) -> str:
    """A size in bytes for people, in the page language: 118.9 kB / 118,9 ko."""
    return str(format_decimal_size(int(value), current()[0]))


def format_decimal_size(size: int, lang: str) -> str:
    """Bytes in kB/MB (powers of 1000, as CLDR names them), with the locale's decimal mark."""
    from babel.units import format_unit

    locale = formatting.locale_of(lang)
    for threshold, unit in ((10**6, "digital-megabyte"), (10**3, "digital-kilobyte")):
        if size >= threshold:
            value = round(size / threshold, 1)
            return str(format_unit(value, unit, length="short", locale=locale))
    return str(format_unit(size, "digital-byte", length="short", locale=locale))
