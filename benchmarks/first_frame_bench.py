"""Time from process start to the app's first frame; the target is at most 0.6 s.

Each run spawns ``studyrnn`` (the real entry point, no arguments but the fixture decks and a
fresh database) on a pseudo-terminal of 100x30, with ``STUDYRNN_BENCH_FIRST_FRAME`` naming a
file. The app writes the wall-clock time of its first frame (Textual's ``Ready`` event, sent
once the first frame has been displayed) to that file and exits. The figure is that time minus
the moment just before the spawn, so interpreter start-up and every import are included.

    python benchmarks/first_frame_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DECKS = REPO / "tests" / "ui" / "fixtures" / "decks"
TARGET_S = 0.6


def studyrnn_command() -> list[str]:
    exe = shutil.which("studyrnn", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "studyrnn.cli"]


def one_run(workdir: Path, index: int) -> tuple[float, float, float]:
    """(first frame, imports done, app constructed), each in seconds after the spawn."""
    marker = workdir / f"frame-{index}.txt"
    env = dict(os.environ, STUDYRNN_BENCH_FIRST_FRAME=str(marker), TERM="xterm-256color")
    db = f"sqlite:///{workdir / f'bench-{index}.db'}"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.time()
    proc = subprocess.Popen(
        [*studyrnn_command(), "--db", db, "--decks", str(DECKS)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    deadline = time.monotonic() + 60
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)  # drain the screen so the app never blocks
                except OSError:
                    break
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    if not marker.exists():
        raise RuntimeError(f"run {index}: the app exited without drawing a frame")
    frame, imported, built = (float(x) for x in marker.read_text().split())
    return frame - start, imported - start, built - start


def interpreter_baseline() -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        one_run(workdir, 0)  # warm the file cache; not counted
        runs = [one_run(workdir, i) for i in range(1, args.runs + 1)]
    base = min(interpreter_baseline() for _ in range(3))
    times = [frame for frame, _, _ in runs]
    load = os.getloadavg()[0]
    print(f"first frame over {len(times)} runs (process start -> first frame, 100x30 pty):")
    print(f"  min    {min(times):.3f} s")
    print(f"  median {statistics.median(times):.3f} s")
    print(f"  max    {max(times):.3f} s")
    imported = statistics.median(i for _, i, _ in runs)
    built = statistics.median(b for _, _, b in runs)
    print(f"  median breakdown: imports done {imported:.3f} s, app built {built:.3f} s")
    print(
        f"  (bare python start-up here: {base:.3f} s; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs)"
    )
    verdict = "meets" if statistics.median(times) <= TARGET_S else "MISSES"
    print(f"  target <= {TARGET_S:.1f} s: median {verdict} it")


if __name__ == "__main__":
    main()
