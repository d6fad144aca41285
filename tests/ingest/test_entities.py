"""Entities: the graph's by their labels (folded), new ones proposed with a type, people with posts."""

from __future__ import annotations

import pytest

from support.project import BASE, ROOT
from tradelod.ingest.entities import find_mentions
from tradelod.ingest.gazetteer import Gazetteer, fold, load_gazetteer
from tradelod.ingest.language import named_spans


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(ROOT, BASE)


def known(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.iris[0]) for m in gazetteer.find(text)]


def test_folding_ignores_accents_case_and_inflection() -> None:
    assert fold("Pékin") == fold("PEKIN") == fold("pekin")
    assert fold("chinoises") == fold("Chinois") == fold("chinoise")
    assert fold("commerciaux") == fold("commercial")


def test_labels_in_both_languages_are_found_however_written(gazetteer: Gazetteer) -> None:
    assert known(gazetteer, "à PÉKIN et à Beijing") == [
        ("PÉKIN", "id/place/beijing"),
        ("Beijing", "id/place/beijing"),
    ]
    assert known(gazetteer, "les Matières Premières") == [("Matières Premières", "id/product/raw-materials")]
    assert known(gazetteer, "l'initiative « la Ceinture et de la Route »") == [
        ("Ceinture et de la Route", "id/initiative/belt-and-road")
    ]
    assert known(gazetteer, "le ministère kazakh") == [
        ("ministère kazakh", "id/org/ministry-of-trade-and-integration-kazakhstan")
    ]


def test_a_lower_case_word_names_no_organisation(gazetteer: Gazetteer) -> None:
    # "l'entreprise" is an alternative label of a company of article 002; as a common noun it names nothing
    assert known(gazetteer, "les entreprises de Chongqing") == [("Chongqing", "id/place/chongqing")]


def test_wikidata_links_come_with_the_graph_entities(gazetteer: Gazetteer) -> None:
    assert gazetteer.entities["id/place/kazakhstan"].links == {"http://www.wikidata.org/entity/Q232"}


def test_new_entities_are_proposed_with_a_type_and_people_with_their_posts(gazetteer: Gazetteer) -> None:
    text = (
        "Selon la ministre vietnamienne de l'Industrie et du Commerce, Nguyen Thi Hong, les exportations "
        "de viande bovine vers la province de Lang Son et l'Office général des douanes du Vietnam progressent."
    )
    mentions = find_mentions(text, 0, gazetteer, named_spans(text))
    proposed = {(m.text, m.cls) for m in mentions if m.iri is None}
    assert ("Nguyen Thi Hong", "Person") in proposed
    assert ("Lang Son", "Province") in proposed
    assert ("Office général des douanes du Vietnam", "Organisation") in proposed
    assert ("viande bovine", "ProductCategory") in proposed
    person = next(m for m in mentions if m.text == "Nguyen Thi Hong")
    assert person.post == "ministre vietnamienne de l'Industrie et du Commerce"
    assert text[person.post_start : person.post_end] == person.post
    assert ("Vietnam", "id/place/vietnam") in [(m.text, m.iri) for m in mentions]


def test_a_quoted_name_is_the_name(gazetteer: Gazetteer) -> None:
    text = "Le Kenya agit par le biais de sa politique de « route verte du thé » en Afrique."
    proposed = [(m.text, m.cls) for m in find_mentions(text, 0, gazetteer, []) if m.iri is None]
    assert proposed == [("route verte du thé", "Policy")]
