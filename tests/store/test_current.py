"""The store follows the build's ``current`` link: a new release is served without a restart."""

from __future__ import annotations

from pathlib import Path

from tradelod.app import create_app
from tradelod.graph.build import build
from tradelod.store.current import get_store

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
LABEL = f"""SELECT ?label WHERE {{ <{BASE}id/place/chongqing> <http://www.w3.org/2000/01/rdf-schema#label> ?label
           FILTER(LANG(?label) = "en") }}"""


def test_a_new_release_is_picked_up_by_a_running_app(tmp_path: Path, project_copy: Path) -> None:
    root = project_copy
    out = tmp_path / "build"
    first = build(root, out, BASE, progress=lambda _: None)
    app = create_app({"TESTING": True, "ROOT": str(root), "BUILD_DIR": str(out), "BASE_IRI": BASE})
    with app.app_context():
        assert [row["label"].value for row in get_store().select(LABEL)] == ["Chongqing"]
        assert get_store().release == first.release.resolve()

    places = root / "data" / "reference" / "places.ttl"
    text = places.read_text(encoding="utf-8")
    assert text.count('"Chongqing"@en') == 1
    places.write_text(text.replace('"Chongqing"@en', '"Chongqing Municipality"@en'), encoding="utf-8")
    second = build(root, out, BASE, progress=lambda _: None)

    with app.app_context():
        assert [row["label"].value for row in get_store().select(LABEL)] == ["Chongqing Municipality"]
        assert get_store().release == second.release.resolve() != first.release.resolve()
