"""Answers kept per published release: computed on the first request for a release, never again for it,
afresh for the next release (whose folder differs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from tradelod.store.protocol import Store
from tradelod.web.per_release import once_per_release


class Released:
    """The one attribute ``once_per_release`` reads from a store: its release folder."""

    def __init__(self, release: Path) -> None:
        self.release = release


def test_an_answer_is_computed_once_per_release_and_key(tmp_path: Path) -> None:
    calls: list[str] = []

    def compute(name: str) -> Any:
        calls.append(name)
        return [name, len(calls)]

    first = cast(Store, Released(tmp_path / "releases" / "0.1.0-aaaa"))
    same = cast(Store, Released(tmp_path / "releases" / "0.1.0-aaaa"))
    second = cast(Store, Released(tmp_path / "releases" / "0.1.0-bbbb"))
    assert once_per_release(first, "counts", lambda: compute("a")) == ["a", 1]
    assert once_per_release(same, "counts", lambda: compute("b")) == ["a", 1]  # kept: not recomputed
    assert once_per_release(first, "figures", lambda: compute("c")) == ["c", 2]  # another key
    assert once_per_release(second, "counts", lambda: compute("d")) == ["d", 3]  # a new release
    assert calls == ["a", "c", "d"]
