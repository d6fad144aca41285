"""Shared fixtures: one validated build of the real project per test session, and the app on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from support.engines import BACKENDS, LoadedEngines
from support.releases import two_releases
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
    app = create_app(
        {
            "TESTING": True,
            "ROOT": str(ROOT),
            "BUILD_DIR": str(build_dir),
            "BASE_IRI": BASE,
            # Every test client is 127.0.0.1: no query-time budget (tests/sparql/test_admission.py sets one).
            "QUERY_BUDGET_SECONDS": 0,
            "QUERY_CLIENT_CONCURRENCY": 1000,
            "QUERY_LIGHT_SECONDS": 0,
            "QUERY_NICE": 0,
        }
    )
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


@pytest.fixture(scope="session")
def releases(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A copy of the build folder with a second release: (folder, A, B); see ``support.releases``."""
    return two_releases(build_dir, tmp_path_factory.mktemp("two-releases"))


@pytest.fixture(scope="session")
def engines(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedEngines]:
    """External SPARQL engines (Oxigraph server, Virtuoso), each started once and loaded with the build."""
    loaded = LoadedEngines(build_dir, tmp_path_factory.mktemp("engines"))
    yield loaded
    loaded.close()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, engines: LoadedEngines) -> tuple[str, dict[str, str]]:
    """Each store tradelod runs over, with the settings that select it (tests parametrised by backend)."""
    name = str(request.param)
    return name, engines.settings(name)


@pytest.fixture()
def backend_app(build_dir: Path, backend: tuple[str, dict[str, str]]) -> Flask:
    """The app over the session's build, on each backend in turn."""
    return create_app(
        {"TESTING": True, "ROOT": str(ROOT), "BUILD_DIR": str(build_dir), "BASE_IRI": BASE, **backend[1]}
    )
