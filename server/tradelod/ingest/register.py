"""``tradelod ingest``: register an article and write its draft, all or nothing.

The text is copied byte for byte to ``data/articles/NNN_<16 hex digits of its SHA-256>.txt`` (NNN the
next free article number) and the draft to ``data/NNN-<slug>.ttl``. Both are written to temporary files
and renamed into place only when everything has succeeded, so a failure leaves ``data/`` as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .draft import Draft, Metadata, build_draft
from .gazetteer import load_gazetteer
from .language import named_spans
from .turtle import write_turtle


class IngestError(Exception):
    """The article cannot be ingested; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Ingested:
    """What an ingestion wrote."""

    number: str
    text_file: Path
    draft_file: Path
    draft: Draft


def read_article(path: Path) -> tuple[bytes, str]:
    """The article's bytes and text; it must be non-empty UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IngestError(f"cannot read the article {path.name}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IngestError(f"the article {path.name} is not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise IngestError(f"the article {path.name} is empty")
    return raw, text


def check_date(value: str | None) -> str | None:
    """An ISO date (2025-08-23) or date-time (2025-08-23T08:40:00+01:00), as given, or an error."""
    if value is None:
        return None
    try:
        if "T" in value:
            datetime.fromisoformat(value)
        else:
            date.fromisoformat(value)
    except ValueError:
        raise IngestError(
            f"--date {value!r} is not an ISO date (2025-08-23) or date-time (2025-08-23T08:40:00+01:00)"
        ) from None
    return value


def check_url(value: str | None) -> str | None:
    """An http(s) URL without spaces or characters that Turtle IRIs forbid, or an error."""
    if value is None:
        return None
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise IngestError(f"--url {value!r} is not an http(s) URL")
    return value


def ingest(article: Path, root: Path, base: str, *, title: str | None = None, publisher: str | None = None,
           published: str | None = None, url: str | None = None, slug: str | None = None) -> Ingested:  # fmt: skip
    """Register ``article`` under ``root/data/articles/`` and write its draft next to the data files."""
    raw, text = read_article(article)
    published, url = check_date(published), check_url(url)
    articles = root / "data" / "articles"
    if not articles.is_dir():
        raise IngestError("no data/articles/ folder under the project root: is --root the project?")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    for existing in sorted(articles.glob("*.txt")):
        if existing.read_bytes() == raw:
            raise IngestError(f"this text is already registered as data/articles/{existing.name}")
    numbers = [int(p.name[:3]) for p in articles.glob("[0-9][0-9][0-9]_*.txt")]
    number = f"{max(numbers, default=-1) + 1:03d}"
    text_name = f"{number}_{digest}.txt"
    meta = Metadata(number, f"articles/{text_name}", title, publisher, published, url)
    gazetteer = load_gazetteer(root, base)
    draft = build_draft(text, meta, gazetteer, named_spans(text))
    name = slug or "-".join(p.rsplit("/", 1)[-1] for p in draft.main_places[:2]) or "article"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise IngestError(f"--slug {name!r} is not lower-case ASCII words joined by hyphens")
    draft_path = root / "data" / f"{number}-{name}.ttl"
    header = [
        f"Article {number}: DRAFT written by `tradelod ingest` from {article.name} — NOT REVIEWED.",
        "Every `tlr:` line is a review mark: check what it says, correct the statement, then delete the mark.",
        "`tradelod validate` checks this file against the shapes; `tradelod build` refuses it while a mark is left.",
        f"{len(draft.figures)} figures, {len(draft.known)} entities of the graph, {len(draft.proposed)} new entities proposed.",
    ]
    turtle = write_turtle(header, draft.blocks)
    _write_both(articles / text_name, raw, draft_path, turtle.encode("utf-8"))
    return Ingested(number, articles / text_name, draft_path, draft)


def _write_both(text_path: Path, raw: bytes, draft_path: Path, turtle: bytes) -> None:
    if draft_path.exists():
        raise IngestError(f"data/{draft_path.name} exists already")
    temporaries = []
    try:
        for target, content in ((text_path, raw), (draft_path, turtle)):
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=".ingest-", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            temporaries.append((Path(name), target))
        for temporary, target in temporaries:
            os.replace(temporary, target)
    except OSError as error:
        for temporary, target in temporaries:
            temporary.unlink(missing_ok=True)
            if target == draft_path:
                target.unlink(missing_ok=True)
        text_path.unlink(missing_ok=True)
        raise IngestError(f"could not write the draft: {error.strerror}") from None
