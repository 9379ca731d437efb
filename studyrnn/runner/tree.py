"""Budgets for a check's whole process tree, not for each process.

A per-process memory limit lets a snippet fork three times and hold three budgets. Where cgroup
v2 is not delegated to the user (the common case for a desktop app, and on this project's CI),
the supervisor counts instead: every ``POLL_S`` it walks the check's descendants through
``/proc`` and sums what each has allocated since it was forked (resident anonymous memory
above the warm worker's own, which every fork starts with and shares). A tree over its memory
or process budget is killed whole. Between two polls one process can go no further than its
own rlimit, which stays in place as the hard stop.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

POLL_S = 0.01


def children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    return kids


def descendants(pid: int) -> list[int]:
    """``pid`` and everything below it, breadth first."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue += children(current)
    return found


def anon_kb(pid: int) -> int:
    """Resident anonymous memory of ``pid`` in kB (0 once it is gone)."""
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


@dataclass
class TreeBudget:
    """The memory and process budget of one check, measured from its first process."""

    root: int
    memory_kb: int
    max_processes: int
    baseline_kb: int = 0

    def start(self) -> None:
        self.baseline_kb = anon_kb(self.root)

    def over(self) -> str | None:
        """``memory`` or ``processes`` when the tree is over its budget now, else None."""
        pids = descendants(self.root)
        if len(pids) > self.max_processes:
            return "processes"
        used = sum(max(0, anon_kb(p) - self.baseline_kb) for p in pids)
        return "memory" if used > self.memory_kb else None
