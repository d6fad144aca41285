"""A build folder with two releases, for tests of switching: A (the project) and B (A + one triple).

B adds an English alternative label to Chongqing in a source file of its own, so it differs from A
in one named graph (which A has not) and in Chongqing's description. Built for real from a copy of
the sources into a copy of the session's build folder (whose current release is A).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tradelod.graph.build import build

from .project import BASE, ROOT

#: The source file only release B has, and its one triple (N-Triples).
EXTRA = "data/reference/load-test.ttl"
EXTRA_TRIPLE = (
    "<https://w3id.org/tradelod/id/place/chongqing> <http://www.w3.org/2004/02/skos/core#altLabel> "
    '"Chungking (load test)"@en'
)


def two_releases(build_dir: Path, folder: Path) -> tuple[Path, str, str]:
    """Copy ``build_dir`` under ``folder`` and build release B into it: (build folder, A, B), current B."""
    out = folder / "build"
    shutil.copytree(build_dir, out, symlinks=True)
    first = (out / "current").resolve().name
    sources = folder / "sources"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / part, sources / part)
    (sources / EXTRA).write_text(EXTRA_TRIPLE + " .\n", encoding="utf-8")
    second = build(sources, out, BASE, progress=lambda _: None).release.name
    assert first != second
    return out, first, second


def make_current(out: Path, release: str) -> None:
    """Point ``out/current`` at ``release`` (as a build does)."""
    current = out / "current"
    current.unlink()
    current.symlink_to(Path("releases") / release)
