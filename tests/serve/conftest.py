"""Fixtures for ``studyrnn serve``: a real server in its own process on a free port, a copy
of the UI's fixture deck, a SQLite store in the test's folder, and (for the browser tests)
Debian's chromium driven by Playwright, with the page's terminal read back through pyte."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studyrnn.serve.session import APP_BOOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]
DECK = REPO / "tests" / "ui" / "fixtures" / "decks" / "basics.md"
START_TIMEOUT = 60.0  # a loaded 2-core machine
STOP_TIMEOUT = 60.0


@dataclass
class Served:
    """A running ``studyrnn serve``: its process, the address it printed, what it logged."""

    proc: subprocess.Popen[str]
    url: str  # as printed: ends in "/" or in "/?token=..."
    db_path: Path
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread = field(default_factory=threading.Thread)

    @property
    def base(self) -> str:
        return self.url.split("?", 1)[0]

    def stop(self) -> int:
        """SIGINT, as Ctrl+C; the exit status once the server has stopped every app."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        finally:
            self.reader.join(STOP_TIMEOUT)  # everything it printed, to the end
            if self.proc.stdout is not None:
                self.proc.stdout.close()


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    target = tmp_path / "decks"
    target.mkdir()
    shutil.copy(DECK, target / DECK.name)
    return target


@pytest.fixture
def serve(tmp_path: Path, deck: Path) -> Iterator[Callable[..., Served]]:
    """``serve(*options)`` starts ``studyrnn serve --port 0 *options`` on the fixture deck and
    a fresh store, and returns once it printed its address; every server is stopped after."""
    started: list[Served] = []

    def start(*options: str) -> Served:
        db_path = tmp_path / "study.db"
        env = dict(os.environ, STUDYRNN_LOG_DIR=str(tmp_path / "logs"), PYTHONUNBUFFERED="1")
        env.pop("STUDYRNN_SERVE_TOKEN", None)
        argv = [sys.executable, "-c", APP_BOOT, str(REPO), "--db", f"sqlite:///{db_path}"]
        argv += ["--decks", str(deck), "--device", "cpu", "serve", "--port", "0", *options]
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        assert proc.stdout is not None
        found: queue.Queue[str] = queue.Queue()
        served = Served(proc, "", db_path)

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                served.lines.append(line.rstrip("\n"))
                if line.startswith("studyrnn serve: open "):
                    found.put(line.removeprefix("studyrnn serve: open ").strip())

        served.reader = threading.Thread(target=read, daemon=True)
        served.reader.start()
        try:
            served.url = found.get(timeout=START_TIMEOUT)
        except queue.Empty:
            proc.kill()
            pytest.fail(f"studyrnn serve printed no address: {served.lines}")
        started.append(served)
        return served

    yield start
    for served in started:
        if served.proc.stdout is not None and not served.proc.stdout.closed:
            served.stop()


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """Debian's chromium under Playwright; the test is skipped only where either is absent."""
    from . import browser

    reason = browser.missing()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=browser.chromium_path(), args=browser.FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()
