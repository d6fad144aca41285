"""tradelod: trade relations reported in the press, published as Linked Data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradelod")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"


def create_app(test_config: dict | None = None):  # noqa: ANN201 - re-exported for `flask --app tradelod`
    """Build the Flask app (see :func:`tradelod.app.create_app`)."""
    from .app import create_app as factory

    return factory(test_config)
