"""Debian's chromium for the page tests, driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"
#: Headless, no sandbox (root), and none of the background connections this machine's closed network refuses.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Marks for a module of browser tests: skipped, with the reason printed, where chromium is missing —
#: except under CI (the CI variable set), where a missing browser must fail the run, not hide it.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.network,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
        ".ci/run installs it)",
    ),
]


@contextmanager
def chromium_context(profile: Path, playwright: Any = None, **options: Any) -> Iterator[Any]:
    """A persistent Playwright context on Debian's chromium with a fresh profile, closed on exit.

    Give the session's ``playwright`` when there is one: Playwright's sync API allows one driver per
    thread, so contexts that are open at the same time must come from the same driver.
    """
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as own, chromium_context(profile, own, **options) as context:
            yield context
        return
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=FLAGS, headless=True, **options
    )
    try:
        yield context
    finally:
        context.close()
