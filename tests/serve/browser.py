"""Debian's chromium driven by Playwright, and the page's terminal read back as text.

The page draws the terminal on a canvas (xterm.js), so its text is not in the DOM. The test
reads it as the browser does: every frame the server sends over the page's websocket is fed
to pyte, a terminal emulator, sized as the page sized its terminal. Waits poll a condition
with a generous deadline; Playwright's own wait pumps the events in between.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, WebSocket

CHROMIUM = Path("/usr/bin/chromium")
# As root in a container, with the network closed: no sandbox of chromium's own (studyrnn's
# sandbox is not involved), and nothing that would call Google at start.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 90.0  # seconds: a loaded 2-core machine starting an app per tab


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        return "chromium is not installed (apt-get install chromium; .ci/run installs it)"
    for module in ("playwright", "pyte"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed (pip install -e '.[test]')"
    return None


def chromium_path() -> str:
    return str(CHROMIUM) if CHROMIUM.exists() else str(shutil.which("chromium"))


class Terminal:
    """What the page's terminal shows, rebuilt from the websocket's frames."""

    def __init__(self, page: Page) -> None:
        import pyte

        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.size: tuple[int, int] | None = None  # (columns, rows) the page asked for
        self.closed = False
        page.on("websocket", self._attach)

    def _attach(self, websocket: WebSocket) -> None:
        query = parse_qs(urlsplit(websocket.url).query)
        self._resize(int(query["width"][0]), int(query["height"][0]))
        websocket.on("framereceived", self._received)
        websocket.on("framesent", self._sent)
        websocket.on("close", lambda _: setattr(self, "closed", True))

    def _resize(self, columns: int, rows: int) -> None:
        self.size = (columns, rows)
        self.screen.resize(rows, columns)

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            message: list[Any] = json.loads(payload)
            if message[0] == "resize":
                self._resize(int(message[1]["width"]), int(message[1]["height"]))

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, pattern: str, what: str, timeout: float = WAIT) -> re.Match[str]:
        """The first match of ``pattern`` on screen, once it is there."""
        found: re.Match[str] | None = None

        def shown() -> bool:
            nonlocal found
            found = re.search(pattern, self.text)
            return found is not None

        wait_until(self.page, shown, what, timeout, lambda: self.text)
        assert found is not None
        return found


def wait_until(
    page: Page | None,
    condition: Callable[[], bool],
    what: str,
    timeout: float = WAIT,
    shown: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f}s for {what}; the screen:\n{shown()}")
        if page is not None:
            page.wait_for_timeout(100)  # lets Playwright deliver the frames meanwhile
        else:
            time.sleep(0.1)  # polling a condition, with no page left to pump


def focused_class(page: Page) -> str:
    value = page.evaluate("document.activeElement ? document.activeElement.className : ''")
    return str(value)


# --- processes ------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def children(pid: int) -> list[int]:
    return sorted(_children().get(pid, []))


def descendants(pid: int) -> list[int]:
    tree = _children()
    found: list[int] = []
    todo = list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(tree.get(child, []))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def running(pid: int, command: str) -> bool:
    """The process is there and not a zombie, and is still the same program (not a pid
    handed to something else since)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and cmdline(pid) == command
