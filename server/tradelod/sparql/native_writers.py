"""Query results written by Oxigraph's own serialisers, cut exactly at the row limit.

Writing a result row by row in Python (a dict per row, then ``json.dumps``) cost twice what the
engine takes to evaluate a large SELECT. Here the engine writes every format itself, and the cut at
``QUERY_ROW_LIMIT`` is made on its output, where rows can be counted exactly:

- **TSV** and **N-Triples** put one row (one triple) per line: Oxigraph escapes line breaks inside
  literals, so counting newlines counts rows. While such output streams in, ``_LineCutter`` stops
  the engine as soon as it has one row more than the limit, so an answer of millions of rows is never
  evaluated, let alone held.
- **SPARQL JSON**: outside strings (where every ``"`` is escaped), a result is ``{}`` when empty and
  ends with ``}}`` otherwise (its last binding, then itself); those are counted on the text with the
  strings taken out.
- **SPARQL XML**: every row is one ``<result>`` element (``<`` is escaped in text).
- **CSV** quotes fields with line breaks; it is counted with Python's CSV reader when it has quotes.

A SELECT whose text takes an added ``LIMIT`` (the limit plus one, to tell whether it was cut) is
written straight into its format; any other (one with a ``LIMIT`` or ``VALUES`` of its own at the
end) streams through TSV, cut as it comes, and is then turned into its format by Oxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from itertools import islice
from typing import IO, cast

import pyoxigraph as ox

#: Oxigraph's results formats by media type.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


class _Enough(Exception):
    """Raised from a write to stop the engine: the output already holds more rows than the limit."""


class _LineCutter(io.RawIOBase):
    """A writable stream that keeps the first ``lines`` lines written to it and stops the writer after."""

    def __init__(self, lines: int) -> None:
        self.wanted = lines
        self.seen = 0
        self.chunks: list[bytes] = []
        self.full = lines <= 0
        self.cut = False

    def writable(self) -> bool:
        """It takes writes."""
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Keep a chunk up to the wanted lines; anything past them means the output is cut."""
        chunk = bytes(data)
        if self.full:
            if chunk:
                self.cut = True
                raise _Enough
            return 0
        room = self.wanted - self.seen
        count = chunk.count(b"\n")
        if count < room:
            self.chunks.append(chunk)
            self.seen += count
            return len(chunk)
        end = -1
        for _ in range(room):
            end = chunk.index(b"\n", end + 1)
        self.chunks.append(chunk[: end + 1])
        self.seen, self.full = self.wanted, True
        if end + 1 < len(chunk):
            self.cut = True
            raise _Enough
        return len(chunk)

    def value(self) -> bytes:
        """The output kept."""
        return b"".join(self.chunks)


def _write_lines(write: Callable[[IO[bytes]], object], lines: int) -> tuple[bytes, bool]:
    """Run a line-per-row writer into a cutter: (the first ``lines`` lines, whether there was more)."""
    cutter = _LineCutter(lines)
    try:
        write(cast(IO[bytes], cutter))
    except _Enough:
        pass
    except OSError:  # in case pyoxigraph reports the stream's exception as an I/O error
        if not cutter.cut:
            raise
    return cutter.value(), cutter.cut


def solutions_streamed(solutions: ox.QuerySolutions, media_type: str, limit: int) -> tuple[bytes, int, bool]:
    """Write SELECT solutions through TSV, cut at ``limit`` rows as they stream: (body, rows, cut)."""
    tsv, cut = _write_lines(lambda out: solutions.serialize(out, format=ox.QueryResultsFormat.TSV), limit + 1)
    rows = max(tsv.count(b"\n") - 1, 0)
    if media_type == "text/tab-separated-values":
        return tsv, rows, cut
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return _bytes(parsed.serialize(format=RESULT_FORMATS[media_type])), rows, cut


