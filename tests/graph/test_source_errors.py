"""A broken source file makes `validate` and `build` fail with the file, the line and a one-line reason —
never a traceback — and an IRI that passes validation never breaks the build."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelod.graph.build import remove_stale_staging
from tradelod.graph.sources import SourceError, parse_file

BASE = "https://w3id.org/tradelod/"
DATA = "data/003-kazakhstan-china-trade.ttl"


def run(command: str, root: Path, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "tradelod", command, "--root", str(root)]
    if out is not None:
        args += ["--out", str(out)]
    return subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)


BREAKAGES = {
    "syntax error": (
        lambda text: text + '\n<id/place/x> <ontology#name> "unterminated .\n',
        "Turtle syntax error",
    ),
    "truncated file": (lambda text: text[: len(text) // 2], "Turtle syntax error"),
    "invalid IRI": (lambda text: text + "\n<id/place/a b> a <ontology#City> .\n", "invalid IRI"),
    "invalid IRI character": (lambda text: text + "\n<id/place/a{b}> a <ontology#City> .\n", "invalid IRI"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES), ids=list(BREAKAGES))
@pytest.mark.parametrize("command", ["validate", "build"])
def test_broken_file_fails_with_file_line_and_reason(
    project_copy: Path, tmp_path: Path, breakage: str, command: str
) -> None:
    change, reason = BREAKAGES[breakage]
    path = project_copy / DATA
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    result = run(command, project_copy, out if command == "build" else None)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    message = [line for line in result.stderr.splitlines() if DATA in line]
    assert len(message) == 1, result.stderr
    assert f"{DATA}:" in message[0] and reason in message[0]
    location = message[0].split(f"{DATA}:", 1)[1].split(":", 1)[0]
    assert location.isdigit()  # the line
    if command == "build":
        assert not (out / "current").exists()
        assert list(out.glob(".staging-*")) == []


def test_file_that_is_not_utf8_is_named(project_copy: Path) -> None:
    path = project_copy / DATA
    path.write_bytes(path.read_bytes() + b"\n# \xff\xfe\n")
    result = run("validate", project_copy)
    assert result.returncode == 1
    assert f"invalid: {DATA}: not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    local=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
)
def test_an_iri_that_parses_never_breaks_the_store(tmp_path: Path, local: str) -> None:
    """The build loads what parse_file accepted into Oxigraph: whatever the IRI, either parse_file refuses
    it with a SourceError or the store takes it."""
    source = tmp_path / "one.ttl"
    escaped = local.replace("\\", "\\\\").replace(">", "\\u003E")
    source.write_text(f'<id/place/{escaped}> <ontology#name> "x" .\n', encoding="utf-8")
    try:
        graph = parse_file(source, BASE, "one.ttl")
    except SourceError as error:
        assert str(error).startswith("one.ttl")
        assert "\n" not in str(error)
        return
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == 1


def test_stale_staging_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".staging-{int(dead.stdout)}"
    live = tmp_path / f".staging-{os.getpid()}"
    stale.mkdir()
    live.mkdir()
    remove_stale_staging(tmp_path)
    assert not stale.exists()
    assert live.exists()  # a build still running keeps its own


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                children = {int(p) for p in (task / "children").read_text().split()}
            except FileNotFoundError:
                continue
            todo.extend(children - found)
            found |= children
    return found


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_build_stopped_by_a_signal_leaves_nothing_behind(
    project_copy: Path, tmp_path: Path, signal_number: int
) -> None:
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "tradelod", "build", "--root", str(project_copy), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    children: set[int] = set()
    deadline = time.monotonic() + 300
    try:
        # Wait (bounded) until the build has a staging folder and a child process (pyLODE).
        while time.monotonic() < deadline and build.poll() is None:
            children = descendants(build.pid)
            if children and list(out.glob(".staging-*")):
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                build.wait(timeout=0.05)
        assert children and build.poll() is None, "the build never reached its pyLODE step"
        build.send_signal(signal_number)
        _, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 128 + signal_number
    assert "nothing was published" in stderr and "Traceback" not in stderr
    assert list(out.glob(".staging-*")) == []
    assert not (out / "current").exists()
    gone_deadline = time.monotonic() + 30
    while time.monotonic() < gone_deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.05)  # polling the kernel's process table, bounded
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
