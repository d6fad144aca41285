"""Find and parse the project's source files (ontology, shapes, data) into one dataset.

Source files use IRIs relative to the dataset base and carry no ``@base``: parsing them with
``publicID=base`` is what makes the base configurable in one place. Each file becomes one named
graph whose name is derived from its path, so provenance at file level survives into N-Quads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

#: The folders that hold sources, in load order, and the kind of graph each one yields.
SOURCE_DIRS: tuple[tuple[str, str], ...] = (
    ("ontology", "ontology"),
    ("shapes", "shapes"),
    ("data", "data"),
)


@dataclass(frozen=True)
class SourceFile:
    """One Turtle source file of the project and the named graph it becomes."""

    path: Path
    kind: str  # "ontology", "shapes" or "data"
    relative: str  # path relative to the project root, with forward slashes

    def graph_iri(self, base: str) -> URIRef:
        """The named graph for this file: ``{base}graph/<path without .ttl>``."""
        return URIRef(f"{base}graph/{self.relative.removesuffix('.ttl')}")


def source_files(root: Path) -> list[SourceFile]:
    """List every ``*.ttl`` source under ontology/, shapes/ and data/, in a stable order."""
    found: list[SourceFile] = []
    for folder, kind in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.ttl")):
            found.append(SourceFile(path, kind, path.relative_to(root).as_posix()))
    return found


class SourceError(ValueError):
    """A source file cannot be published as it is: where (file, line) and why, in one line."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        reason = printable(reason)
        super().__init__(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")
        self.file, self.line, self.reason = file, line, reason


#: rdflib's "at line N of <…>:\nBad syntax (why) at ^ in: …" → N and why.
_BAD_SYNTAX = re.compile(r"at line (?P<line>\d+).*?Bad syntax \((?P<why>[^)]*)\)", re.DOTALL)


def parse_file(path: Path, base: str, shown: str | None = None) -> Graph:
    """Parse one Turtle file, resolving its relative IRIs against ``base``; SourceError if it cannot be.

    Every IRI and language tag is also checked the way the store will read it (Oxigraph), so that a
    file that parses here never breaks the build later. ``shown`` is the file's name in messages.
    """
    name = shown or path.name
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=base)
    except BadSyntax as error:
        found = _BAD_SYNTAX.search(str(error))
        line = int(found["line"]) if found else None
        raise SourceError(name, line, f"Turtle syntax error: {found['why'] if found else error}") from None
    except AssertionError:
        # rdflib's Turtle parser reports some errors (a string left open at the end of the file) by a
        # bare assert, with no line: Oxigraph, which the store reads with anyway, says where.
        raise _oxigraph_syntax_error(path, base, name) from None
    except UnicodeDecodeError as error:
        raise SourceError(name, None, f"not UTF-8 text (byte {error.start}): {error.reason}") from None
    except (OSError, ValueError) as error:
        raise SourceError(name, None, f"cannot be read: {_first_line(str(error))}") from None
    _check_terms(graph, path, name)
    return graph


def _oxigraph_syntax_error(path: Path, base: str, name: str) -> SourceError:
    """The first syntax error Oxigraph finds in ``path``, as a SourceError with its line."""
    try:
        for _ in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base):
            pass
    except SyntaxError as error:
        why = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+)?:? *", "", error.msg)
        return SourceError(name, error.lineno, f"Turtle syntax error: {_first_line(why)}")
    except (OSError, ValueError) as error:
        return SourceError(name, None, f"cannot be read: {_first_line(str(error))}")
    return SourceError(name, None, "Turtle syntax error")


def _check_terms(graph: Graph, path: Path, name: str) -> None:
    """Raise SourceError for the first IRI or language tag that the store would refuse."""
    seen: set[object] = set()
    for triple in graph:
        for term in triple:
            if term in seen:
                continue
            seen.add(term)
            try:
                if isinstance(term, URIRef):
                    ox.NamedNode(str(term))
                elif isinstance(term, Literal) and term.language:
                    ox.Literal(str(term), language=term.language)
            except ValueError as error:
                kind = "IRI" if isinstance(term, URIRef) else "language tag"
                shown = f"@{term.language}" if isinstance(term, Literal) else f"<{term}>"
                raise SourceError(
                    name, _line_of(path, term), f"invalid {kind} {shown}: {str(error).strip()}"
                ) from None


def _line_of(path: Path, term: object) -> int | None:
    """The first line of the file that holds the term's text (relative IRIs: its last segments)."""
    text = str(term.language) if isinstance(term, Literal) else str(term)
    needles = [text, *(text.split("/", n)[-1] for n in range(3, 8) if text.count("/") >= n)]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for needle in needles:
        for number, line in enumerate(lines, start=1):
            if needle and needle in line:
                return number
    return None


def printable(text: str) -> str:
    """``text`` on one line: control and other unprintable characters as ``\\uXXXX`` escapes."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in text)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"


def load_dataset(root: Path, base: str) -> Dataset:
    """Parse every source file into a Dataset, one named graph per file."""
    dataset = Dataset()
    for source in source_files(root):
        named = dataset.graph(source.graph_iri(base))
        for triple in parse_file(source.path, base, source.relative):
            named.add(triple)
    return dataset


def union_of(dataset: Dataset, kinds: tuple[str, ...], root: Path, base: str) -> Graph:
    """Union of the named graphs of the given kinds (e.g. ``("data",)``) as a plain Graph."""
    wanted = {s.graph_iri(base) for s in source_files(root) if s.kind in kinds}
    graph = Graph()
    for named in _named_graphs(dataset):
        if named.identifier in wanted:
            for triple in named:
                graph.add(triple)
    return graph


def _named_graphs(dataset: Dataset) -> Iterator[Graph]:
    for graph in dataset.graphs():
        if graph.identifier != dataset.default_graph.identifier:
            yield graph
