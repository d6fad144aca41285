"""Answers of the public endpoint remembered per release, so that a repeated query costs no query.

A release never changes once published (a new one is a new folder, or a new record in the engine):
the same query text, with the same dataset parameters and the same wish for a format, over the same
release and limits, gets the same bytes. Dashboards, polling clients and the examples of the query
page send the same texts again and again; each worker keeps their answers, least recently used out
first, within ``QUERY_CACHE_MB`` (0: off). A remembered answer is sent without a query process, a
place in the queue or a charge to the client's budget: it costs the worker what a static file does.

Never remembered: refusals and errors, answers larger than an eighth of the cache, and queries
whose answer may change without a new release — a SERVICE call (only possible with a non-empty
``SERVICE_ALLOWLIST``: then nothing is remembered) and the functions SPARQL evaluates anew on every
run (``NOW``, ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``; a ``\\u`` escape could spell them).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .query_process import Job, Outcome, Settings

#: Functions whose value differs from one run to the next (SPARQL 1.1, 17.4), and the escapes that
#: could spell their names.
_VOLATILE = re.compile(r"\b(?:now|rand|uuid|struuid|bnode)\s*\(|\\[uU]", re.IGNORECASE)


@dataclass(frozen=True)
class Key:
    """What an answer depends on: the release and limits (``settings``) and the request's job."""

    settings: Settings
    job: Job


def cacheable(job: Job, settings: Settings) -> bool:
    """Whether the answer to ``job`` is fixed by the release (see the module's docstring)."""
    return not settings.allowlist and _VOLATILE.search(job.query) is None


class AnswerCache:
    """Outcomes of queries, least recently used out first, within a number of bytes of answers."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, Outcome] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> Outcome | None:
        """The remembered outcome, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Key, outcome: Outcome) -> None:
        """Remember an answer (only a successful one, small enough to leave room for others)."""
        if outcome.kind != "ok" or outcome.written is None:
            return
        size = _size(key, outcome)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = outcome
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._bytes -= _size(*self._entries.popitem(last=False))

    @property
    def size(self) -> int:
        """Bytes of answers held."""
        return self._bytes


def _size(key: Key, outcome: Outcome) -> int:
    """What an entry holds: its answer's bytes and its query's characters."""
    return len(outcome.written.body if outcome.written is not None else b"") + len(key.job.query)
