"""How much memory each query process may take, sized to the machine and never more than a total.

Every query process runs under an address-space cap (``RLIMIT_AS``, set by ``sandbox.limit_memory``): a
query that needs more is stopped by the engine's own allocation failure, and only its client gets an
error. The caps add up: ``WORKERS`` server workers × ``QUERY_PROCESSES`` processes each × the cap is what
the endpoint may take at worst, and it never exceeds ``QUERY_MEMORY_TOTAL_MB`` (by default a quarter of
the machine's memory). ``QUERY_MEMORY_MB`` (by default the total shared out, at most 4 GiB) is lowered to
fit, and when even one process per worker would get less than ``MINIMUM_MB`` the processes per worker are
reduced instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: An idle query process already maps about 0.6–0.9 GiB (store, thread stacks, allocator arenas).
MINIMUM_MB = 1024
#: The default cap of one query process when the total allows more.
DEFAULT_CAP_MB = 4096


@dataclass(frozen=True)
class MemoryPlan:
    """Query processes per worker, each one's cap, and what they add up to over all workers."""

    processes: int
    cap_mb: int
    workers: int
    total_mb: int

    @property
    def sum_of_caps_mb(self) -> int:
        """The most the endpoint's query processes can take together."""
        return self.processes * self.cap_mb * self.workers


def physical_mb() -> int:
    """The machine's memory in MiB."""
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024))


def plan(config: Mapping[str, Any], machine_mb: int | None = None) -> MemoryPlan:
    """The memory plan for a configuration (0 for QUERY_MEMORY_TOTAL_MB or QUERY_MEMORY_MB: automatic)."""
    workers = max(1, int(config.get("WORKERS", 1)))
    processes = max(1, int(config["QUERY_PROCESSES"]))
    total = int(config.get("QUERY_MEMORY_TOTAL_MB") or 0) or (machine_mb or physical_mb()) // 4
    wanted = int(config.get("QUERY_MEMORY_MB") or 0) or DEFAULT_CAP_MB
    while processes > 1 and total // (workers * processes) < MINIMUM_MB:
        processes -= 1
    cap = max(1, min(wanted, total // (workers * processes)))
    return MemoryPlan(processes, cap, workers, total)
