"""``studyrnn watch`` in a subprocess, on real file changes, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


class Lines:
    """The process's stdout, line by line, read in a thread so that waits can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout
        threading.Thread(
            target=lambda: [self.queue.put(x.rstrip("\n")) for x in stream], daemon=True
        ).start()

    def until(self, ending: str, timeout: float) -> list[str]:
        """Every line up to the first that contains ``ending`` (empty list on timeout)."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            seen.append(line)
            if ending in line:
                return seen
        return []


def _save_until_reported(path: Path, text: str, lines: Lines) -> list[str]:
    """Write ``text`` and wait for the summary; again if the watcher was not yet watching."""
    for _ in range(5):
        path.write_text(text, encoding="utf-8")
        seen = lines.until(" fail", 60)
        if seen:
            return seen
    raise AssertionError("the save was never reported")


@pytest.mark.slow
def test_watch_reports_each_save_and_stops_on_ctrl_c(decks: Path) -> None:
    rnn = decks / "rnn.md"
    good = rnn.read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from studyrnn.cli import main; main()", "watch", str(decks)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = Lines(proc)
        assert lines.until("watching", 30) == [f"watching {decks} (Ctrl-C to stop)"]
        time.sleep(0.5)
        typo = _save_until_reported(rnn, good.replace("python expect", "python expcet"), lines)
        fixed = _save_until_reported(rnn, good, lines)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert typo[-1] == (
        f"{rnn}: 3 cards, 2 errors, 0 warnings; 0 code cards checked, 0 pass, 0 fail"
    )
    assert [line.split(": ")[1] for line in typo[:-1]] == ["error", "error"]
    assert [line.split(":")[1] for line in typo[:-1]] == ["19", "24"]
    # the predict card is back, so it is checked, on the sandboxed worker
    assert fixed[0].startswith(f"{rnn}:19: zeros-shape: check: pass on 3 variants (")
    assert fixed[1:] == [
        f"{rnn}: 4 cards, 0 errors, 0 warnings; 1 code card checked, 1 pass, 0 fail"
    ]
    assert proc.returncode == 0, err
    assert "Traceback" not in err
