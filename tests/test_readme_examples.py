"""Every example the README and the query page give returns data from the real build.

The README's curl lines are replayed against the app (same path, same Accept header) and must
answer with a non-empty body; its SPARQL queries (the curl ``query=`` texts and the Comunica ASK)
and every example query of the query page must answer with at least one row, triple or ``true``.
A query that the data no longer answers is a broken example, not a passing test.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from tradelod.graph.build import BuildSummary
from tradelod.graph.namespaces import all_prefixes
from tradelod.sparql.example_queries import load_examples

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/tradelod/"
LOCAL = "http://127.0.0.1:8000"


def readme_commands() -> list[str]:
    """The shell commands of the README's ```sh blocks, a command continued while a quote is open."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        current = ""
        for line in block.splitlines():
            current = f"{current}\n{line}" if current else line
            try:
                words = shlex.split(current, comments=True)
            except ValueError:  # a quote is still open: the command goes on on the next line
                continue
            if words:
                commands.append(current.strip())
            current = ""
    return commands


def curl_requests() -> list[tuple[str, str, str | None]]:
    """(path, Accept, query) of every README curl line that asks the local server."""
    found = []
    for command in readme_commands():
        for part in command.split("&&"):
            words = shlex.split(part.strip(), comments=True)
            if not words or words[0] != "curl":
                continue
            url = next((w for w in words if w.startswith(LOCAL)), None)
            if url is None:
                continue
            accept = next((w.split(":", 1)[1].strip() for w in words if w.startswith("Accept:")), "*/*")
            query = next((w.removeprefix("query=") for w in words if w.startswith("query=")), None)
            found.append((url.removeprefix(LOCAL), accept, query))
    return found


def readme_queries() -> list[str]:
    """The SPARQL texts the README sends: curl ``query=`` parameters and the Comunica query."""
    queries = [q for _, _, q in curl_requests() if q]
    for command in readme_commands():
        if "comunica-sparql" in command:
            queries.append(shlex.split(command)[-1])
    return queries


@pytest.fixture(scope="module")
def store(built: BuildSummary) -> ox.Store:
    return ox.Store.read_only(str(built.release / "store"))


def answers(store: ox.Store, query: str) -> int:
    """How much a query returns: rows, triples, or 1 for ASK true (0 for false)."""
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in all_prefixes(BASE).items())
    result = store.query(prologue + query, base_iri=BASE)
    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


def test_the_readme_has_examples_to_run() -> None:
    assert len(curl_requests()) >= 10
    assert len(readme_queries()) >= 3


@pytest.mark.parametrize(("path", "accept", "query"), curl_requests(), ids=lambda v: str(v)[:60])
def test_readme_curl_example_answers_with_data(
    client: FlaskClient, path: str, accept: str, query: str | None
) -> None:
    if query is not None:
        response = client.post(path, data={"query": query}, headers={"Accept": accept})
    else:
        response = client.get(path, headers={"Accept": accept}, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    assert len(response.get_data()) > 0


@pytest.mark.parametrize("query", readme_queries(), ids=lambda q: " ".join(q.split())[:60])
def test_readme_query_returns_data(store: ox.Store, query: str) -> None:
    assert answers(store, query) > 0, query


@pytest.mark.parametrize("name", [e.name for e in load_examples()])
def test_query_page_example_returns_data(store: ox.Store, name: str) -> None:
    example = next(e for e in load_examples() if e.name == name)
    assert answers(store, example.query) > 0, example.query
