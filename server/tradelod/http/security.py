"""The security headers every response carries, set app-wide in one place.

The pages load nothing from other origins and run no inline script or style (their scripts and
stylesheets are files under /static), so the Content-Security-Policy allows only the site itself;
``frame-ancestors 'none'`` (and X-Frame-Options for older browsers) keeps the pages out of other
sites' frames. The same headers are written into nginx's own error pages (``serve/front.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

#: What every response carries (a view may set a stricter value of its own; it is kept).
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Set every security header the response does not set itself; keep redirects host-relative."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    location = response.headers.get("Location")
    if location:
        response.headers["Location"] = host_relative(location, request.host)
    return response


def host_relative(location: str, host: str) -> str:
    """A Location on the requested host, made host-relative, so a forged Host header is never reflected.

    Werkzeug builds its own redirects (``/a//b`` to ``/a/b``) as absolute URLs from the Host header.
    """
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc.lower() != host.lower():
        return location
    path = "/" + parts.path.lstrip("/")  # never "//…", which a browser reads as another host
    return f"{path}?{parts.query}" if parts.query else path


def init_app(app: Flask) -> None:
    """Add the security headers to every response of the app, errors included."""
    app.after_request(add_security_headers)
