"""Cache-Control suited to each kind of response: short for pages and documents, immutable for
versioned static files and release-addressed dumps (see test_downloads.py for the dumps)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/doc/place/chongqing", "text/html"),
        ("/doc/place/chongqing.ttl", "text/turtle"),
        ("/browse", "text/html"),
        ("/.well-known/void", "text/turtle"),
    ],
)
def test_pages_and_documents_are_cached_briefly(client: FlaskClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["ETag"]


def test_static_files_are_versioned_and_immutable(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept": "text/html"}).data.decode()
    css = re.search(r'href="(/static/site\.css\?v=[0-9a-f]{12})"', html)
    assert css, "the stylesheet is linked with its version"
    with client.get(css[1]) as response:  # a file response: closed when done
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/site.css") as plain:  # unversioned: by kind (http/caching.py), not for good
        assert "immutable" not in plain.headers["Cache-Control"]
