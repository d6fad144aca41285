"""Dumps and the dataset description: /dumps/ lists and serves every file with the right media type,
encoding and checksum; /.well-known/void is negotiated and points to dumps, endpoint, examples and
linksets; /dataset 303s to it; the validation report is published.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from support.rdfparse import parse_rdf

BASE = "https://w3id.org/tradelod/"
SH = Namespace("http://www.w3.org/ns/shacl#")
NAMES = [
    "tradelod-0.1.0.jsonld",
    "tradelod-0.1.0.nq.gz",
    "tradelod-0.1.0.nt.gz",
    "tradelod-0.1.0.ttl",
    "tradelod-ontology-0.1.0.ttl",
    "tradelod-shapes-0.1.0.ttl",
]
#: The tables of the statistical cube: CSV and CSVW metadata, listed and served like the RDF dumps.
TABLES = [
    f"tradelod-{slug}-0.1.0.{suffix}"
    for slug in ("growth-rates", "levels", "ranks", "shares")
    for suffix in ("csv", "csv-metadata.json")
]


@pytest.fixture()
def table(build_dir: Path) -> list[dict[str, object]]:
    """The build's own dumps.json."""
    return list(json.loads((build_dir / "current" / "dumps" / "dumps.json").read_text(encoding="utf-8")))


def test_listing_shows_every_dump_with_size_triples_and_checksum(
    client: FlaskClient, table: list[dict[str, object]], build_dir: Path
) -> None:
    assert sorted(str(row["name"]) for row in table) == sorted(NAMES + TABLES)
    response = client.get("/dumps/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    text = response.data.decode()
    for row in table:
        block = text[text.index(f'<tr data-name="{row["name"]}">') :]
        block = block[: block.index("</tr>")]
        assert f'<a href="/dumps/{row["name"]}" download>{row["name"]}</a>' in block
        size_bytes = int(str(row["bytes"]))  # for people (CLDR units): 118.9 kB, 555 kB, 682 byte
        size = f"{round(size_bytes / 1000, 1):g} kB" if size_bytes >= 1000 else f"{size_bytes} byte"
        assert f'data-bytes="{row["bytes"]}">{size}</td>' in block
        assert f'data-triples="{row["triples"]}">{int(str(row["triples"])):,}</td>' in block
        release = (build_dir / "current").resolve().name
        assert f'<a href="/releases/{release}/dumps/{row["name"]}">' in block
        assert f'<code class="sha256">{row["sha256"]}</code>' in block
    assert client.get("/dumps").status_code in (200, 308)


def test_listing_as_json_is_dumps_json(client: FlaskClient, table: list[dict[str, object]]) -> None:
    response = client.get("/dumps/", headers={"Accept": "application/json"})
    assert response.mimetype == "application/json"
    assert json.loads(response.data) == table


@pytest.mark.parametrize("name", NAMES + TABLES)
def test_dump_downloads_byte_for_byte_with_media_type_and_checksum(
    client: FlaskClient, name: str, table: list[dict[str, object]]
) -> None:
    row = next(r for r in table if r["name"] == name)
    response = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    gzipped = row["encoding"] == "gzip"
    # a gzipped dump is a gzip file, never Content-Encoding (clients would save it decompressed)
    assert response.mimetype == ("application/gzip" if gzipped else row["media_type"])
    assert "Content-Encoding" not in response.headers
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"] == f'"{row["sha256"]}"'
    assert response.headers["Cache-Control"] == "public, max-age=300"  # the "dump" kind of CACHE_SECONDS
    body = response.data
    assert len(body) == row["bytes"]
    assert hashlib.sha256(body).hexdigest() == row["sha256"]
    raw = gzip.decompress(body) if gzipped else body
    if name in TABLES:
        assert row["triples"] == 0 and len(raw) > 0
    elif name.endswith(".nq.gz"):
        assert len([line for line in raw.decode().splitlines() if line.strip()]) == row["triples"]
    else:
        assert len(parse_rdf(raw, str(row["media_type"]))) == row["triples"]
    again = client.get(f"/dumps/{name}", headers={"If-None-Match": f'"{row["sha256"]}"'})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["tradelod-0.1.0.ttl", "tradelod-0.1.0.jsonld"])
