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


def test_only_the_most_recent_releases_are_kept(tmp_path: Path) -> None:
    from tradelod.web import per_release

    calls: list[int] = []
    stores = [cast(Store, Released(tmp_path / f"release-{n}")) for n in range(per_release.RELEASES + 2)]
    for n, store in enumerate(stores):
        once_per_release(store, "picture", lambda n=n: calls.append(n) or n)  # type: ignore[misc]
    kept = {release for release, _ in per_release._KEPT if release.startswith(str(tmp_path))}
    assert kept == {str(s.release) for s in stores[-per_release.RELEASES :]}
    once_per_release(stores[0], "picture", lambda: calls.append(-1) or -1)  # type: ignore[misc]
    assert calls[-1] == -1  # dropped, so computed again
