"""Review marks: what ``tradelod ingest`` writes into a draft so that nothing is published unreviewed.

A draft states, on every drafted resource, how it was found and how sure the rules are, with terms of
the review vocabulary (``tlr:``, ``<review#>`` under the base): ``tlr:check`` (what to check),
``tlr:confidence``, ``tlr:mention`` and its offsets. The reviewer removes each mark once checked;
``tradelod build`` refuses any data file that still has one, and ``tradelod validate`` lists them. The
vocabulary is never published: a release cannot contain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .sources import SourceError, source_files

#: The review vocabulary, relative to the base like every source IRI.
REVIEW_PREFIX = "review#"


@dataclass(frozen=True)
class UnreviewedFile:
    """A data file that still carries review marks."""

    file: str
    marks: int
    subjects: int


def unreviewed(root: Path, base: str) -> list[UnreviewedFile]:
    """Every data file of the project at ``root`` that still has review marks, with their count."""
    namespace = f"{base}{REVIEW_PREFIX}"
    found = []
    for source in source_files(root):
        if source.kind != "data":
            continue
        # pyoxigraph parses in a fraction of rdflib's time: the build pays for this check on every file.
        try:
            marked = [
                quad.subject
                for quad in ox.parse(path=str(source.path), format=ox.RdfFormat.TURTLE, base_iri=base)
                if any(
                    isinstance(term, ox.NamedNode) and term.value.startswith(namespace)
                    for term in (quad.subject, quad.predicate, quad.object)
                )
            ]
        except SyntaxError as error:  # a broken file: its file, line and reason, never a traceback
            reason = str(error.msg if hasattr(error, "msg") else error).splitlines()[0]
            kind = "invalid IRI" if "Invalid IRI" in reason else "Turtle syntax error"
            raise SourceError(source.relative, error.lineno, f"{kind}: {reason}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(source.relative, None, f"cannot be read: {error}") from None
        if marked:
            found.append(UnreviewedFile(source.relative, len(marked), len(set(marked))))
    return found


def describe(files: list[UnreviewedFile]) -> str:
    """A readable list of the files that still need review."""
    return "\n".join(
        f"  {f.file}: {f.marks} review mark(s) on {f.subjects} resource(s) (tlr: lines)" for f in files
    )
