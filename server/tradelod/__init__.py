"""tradelod: trade relations reported in the press, published as Linked Data.

The package is built in rooms that data flows through one way: ``graph`` (sources, validation, the
build and its dumps) → ``store`` (where a release is queried) → ``sparql`` (the public endpoint) and
``web`` (Linked Data documents and pages), both standing on ``http`` (negotiation, errors). The
application factory (``app``), the command line (``cli``) and the server runner (``serve``) sit on
top; ``config`` underneath them all. Importing the package itself loads nothing but its version.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradelod")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
