"""How fast the checker judges the LSTM h_n-shape predict card on the CPU.

Prints the worker's start-up time, the warm verdict latency (median and p95 over 50 checks,
after 3 unmeasured ones, with a pause of --gap ms before each, as when a learner answers; and
the same 50 back to back) and, in the same run, the same check done cold: a fresh
``python -c`` that imports torch and runs the card. Targets: warm median <= 30 ms, and at
least 30x faster than cold. Also how long ``close`` takes, with a ready worker and with one
still warming up (what quitting costs).

    python benchmarks/checker_bench.py [--checks 50] [--cold 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from studyrnn.decks.model import Card
from studyrnn.decks.parser import parse_text
from studyrnn.runner import Checker, Verdict

SETUP = (
    "lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)\n"
    "out, (h_n, c_n) = lstm(torch.randn(32, 5, 10))\n"
)
COLD = (
    "import torch\nfrom torch import nn\ntorch.set_num_threads(1)\n"
    + SETUP
    + "assert tuple(h_n.shape) == (2, 32, 20)\n"
)


def lstm_card() -> Card:
    """The card, read from markdown by the real parser, as a learner's deck would be."""
    deck = f"## `h_n.shape`?\n```python setup\n{SETUP}```\n```python expect\nh_n.shape\n```\n"
    (card,) = parse_text(deck, "<bench>").cards
    return card


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=50)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--gap", type=float, default=200, help="ms between warm checks")
    args = parser.parse_args()

    start = time.perf_counter()
    checker = Checker(device="cpu")
    returned_ms = (time.perf_counter() - start) * 1000
    if not checker.wait_ready(300):
        sys.exit("the worker did not start")
    ready_ms = (time.perf_counter() - start) * 1000
    card = lstm_card()
    for _ in range(3):
        checker.grade(card, "(2, 32, 20)", seed=0)
    warm: list[float] = []
    for i in range(args.checks):
        time.sleep(args.gap / 1000)  # a learner's answers come seconds apart, not back to back
        result = checker.grade(card, "(2, 32, 20)", seed=i)
        assert result.verdict is Verdict.PASS, result.message
        warm.append(result.elapsed_ms)
    burst: list[float] = []
    for i in range(args.checks):
        burst.append(checker.grade(card, "(2, 32, 20)", seed=i).elapsed_ms)
    info = checker.info()
    t = time.perf_counter()
    checker.close()
    close_ready_ms = (time.perf_counter() - t) * 1000
    # Quitting while the worker still imports torch: what ``q`` right after start costs.
    warming = Checker(device="cpu")
    t = time.perf_counter()
    warming.close()
    close_warming_ms = (time.perf_counter() - t) * 1000

    cold: list[float] = []
    for _ in range(args.cold):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-W", "ignore", "-c", COLD], check=True)
        cold.append((time.perf_counter() - t) * 1000)

    median, p95 = statistics.median(warm), percentile(warm, 0.95)
    cold_median = statistics.median(cold)
    print(f"sandbox:          {info['mechanism']} (confined: {info['confined']})")
    print(f"Checker() return: {returned_ms:.1f} ms (the worker starts in the background)")
    print(f"worker start-up:  {ready_ms:.0f} ms to ready (torch imported once)")
    print(
        f"warm check:       median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(n={len(warm)}, min {min(warm):.1f}, max {max(warm):.1f})"
    )
    print(
        f"back to back:     median {statistics.median(burst):.1f} ms, "
        f"p95 {percentile(burst, 0.95):.1f} ms (no pause: the next spare forks meanwhile)"
    )
    print(
        f"close:            {close_ready_ms:.1f} ms when ready, "
        f"{close_warming_ms:.1f} ms while warming up"
    )
    print(f"cold check:       median {cold_median:.0f} ms (python -c, n={len(cold)})")
    print(f"speed-up:         {cold_median / median:.0f}x")
    ok = median <= 30 and cold_median / median >= 30
    print(f"targets (median <= 30 ms, >= 30x): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
