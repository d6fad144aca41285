"""Fault paths: a damaged, half-copied or missing release is answered with 503 + Retry-After at once,
never a 500, a hang or a filesystem path; a dump's ETag always belongs to the body it comes with."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tradelod.app import create_app

ROOT = Path(__file__).resolve().parents[2]
URLS = ["/", "/doc/place/chongqing.ttl", "/id/place/chongqing", "/dumps/", "/dumps/tradelod-0.1.0.ttl",
        "/ontology", "/sparql", "/browse", "/search?q=x", "/.well-known/void"]  # fmt: skip


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


def _scribble(pattern: str) -> Callable[[Path], None]:
    def damage(release: Path) -> None:
        for file in (release / "store").glob(pattern):
            file.write_bytes(os.urandom(200))

    return damage


DAMAGES: dict[str, Callable[[Path], None]] = {
    "store missing": lambda release: _remove(release / "store"),
    "store empty": lambda release: (_remove(release / "store"), (release / "store").mkdir()),
    "store tables damaged": _scribble("*.sst"),
    "store manifest damaged": _scribble("MANIFEST-*"),
    "store CURRENT points nowhere": lambda release: (release / "store" / "CURRENT").write_text(
        "MANIFEST-9\n"
    ),
    "manifest.json missing": lambda release: _remove(release / "manifest.json"),
    "dumps missing": lambda release: _remove(release / "dumps"),
    "release folder gone": lambda release: _remove(release),
}


def damaged_build(build_dir: Path, target: Path, damage: Callable[[Path], None]) -> Path:
    """A copy of the session's build whose current release has one fault."""
    (target / "releases").mkdir(parents=True)
    release = target / "releases" / "r1"
    shutil.copytree((build_dir / "current").resolve(), release)
    (target / "current").symlink_to(Path("releases") / "r1")
    damage(release)
    return target


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_damaged_release_answers_503_with_retry_after(build_dir: Path, tmp_path: Path, damage: str) -> None:
    out = damaged_build(build_dir, tmp_path / "build", DAMAGES[damage])
    app = create_app({"TESTING": True, "ROOT": str(ROOT), "BUILD_DIR": str(out), "QUERY_START_SECONDS": 5})
    client = app.test_client()
    statuses = {}
    for url in URLS:
        started = time.monotonic()
        response = client.get(url, headers={"Accept": "text/html"})
        body = response.get_data(as_text=True)
        statuses[url] = response.status_code
        # "At once": a liveness bound, far under the 80–100 s a damaged store used to cost.
        assert time.monotonic() - started < 10, url
        assert response.status_code != 500, (url, body)
        if response.status_code == 503:
            assert response.headers["Retry-After"].isdigit()
        assert str(tmp_path) not in body and str(ROOT) not in body
    assert 503 in statuses.values()  # the fault was seen


def test_no_build_at_all_answers_503(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "ROOT": str(tmp_path), "BUILD_DIR": str(tmp_path / "nothing")})
    for url in ("/", "/doc/place/chongqing", "/sparql?query=ASK%7B%7D", "/dumps/"):
        response = app.test_client().get(url)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert str(tmp_path) not in response.get_data(as_text=True)


def second_release(build_dir: Path, out: Path) -> tuple[Path, Path]:
    """Two releases whose Turtle dump differs (same name, other bytes, other SHA-256)."""
    (out / "releases").mkdir(parents=True)
    first, second = out / "releases" / "a", out / "releases" / "b"
    shutil.copytree((build_dir / "current").resolve(), first)
    shutil.copytree((build_dir / "current").resolve(), second)
    dump = second / "dumps" / "tradelod-0.1.0.ttl"
    data = dump.read_bytes() + b"# another release\n"
    dump.write_bytes(data)
    table = json.loads((second / "dumps" / "dumps.json").read_text(encoding="utf-8"))
    for row in table:
        if row["name"] == dump.name:
            row["sha256"], row["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    (second / "dumps" / "dumps.json").write_text(json.dumps(table), encoding="utf-8")
    (out / "current").symlink_to(Path("releases") / "a")
    return first, second


def test_release_switch_never_pairs_one_etag_with_another_body(build_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    second_release(build_dir, out)
    app: Flask = create_app({"TESTING": True, "ROOT": str(ROOT), "BUILD_DIR": str(out)})
    stop = threading.Event()

    def switch() -> None:
        names = ["b", "a"]
        while not stop.is_set():
            temporary = out / ".current-switch"
            temporary.symlink_to(Path("releases") / names[0])
            os.replace(temporary, out / "current")  # atomic, as tradelod build switches
            names.reverse()
            stop.wait(0.005)  # pacing (a switch every few ms), not synchronisation

    switcher = threading.Thread(target=switch)
    switcher.start()
    mismatched, seen = 0, set()
    try:
        client = app.test_client()
        for _ in range(300):
            response = client.get("/dumps/tradelod-0.1.0.ttl")
            assert response.status_code == 200
            etag = response.headers["ETag"].strip('"')
            seen.add(etag)
            mismatched += etag != hashlib.sha256(response.get_data()).hexdigest()
    finally:
        stop.set()
        switcher.join()
    assert len(seen) == 2  # both releases were served during the run
    assert mismatched == 0