def solutions_bounded(solutions: ox.QuerySolutions, media_type: str, limit: int) -> tuple[bytes, int, bool]:
    """Write SELECT solutions known to hold at most ``limit + 1`` rows, cut at ``limit``: (body, rows, cut)."""
    fmt = RESULT_FORMATS[media_type]
    data = _bytes(solutions.serialize(format=fmt))
    counter, cutter = _COUNTERS[fmt]
    rows = counter(data)
    if rows <= limit:
        return data, rows, False
    return cutter(data, limit), limit, True


def triples_streamed(triples: ox.QueryTriples | Iterable[ox.Triple], limit: int) -> tuple[bytes, int, bool]:
    """Write CONSTRUCT/DESCRIBE triples as N-Triples, cut at ``limit`` as they stream: (body, triples, cut).

    Triples that come as a plain iterator (an external engine's answer, parsed as it arrives) are
    written by Oxigraph too, from the first ``limit`` of them.
    """
    if isinstance(triples, ox.QueryTriples):
        data, cut = _write_lines(lambda out: triples.serialize(out, format=ox.RdfFormat.N_TRIPLES), limit)
        return data, data.count(b"\n"), cut
    iterator = iter(triples)
    kept = list(islice(iterator, limit))
    cut = next(iterator, None) is not None
    return _bytes(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES)), len(kept), cut


def iris_used(ntriples: bytes, namespaces: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI in subject, predicate or object position."""
    found = {}
    for prefix, namespace in namespaces.items():
        start = b"<" + namespace.encode("utf-8")
        if ntriples.startswith(start) or b"\n" + start in ntriples or b" " + start in ntriples:
            found[prefix] = namespace
    return found


# --- counting and cutting each format -----------------------------------------------------------


def _json_structure(data: bytes) -> bytes:
    """SPARQL JSON with every string taken out (escaped quotes and backslashes first)."""
    return b"".join(data.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[0::2])


def _json_rows(data: bytes) -> int:
    if b'"type":"triple"' in data:  # RDF 1.2 triple terms nest objects: count by parsing
        return len(json.loads(data)["results"]["bindings"])
    structure = _json_structure(data)
    start = structure.index(b"[", structure.index(b"[") + 1) + 1  # after "bindings":[
    rows = structure[start:-3]  # before ]}}
    return rows.count(b"{}") + rows.count(b"}}")


def _json_cut(data: bytes, limit: int) -> bytes:
    document = json.loads(data)
    document["results"]["bindings"] = document["results"]["bindings"][:limit]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_rows(data: bytes) -> int:
    return data.count(b"<result>")


def _xml_cut(data: bytes, limit: int) -> bytes:
    at = -1
    for _ in range(limit + 1):
        at = data.index(b"<result>", at + 1)
    return data[:at] + b"</results></sparql>"


def _tsv_rows(data: bytes) -> int:
    return max(data.count(b"\n") - 1, 0)


def _tsv_cut(data: bytes, limit: int) -> bytes:
    return b"".join(data.splitlines(keepends=True)[: limit + 1])


def _csv_records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _csv_rows(data: bytes) -> int:
    if b'"' not in data:  # no quoted field, so no line break inside one
        return max(data.count(b"\r\n") - 1, 0)
    return max(len(_csv_records(data)) - 1, 0)


def _csv_cut(data: bytes, limit: int) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(_csv_records(data)[: limit + 1])
    return out.getvalue().encode("utf-8")


_COUNTERS: dict[ox.QueryResultsFormat, tuple[Callable[[bytes], int], Callable[[bytes, int], bytes]]] = {
    ox.QueryResultsFormat.JSON: (_json_rows, _json_cut),
    ox.QueryResultsFormat.XML: (_xml_rows, _xml_cut),
    ox.QueryResultsFormat.TSV: (_tsv_rows, _tsv_cut),
    ox.QueryResultsFormat.CSV: (_csv_rows, _csv_cut),
}


def _bytes(data: bytes | None) -> bytes:
    if data is None:
        raise ValueError("the serialiser wrote nothing")
    return data
