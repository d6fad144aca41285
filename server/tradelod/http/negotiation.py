"""Content negotiation: one pure, table-driven function, plus the format tables.

``negotiate()`` takes an Accept header, the ordered media types a resource offers, and a default
(used when the client sent no Accept header at all); it returns the chosen type or ``None`` (406).
Werkzeug's ``MIMEAccept.best_match`` does q-values and specificity; ties go to the earlier offer.
A ``format`` request parameter (an extension-like name: ``ttl``, ``jsonld`` …) overrides Accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    """One serialisation: its media type, file extension, and rdflib (or result) format name."""

    media_type: str
    extension: str
    name: str  # rdflib format name for RDF, or a result-writer name for SPARQL results
    label: str


#: RDF documents: media type -> rdflib format. HTML first, so browsers get pages.
RDF_FORMATS: tuple[Format, ...] = (
    Format("text/html", "html", "html", "HTML"),
    Format("text/turtle", "ttl", "turtle", "Turtle"),
    Format("application/ld+json", "jsonld", "json-ld", "JSON-LD"),
    Format("application/rdf+xml", "rdf", "xml", "RDF/XML"),
    Format("application/n-triples", "nt", "nt", "N-Triples"),
)

#: SPARQL SELECT/ASK results: media type -> result writer name.
RESULT_FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", "srj", "json", "SPARQL JSON"),
    Format("application/sparql-results+xml", "srx", "xml", "SPARQL XML"),
    Format("text/csv", "csv", "csv", "CSV"),
    Format("text/tab-separated-values", "tsv", "tsv", "TSV"),
)

#: Aliases a client may use for a media type (browsers and older tools).
ALIASES: dict[str, str] = {
    "application/x-turtle": "text/turtle",
    "application/json": "application/ld+json",
    "text/plain": "application/n-triples",
    "application/xml": "application/rdf+xml",
    "application/sparql-results+json": "application/sparql-results+json",
}


@lru_cache(maxsize=1024)
def negotiate(accept: str | None, offered: tuple[str, ...], default: str | None = None) -> str | None:
    """Pick the best of ``offered`` for an Accept header; ``default`` when there is no header.

    Remembered per (header, offers): clients send a handful of distinct Accept headers, and parsing
    one is a sizeable share of a sub-millisecond request; the bounded memo keeps odd headers cheap.
    """
    if accept is None or not accept.strip():
        return default if default is not None else (offered[0] if offered else None)
    parsed = parse_accept_header(_without_parameters(accept), MIMEAccept)
    if not parsed:
        return default if default is not None else (offered[0] if offered else None)
    return parsed.best_match(offered)


def _without_parameters(accept: str) -> str:
    """Drop media-type parameters other than q (``text/turtle;charset=utf-8`` -> ``text/turtle``).

    Werkzeug matches parameters exactly, so ``text/turtle;charset=utf-8`` would not match the offer
    ``text/turtle``; a charset (or similar) parameter says nothing against a format we offer.
    """
    items = []
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        quality = [p for p in params if p.replace(" ", "").lower().startswith("q=")]
        items.append(";".join([media_range, *quality[:1]]))
    return ",".join(items)


def by_extension(formats: tuple[Format, ...], extension: str) -> Format | None:
    """The format with this extension or name (``ttl``, ``turtle``, ``jsonld``, ``json``…), if any."""
    wanted = extension.lower()
    for fmt in formats:
        if wanted in (fmt.extension, fmt.name, fmt.media_type):
            return fmt
    return None


def by_media_type(formats: tuple[Format, ...], media_type: str) -> Format | None:
    """The format for a media type (aliases resolved), if any."""
    wanted = ALIASES.get(media_type, media_type)
    return next((fmt for fmt in formats if fmt.media_type == wanted), None)
