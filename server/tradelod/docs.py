"""Generated documentation: the ontology's HTML page, made by pyLODE at build time."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Graph


def ontology_html(ontology: Graph) -> str:
    """Render the ontology as one self-contained HTML page with pyLODE (OntPub profile)."""
    from pylode.profiles.ontpub import OntPub

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ontology.ttl"
        source.write_bytes(ontology.serialize(format="turtle", encoding="utf-8"))
        return str(OntPub(ontology=str(source)).make_html())
