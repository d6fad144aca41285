"""The published ontology is in OWL 2 DL, as the OWL API's profile checker (the reference one) reads it.

``tests/support/owl/CheckProfile.java`` loads the ontology dump the build publishes with the OWL API
(Debian's ``libowlapi-java``, run by the JDK as a single source file) and reports every violation of
the OWL 2 DL profile and every triple that maps to no OWL 2 axiom. The structural checks of
``test_ontology.py`` say why a term would break the profile; this one is the profile itself. A copy
of the ontology with one punned property shows that the checker does report what it should.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tradelod import __version__
from tradelod.graph.build import BuildSummary

CHECKER = Path(__file__).resolve().parents[1] / "support" / "owl" / "CheckProfile.java"
#: Where Debian's libowlapi-java and its dependencies put their jars.
CLASSPATH = "/usr/share/java/*"
TLO = "https://w3id.org/tradelod/ontology#"


def check_profile(path: Path) -> tuple[int, list[str]]:
    """Run the OWL API's OWL 2 DL check on ``path``: (exit code, the lines it printed)."""
    java = shutil.which("java")
    if java is None or not Path("/usr/share/java/owlapi-distribution.jar").exists():
        if os.environ.get("CI"):
            pytest.fail(
                "java or the OWL API is missing: .ci/run installs them (default-jre-headless, libowlapi-java)"
            )
        pytest.skip(
            "java and Debian's libowlapi-java are needed (apt-get install default-jre-headless libowlapi-java)"
        )
    result = subprocess.run(
        [java, "-cp", CLASSPATH, str(CHECKER), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines and lines[0].startswith("axioms "), result.stderr[-2000:]
    return result.returncode, lines


@pytest.fixture(scope="module")
def ontology_dump(built: BuildSummary) -> Path:
    return built.release / "dumps" / f"tradelod-ontology-{__version__}.ttl"


def test_the_published_ontology_is_in_owl2_dl(ontology_dump: Path) -> None:
    code, lines = check_profile(ontology_dump)
    assert lines[1:] == []  # no violation, no triple outside the OWL 2 mapping
    assert code == 0
    assert int(lines[0].split()[1]) > 1000  # the whole ontology was read, not an empty document


def test_the_checker_reports_a_punned_property(ontology_dump: Path, tmp_path: Path) -> None:
    broken = tmp_path / "punned.ttl"
    broken.write_text(
        ontology_dump.read_text(encoding="utf-8")
        + f"\n<{TLO}refPeriod> a <http://www.w3.org/2002/07/owl#DatatypeProperty> .\n",
        encoding="utf-8",
    )
    code, lines = check_profile(broken)
    assert code == 1
    assert any(line.startswith("violation ") and f"{TLO}refPeriod" in line for line in lines), lines
