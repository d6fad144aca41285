"""The cube's CSV dumps are served, negotiated and catalogued like the other dumps."""

from __future__ import annotations

import hashlib
import json
import re

from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, XSD

from tradelod import __version__

BASE = "https://w3id.org/tradelod/"
SPDX = "http://spdx.org/rdf/terms#"
CSV = f"tradelod-levels-{__version__}.csv"


def test_the_csv_is_served_as_text_csv_with_its_checksum_as_etag(client: FlaskClient) -> None:
    response = client.get(f"/dumps/{CSV}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"observation,subject,ref_area")
    assert response.headers["ETag"].strip('"') == hashlib.sha256(body).hexdigest()
    metadata = client.get(f"/dumps/{CSV}-metadata.json")
    assert metadata.status_code == 200 and metadata.mimetype == "application/csvm+json"
    assert metadata.get_json()["url"] == CSV


def test_a_cube_dataset_negotiates_to_its_csv(client: FlaskClient) -> None:
    response = client.get("/id/cube/levels", headers={"Accept": "text/csv"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/dumps/{CSV}")
    assert (
        client.get("/id/cube/levels", headers={"Accept": "text/turtle"})
        .headers["Location"]
        .endswith("/doc/cube/levels.ttl")
    )


def test_the_csv_is_a_distribution_in_dcat_with_its_checksum(client: FlaskClient) -> None:
    body = client.get(f"/dumps/{CSV}").get_data()
    void = Graph().parse(data=client.get("/.well-known/void.ttl").get_data(), format="turtle")
    dist = URIRef(f"{BASE}dumps/{CSV}")
    assert (URIRef(f"{BASE}dataset"), DCAT.distribution, dist) in void
    assert void.value(dist, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/csv")
    checksum = void.value(dist, URIRef(f"{SPDX}checksum"))
    assert void.value(checksum, URIRef(f"{SPDX}checksumValue")) == Literal(
        hashlib.sha256(body).hexdigest(), datatype=XSD.hexBinary
    )


def test_the_dataset_page_embeds_a_schema_org_dataset(client: FlaskClient) -> None:
    page = client.get("/.well-known/void", headers={"Accept": "text/html"}).get_data(as_text=True)
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    dataset = json.loads(match.group(1))
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["publisher"]["name"] == "The tradelod team"
    assert dataset["temporalCoverage"] == "1967-01-01/2025-12-31"
    assert {
        "contentUrl": f"{BASE}dumps/{CSV}",
        "encodingFormat": "text/csv",
        "@type": "DataDownload",
    } in dataset["distribution"]
