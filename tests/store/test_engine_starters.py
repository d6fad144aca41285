"""The engine starters of tests/support/engines.py: each engine answers on 127.0.0.1 and stops."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from support.engines import ENGINES, require_engine, start_engine

pytestmark = pytest.mark.network


@pytest.mark.parametrize("name", ENGINES)
def test_engine_starts_on_loopback_answers_and_stops(name: str, tmp_path: Path) -> None:
    require_engine(name)
    with start_engine(name, tmp_path / name) as engine:
        assert engine.query_url.startswith("http://127.0.0.1:")
        query = urlencode({"query": "ASK { FILTER(1 + 1 = 2) }"})
        request = urllib.request.Request(
            f"{engine.query_url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["boolean"] is True
        process = engine.process
    assert process.poll() is not None  # stopped by PID when the block ended
