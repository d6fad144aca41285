"""Shared fixtures: one validated build of the real project per test session, and the app on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tradelod.app import create_app
from tradelod.graph.build import BuildSummary, build

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/tradelod/"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildSummary:
    """Build the real project once into a temporary build directory."""
    out = tmp_path_factory.mktemp("build")
    return build(ROOT, out, BASE, progress=lambda _: None)


@pytest.fixture(scope="session")
def build_dir(built: BuildSummary) -> Path:
    """The build directory holding ``current``."""
    return built.release.parent.parent


@pytest.fixture()
def app(build_dir: Path) -> Iterator[Flask]:
    """The app over the session's build."""
    app = create_app({"TESTING": True, "ROOT": str(ROOT), "BUILD_DIR": str(build_dir), "BASE_IRI": BASE})
    yield app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A Flask test client."""
    return app.test_client()


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources (ontology, shapes, data) that a test may break or change."""
    root = tmp_path / "copy"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    return root
