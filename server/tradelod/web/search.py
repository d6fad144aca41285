"""Search that finds: labels in both languages and quoted sentences, accents and case ignored, typos forgiven.

The release's ``search.sqlite`` (built by ``graph/search_index.py``) is asked in two steps:

1. each word of the query becomes the words of the index it may mean: itself if the index knows it,
   words it begins (``chong`` → ``chongqing``), and words close to it, found by the trigram index
   and scored with rapidfuzz (``kazahstan`` → ``kazakhstan``, ``tchong`` → ``chongqing``);
2. FTS5 finds the texts holding every word (any of its meanings), ranked by bm25 (exact words
   first); if no text holds them all, texts holding most of them.

Hits are things, one per IRI, with the text that matched (a label in the other language, the
sentence with the matched words marked); the page groups them by type, and ``Accept:
application/json`` gets them as a list for scripts.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from tradelod.graph.search_index import fold, words

#: Words at most this far from a query word (rapidfuzz scores, 0–100) stand in for it.
FUZZY_CUTOFF = 78
#: Close words are kept only if this close to the closest one (so "hong" does not stand in for "tchong").
FUZZY_SPREAD = 6
#: Close words kept per query word, and candidates the trigram index proposes.
FUZZY_TERMS, TRIGRAM_CANDIDATES = 4, 200
#: Texts fetched from FTS5 per search (hits are then one per thing).
TEXT_LIMIT = 400

_HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE = "\x02", "\x03"


@dataclass
class Hit:
    """A thing that matched: IRI, type, and the best text it matched by (with the matched words)."""

    iri: str
    type: str | None
    kind: str  # "label" or "sentence"
    lang: str
    text: str
    marked: list[tuple[str, bool]] = field(default_factory=list)
    rank: float = 0.0


class SearchIndex:
    """A release's search index, opened read-only; one connection per thread (sqlite3's rule)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=True
            )
            self._local.connection = connection
        return connection

    def meanings(self, word: str) -> list[str]:
        """The index words a query word may mean: itself, words it begins, close words (best first)."""
        db = self._connection()
        if db.execute("SELECT 1 FROM terms WHERE term = ?", (word,)).fetchone():
            return [word]  # a known word means itself (its longer forms come by prefix)
        if len(word) < 3:
            return [word]
        trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
        match = " OR ".join(f'"{t}"' for t in sorted(trigrams) if '"' not in t)
        candidates = [
            row[0]
            for row in db.execute(
                "SELECT term FROM terms_fts WHERE terms_fts MATCH ? ORDER BY rank LIMIT ?",
                (match, TRIGRAM_CANDIDATES),
            )
        ]
        scored = sorted(
            ((_closeness(word, term), term) for term in candidates if term != word),
            key=lambda s: (-s[0], s[1]),
        )
        best = scored[0][0] if scored else 0.0
        close = [t for score, t in scored if score >= max(FUZZY_CUTOFF, best - FUZZY_SPREAD)][:FUZZY_TERMS]
        return close or [word]

    def search(self, query: str) -> list[Hit]:
        """Things whose labels or sentences match ``query``, best first, one hit per thing."""
        query_words = [w for w in words(query) if w][:8]
        if not query_words:
            return []
        groups = []
        for word in query_words:
            options = [f'"{m}"' for m in self.meanings(word)]
            if len(word) >= 2:
                options.append(f'"{word}"*')
            groups.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
        hits = self._match(" AND ".join(groups))
        if not hits and len(groups) > 1:
            hits = self._match(" OR ".join(groups))
        return hits

    def _match(self, expression: str) -> list[Hit]:
        db = self._connection()
        rows = db.execute(
            """SELECT docs.iri, docs.type, docs.kind, docs.lang, docs.text,
                      highlight(docs_fts, 0, ?, ?), bm25(docs_fts)
               FROM docs_fts JOIN docs ON docs.id = docs_fts.rowid
               WHERE docs_fts MATCH ? ORDER BY bm25(docs_fts) LIMIT ?""",
            (_HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE, expression, TEXT_LIMIT),
        ).fetchall()
        best: dict[str, Hit] = {}
        for iri, kind_type, kind, lang, text, marked, rank in rows:
            # a label match beats a sentence match of the same thing; then bm25
            score = rank - (100.0 if kind == "label" else 0.0)
            if iri not in best or score < best[iri].rank:
                best[iri] = Hit(iri, kind_type, kind, lang, text, _pieces(marked), score)
        return sorted(best.values(), key=lambda h: (h.rank, h.iri))

    def labels(self, iris: list[str]) -> dict[str, dict[str, str]]:
        """iri -> {lang: first label} for display (rdfs:label first, as the index holds them in order)."""
        db = self._connection()
        found: dict[str, dict[str, str]] = {}
        for start in range(0, len(iris), 500):
            chunk = iris[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for iri, lang, text in db.execute(
                f"SELECT iri, lang, text FROM docs WHERE kind = 'label' AND iri IN ({marks}) ORDER BY id",
                chunk,
            ):
                found.setdefault(iri, {}).setdefault(lang, text)
        return found


def _closeness(word: str, term: str) -> float:
    """How close an index word is to a query word: as a whole word, or as the start of a longer word.

    The start is tried at the query word's length give or take one ("tchong" ~ "chong…", the start of
    "chongqing"), a little below a whole-word match of the same quality.
    """
    whole = fuzz.ratio(word, term)
    if len(term) > len(word):
        starts = (term[: len(word) + d] for d in (-1, 0, 1) if len(word) + d >= 3)
        return max(whole, max(fuzz.ratio(word, start) for start in starts) - 2)
    return whole


def _pieces(marked: str) -> list[tuple[str, bool]]:
    """Split FTS5's highlight() output into (text, matched) pieces (the template escapes each)."""
    pieces: list[tuple[str, bool]] = []
    rest = marked
    while rest:
        before, opened, after = rest.partition(_HIGHLIGHT_OPEN)
        if before:
            pieces.append((before, False))
        if not opened:
            break
        inside, _, rest = after.partition(_HIGHLIGHT_CLOSE)
        pieces.append((inside, True))
    return pieces


_INDEXES: dict[str, SearchIndex] = {}
_LOCK = threading.Lock()


def index_of(release: Path) -> SearchIndex | None:
    """The search index of a release (opened once per process), or None if the release has none."""
    path = release / "search.sqlite"
    key = str(path)
    with _LOCK:
        if key not in _INDEXES:
            if not path.is_file():
                return None
            _INDEXES.clear()  # keep only the current release's
            _INDEXES[key] = SearchIndex(path)
        return _INDEXES[key]


def as_json(hit: Hit, label: str, type_label: str | None) -> dict[str, Any]:
    """A hit for scripts: IRI, type, label and the text that matched."""
    return {
        "iri": hit.iri,
        "type": hit.type,
        "type_label": type_label,
        "label": label,
        "match": hit.text,
        "match_kind": hit.kind,
        "match_lang": hit.lang or None,
    }


def folded(text: str) -> str:
    """The query as the index sees it (for display and tests)."""
    return fold(text)
