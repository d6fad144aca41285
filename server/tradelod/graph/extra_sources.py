"""Sources a build publishes besides the project's own (``tradelod build --source PATH``, ``SOURCES``).

A publisher adds its own data this way, and the benchmark its generated data. Each path is a file
or a folder of files in Turtle (``.ttl``), N-Triples (``.nt``), N-Quads (``.nq``) or TriG
(``.trig``), read by pyoxigraph (relative IRIs resolve against the base, as in the project's own
files). Every file becomes one named graph, ``{base}graph/source/{name}/{path in the folder}``
(``{base}graph/source/{name}`` for a single file), whatever graphs an N-Quads or TriG file named:
the graph says where a triple came from. The triples go to the validation, the store, the dumps
and the VoID description; they are never read into rdflib, so a million of them build in a minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

#: File suffixes read as sources, and their format.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


class SourceError(ValueError):
    """A source path that cannot be published (missing, empty, unknown format, unreadable)."""


@dataclass(frozen=True)
class ExtraSource:
    """One file of an additional source and the named graph it is published in."""

    path: Path
    name: str  # the source's name, then the file's path inside a folder, without its suffix
    format: ox.RdfFormat

    def graph_iri(self, base: str) -> str:
        """The named graph of this file: ``{base}graph/source/{name}``."""
        return f"{base}graph/source/{quote(self.name, safe='/')}"


def find_sources(paths: Sequence[Path]) -> list[ExtraSource]:
    """The files of the given source paths, in a stable order; SourceError for a path that holds none."""
    found: list[ExtraSource] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            fmt = FORMATS.get(path.suffix.lower())
            if fmt is None:
                raise SourceError(f"{path}: not a source file ({', '.join(FORMATS)} are read)")
            found.append(ExtraSource(path, path.stem, fmt))
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
            if not files:
                raise SourceError(f"{path}: no {', '.join(FORMATS)} file in this folder")
            for file in files:
                inner = file.relative_to(path).with_suffix("").as_posix()
                found.append(ExtraSource(file, f"{path.name}/{inner}", FORMATS[file.suffix.lower()]))
        else:
            raise SourceError(f"{path}: no such file or folder")
    names: dict[str, Path] = {}
    for source in found:
        if source.name in names:
            raise SourceError(
                f"{names[source.name]} and {source.path} would both be published as the graph "
                f"graph/source/{source.name}: rename one of them"
            )
        names[source.name] = source.path
    return found


def ntriples(source: ExtraSource, base: str) -> bytes:
    """Every triple of a source file as N-Triples (read by pyoxigraph; graph names of quads dropped)."""
    try:
        quads = ox.parse(path=str(source.path), format=source.format, base_iri=base)
        data = ox.serialize((quad.triple for quad in quads), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        raise SourceError(f"{source.path}: {error}") from None
    except OSError as error:
        raise SourceError(f"{source.path}: cannot be read ({error.strerror or error})") from None
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    return data


def has_blank_nodes(ntriples_data: bytes) -> bool:
    """Whether N-Triples hold a blank node (a subject starting ``_:`` or one after a space)."""
    return ntriples_data.startswith(b"_:") or b"\n_:" in ntriples_data or b" _:" in ntriples_data
