"""The release switch: each build is a folder under ``releases/``; ``current`` names the published one.

``current`` (and ``previous``) are symbolic links replaced with one atomic rename, so a reader
resolving ``current`` sees either the old release or the new one, never a half-written folder.
Older releases are pruned once the link has moved on.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .dumps import DumpFile, sha256


def current_release(out: Path) -> Path:
    """The folder of the release that is currently published."""
    return out / "current"


def release_id(dumps: list[DumpFile]) -> str:
    """A release's folder name: a hash of its dumps' checksums, so the same content gets the same name."""
    return sha256("".join(d.sha256 for d in sorted(dumps, key=lambda d: d.name)).encode())[:16]


def switch_current(out: Path, release: Path) -> None:
    """Point ``current`` at ``release`` with one atomic rename, and ``previous`` at the one it replaced."""
    link = current_release(out)
    replaced = link.resolve().name if link.is_symlink() else None
    temporary = out / f".current-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(Path("releases") / release.name)
    os.replace(temporary, link)  # atomic on POSIX
    if replaced and replaced != release.name:
        (out / "previous").unlink(missing_ok=True)
        (out / "previous").symlink_to(Path("releases") / replaced)


def previous(out: Path) -> str:
    """The folder name of the release published before the current one, or an empty string."""
    link = out / "previous"
    return link.resolve().name if link.is_symlink() else ""


def prune(out: Path, keep: set[str]) -> None:
    """Remove every release folder but those in ``keep``."""
    for release in (out / "releases").iterdir():
        if release.name not in keep:
            shutil.rmtree(release, ignore_errors=True)
