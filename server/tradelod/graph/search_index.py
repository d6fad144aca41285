"""The search index of a release: SQLite FTS5 over labels (French and English) and quoted sentences.

Built once per release (``search.sqlite`` beside the store) from the store's data graphs, so a search
is an indexed lookup, never a scan of the store:

- ``docs``: one row per thing and text it can be found by: each ``rdfs:label``, ``skos:prefLabel``
  and ``skos:altLabel`` of a thing under ``{base}id/`` (kind ``label``), and each source sentence
  (``oa:exact``) of a fact or thing that cites it (kind ``sentence``), with the thing's type.
- ``docs_fts``: FTS5 over the texts, case and accents folded (``unicode61 remove_diacritics 2``), with
  prefix indexes for 2 to 4 characters: every query word is also asked as a prefix (``"de"*``), which
  without them merges the lists of every word it begins (3× slower at 1M generated triples).
- ``terms`` / ``terms_fts``: every distinct folded word of the texts, and a trigram index over them,
  so that a misspelt word ("kazahstan", "tchong") finds the words it is close to, which
  ``web/search.py`` then scores with rapidfuzz before it asks ``docs_fts``.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .namespaces import all_prefixes

#: Words of a text for the vocabulary: what FTS5's unicode61 tokenizer would make of it, folded.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Fold a string for matching: no accents, no case, one kind of apostrophe and dash, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(bare.casefold().split())


def words(text: str) -> list[str]:
    """The folded words of a text, as the index knows them."""
    return _WORD.findall(fold(text))


SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, type TEXT, kind TEXT NOT NULL,
                   lang TEXT NOT NULL, text TEXT NOT NULL);
CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='docs', content_rowid='id',
                                         tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
CREATE TABLE terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE terms_fts USING fts5(term, tokenize='trigram');
CREATE INDEX docs_iri ON docs (iri);
"""

_LABELS = """SELECT ?s ?l ?t WHERE {{
  GRAPH ?g {{ ?s rdfs:label|skos:prefLabel|skos:altLabel ?l }}
  FILTER(STRSTARTS(STR(?g), "{base}graph/data/") && STRSTARTS(STR(?s), "{base}id/") && !CONTAINS(STR(?s), "#"))
  FILTER(LANG(?l) IN ("fr", "en", ""))
  OPTIONAL {{ SELECT ?s (MIN(STR(?c)) AS ?t) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{base}ontology#")) }}
             GROUP BY ?s }} }}"""

_SENTENCES = """SELECT ?s ?text ?t WHERE {{
  ?s tlo:sourceQuote|tlo:describedBy ?q . ?q oa:hasSelector ?sel . ?sel oa:exact ?text .
  FILTER(STRSTARTS(STR(?s), "{base}id/") && !CONTAINS(STR(?s), "#"))
  OPTIONAL {{ SELECT ?s (MIN(STR(?c)) AS ?t) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{base}ontology#")) }}
             GROUP BY ?s }} }}"""


def rows(store: ox.Store, base: str) -> Iterable[tuple[str, str | None, str, str, str]]:
    """(iri, type, kind, lang, text) of every label and cited sentence in the store's data."""
    prefixes = all_prefixes(base)
    seen: set[tuple[str, str, str, str]] = set()
    for query, kind in ((_LABELS, "label"), (_SENTENCES, "sentence")):
        results = store.query(query.format(base=base), prefixes=prefixes)  # default graph: the union
        for row in results:  # type: ignore[union-attr]
            text = row[1]
            lang = text.language or ("fr" if kind == "sentence" else "")
            key = (row[0].value, kind, lang, text.value)
            if key in seen:
                continue
            seen.add(key)
            yield row[0].value, row[2].value if row[2] is not None else None, kind, lang, text.value


def write_search_index(path: Path, store: ox.Store, base: str) -> int:
    """Write the search index of ``store`` to ``path`` (replacing it); returns the number of texts."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        found = sorted(rows(store, base), key=lambda r: (r[0], r[2], r[3], r[4]))
        connection.executemany("INSERT INTO docs (iri, type, kind, lang, text) VALUES (?, ?, ?, ?, ?)", found)
        connection.execute("INSERT INTO docs_fts (rowid, text) SELECT id, text FROM docs")
        vocabulary = sorted({w for row in found for w in words(row[4])})
        connection.executemany("INSERT INTO terms (term) VALUES (?)", ((w,) for w in vocabulary))
        connection.execute("INSERT INTO terms_fts (term) SELECT term FROM terms")
        connection.execute("INSERT INTO docs_fts (docs_fts) VALUES ('optimize')")
        connection.execute("INSERT INTO terms_fts (terms_fts) VALUES ('optimize')")
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    return len(found)
