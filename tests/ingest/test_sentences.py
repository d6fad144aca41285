"""Sentences come out at the offsets the curated quotes have."""

from __future__ import annotations

from rdflib import Graph

from support.project import BASE, ROOT, sources_of
from tradelod.ingest.sentences import split_sentences

Q = f"""PREFIX tlo: <{BASE}ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?copy ?start ?end WHERE {{ ?q a tlo:SourceQuote ; oa:hasSource ?a ; oa:hasSelector ?p .
  ?a tlo:textCopy ?copy . ?p oa:start ?start ; oa:end ?end }}"""


def test_the_sentences_are_those_the_curated_quotes_cite() -> None:
    data: Graph = sources_of("data")
    spans: dict[str, set[tuple[int, int]]] = {}
    hits, misses = 0, []
    for copy, start, end in data.query(Q):
        name = str(copy).rsplit("/", 1)[-1]
        if name not in spans:
            text = (ROOT / "data" / "articles" / name).read_text(encoding="utf-8")
            spans[name] = {(s.start, s.end) for s in split_sentences(text)}
        if (int(start), int(end)) in spans[name]:
            hits += 1
        else:
            misses.append((name, int(start), int(end)))
    # One curated quote of article 002 joins two questions and the sentence after them on purpose.
    assert misses == [("002_036e6156e28e245c.txt", 1192, 1565)]
    assert hits == 165


def test_abbreviations_initials_and_etc_do_not_end_a_sentence() -> None:
    text = "Selon M. Wang, tout va bien. La médecine, etc. ; et J. Smith est là.\nUne ligne. « Une citation. » Fin"
    assert [s.text for s in split_sentences(text)] == [
        "Selon M. Wang, tout va bien.",
        "La médecine, etc. ; et J. Smith est là.",
        "Une ligne.",
        "« Une citation. »",
        "Fin",
    ]
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
