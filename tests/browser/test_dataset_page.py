"""The dataset page's schema.org ``Dataset`` in a real browser, under the site's Content-Security-Policy.

The JSON-LD is a data block (``<script type="application/ld+json">``): the browser never runs it, so
the policy (``script-src 'self'``, no inline script) has nothing to block, and a crawler reads it from
the DOM. Chromium must load the page with no policy violation and no console error, and the block's
text must parse as the Dataset; an inline script added to the same page is blocked, which shows that
the policy is in force and that violations are seen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.chromium import BROWSER_TESTS, chromium_context
from support.serving import LiveServer, live_server

pytestmark = BROWSER_TESTS

BASE = "https://w3id.org/tradelod/"
#: Records every policy violation of the page, before any of its own content runs.
WATCH = "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"


@pytest.fixture(scope="module")
def server(build_dir: Path) -> Iterator[LiveServer]:
    with live_server(build_dir, workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def page(server: LiveServer, playwright: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # the session's one Playwright driver (tests/browser/conftest.py): its sync API allows one per thread
    with chromium_context(tmp_path_factory.mktemp("chromium-profile"), playwright) as context:
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.add_init_script(WATCH)
        response = page.goto(server.url + "/.well-known/void", wait_until="load")
        assert response is not None and response.status == 200
        page.policy = response.headers["content-security-policy"]
        yield page


def test_the_page_loads_under_its_policy_without_a_violation(page: Any) -> None:
    assert "script-src 'self'" in page.policy and "unsafe-inline" not in page.policy
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


def test_the_browser_reads_the_schema_org_dataset(page: Any) -> None:
    text = page.evaluate(
        "Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]')).map(s => s.textContent)"
    )
    assert len(text) == 1
    dataset = json.loads(text[0])
    assert dataset["@type"] == "Dataset" and dataset["@id"] == f"{BASE}dataset"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert {"text/csv", "text/turtle", "application/ld+json"} <= formats


def test_an_inline_script_on_the_same_page_is_blocked(page: Any) -> None:
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__violations.length > 0", timeout=10_000)
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__violations") == ["script-src-elem"]
