"""Validations that passed, remembered by the content they checked, so a rebuild of the same sources
does not run the bulk SHACL pass again.

SHACL checks references across files (a ``sh:class`` on an object typed in another file), so a file
cannot be judged alone: the fingerprint covers everything the pass reads — the project's files
(data, ontology, shapes) and every additional source as read, the base IRI, the engine's version
and the code that prepares the shapes for it. Any change to any of them is another fingerprint,
validated in full. Only passes are remembered (a failure must be
reported in full every time); a memo is one empty file named by its fingerprint under the build
folder's ``cache/validation/``, written atomically.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

#: The modules whose code decides what the pass checks (a change to them invalidates every memo).
_CODE = tuple(
    Path(__file__).with_name(name)
    for name in ("bulk_validation.py", "validation.py", "sparql_constraints.py", "sparql_text.py")
)


def fingerprint(files: Iterable[Path], extra: Iterable[bytes], base: str) -> str:
    """The SHA-256 of everything a bulk validation reads: the project's files (data, ontology,
    shapes) as bytes, the additional sources as read (N-Triples), the base, the engine and our code.

    File bytes, not their parsed statements: parsing labels blank nodes afresh each time.
    """
    digest = hashlib.sha256()
    for part in (f"pyshacl-turbo {version('pyshacl-turbo')}", base):
        digest.update(part.encode("utf-8") + b"\0")
    for path in (*_CODE, *files):
        digest.update(str(path.name).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for data in extra:
        digest.update(data + b"\0")
    return digest.hexdigest()


def passed_before(folder: Path | None, key: str) -> bool:
    """Whether a validation of exactly this content passed before."""
    return folder is not None and (folder / key).is_file()


def remember_pass(folder: Path | None, key: str) -> None:
    """Record that this content passed (the name appears whole or not at all)."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")
    os.close(handle)
    os.replace(temporary, folder / key)
