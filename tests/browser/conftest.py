"""Fixtures of the browser tests: one real server over the session's build, and Debian's chromium.

The browser refuses (and records) every request that leaves 127.0.0.1, so a page that needs anything
from another host fails its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.chromium import chromium_context
from support.serving import LiveServer, live_server


@pytest.fixture(scope="session")
def site(build_dir: Path) -> Iterator[LiveServer]:
    """A real gunicorn server over the session's build, shared by the browser tests."""
    with live_server(build_dir, workers=2) as running:
        yield running


def guarded(context: object) -> object:
    """Refuse and record every request of ``context`` that leaves 127.0.0.1."""
    context.outside = []  # type: ignore[attr-defined]

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "about:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            context.outside.append(url)  # type: ignore[attr-defined]
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)  # type: ignore[attr-defined]
    return context


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """The one Playwright driver of the session (its sync API allows one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def desktop(playwright: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Chromium at a laptop's size, with a fresh profile, downloads accepted."""
    profile = tmp_path_factory.mktemp("chromium-desktop")
    with chromium_context(
        profile, playwright, viewport={"width": 1280, "height": 900}, accept_downloads=True
    ) as context:
        yield guarded(context)


@pytest.fixture(scope="session")
def phone(playwright: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Chromium as a small phone: 360 px wide, touch, a mobile user agent's viewport handling."""
    profile = tmp_path_factory.mktemp("chromium-phone")
    with chromium_context(
        profile,
        playwright,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ) as context:
        yield guarded(context)
