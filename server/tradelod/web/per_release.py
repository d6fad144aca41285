"""Answers computed once per published release: what a page needs from the whole store, kept.

A release never changes once published, so a count over every typed subject (the browse page) or
the largest figures of the data (the home page) is the same for every request about that release.
Such answers cost O(store); each worker computes them on the first request for a release and keeps
them under the release's folder name, so the pages that use them cost what they show. A new release
has a new folder, hence new entries; those of all but the ``RELEASES`` most recently seen releases are
dropped (a server that lives through many ``tradelod load``s does not grow).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tradelod.store.protocol import Store

T = TypeVar("T")

#: Releases whose answers are kept (the current one, and those a request in flight may still use).
RELEASES = 3

_KEPT: dict[tuple[str, str], Any] = {}
_SEEN: list[str] = []  # release folders, most recently first seen last
_LOCK = threading.Lock()


def once_per_release(store: Store, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the store's release the first time ``key`` is asked, the kept answer after."""
    slot = (str(store.release), key)
    with _LOCK:
        if slot in _KEPT:
            return _KEPT[slot]  # type: ignore[no-any-return]
    value = compute()  # outside the lock: two first requests may both compute; either answer is right
    with _LOCK:
        if slot[0] not in _SEEN:
            _SEEN.append(slot[0])
            for old in _SEEN[:-RELEASES]:
                _SEEN.remove(old)
                for kept in [k for k in _KEPT if k[0] == old]:
                    del _KEPT[kept]
        return _KEPT.setdefault(slot, value)  # type: ignore[no-any-return]
