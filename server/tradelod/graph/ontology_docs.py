"""Generated documentation: the ontology's HTML page, made by pyLODE at build time.

pyLODE runs in a child process: it configures logging when imported and leaves a file open, neither of
which should leak into the build (or the test run) that calls it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDFS


def ontology_html(ontology: Graph) -> str:
    """Render the ontology as one self-contained HTML page with pyLODE (OntPub profile, sorted, CSS inlined)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ontology.ttl"
        target = Path(folder) / "ontology.html"
        source.write_bytes(_one_label_per_term(ontology).serialize(format="turtle", encoding="utf-8"))
        command = [
            sys.executable,
            "-m",
            "pylode",
            str(source),
            "-o",
            str(target),
            "-p",
            "ontpub",
            "-c",
            "true",
            "-s",
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        return target.read_text(encoding="utf-8")


def _one_label_per_term(ontology: Graph) -> Graph:
    """Keep the English rdfs:label and show the French one in an rdfs:comment.

    pyLODE prints every rdfs:label of a term one after the other with no separator ("cityville").
    """
    shown = Graph()
    for prefix, namespace in ontology.namespaces():
        shown.bind(prefix, namespace)
    for subject, predicate, obj in ontology:
        if predicate == RDFS.label and isinstance(obj, Literal) and obj.language == "fr":
            shown.add((subject, RDFS.comment, Literal(f"French label: « {obj} »", lang="en")))
        else:
            shown.add((subject, predicate, obj))
    return shown
