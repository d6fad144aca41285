"""The Flask application factory (the ``flaskr`` pattern): defaults, environment, test mapping."""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import errors, store
from .config import DEFAULTS


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the tradelod app: settings from config.DEFAULTS, then TRADELOD_* variables, then ``test_config``."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TRADELOD")
    if test_config:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    errors.init_app(app)
    store.init_app(app)

    from .downloads import bp as downloads_bp
    from .pages import bp as pages_bp
    from .resources import bp as resources_bp
    from .sparql import bp as sparql_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(resources_bp)
    app.register_blueprint(downloads_bp)
    app.register_blueprint(sparql_bp)
    return app