def test_uncompressed_dump_is_gzipped_on_the_wire_when_asked(
    client: FlaskClient, name: str, table: list[dict[str, object]]
) -> None:
    row = next(r for r in table if r["name"] == name)
    response = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == row["media_type"]
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["ETag"] == f'"{row["sha256"]}-gzip"'
    assert len(response.data) < int(str(row["bytes"]))
    assert hashlib.sha256(gzip.decompress(response.data)).hexdigest() == row["sha256"]
    plain = client.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert hashlib.sha256(plain.data).hexdigest() == row["sha256"]
    gz = client.get("/dumps/tradelod-0.1.0.nt.gz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in gz.headers  # already compressed: sent as the file it is


def test_release_addressed_dumps_are_immutable(
    client: FlaskClient, build_dir: Path, table: list[dict[str, object]]
) -> None:
    release = (build_dir / "current").resolve().name
    for row in table:
        response = client.get(f"/releases/{release}/dumps/{row['name']}")
        assert response.status_code == 200, row["name"]
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert hashlib.sha256(response.data).hexdigest() == row["sha256"]
    sums = client.get(f"/releases/{release}/dumps/SHA256SUMS")
    assert sums.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for bad in ("0000000000000000", "..", "current", release.upper()):
        assert client.get(f"/releases/{bad}/dumps/SHA256SUMS").status_code == 404, bad
    assert client.get(f"/releases/{release}/dumps/manifest.json").status_code == 404


def test_dump_range_request(client: FlaskClient, table: list[dict[str, object]]) -> None:
    whole = client.get("/dumps/tradelod-0.1.0.ttl").data
    part = client.get("/dumps/tradelod-0.1.0.ttl", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.data == whole[:100]


def test_checksum_file_matches_the_table(client: FlaskClient, table: list[dict[str, object]]) -> None:
    response = client.get("/dumps/SHA256SUMS")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.data.decode() == "".join(f"{r['sha256']}  {r['name']}\n" for r in table)
    assert client.get("/dumps/secret.txt").status_code == 404
    assert client.get("/dumps/..%2Fmanifest.json").status_code == 404


@pytest.mark.parametrize(
    "media_type", ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
)
def test_void_is_negotiated_and_points_to_everything(
    client: FlaskClient, media_type: str, table: list[dict[str, object]]
) -> None:
    response = client.get("/.well-known/void", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Location"].startswith("/.well-known/void.")
    graph = parse_rdf(response.data, media_type)
    dataset = URIRef(f"{BASE}dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert set(graph.objects(dataset, VOID.dataDump)) == {URIRef(f"{BASE}dumps/{n}") for n in NAMES}
    assert (dataset, VOID.sparqlEndpoint, URIRef(f"{BASE}sparql")) in graph
    assert (dataset, VOID.exampleResource, URIRef(f"{BASE}id/place/chongqing")) in graph
    sameas = URIRef(f"{BASE}dataset/wikidata-sameas")
    assert (dataset, VOID.subset, sameas) in graph
    assert (sameas, VOID.linkPredicate, URIRef("http://www.w3.org/2002/07/owl#sameAs")) in graph
    for row in table:
        dump = URIRef(f"{BASE}dumps/{row['name']}")
        assert int(graph.value(dump, DCAT.byteSize)) == row["bytes"]
        if dump.endswith(".csv") or dump.endswith(
            "-metadata.json"
        ):  # tables of the cube: no triples to count
            assert graph.value(dump, VOID.triples) is None
        else:
            assert int(graph.value(dump, VOID.triples)) == row["triples"]


def test_void_page_for_people(client: FlaskClient) -> None:
    text = client.get("/.well-known/void", headers={"Accept": "text/html"}).data.decode()
    assert "<h1>tradelod: China&#39;s trade relations as reported in the press</h1>" in text
    assert '<a href="/sparql">/sparql</a>' in text
    assert '<a href="/id/place/chongqing">Chongqing</a>' in text
    assert '<a href="/dumps/tradelod-0.1.0.nt.gz">tradelod-0.1.0.nt.gz</a>' in text


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html", "/.well-known/void"),
        ("text/turtle", "/.well-known/void.ttl"),
        ("application/ld+json", "/.well-known/void.jsonld"),
    ],
)
def test_dataset_iri_303_to_its_description(client: FlaskClient, accept: str, location: str) -> None:
    for path in ("/dataset", "/dataset/wikidata-sameas"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 303
        assert response.headers["Location"] == location


def test_home_iri_sends_rdf_clients_to_the_dataset_description(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/.well-known/void.ttl"


def test_validation_report_is_published(client: FlaskClient) -> None:
    graph = parse_rdf(client.get("/validation-report", headers={"Accept": "text/turtle"}).data, "text/turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(True)
    assert list(graph.subjects(RDF.type, SH.ValidationResult)) == []
    nt = client.get("/validation-report.nt")
    assert nt.mimetype == "application/n-triples"
