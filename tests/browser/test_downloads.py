"""Downloads that verify: a dump saved by the browser, and one saved by ``curl -O``, match the SHA-256
that the downloads page and SHA256SUMS publish, byte for byte (gzipped dumps included).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support.chromium import BROWSER_TESTS
from support.serving import LiveServer

pytestmark = BROWSER_TESTS


def published(site: LiveServer) -> dict[str, str]:
    """name -> SHA-256 as SHA256SUMS publishes it."""
    status, _, body = site.request("GET", "/dumps/SHA256SUMS")
    assert status == 200
    sums = dict(reversed(line.split("  ", 1)) for line in body.decode().splitlines())
    status, _, listing = site.request("GET", "/dumps/dumps.json")
    assert status == 200
    assert set(sums) == {row["name"] for row in json.loads(listing)}  # every file listed has its sum
    return sums


@pytest.mark.parametrize("name", ["tradelod-0.1.0.nt.gz", "tradelod-0.1.0.nq.gz", "tradelod-0.1.0.ttl"])
def test_browser_download_matches_the_published_checksum(
    site: LiveServer, desktop: object, name: str, tmp_path: Path
) -> None:
    sums = published(site)
    page = desktop.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"{site.url}/dumps/")
        shown = page.locator(f'tr[data-name="{name}"] code.sha256').inner_text()
        assert shown == sums[name]
        with page.expect_download() as info:
            page.locator(f'tr[data-name="{name}"] a[download]').click()
        download = info.value
        assert download.suggested_filename == name
        saved = tmp_path / name
        download.save_as(str(saved))
        assert hashlib.sha256(saved.read_bytes()).hexdigest() == sums[name]
    finally:
        page.close()
    assert desktop.outside == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["tradelod-0.1.0.nt.gz", "tradelod-0.1.0.nq.gz", "tradelod-0.1.0.jsonld"])
def test_curl_download_matches_the_published_checksum(site: LiveServer, name: str, tmp_path: Path) -> None:
    curl = shutil.which("curl")
    assert curl, "curl is needed (apt-get install curl; .ci/run installs it)"
    sums = published(site)
    # what the README tells people to do, plus --compressed (curl then asks for gzip and decodes it)
    for options in ([], ["--compressed"]):
        folder = tmp_path / ("compressed" if options else "plain")
        folder.mkdir()
        subprocess.run(
            [curl, "-sSf", "-O", *options, f"{site.url}/dumps/{name}"], cwd=folder, check=True, timeout=60
        )
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sums[name], options
    checked = subprocess.run(
        ["sha256sum", "-c", "--ignore-missing", "-"],
        cwd=tmp_path / "plain",
        input=site.request("GET", "/dumps/SHA256SUMS")[2],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0 and f"{name}: OK".encode() in checked.stdout, checked.stdout
