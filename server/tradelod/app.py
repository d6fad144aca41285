"""The Flask application factory (the ``flaskr`` pattern): defaults, environment, test mapping.

It composes the rooms: the Linked Data documents and pages of ``web`` and the endpoint of ``sparql``,
over the store of ``store``, with the error handlers of ``http``. Templates and static files are ``web``'s;
the SPARQL blueprint brings its own page and scripts.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from tradelod.config import DEFAULTS
from tradelod.http import caching, errors, security
from tradelod.http.clients import ProxiedClient, parse_networks
from tradelod.store import current as store


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the tradelod app: settings from config.DEFAULTS, then TRADELOD_* variables, then ``test_config``."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TRADELOD")
    if test_config:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    errors.init_app(app)
    caching.init_app(app)
    security.init_app(app)
    store.init_app(app)
    app.wsgi_app = ProxiedClient(  # type: ignore[method-assign]
        app.wsgi_app, parse_networks(app.config["TRUSTED_PROXIES"]), bool(app.config["BEHIND_FRONT"])
    )

    from tradelod.web import language

    language.init_app(app)

    from tradelod.sparql.endpoint import bp as sparql_bp
    from tradelod.web.downloads import bp as downloads_bp
    from tradelod.web.fragments import bp as fragments_bp
    from tradelod.web.pages import bp as pages_bp
    from tradelod.web.resources import bp as resources_bp
    from tradelod.web.site import bp as site_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(resources_bp)
    app.register_blueprint(downloads_bp)
    app.register_blueprint(sparql_bp)
    app.register_blueprint(fragments_bp)
    return app
