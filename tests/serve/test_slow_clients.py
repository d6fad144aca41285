"""The slow-client attack ("slowloris"): 200 sockets from one address sending their headers one byte a
second, held for 60 s, while a normal client from another address asks for the home page.

With nginx in front every page is answered in under a second; with gunicorn alone (``FRONT=none``) the
same attack leaves the normal client waiting, which shows that the attack is real and the test can fail.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from support.attacks import slow_clients, timed_get
from support.serving import live_server
from support.timing import require_nginx, timing_lock

pytestmark = [pytest.mark.network, pytest.mark.slow]


def normal_client(port: int, seconds: float) -> list[tuple[int, float]]:
    """GET / from 127.0.0.1 every half second for ``seconds``: (status, seconds) of each request."""
    answers = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        answers.append(timed_get("127.0.0.1", port, "/", timeout=5.0))
        # paced, not synchronising: the normal client is a person clicking twice a second
        time.sleep(0.5)
    return answers


def test_200_slow_sockets_for_60_s_leave_pages_under_a_second(build_dir: Path) -> None:
    require_nginx()
    with live_server(build_dir, workers=2, settings={"FRONT": "nginx"}) as server, timing_lock():
        idle = [timed_get("127.0.0.1", server.port, "/")[1] for _ in range(5)]
        with slow_clients("127.0.0.1", server.port, 200, source="127.0.0.2") as attack:
            answers = normal_client(server.port, 60.0)
            held = attack.still_open
        statuses = [status for status, _ in answers]
        times = sorted(seconds for _, seconds in answers)
        print(
            f"slow clients: {attack.opened} sockets opened ({held} open at the end, "
            f"{attack.closed_by_server} cut by the header timeout); normal client: {len(answers)} pages, "
            f"idle median {statistics.median(idle) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
        assert attack.opened >= 200 and held == 200
        assert len(answers) >= 60
        assert statuses == [200] * len(answers)
        assert times[-1] < 1.0


def test_without_nginx_the_same_attack_stalls_gunicorn(build_dir: Path) -> None:
    with live_server(build_dir, workers=2, settings={"FRONT": "none"}) as server, timing_lock():
        assert timed_get("127.0.0.1", server.port, "/")[0] == 200
        with slow_clients("127.0.0.1", server.port, 200, source="127.0.0.2"):
            answers = normal_client(server.port, 8.0)
        assert any(status != 200 or seconds >= 1.0 for status, seconds in answers)
