"""The example queries of the query page, which are also the competency questions the tests run.

Each example is one file ``examples/<name>.rq`` in the package: a ``# title: …`` comment line (what
the page shows), then a complete query with its own PREFIX lines, so it can be copied into any
other SPARQL client. Keeping them as files in one folder lets the page, the tests and the README
share them without copies drifting apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

TITLE = "# title:"


@dataclass(frozen=True)
class Example:
    """One example query: its file name (without .rq), its title and its text."""

    name: str
    title: str
    query: str


def load_examples() -> list[Example]:
    """Every example query, in file-name order."""
    folder = resources.files("tradelod.sparql") / "examples"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        title = next(
            (line[len(TITLE) :].strip() for line in text.splitlines() if line.startswith(TITLE)),
            entry.name.removesuffix(".rq"),
        )
        found.append(Example(entry.name.removesuffix(".rq"), title, text))
    return found
